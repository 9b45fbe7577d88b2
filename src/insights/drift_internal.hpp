#pragma once
// Private to the drift code: a small deterministic random generator (the
// same numbers on every platform, unlike std:: distributions) and the
// domain classifier's cross-validated AUC.
#include "supportnlp/insights/drift.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace supportnlp::insights::drift_detail {

/// SplitMix64: tiny, fast, and fully specified.
class Random {
public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) (n >= 1); the modulo bias is below 2^-40 for the
  /// sizes used here.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

private:
  std::uint64_t state_;
};

/// Cross-validated ROC AUC of a logistic regression separating `current`
/// (positive) from `reference` texts, and its one-sided p-value; and the
/// tail of the same out-of-fold scores: the share of reference and of
/// current texts scoring above the reference's 95th percentile, with the
/// one-sided p-value that the current share is the larger (pooled
/// two-proportion z-test).
struct DomainAuc {
  double auc = 0.5;
  double p_value = 1.0;
  double reference_tail = 0, current_tail = 0, tail_p_value = 1.0;
  std::size_t reference_n = 0, current_n = 0;
};
DomainAuc domain_classifier_auc(const std::vector<const std::string*>& reference,
                                const std::vector<const std::string*>& current,
                                const DriftOptions& options);

} // namespace supportnlp::insights::drift_detail
