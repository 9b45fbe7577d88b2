// supportnlp intent: classifies text or JSONL lines (file or stdin) and writes
// one JSON line per input: {"label","confidence","out_of_scope","top":[...]},
// plus "explain" spans with --explain, and the input's "id" and "line".
// Malformed lines give an error record with their line number (docs/cli.md).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/models/intent/intent.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

nlohmann::json spans(const std::string& text, const std::vector<models::Evidence>& ev) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& e : ev)
    a.push_back({{"begin", e.begin},
                 {"end", e.end},
                 {"text", text.substr(e.begin, e.end - e.begin)},
                 {"weight", e.weight}});
  return a;
}

int run(const Args& args) {
  InputOptions input;
  std::string model_path;
  int top_k = 1;
  bool explain = false;
  Options opts("intent",
               "[--model M] [--top-k K] [--explain] [--input F | F] [--format F] [--strict]\n"
               "Classifies each line (plain text or JSON with a \"text\" field); one JSON\n"
               "line out per line in, blank lines included. See docs/cli.md.");
  opts.add("--model", &model_path, "intent model (default: data/models/intent.snlp)")
      .add("--top-k", &top_k, "number of intents listed in \"top\" (default 1)")
      .flag("--explain", &explain, "add the spans that pushed towards/against the label");
  input.add_to(opts);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (top_k < 0) return opts.usage_error("--top-k must be 0 or more");
  if (model_path.empty()) model_path = default_data_dir() + "/models/intent.snlp";
  auto model = models::IntentClassifier::load(model_path);
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
    nlohmann::json out;
    if (const auto& id = r.id_json(); !id.is_null()) out["id"] = id;
    out["line"] = r.line;
    out["label"] = res.label;
    out["confidence"] = res.confidence;
    out["out_of_scope"] = res.out_of_scope;
    if (res.out_of_scope) out["reason"] = models::to_string(res.reason);
    out["queue"] = {{"label", res.queue}, {"confidence", res.queue_confidence}};
    nlohmann::json top = nlohmann::json::array();
    for (const auto& t : res.top)
      top.push_back({{"label", t.label}, {"confidence", t.confidence}});
    out["top"] = top;
    if (res.repaired_utf8) out["repaired_utf8"] = true;
    if (explain) {
      out["explain"] = {{"toward", spans(r.text, e.toward)}, {"against", spans(r.text, e.against)}};
    }
    write_json_line(std::cout, out);
    return {};
  });
}

CommandRegistration reg{"intent", "classify the intent of text or JSONL lines", run};

} // namespace
} // namespace supportnlp::cli
