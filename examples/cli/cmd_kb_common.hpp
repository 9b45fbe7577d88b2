#pragma once
// Helpers shared by the knowledge-base sub-commands (kb build, kb search,
// kb gaps, eval search): encoder and KB loading, search options from
// command-line words. Hits are written by the library (pipeline/json.hpp).

#include "command.hpp"
#include "records.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/embed/transformer_encoder.hpp>
#include <supportnlp/search/knowledge_base.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace supportnlp::cli::kb {

/// "-k N" is accepted as "--top-k N".
inline Args expand_short(const Args& args) {
  Args out;
  for (const auto& a : args)
    out.push_back(a == "-k" ? "--top-k" : a);
  return out;
}

/// The encoder named by --encoder: a model file (static, or a converted
/// transformer), a Hugging Face / sentence-transformers folder (a
/// TransformerEncoder, docs/encoders.md),
/// "none" (lexical only), or empty for the bundled data/models/encoder.snlp
/// when it exists. Sets `failed` and prints a message when a named encoder
/// cannot be loaded.
inline std::shared_ptr<const embed::Encoder>
load_encoder(const std::string& name, const std::string& command, bool& failed) {
  failed = false;
  if (name == "none") return nullptr;
  std::string path = name;
  if (path.empty()) {
    path = default_data_dir() + "/models/encoder.snlp";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return nullptr;
  }
  // A folder, or a file from `convert encoder`, is a transformer encoder; any
  // other kind of model file is tried as a static encoder.
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto t = embed::TransformerEncoder::load(path);
    if (t) return std::make_shared<embed::TransformerEncoder>(std::move(t).value());
    if (std::filesystem::is_directory(path, ec) || t.error().code != ErrorCode::wrong_kind) {
      std::cerr << "supportnlp " << command << ": " << t.error().message << '\n';
      failed = true;
      return nullptr;
    }
  }
  auto enc = embed::StaticEncoder::load(path);
  if (!enc) {
    std::cerr << "supportnlp " << command << ": " << enc.error().message << '\n';
    failed = true;
    return nullptr;
  }
  return std::make_shared<embed::StaticEncoder>(std::move(enc.value()));
}

/// Loads a KB with the encoder it needs; prints the error and returns
/// nullopt on failure.
inline std::optional<search::KnowledgeBase>
load_kb(const std::string& path, const std::string& encoder_name, const std::string& command) {
  bool failed = false;
  auto encoder = load_encoder(encoder_name, command, failed);
  if (failed) return std::nullopt;
  auto kb = search::KnowledgeBase::load(path, encoder);
  if (!kb) {
    std::cerr << "supportnlp " << command << ": " << kb.error().message << '\n';
    return std::nullopt;
  }
  return std::move(kb.value());
}

/// Parses --mode and --fusion words into `options`; false with a message if unknown.
inline bool parse_mode(const std::string& mode, const std::string& fusion,
                       search::SearchOptions& options, const std::string& command) {
  if (mode == "dense")
    options.mode = search::SearchMode::dense;
  else if (mode == "lexical" || mode == "bm25")
    options.mode = search::SearchMode::lexical;
  else if (mode == "hybrid")
    options.mode = search::SearchMode::hybrid;
  else {
    std::cerr << "supportnlp " << command << ": unknown --mode '" << mode
              << "' (dense, lexical, hybrid)\n";
    return false;
  }
  if (fusion == "linear")
    options.fusion = search::Fusion::linear;
  else if (fusion == "rrf")
    options.fusion = search::Fusion::rrf;
  else {
    std::cerr << "supportnlp " << command << ": unknown --fusion '" << fusion
              << "' (linear, rrf)\n";
    return false;
  }
  return true;
}

} // namespace supportnlp::cli::kb
