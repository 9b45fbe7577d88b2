// supportnlp intent: classifies text or JSONL lines (file or stdin) and writes
// one JSON line per input: {"label","confidence","out_of_scope","top":[...]},
// plus the "evidence" spans with --explain, and the input's "id" and "line".
// Malformed lines give an error record with their line number (docs/cli.md).
#include "command.hpp"
#include "encoder_option.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/pipeline/json.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  InputOptions input;
  std::string model_path, encoder_path;
  int top_k = 1;
  bool explain = false;
  Options opts("intent",
               "[--model M] [--encoder DIR] [--top-k K] [--explain] [--input F | F] [--format F]\n"
               "       [--strict]\n"
               "Classifies each line (plain text or JSON with a \"text\" field); one JSON\n"
               "line out per line in, blank lines included. See docs/cli.md.");
  opts.add("--model", &model_path, "intent model (default: data/models/intent.snlp)")
      .add("--encoder", &encoder_path,
           "the encoder the model was trained with (train intent --encoder), if any")
      .add("--top-k", &top_k, "number of intents listed in \"top\"")
      .flag("--explain", &explain, "add the spans that pushed towards/against the label");
  input.add_to(opts);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (top_k < 0) return opts.usage_error("--top-k must be 0 or more");
  if (model_path.empty()) model_path = default_data_dir() + "/models/intent.snlp";
  std::shared_ptr<const embed::Encoder> encoder;
  if (!encoder_path.empty() && !(encoder = load_encoder_path(encoder_path, "intent")))
    return exit_runtime;
  auto model = models::IntentClassifier::load(model_path, encoder);
  if (!model) {
    std::cerr << "supportnlp intent: " << model.error().message << '\n';
    return exit_runtime;
  }
  return run_records("intent", input, [&](Record& r) -> std::string {
    // With --explain, one pass gives both answers (featurized once).
    models::Explanation e;
    // A blank line has nothing to classify: out of scope, reason empty_text
    // (as in analyze), not the model's guess on no features.
    auto res = r.blank
                   ? models::IntentClassifier::not_classified(models::OutOfScopeReason::empty_text)
               : explain ? model->classify_explained(r.text, static_cast<std::size_t>(top_k), 5, e)
                         : model->classify(r.text, static_cast<std::size_t>(top_k));
    std::cout << pipeline::intent_json(res, {r.id, r.line}, r.text, explain ? &e : nullptr) << '\n';
    return {};
  });
}

CommandRegistration reg{"intent", "classify the intent of text or JSONL lines", run};

} // namespace
} // namespace supportnlp::cli
