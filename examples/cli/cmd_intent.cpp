// supportnlp intent: classifies text or JSONL lines (file or stdin) and writes
// one JSON line per input: {"label","confidence","out_of_scope","top":[...]},
// plus "explain" spans with --explain. Malformed lines give an error record
// with their line number, and exit code 1 at the end.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/models/intent.hpp>

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
  std::string model_path, input = "-", format = "auto";
  int top_k = 1;
  bool explain = false;
  Options opts("intent", "[--model M] [--top-k K] [--explain] [--input F]\n"
                         "Classifies each line (plain text or JSON with a \"text\" field).");
  opts.add("--model", &model_path, "intent model (default: data/models/intent.snlp)")
      .add("--top-k", &top_k, "number of intents listed in \"top\" (default 1)")
      .add("--input", &input, "input file (default: stdin)")
      .add("--format", &format, "auto, text or jsonl (default auto)")
      .flag("--explain", &explain, "add the spans that pushed towards/against the label");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  auto fmt = parse_input_format(format);
  if (!fmt || top_k < 0) {
    std::cerr << "supportnlp intent: bad --format or --top-k\n";
    return 2;
  }
  if (!opts.positional().empty()) input = opts.positional()[0];
  if (model_path.empty()) model_path = default_data_dir() + "/models/intent.snlp";
  auto model = models::IntentClassifier::load(model_path);
  if (!model) {
    std::cerr << "supportnlp intent: " << model.error().message << '\n';
    return 1;
  }
  std::uint64_t bad = 0;
  int rc = with_input(input, [&](std::istream& in) {
    bad = read_records(
        in, *fmt,
        [&](Record& r) {
          // With --explain, one pass gives both answers (featurized once).
          models::Explanation e;
          auto res = explain
                         ? model->classify_explained(r.text, static_cast<std::size_t>(top_k), 5, e)
                         : model->classify(r.text, static_cast<std::size_t>(top_k));
          nlohmann::json out;
          if (!r.source.is_null() && r.source.contains("id")) out["id"] = r.source["id"];
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
            out["explain"] = {{"toward", spans(r.text, e.toward)},
                              {"against", spans(r.text, e.against)}};
          }
          write_json_line(std::cout, out);
        },
        [&](std::uint64_t line, const std::string& msg) {
          write_json_line(std::cout, error_record(line, msg));
        });
    return 0;
  });
  if (rc != 0) return rc;
  return bad ? 1 : 0;
}

CommandRegistration reg{"intent", "classify the intent of text or JSONL lines", run};

} // namespace
} // namespace supportnlp::cli
