// Stacking stage of the learned sentiment model: dense features from the
// classifier and the lexicon, and a multinomial logistic regression over them
// fitted by full-batch gradient descent with momentum (20 features, three
// classes: a second per fit even for tens of thousands of rows).
#include "models/sentiment/sentiment_stacker.hpp"

#include <algorithm>
#include <cmath>

namespace supportnlp::models::detail {

const std::array<const char*, kStackFeatures>& stack_feature_names() noexcept {
  static const std::array<const char*, kStackFeatures> names{{
      "clf_logp_negative", "clf_logp_neutral",   "clf_logp_positive",
      "clf_polarity",      "lex_score",          "lex_sum",
      "lex_positive",      "lex_negative",       "lex_positive_hits",
      "lex_negative_hits", "lex_negated_hits",   "lex_negated",
      "lex_emoji",         "lex_bare_negations", "lex_contrasts",
      "exclamation",       "question",           "lex_label_negative",
      "lex_label_neutral", "lex_label_positive",
  }};
  return names;
}

void stack_features(const std::array<float, 3>& p, const LexiconSignals& s, float score,
                    const LexiconOptions& lexicon, float* out) noexcept {
  for (int c = 0; c < 3; ++c)
    out[c] = std::log(std::max(p[c], 1e-6f));
  out[3] = p[2] - p[0];
  out[4] = score;
  out[5] = std::clamp(s.sum, -12.0f, 12.0f);
  out[6] = std::min(s.positive, 12.0f);
  out[7] = std::max(s.negative, -12.0f);
  out[8] = static_cast<float>(std::min(s.positive_hits, 4));
  out[9] = static_cast<float>(std::min(s.negative_hits, 4));
  out[10] = static_cast<float>(std::min(s.negated_hits, 3));
  out[11] = std::clamp(s.negated, -8.0f, 8.0f);
  out[12] = std::clamp(s.emoji, -8.0f, 8.0f);
  out[13] = static_cast<float>(std::min(s.bare_negations, 3));
  out[14] = static_cast<float>(std::min(s.contrasts, 2));
  out[15] = s.exclamations > 0 ? 1.0f : 0.0f;
  out[16] = s.questions > 0 ? 1.0f : 0.0f;
  const int label = score <= lexicon.negative_threshold   ? 0
                    : score >= lexicon.positive_threshold ? 2
                                                          : 1;
  for (int c = 0; c < 3; ++c)
    out[17 + c] = label == c ? 1.0f : 0.0f;
}

void Stacker::predict(const float* x, float* probabilities) const noexcept {
  if (empty()) {
    probabilities[0] = probabilities[2] = 0.0f;
    probabilities[1] = 1.0f;
    return;
  }
  float z[3];
  for (int c = 0; c < 3; ++c) {
    float s = bias[c];
    const float* w = weights.data() + static_cast<std::size_t>(c) * kStackFeatures;
    for (std::size_t f = 0; f < kStackFeatures; ++f)
      s += w[f] * (x[f] - mean[f]) * inv_std[f];
    z[c] = s;
  }
  const float mx = std::max({z[0], z[1], z[2]});
  float total = 0.0f;
  for (int c = 0; c < 3; ++c) {
    z[c] = std::exp(z[c] - mx);
    total += z[c];
  }
  for (int c = 0; c < 3; ++c)
    probabilities[c] = z[c] / total;
}

nlohmann::json Stacker::to_json() const {
  nlohmann::json names = nlohmann::json::array();
  for (const char* n : stack_feature_names())
    names.push_back(n);
  return {{"version", 1},       {"features", names},  {"mean", mean},
          {"inv_std", inv_std}, {"weights", weights}, {"bias", bias}};
}

Result<Stacker> Stacker::from_json(const nlohmann::json& j, const std::string& where) {
  auto bad = [&](const std::string& what) {
    return make_error(ErrorCode::corrupt, where + ": sentiment stacker " + what);
  };
  if (!j.is_object()) return bad("is not an object");
  // value(key, default) would throw on a version of another type.
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<std::int64_t>() != 1)
    return make_error(ErrorCode::unsupported_version,
                      where + ": sentiment stacker version " +
                          (version == j.end() ? std::string("(missing)") : version->dump()) +
                          " is not supported by this library (version 1)");
  Stacker s;
  try {
    const auto names = j.at("features").get<std::vector<std::string>>();
    if (names.size() != kStackFeatures) return bad("has the wrong number of features");
    for (std::size_t f = 0; f < kStackFeatures; ++f)
      if (names[f] != stack_feature_names()[f]) return bad("feature '" + names[f] + "' is unknown");
    s.mean = j.at("mean").get<std::vector<float>>();
    s.inv_std = j.at("inv_std").get<std::vector<float>>();
    s.weights = j.at("weights").get<std::vector<float>>();
    s.bias = j.at("bias").get<std::array<float, 3>>();
  } catch (const std::exception& e) {
    return bad(std::string("metadata is malformed: ") + e.what());
  }
  if (s.mean.size() != kStackFeatures || s.inv_std.size() != kStackFeatures ||
      s.weights.size() != 3 * kStackFeatures)
    return bad("has arrays of the wrong size");
  for (const auto* values : {&s.mean, &s.inv_std, &s.weights})
    for (float v : *values)
      if (!std::isfinite(v)) return bad("has a non-finite weight, mean or scale");
  for (float v : s.bias)
    if (!std::isfinite(v)) return bad("has a non-finite bias");
  return s;
}

Stacker fit_stacker(const std::vector<float>& x, const std::vector<int>& y,
                    const StackerOptions& options) {
  constexpr std::size_t d = kStackFeatures;
  const std::size_t n = y.size();
  Stacker s;
  s.mean.assign(d, 0.0f);
  s.inv_std.assign(d, 1.0f);
  s.weights.assign(3 * d, 0.0f);
  if (n == 0) return s;
  std::vector<double> mean(d, 0.0), var(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f)
      mean[f] += x[i * d + f];
  for (auto& m : mean)
    m /= double(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) {
      const double v = x[i * d + f] - mean[f];
      var[f] += v * v;
    }
  std::vector<float> z(n * d); // standardised rows
  for (std::size_t f = 0; f < d; ++f) {
    const double sd = std::sqrt(var[f] / double(n));
    s.mean[f] = static_cast<float>(mean[f]);
    s.inv_std[f] = sd > 1e-6 ? static_cast<float>(1.0 / sd) : 0.0f;
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f)
      z[i * d + f] = (x[i * d + f] - s.mean[f]) * s.inv_std[f];

  // Example weights: optionally pull classes towards equal total weight.
  std::array<double, 3> count{{0, 0, 0}};
  for (int label : y)
    count[static_cast<std::size_t>(label)] += 1;
  std::array<double, 3> cw{{1, 1, 1}};
  for (int c = 0; c < 3; ++c)
    if (count[c] > 0) cw[c] = std::pow(double(n) / (3.0 * count[c]), options.class_balance);
  double total_weight = 0;
  for (int label : y)
    total_weight += cw[static_cast<std::size_t>(label)];

  std::vector<double> w(3 * d, 0.0), b(3, 0.0), vw(3 * d, 0.0), vb(3, 0.0);
  std::vector<double> gw(3 * d), gb(3);
  const double lr = 0.5, momentum = 0.9;
  for (int it = 0; it < options.iterations; ++it) {
    std::fill(gw.begin(), gw.end(), 0.0);
    std::fill(gb.begin(), gb.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const float* row = z.data() + i * d;
      double logit[3];
      for (int c = 0; c < 3; ++c) {
        double v = b[c];
        for (std::size_t f = 0; f < d; ++f)
          v += w[c * d + f] * row[f];
        logit[c] = v;
      }
      const double mx = std::max({logit[0], logit[1], logit[2]});
      double total = 0;
      for (double& v : logit) {
        v = std::exp(v - mx);
        total += v;
      }
      const double weight = cw[static_cast<std::size_t>(y[i])] / total_weight;
      for (int c = 0; c < 3; ++c) {
        const double g = (logit[c] / total - (y[i] == c ? 1.0 : 0.0)) * weight;
        gb[c] += g;
        for (std::size_t f = 0; f < d; ++f)
          gw[c * d + f] += g * row[f];
      }
    }
    for (std::size_t k = 0; k < 3 * d; ++k) {
      vw[k] = momentum * vw[k] - lr * (gw[k] + options.l2 * w[k]);
      w[k] += vw[k];
    }
    for (int c = 0; c < 3; ++c) {
      vb[c] = momentum * vb[c] - lr * gb[c];
      b[c] += vb[c];
    }
  }
  for (std::size_t k = 0; k < 3 * d; ++k)
    s.weights[k] = static_cast<float>(w[k]);
  for (int c = 0; c < 3; ++c)
    s.bias[c] = static_cast<float>(b[c]);
  return s;
}

} // namespace supportnlp::models::detail
