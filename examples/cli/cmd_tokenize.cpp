// `supportnlp tokenize`: support-aware word tokens of each input line, as
// JSON Lines, optionally with normalized forms and SentencePiece ids.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/text/subwords.hpp>
#include <supportnlp/text/tokenizer.hpp>
#include <supportnlp/text/utf8.hpp>

#include <iostream>
#include <optional>

namespace supportnlp::cli {
namespace {

constexpr const char* kUsage =
    "[--input F | F] [--format auto|text|jsonl] [--strict] [--normalized] [--subwords MODEL] "
    "[--no-entities]\n\n"
    "Reads plain-text lines or JSON Lines objects with a \"text\" field and writes one\n"
    "JSON object per record: "
    "{\"id\",\"line\",\"tokens\":[{\"text\",\"begin\",\"end\",\"kind\"}]}.\n"
    "begin/end are byte offsets into the record's text (for JSON input, the decoded\n"
    "\"text\" value). A blank line gives a record with no tokens. A malformed line\n"
    "yields {\"line\":N,\"error\":...} and the run goes on (docs/cli.md).";

// The output is written by hand rather than through nlohmann::json: building
// a JSON object per token cost more than tokenizing (measured with perf).

// Appends `s` (valid UTF-8) as a JSON string literal.
void append_json_string(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out.push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 15]);
      }
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// One result line: {"id","line","tokens":[...],"repaired_utf8"?,"subwords"?}.
void write_result(std::string& out, const std::string& id_json, std::uint64_t line,
                  const text::TokenizedText& tokenized, bool normalized,
                  const std::vector<int>* subword_ids) {
  out.clear();
  out += "{\"id\":";
  out += id_json;
  out += ",\"line\":";
  out += std::to_string(line);
  out += ",\"tokens\":[";
  std::string repaired;
  for (std::size_t i = 0; i < tokenized.tokens.size(); ++i) {
    const auto& t = tokenized.tokens[i];
    if (i > 0) out.push_back(',');
    out += "{\"text\":";
    std::string_view original = tokenized.original(t);
    if (tokenized.repaired_utf8 && !text::is_valid_utf8(original)) {
      repaired = text::repair_utf8(original);
      original = repaired;
    }
    append_json_string(out, original);
    out += ",\"begin\":";
    out += std::to_string(t.begin);
    out += ",\"end\":";
    out += std::to_string(t.end);
    out += ",\"kind\":\"";
    out += text::to_string(t.kind);
    out.push_back('"');
    if (normalized) {
      out += ",\"normalized\":";
      append_json_string(out, tokenized.normalized(t));
    }
    out.push_back('}');
  }
  out.push_back(']');
  if (tokenized.repaired_utf8) out += ",\"repaired_utf8\":true";
  if (subword_ids) {
    out += ",\"subwords\":[";
    for (std::size_t i = 0; i < subword_ids->size(); ++i) {
      if (i > 0) out.push_back(',');
      out += std::to_string((*subword_ids)[i]);
    }
    out.push_back(']');
  }
  out += "}\n";
}

std::optional<text::NormalizationForm> parse_form(const std::string& name) {
  if (name == "none") return text::NormalizationForm::none;
  if (name == "nfkc") return text::NormalizationForm::nfkc;
  if (name == "nfkc_casefold" || name == "nfkc-casefold")
    return text::NormalizationForm::nfkc_casefold;
  return std::nullopt;
}

int run_tokenize(const Args& args) {
  InputOptions input;
  std::string subwords_path, form_name = "nfkc_casefold";
  bool normalized = false, no_entities = false, no_punct = false;
  Options opts("tokenize", kUsage);
  input.add_to(opts);
  opts.flag("--normalized", &normalized, "add each token's normalized form")
      .add("--normalization", &form_name, "nfkc_casefold (default), nfkc or none")
      .add("--subwords", &subwords_path, "SentencePiece model: add the text's subword ids")
      .flag("--no-entities", &no_entities, "plain UAX #29 words, no support entities")
      .flag("--no-punct", &no_punct, "leave punctuation tokens out");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  auto form = parse_form(form_name);
  if (!form)
    return opts.usage_error("--normalization must be nfkc_casefold, nfkc or none, not '" +
                            form_name + "'");
  std::optional<text::Subwords> subwords;
  if (!subwords_path.empty()) {
    auto loaded = text::Subwords::load(subwords_path);
    if (!loaded) {
      std::cerr << "supportnlp tokenize: " << loaded.error().message << '\n';
      return exit_runtime;
    }
    subwords = std::move(loaded.value());
  }

  text::TokenizerOptions tok_options;
  tok_options.entities = !no_entities;
  tok_options.punctuation = !no_punct;
  tok_options.normalization = *form;
  const text::Tokenizer tokenizer(tok_options);

  text::TokenizedText tokenized;
  std::vector<int> ids;
  std::string line_out, id_json;
  return run_records("tokenize", input, [&](Record& record) -> std::string {
    tokenizer.tokenize(record.text, tokenized);
    if (const auto& id = record.id_json(); !id.is_null())
      id_json = id.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    else
      id_json = nlohmann::json(record.id).dump();
    if (subwords) subwords->encode(record.text, ids);
    write_result(line_out, id_json, record.line, tokenized, normalized, subwords ? &ids : nullptr);
    std::cout.write(line_out.data(), static_cast<std::streamsize>(line_out.size()));
    return {};
  });
}

CommandRegistration reg{"tokenize", "word tokens and support entities of each line, as JSON Lines",
                        run_tokenize};

} // namespace
} // namespace supportnlp::cli
