// load_tokenizer: the tokenizer of a Hugging Face / sentence-transformers
// folder, from the files and fields Hugging Face's AutoTokenizer reads.
#include "embed/transformer/tokenizer.hpp"
#include "embed/transformer/tokenizer_source.hpp"
#include "embed/transformer/wordpiece.hpp"

#include "io/json_line.hpp"
#include "supportnlp/text/utf8.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace supportnlp::embed::transformer {
namespace {

namespace fs = std::filesystem;

// Reads folder/name into `out`. Returns false (and no error) if the file does
// not exist. Errors here and below name the file; the public functions add
// the folder (in_folder).
Result<bool> read_file(const fs::path& folder, const char* name, std::string& out) {
  const fs::path path = folder / name;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorCode::io_error,
                      std::string(name) + ": cannot open (" + std::strerror(errno) + ")");
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error(ErrorCode::io_error, std::string(name) + ": cannot read");
  return true;
}

// Parses an optional JSON file of the folder into `out` (null if absent).
Result<void> read_json(const fs::path& folder, const char* name, nlohmann::json& out) {
  out = nullptr;
  std::string bytes;
  auto found = read_file(folder, name, bytes);
  if (!found) return found.error();
  if (!found.value()) return {};
  const std::string problem = io::detail::parse_json_line(bytes, out);
  if (!problem.empty())
    return make_error(ErrorCode::parse_error, std::string(name) + ": " + problem);
  if (!out.is_object())
    return make_error(ErrorCode::parse_error, std::string(name) + ": expected a JSON object");
  return {};
}

// A boolean field: `value` is left as it is if the field is absent or null.
Result<void> bool_field(const nlohmann::json& j, const char* file, const char* field, bool& value) {
  if (!j.is_object() || !j.contains(field) || j[field].is_null()) return {};
  if (!j[field].is_boolean())
    return make_error(ErrorCode::invalid_data, std::string(file) + ": \"" + field +
                                                   "\" must be true, false or null, got " +
                                                   j[field].dump());
  value = j[field].get<bool>();
  return {};
}

// A special token field: a string, or an AddedToken object with "content".
Result<void> token_field(const nlohmann::json& j, const char* file, const char* field,
                         std::string& value) {
  if (!j.is_object() || !j.contains(field) || j[field].is_null()) return {};
  const auto& v = j[field];
  if (v.is_string()) {
    value = v.get<std::string>();
    return {};
  }
  if (v.is_object() && v.contains("content") && v["content"].is_string()) {
    value = v["content"].get<std::string>();
    return {};
  }
  return make_error(ErrorCode::invalid_data, std::string(file) + ": \"" + field +
                                                 "\" must be a string or an object with a "
                                                 "string \"content\", got " +
                                                 v.dump());
}

// The vocabulary of tokenizer.json's WordPiece model, as id-ordered tokens.
Result<void> tokenizer_json_vocab(const nlohmann::json& tj, WordPieceConfig& config) {
  const char* file = "tokenizer.json";
  const auto& model = tj.contains("model") ? tj["model"] : nlohmann::json();
  if (!model.is_object() || !model.contains("type") || model["type"] != "WordPiece")
    return make_error(ErrorCode::invalid_data,
                      std::string(file) + ": \"model.type\" is not \"WordPiece\" (" +
                          (model.is_object() && model.contains("type") ? model["type"].dump()
                                                                       : std::string("missing")) +
                          "), and the folder has no vocab.txt or sentencepiece.bpe.model");
  if (model.contains("continuing_subword_prefix") && model["continuing_subword_prefix"] != "##")
    return make_error(ErrorCode::invalid_data,
                      std::string(file) + ": \"model.continuing_subword_prefix\" is " +
                          model["continuing_subword_prefix"].dump() + ", only \"##\" is supported");
  if (model.contains("max_input_chars_per_word")) {
    const auto& m = model["max_input_chars_per_word"];
    if (!m.is_number_unsigned())
      return make_error(ErrorCode::invalid_data,
                        std::string(file) +
                            ": \"model.max_input_chars_per_word\" must be a non-negative "
                            "integer, got " +
                            m.dump());
    config.max_word_chars = m.get<std::size_t>();
  }
  if (!model.contains("vocab") || !model["vocab"].is_object() || model["vocab"].empty())
    return make_error(ErrorCode::invalid_data,
                      std::string(file) + ": \"model.vocab\" must be a non-empty object");
  const auto& vocab = model["vocab"];
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    if (!it.value().is_number_unsigned() || it.value().get<std::uint64_t>() >= vocab.size())
      return make_error(ErrorCode::invalid_data, std::string(file) + ": \"model.vocab\" id of '" +
                                                     it.key() + "' is " + it.value().dump() +
                                                     ", expected 0 to " +
                                                     std::to_string(vocab.size() - 1));
  }
  config.vocab.assign(vocab.size(), std::string());
  for (auto it = vocab.begin(); it != vocab.end(); ++it)
    config.vocab[it.value().get<std::size_t>()] = it.key();
  config.source = file;
  if (model.contains("unk_token") && model["unk_token"].is_string())
    config.unk_token = model["unk_token"].get<std::string>();
  return {};
}

// tokenizer.json's BertNormalizer settings, when it has one. Settings this
// tokenizer cannot follow are refused rather than ignored.
Result<void> tokenizer_json_normalizer(const nlohmann::json& tj, bool& lower,
                                       std::optional<bool>& strip, bool& chinese) {
  if (!tj.is_object() || !tj.contains("normalizer")) return {};
  const auto& n = tj["normalizer"];
  if (!n.is_object() || !n.contains("type") || n["type"] != "BertNormalizer") return {};
  if (n.contains("clean_text") && n["clean_text"] == false)
    return make_error(ErrorCode::invalid_data,
                      "tokenizer.json: \"normalizer.clean_text\" false is not supported");
  if (n.contains("lowercase") && n["lowercase"].is_boolean()) lower = n["lowercase"].get<bool>();
  if (n.contains("strip_accents") && n["strip_accents"].is_boolean())
    strip = n["strip_accents"].get<bool>();
  if (n.contains("handle_chinese_chars") && n["handle_chinese_chars"].is_boolean())
    chinese = n["handle_chinese_chars"].get<bool>();
  return {};
}

// read_wordpiece_config with errors that name the file but not the folder.
Result<WordPieceConfig> wordpiece_config(const fs::path& folder, const std::string& vocab_txt,
                                         bool have_vocab_txt) {
  nlohmann::json tokenizer_json, config_json, specials_json;
  // tokenizer.json may hold the normalizer even beside vocab.txt.
  for (auto [name, json] : {std::pair{"tokenizer.json", &tokenizer_json},
                            std::pair{"tokenizer_config.json", &config_json},
                            std::pair{"special_tokens_map.json", &specials_json}}) {
    if (auto r = read_json(folder, name, *json); !r) return r.error();
  }
  WordPieceConfig config;
  if (have_vocab_txt) {
    if (!text::is_valid_utf8(vocab_txt))
      return make_error(ErrorCode::invalid_data,
                        "vocab.txt: not valid UTF-8 (at byte " +
                            std::to_string(text::find_invalid_utf8(vocab_txt)) + ")");
    config.vocab = split_vocab_lines(vocab_txt);
  } else if (auto r = tokenizer_json_vocab(tokenizer_json, config); !r) {
    return r.error();
  }
  // Hugging Face's BertTokenizerFast builds its normalizer from
  // tokenizer.json, then lets tokenizer_config.json's arguments override it.
  bool lower = true, chinese = true;
  std::optional<bool> strip;
  if (auto r = tokenizer_json_normalizer(tokenizer_json, lower, strip, chinese); !r)
    return r.error();
  const char* cfg = "tokenizer_config.json";
  // Without basic tokenization BERT only splits at whitespace: not supported.
  bool basic = true;
  if (auto r = bool_field(config_json, cfg, "do_basic_tokenize", basic); !r) return r.error();
  if (!basic)
    return make_error(ErrorCode::invalid_data,
                      std::string(cfg) + ": \"do_basic_tokenize\" false is not supported");
  if (auto r = bool_field(config_json, cfg, "do_lower_case", lower); !r) return r.error();
  if (auto r = bool_field(config_json, cfg, "tokenize_chinese_chars", chinese); !r)
    return r.error();
  if (config_json.is_object() && config_json.contains("strip_accents")) {
    if (config_json["strip_accents"].is_null()) {
      strip.reset();
    } else {
      bool s = false;
      if (auto r = bool_field(config_json, cfg, "strip_accents", s); !r) return r.error();
      strip = s;
    }
  }
  // strip_accents null: accents are stripped when lowercasing (BERT's rule).
  config.normalization = BertNormalization{lower, strip.value_or(lower), chinese};
  // Special tokens: special_tokens_map.json, else tokenizer_config.json.
  std::string mask = "[MASK]";
  for (auto [json, file] :
       {std::pair{&config_json, cfg}, std::pair{&specials_json, "special_tokens_map.json"}}) {
    for (auto [field, value] :
         {std::pair{"unk_token", &config.unk_token}, std::pair{"cls_token", &config.cls_token},
          std::pair{"sep_token", &config.sep_token}, std::pair{"pad_token", &config.pad_token},
          std::pair{"mask_token", &mask}}) {
      if (auto r = token_field(*json, file, field, *value); !r) return r.error();
    }
  }
  config.special_tokens = {config.pad_token, config.unk_token, config.cls_token, config.sep_token,
                           mask};
  return config;
}

// Prefixes an error message with the folder, so that "vocab.txt: ..." names
// the file in full.
Error in_folder(const fs::path& folder, const Error& e) {
  return make_error(e.code, (folder / "").string() + e.message);
}

} // namespace

Result<WordPieceConfig> read_wordpiece_config(const std::string& folder_name) {
  const fs::path folder(folder_name);
  std::string bytes;
  auto vocab = read_file(folder, "vocab.txt", bytes);
  if (!vocab) return in_folder(folder, vocab.error());
  auto config = wordpiece_config(folder, bytes, vocab.value());
  if (!config) return in_folder(folder, config.error());
  return config;
}

Result<TokenizerSource> read_tokenizer_source(const std::string& folder_name) {
  const fs::path folder(folder_name);
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return make_error(ErrorCode::not_found,
                      "tokenizer folder '" + folder_name + "' does not exist or is not a folder");
  TokenizerSource source;
  const auto wordpiece = [&]() -> Result<TokenizerSource> {
    auto config = read_wordpiece_config(folder_name);
    if (!config) return config.error();
    source.wordpiece = std::move(config).value();
    return source;
  };
  if (fs::is_regular_file(folder / "vocab.txt", ec)) return wordpiece();
  auto spm = read_file(folder, "sentencepiece.bpe.model", source.sentencepiece_model);
  if (!spm) return in_folder(folder, spm.error());
  if (spm.value()) {
    source.sentencepiece = true;
    return source;
  }
  if (fs::is_regular_file(folder / "tokenizer.json", ec)) return wordpiece();
  return make_error(ErrorCode::not_found,
                    "tokenizer folder '" + folder_name +
                        "' has none of vocab.txt, sentencepiece.bpe.model, tokenizer.json");
}

Result<std::unique_ptr<Tokenizer>> make_tokenizer(const TokenizerSource& source) {
  if (source.sentencepiece) return xlmr_from_sentencepiece(source.sentencepiece_model);
  return make_wordpiece(source.wordpiece);
}

Result<std::unique_ptr<Tokenizer>> load_tokenizer(const std::string& folder_name) {
  auto source = read_tokenizer_source(folder_name);
  if (!source) return source.error();
  auto made = make_tokenizer(*source);
  if (!made) return in_folder(fs::path(folder_name), made.error());
  return made;
}

} // namespace supportnlp::embed::transformer
