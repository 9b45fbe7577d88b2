// supportnlp langid: identifies the language of each input line (plain text
// or JSON Lines with a "text" field) and writes one JSON line per input line,
// in order, blank lines included:
// {"id","line","language","confidence","undetermined","script","top":[...]}.
// Malformed JSON lines give {"line","error"} and exit code 1 at the end.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/text/language_identifier.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string model_path, input = "-", format = "auto";
  int top_k = 3;
  Options opts("langid", "[--model M] [--input F | F] [--format auto|text|jsonl] [--top-k K]\n"
                         "Identifies the language of each line (plain text or JSON with a \"text\"\n"
                         "field); one JSON line out per line in, blank lines included.");
  opts.add("--model", &model_path, "langid model (default: data/models/langid.snlp)")
      .add("--input", &input, "input file (default: stdin)")
      .add("--format", &format, "auto, text or jsonl (default auto)")
      .add("--top-k", &top_k, "number of languages listed in \"top\" (default 3)");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  auto fmt = parse_input_format(format);
  if (!fmt || top_k < 0) {
    std::cerr << "supportnlp langid: bad --format or --top-k\n";
    return 2;
  }
  if (!opts.positional().empty()) input = opts.positional()[0];
  if (model_path.empty()) model_path = default_data_dir() + "/models/langid.snlp";
  auto model = text::LanguageIdentifier::load(model_path);
  if (!model) {
    std::cerr << "supportnlp langid: " << model.error().message << '\n';
    return 1;
  }
  std::uint64_t bad = 0;
  text::LanguageResult res;
  auto emit = [&](std::uint64_t line, const nlohmann::json* source, std::string_view text) {
    model->identify(text, static_cast<std::size_t>(top_k), res);
    nlohmann::json out;
    if (source && source->contains("id")) out["id"] = (*source)["id"];
    out["line"] = line;
    out["language"] = res.code;
    out["confidence"] = res.confidence;
    out["undetermined"] = res.undetermined;
    out["script"] = res.script;
    nlohmann::json top = nlohmann::json::array();
    for (const auto& t : res.top) top.push_back({{"language", t.code}, {"confidence", t.probability}});
    out["top"] = std::move(top);
    if (res.repaired_utf8) out["repaired_utf8"] = true;
    write_json_line(std::cout, out);
  };
  int rc = with_input(input, [&](std::istream& in) {
    // Not read_records: it skips blank lines, and here every input line has
    // its output line so that outputs can be pasted next to inputs.
    std::string line;
    std::uint64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto first = line.find_first_not_of(" \t");
      const bool as_json = first != std::string::npos &&
                           (*fmt == InputFormat::jsonl ||
                            (*fmt == InputFormat::auto_detect && line[first] == '{'));
      if (!as_json) {
        emit(line_no, nullptr, line);
        continue;
      }
      auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        ++bad;
        write_json_line(std::cout, error_record(line_no, "malformed JSON"));
        continue;
      }
      if (!parsed.is_object() || !parsed.contains("text") || !parsed["text"].is_string()) {
        ++bad;
        write_json_line(std::cout,
                        error_record(line_no, "expected a JSON object with a string field \"text\""));
        continue;
      }
      emit(line_no, &parsed, parsed["text"].get_ref<const std::string&>());
    }
    return 0;
  });
  if (rc != 0) return rc;
  return bad ? 1 : 0;
}

CommandRegistration reg{"langid", "identify the language of text or JSONL lines", run};

} // namespace
} // namespace supportnlp::cli
