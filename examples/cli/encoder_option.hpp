#pragma once
// The --encoder option of the intent commands and analyze: the encoder a
// model was trained with (or a bundle's transformer replaced), loaded from
// a Hugging Face / sentence-transformers folder or a model file.

#include "command.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/embed/transformer_encoder.hpp>
#include <supportnlp/io/model_file.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

namespace supportnlp::cli {

/// Loads the encoder at `path`: a folder is a TransformerEncoder
/// (docs/encoders.md), a model file of kind "encoder" the compact
/// StaticEncoder, any other file is given to TransformerEncoder::load.
/// `threads` is the transformer's encode_batch thread count. Prints the
/// error (prefixed by "supportnlp <command>: ") and returns null on failure.
inline std::shared_ptr<const embed::Encoder>
load_encoder_path(const std::string& path, const std::string& command, int threads = 1) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    if (!std::filesystem::exists(path, ec)) {
      std::cerr << "supportnlp " << command << ": encoder '" << path << "' does not exist\n";
      return nullptr;
    }
    auto file = io::ModelFile::open(path);
    if (file && file->kind() == "encoder") {
      auto e = embed::StaticEncoder::load(path);
      if (!e) {
        std::cerr << "supportnlp " << command << ": " << e.error().message << '\n';
        return nullptr;
      }
      return std::make_shared<embed::StaticEncoder>(std::move(e).value());
    }
  }
  embed::TransformerEncoderOptions options;
  options.threads = threads < 1 ? 1 : threads;
  auto t = embed::TransformerEncoder::load(path, options);
  if (!t) {
    std::cerr << "supportnlp " << command << ": " << t.error().message << '\n';
    return nullptr;
  }
  return std::make_shared<embed::TransformerEncoder>(std::move(t).value());
}

} // namespace supportnlp::cli
