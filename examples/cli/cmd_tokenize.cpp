// `supportnlp tokenize`: support-aware word tokens of each input line, as
// JSON Lines, optionally with normalized forms and SentencePiece ids.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/pipeline/json.hpp>
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
  std::string line_out;
  return run_records("tokenize", input, [&](Record& record) -> std::string {
    tokenizer.tokenize(record.text, tokenized);
    if (subwords) subwords->encode(record.text, ids);
    // The library's token writer, shared with the C API (docs/output-schema.md).
    line_out = pipeline::tokens_json(tokenized, {record.id, record.line}, normalized,
                                     subwords ? &ids : nullptr);
    line_out.push_back('\n');
    std::cout.write(line_out.data(), static_cast<std::streamsize>(line_out.size()));
    return {};
  });
}

CommandRegistration reg{"tokenize", "word tokens and support entities of each line, as JSON Lines",
                        run_tokenize};

} // namespace
} // namespace supportnlp::cli
