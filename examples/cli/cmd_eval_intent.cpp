// supportnlp eval intent: scores an intent model on a labelled test file and
// prints one JSON object. Test labels unknown to the model are counted as
// errors and reported; skipped lines give exit code 1.
#include "command.hpp"
#include "encoder_option.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/models/intent/intent.hpp>

#include <chrono>
#include <iostream>
#include <set>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string model_path, test_path, encoder_path;
  Options opts("eval intent",
               "[--model M] [--encoder DIR] --test F\n"
               "Prints one JSON object: accuracy, macro_f1, in_scope_accuracy, oos_recall,\n"
               "oos_precision, ece, n, texts_per_second (single thread).");
  opts.add("--model", &model_path, "intent model (default: data/models/intent.snlp)")
      .add("--test", &test_path, "labelled TSV or JSONL file")
      .add("--encoder", &encoder_path,
           "the encoder the model was trained with (train intent --encoder), if any");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (test_path.empty()) {
    std::cerr << "supportnlp eval intent: --test is required\n";
    return 2;
  }
  if (model_path.empty()) model_path = default_data_dir() + "/models/intent.snlp";
  std::shared_ptr<const embed::Encoder> encoder;
  if (!encoder_path.empty() && !(encoder = load_encoder_path(encoder_path, "eval intent")))
    return 1;
  auto model = models::IntentClassifier::load(model_path, encoder);
  if (!model) {
    std::cerr << "supportnlp eval intent: " << model.error().message << '\n';
    return 1;
  }
  std::vector<models::DataIssue> issues;
  auto test = models::read_labeled_file(test_path, &issues);
  for (const auto& i : issues)
    write_json_line(std::cerr, error_record(i.line, i.message));
  if (!test) {
    std::cerr << "supportnlp eval intent: " << test.error().message << '\n';
    return 1;
  }
  std::set<std::string> unknown;
  for (const auto& e : *test)
    if (model->classifier().label_index(e.label) < 0) unknown.insert(e.label);
  for (const auto& u : unknown)
    std::cerr << "supportnlp eval intent: test label '" << u
              << "' is unknown to the model (its examples count as errors)\n";
  const auto& clf = model->classifier();
  // Throughput: a separate timed pass of predictions on one thread.
  models::Prediction p;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& e : *test)
    clf.predict(e.text, 1, p);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto r = models::evaluate(clf, *test);
  nlohmann::json out{{"model", model_path},
                     {"test", test_path},
                     {"n", r.n},
                     {"accuracy", r.accuracy},
                     {"macro_f1", r.macro_f1},
                     {"in_scope_accuracy", r.in_scope_accuracy},
                     {"oos_recall", r.oos_recall},
                     {"oos_precision", r.oos_precision},
                     {"oos_examples", r.oos_examples},
                     {"ece", r.ece},
                     {"unknown_labels", r.unknown_labels},
                     {"skipped_lines", issues.size()},
                     {"texts_per_second", seconds > 0 ? double(r.n) / seconds : 0.0}};
  write_json_line(std::cout, out);
  return issues.empty() && unknown.empty() ? 0 : 1;
}

CommandRegistration reg{"eval intent", "accuracy, macro-F1 and oos metrics of an intent model",
                        run};

} // namespace
} // namespace supportnlp::cli
