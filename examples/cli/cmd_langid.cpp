// supportnlp langid: identifies the language of each input line (plain text
// or JSON Lines with a "text" field) and writes one JSON line per input line,
// in order, blank lines included:
// {"id","line","language":{"code","confidence","script","undetermined","top"}}
// (pipeline::language_json, docs/output-schema.md).
// Malformed JSON lines give {"line","error"}; exit codes as in docs/cli.md.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/pipeline/json.hpp>
#include <supportnlp/text/language_identifier.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  InputOptions input;
  std::string model_path;
  int top_k = 3;
  Options opts("langid",
               "[--model M] [--input F | F] [--format auto|text|jsonl] [--top-k K] [--strict]\n"
               "Identifies the language of each line (plain text or JSON with a \"text\"\n"
               "field); one JSON line out per line in, blank lines included.");
  opts.add("--model", &model_path, "langid model (default: data/models/langid.snlp)")
      .add("--top-k", &top_k, "number of languages listed in \"top\"");
  input.add_to(opts);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (top_k < 0) return opts.usage_error("--top-k must be 0 or more");
  if (model_path.empty()) model_path = default_data_dir() + "/models/langid.snlp";
  auto model = text::LanguageIdentifier::load(model_path);
  if (!model) {
    std::cerr << "supportnlp langid: " << model.error().message << '\n';
    return exit_runtime;
  }
  text::LanguageResult res;
  // run_records keeps blank lines as records, so every input line has its
  // output line and outputs can be pasted next to inputs.
  return run_records("langid", input, [&](Record& r) -> std::string {
    model->identify(r.text, static_cast<std::size_t>(top_k), res);
    std::cout << pipeline::language_json(res, {r.id, r.line}) << '\n';
    return {};
  });
}

CommandRegistration reg{"langid", "identify the language of text or JSONL lines", run};

} // namespace
} // namespace supportnlp::cli
