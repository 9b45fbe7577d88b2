// Test-set evaluation of a TextClassifier: accuracy, macro-F1, out-of-scope
// recall/precision and calibration error.
#include "models/linear/classifier_impl.hpp"

#include <algorithm>

namespace supportnlp::models {

ClassifierEvaluation evaluate(const TextClassifier& model, const std::vector<LabeledText>& test) {
  ClassifierEvaluation r;
  const std::size_t k = model.labels().size();
  const int oos = model.oos_label();
  // Confusion counts per model label; unknown gold labels are all errors.
  std::vector<double> tp(k, 0), fp(k, 0), fn(k, 0);
  std::vector<char> gold_present(k, 0);
  std::vector<float> conf;
  std::vector<char> correct;
  std::uint64_t ok = 0, in_n = 0, in_ok = 0, flagged = 0, flagged_oos = 0;
  Prediction p;
  for (const auto& e : test) {
    model.predict(e.text, 0, p);
    const int gold = model.label_index(e.label);
    // Final decision: a flagged text counts as the oos label when there is one.
    int decided = static_cast<int>(p.label);
    if (p.out_of_scope && oos >= 0) decided = oos;
    const bool is_oos_gold = gold >= 0 && gold == oos;
    ++r.n;
    if (gold < 0) ++r.unknown_labels;
    if (is_oos_gold) ++r.oos_examples;
    if (p.out_of_scope) {
      ++flagged;
      if (is_oos_gold) ++flagged_oos;
    }
    if (!is_oos_gold) {
      ++in_n;
      if (gold >= 0 && !p.out_of_scope && static_cast<int>(p.label) == gold) ++in_ok;
    }
    const bool hit = decided == gold;
    ok += hit;
    conf.push_back(p.confidence);
    correct.push_back(static_cast<int>(p.label) == gold);
    if (gold >= 0) gold_present[static_cast<std::size_t>(gold)] = 1;
    if (hit) {
      tp[static_cast<std::size_t>(decided)] += 1;
    } else {
      fp[static_cast<std::size_t>(decided)] += 1;
      if (gold >= 0) fn[static_cast<std::size_t>(gold)] += 1;
    }
  }
  if (r.n == 0) return r;
  r.accuracy = double(ok) / double(r.n);
  r.in_scope_accuracy = in_n ? double(in_ok) / double(in_n) : 0.0;
  r.oos_recall = r.oos_examples ? double(flagged_oos) / double(r.oos_examples) : 0.0;
  r.oos_precision = flagged ? double(flagged_oos) / double(flagged) : 0.0;
  double f1_sum = 0;
  std::size_t labels_present = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (!gold_present[j]) continue;
    ++labels_present;
    const double denom = 2 * tp[j] + fp[j] + fn[j];
    f1_sum += denom > 0 ? 2 * tp[j] / denom : 0.0;
  }
  // Unknown gold labels are classes the model can never get right: F1 = 0.
  std::vector<std::string> unknown;
  for (const auto& e : test)
    if (model.label_index(e.label) < 0 &&
        std::find(unknown.begin(), unknown.end(), e.label) == unknown.end())
      unknown.push_back(e.label);
  labels_present += unknown.size();
  r.macro_f1 = labels_present ? f1_sum / double(labels_present) : 0.0;
  r.ece = expected_calibration_error(conf, correct);
  return r;
}

} // namespace supportnlp::models
