// supportnlp eval sentiment: accuracy, macro-F1 and per-class F1 of a
// sentiment model (default: the lexicon analyzer) on a labelled TSV file
// (text<TAB>label, optional header). Bad lines are reported on stderr with
// their line number and skipped; the exit code is then 1.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/io/records.hpp>
#include <supportnlp/models/sentiment/sentiment.hpp>
#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string model_path, test_path;
  bool lexicon = false;
  Options opts("eval sentiment",
               "[--model M | --lexicon] --test F\n"
               "Evaluates a sentiment model on text<TAB>label lines (labels negative,\n"
               "neutral, positive) and prints one JSON object: accuracy, macro_f1,\n"
               "per-class precision/recall/F1, confusion matrix, n (with --model also\n"
               "ece, expected calibration error over 15 bins, its bins, and log_loss).\n"
               "Without"
               " --model the built-in lexicon analyzer is evaluated.");
  opts.add("--model", &model_path, "sentiment model file (from `train sentiment`)")
      .add("--test", &test_path, "labelled TSV file")
      .flag("--lexicon", &lexicon, "evaluate the lexicon analyzer (the default)");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (test_path.empty()) {
    std::cerr << "supportnlp eval sentiment: --test is required\n";
    return 2;
  }
  std::optional<models::SentimentModel> model;
  if (!model_path.empty()) {
    auto loaded = models::SentimentModel::load(model_path);
    if (!loaded) {
      std::cerr << "supportnlp eval sentiment: " << loaded.error().message << '\n';
      return 2;
    }
    model = std::move(loaded.value());
  }
  models::LexiconSentiment analyzer;
  std::array<std::array<std::uint64_t, 3>, 3> confusion{}; // [gold][predicted]
  std::uint64_t n = 0, bad = 0;
  double seconds = 0;
  // Calibration of a learned model: confidence (top probability) and
  // correctness per 15 equal-width bins (expected calibration error, as the
  // classifier's validation_ece), and the mean negative log-likelihood.
  constexpr int kBins = 15;
  std::array<double, kBins> bin_conf{}, bin_correct{}, bin_n{};
  double log_loss = 0;
  int rc = with_input(test_path, [&](std::istream& in) {
    models::SentimentResult result;
    // The library's labelled-data reader (io/records.hpp): text<TAB>label
    // or JSON Lines, the policy of every train and eval command.
    bad += io::read_labeled(
        in,
        [&](io::LabeledRecord& r) {
          const auto gold = models::parse_sentiment_label(r.label);
          if (!gold) {
            ++bad;
            write_json_line(std::cerr, error_record(r.line, "unknown label '" + r.label + "'"));
            return;
          }
          const std::string_view text = r.text;
          const auto start = std::chrono::steady_clock::now();
          if (model)
            model->analyze(text, result);
          else
            analyzer.analyze(text, result);
          seconds +=
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          ++confusion[static_cast<int>(*gold)][static_cast<int>(result.label)];
          ++n;
          if (model) {
            const float conf = result.probabilities[static_cast<int>(result.label)];
            const int bin = std::clamp(static_cast<int>(conf * kBins), 0, kBins - 1);
            bin_conf[bin] += conf;
            bin_correct[bin] += result.label == *gold;
            bin_n[bin] += 1;
            log_loss -= std::log(std::max(1e-12f, result.probabilities[static_cast<int>(*gold)]));
          }
        },
        [&](const io::RecordIssue& issue) {
          write_json_line(std::cerr, error_record(issue.line, issue.message));
        });
    return 0;
  });
  if (rc != 0) return rc;
  if (n == 0) {
    std::cerr << "supportnlp eval sentiment: no labelled lines in '" << test_path << "'\n";
    return 1;
  }
  nlohmann::json out;
  std::uint64_t correct = 0;
  double macro = 0;
  nlohmann::json per_class;
  for (int c = 0; c < 3; ++c) {
    correct += confusion[c][c];
    std::uint64_t predicted = 0, actual = 0;
    for (int k = 0; k < 3; ++k) {
      predicted += confusion[k][c];
      actual += confusion[c][k];
    }
    const double p = predicted ? double(confusion[c][c]) / predicted : 0.0;
    const double r = actual ? double(confusion[c][c]) / actual : 0.0;
    const double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    macro += f1 / 3;
    per_class[models::to_string(static_cast<models::SentimentLabel>(c))] = {
        {"precision", p}, {"recall", r}, {"f1", f1}, {"support", actual}};
  }
  out["model"] = model ? model_path : std::string("lexicon");
  out["test"] = test_path;
  out["n"] = n;
  out["accuracy"] = double(correct) / n;
  out["macro_f1"] = macro;
  out["per_class"] = per_class;
  out["confusion"] = confusion; // rows: gold negative/neutral/positive; columns: predicted
  if (model) {
    double ece = 0;
    for (int b = 0; b < kBins; ++b)
      ece += std::fabs(bin_conf[b] - bin_correct[b]) / double(n);
    out["ece"] = ece;
    out["log_loss"] = log_loss / double(n);
    // Per bin [texts, sum of confidences, correct], so that runs over
    // several files (cross-validation folds) can pool the ECE.
    nlohmann::json bins = nlohmann::json::array();
    for (int b = 0; b < kBins; ++b)
      bins.push_back({bin_n[b], bin_conf[b], bin_correct[b]});
    out["calibration_bins"] = bins;
  }
  out["bad_lines"] = bad;
  out["texts_per_second"] = seconds > 0 ? n / seconds : 0.0;
  std::cout << out.dump(2) << '\n';
  return bad ? 1 : 0;
}

CommandRegistration reg{"eval sentiment",
                        "accuracy and macro-F1 of a sentiment model on labelled TSV", run};

} // namespace
} // namespace supportnlp::cli
