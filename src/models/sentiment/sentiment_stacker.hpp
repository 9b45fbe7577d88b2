#pragma once
// The second stage of the learned sentiment model: a small multinomial
// logistic regression over dense features (the text classifier's log
// probabilities and the lexicon analyzer's signals), fitted on out-of-fold
// classifier scores so it learns how far to trust each source. Immutable
// after fitting; predict() is const and thread-safe.

#include "models/sentiment/lexicon_scorer.hpp"

#include "supportnlp/result.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace supportnlp::models::detail {

/// Number of dense stacking features (see stack_feature_names()).
constexpr std::size_t kStackFeatures = 20;

/// Names of the stacking features, in order (stored in model files so a
/// file written with another feature set is rejected).
const std::array<const char*, kStackFeatures>& stack_feature_names() noexcept;

/// Fills `out` (kStackFeatures floats) from the classifier's calibrated
/// probabilities (indexed by SentimentLabel), the lexicon signals, the
/// lexicon's squashed score and the options that threshold it.
void stack_features(const std::array<float, 3>& probabilities, const LexiconSignals& signals,
                    float lexicon_score, const LexiconOptions& lexicon, float* out) noexcept;

/// How to fit the stacker.
struct StackerOptions {
  double l2 = 1e-3;           ///< L2 penalty on the (standardised) weights
  int iterations = 400;       ///< full-batch gradient steps
  double class_balance = 0.0; ///< 0: plain likelihood; 1: classes weighted n/(k n_c)
};

/// Multinomial logistic regression over standardised dense features.
struct Stacker {
  std::vector<float> mean;    ///< per feature
  std::vector<float> inv_std; ///< per feature
  std::vector<float> weights; ///< 3 x kStackFeatures, class-major
  std::array<float, 3> bias{{0.0f, 0.0f, 0.0f}};

  bool empty() const noexcept { return weights.empty(); }
  /// Class probabilities (indexed by SentimentLabel) of one feature row.
  void predict(const float* x, float* probabilities) const noexcept;

  /// The stacker as a JSON object (stored in the model file's metadata).
  nlohmann::json to_json() const;
  /// Reads to_json()'s output; `where` names the file in messages.
  static Result<Stacker> from_json(const nlohmann::json& j, const std::string& where);
};

/// Fits a stacker on rows `x` (n x kStackFeatures, row-major) with labels
/// `y` (SentimentLabel values). Deterministic.
Stacker fit_stacker(const std::vector<float>& x, const std::vector<int>& y,
                    const StackerOptions& options);

} // namespace supportnlp::models::detail
