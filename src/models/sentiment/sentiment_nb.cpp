// NB-LR view of the learned sentiment model: binary hashed n-grams, scaled
// per class by naive-Bayes log-count ratios, under a multinomial logistic
// regression fitted by AdaGrad. Texts are L2-normalised (1 / sqrt(features))
// so the learning rate does not depend on text length.
#include "models/sentiment/sentiment_nb.hpp"
#include "models/linear/ngram_options_json.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace supportnlp::models::detail {
namespace {

constexpr std::size_t kClasses = 3;

void softmax3(float* z) noexcept {
  const float mx = std::max({z[0], z[1], z[2]});
  float total = 0.0f;
  for (std::size_t c = 0; c < kClasses; ++c) {
    z[c] = std::exp(z[c] - mx);
    total += z[c];
  }
  for (std::size_t c = 0; c < kClasses; ++c)
    z[c] /= total;
}

std::size_t block_count(std::uint32_t buckets) {
  return (static_cast<std::size_t>(buckets) + NbView::kNbBlock - 1) / NbView::kNbBlock;
}

} // namespace

void NbView::probabilities(std::string_view input, NbScratch& s, float* out) const noexcept {
  tokenizer.tokenize(input, s.tokens);
  probabilities(s.tokens, s.features, out);
}

void NbView::logits(std::string_view input, NbScratch& s, float* out) const noexcept {
  tokenizer.tokenize(input, s.tokens);
  logits(s.tokens, s.features, out);
}

void NbView::probabilities(const text::TokenizedText& input_tokens, features::SparseFeatures& f,
                           float* out) const noexcept {
  logits(input_tokens, f, out);
  // Temperature scaling: three divisions, no pass over the features.
  for (std::size_t c = 0; c < kClasses; ++c)
    out[c] /= temperature;
  softmax3(out);
}

void NbView::logits(const text::TokenizedText& input_tokens, features::SparseFeatures& f,
                    float* out) const noexcept {
  extractor.extract(input_tokens, f, false);
  float z[kClasses] = {0.0f, 0.0f, 0.0f};
  const std::int8_t* w = weights();
  const float* scale = scales();
  const std::size_t n = f.size();
  // The rows are scattered over megabytes: fetch a few features ahead.
  constexpr std::size_t kAhead = 8;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n)
      __builtin_prefetch(w + static_cast<std::size_t>(f.index[i + kAhead]) * kClasses);
    const std::uint32_t j = f.index[i];
    const float sc = scale[j / kNbBlock];
    const std::int8_t* row = w + static_cast<std::size_t>(j) * kClasses;
    for (std::size_t c = 0; c < kClasses; ++c)
      z[c] += sc * static_cast<float>(row[c]);
  }
  const float x = n ? 1.0f / std::sqrt(static_cast<float>(n)) : 0.0f;
  for (std::size_t c = 0; c < kClasses; ++c)
    out[c] = z[c] * x + bias[c];
}

nlohmann::json NbView::to_json() const {
  // The temperature is a field older libraries ignore (they read the same
  // argmax, uncalibrated), so the view stays version 1.
  return {{"version", 1},
          {"features", detail::ngram_options_json(features)},
          {"bias", bias},
          {"temperature", temperature}};
}

void NbView::add_tensors(io::ModelWriter& writer) const {
  const auto buckets = static_cast<std::int64_t>(features.buckets);
  writer.add_tensor("nb_weights", io::DType::i8, {buckets, static_cast<std::int64_t>(kClasses)},
                    weights(), static_cast<std::size_t>(buckets) * kClasses);
  const std::size_t blocks = block_count(features.buckets);
  writer.add_tensor("nb_scales", io::DType::f32, {static_cast<std::int64_t>(blocks)}, scales(),
                    blocks * sizeof(float));
}

Result<NbView> NbView::load(const nlohmann::json& j, const io::ModelFile& file,
                            const std::string& where) {
  NbView v;
  io::detail::FieldReader r(j, where, "sentiment.nb.");
  const int version = r.integer<int>("version", 0, std::numeric_limits<int>::max());
  if (r.ok() && version != 1)
    return make_error(ErrorCode::unsupported_version, where + ": NB-LR view version " +
                                                          std::to_string(version) +
                                                          " is not 1 (this library's)");
  v.features = detail::ngram_options_from_json(r.object("features"));
  if (const nlohmann::json* b = r.raw("bias");
      b == nullptr || !b->is_array() || b->size() != kClasses) {
    r.fail("bias", "must be an array of " + std::to_string(kClasses) + " numbers");
  } else {
    for (std::size_t c = 0; c < kClasses; ++c) {
      const auto& x = (*b)[c];
      // JSON has no NaN or infinity; a value beyond a trained model's bound
      // is refused too (it would overflow the scores).
      if (!x.is_number() || !(std::fabs(x.get<double>()) <= io::detail::kMaxTrainedValue)) {
        r.fail("bias", "entry " + std::to_string(c) + " is " +
                           (x.is_number() ? x.dump() : io::detail::FieldReader::type_of(x)) +
                           ", expected a number within ±" +
                           nlohmann::json(io::detail::kMaxTrainedValue).dump());
        break;
      }
      v.bias[c] = static_cast<float>(x.get<double>());
    }
  }
  if (r.has("temperature")) v.temperature = static_cast<float>(r.number("temperature", 1e-3, 1e3));
  if (!r.ok()) return r.error();
  if (v.features.buckets == 0)
    return make_error(ErrorCode::corrupt, where + ": NB-LR view has no buckets");
  auto w = file.require("nb_weights", io::DType::i8, 2);
  if (!w) return w.error();
  auto sc = file.require("nb_scales", io::DType::f32, 1);
  if (!sc) return sc.error();
  const auto& ws = w.value()->shape;
  if (ws[0] != static_cast<std::int64_t>(v.features.buckets) ||
      ws[1] != static_cast<std::int64_t>(kClasses) ||
      sc.value()->shape[0] != static_cast<std::int64_t>(block_count(v.features.buckets)))
    return make_error(ErrorCode::corrupt, where + ": NB-LR tensors do not match its bucket count");
  // Per-block scales: finite and positive (the writer uses 1 for an all-zero block).
  if (auto f = io::detail::check_trained(file, *sc.value(), 0.0f, true); !f) return f.error();
  v.extractor = features::NgramExtractor(v.features);
  v.file = file;
  v.file_weights = w.value()->as<std::int8_t>();
  v.file_scales = sc.value()->as<float>();
  return v;
}

NbView fit_nb_view(const std::vector<std::string>& texts, const std::vector<int>& y,
                   const SentimentNbOptions& o, std::uint64_t seed) {
  NbView v;
  v.features = o.features;
  v.extractor = features::NgramExtractor(o.features);
  v.features = v.extractor.options(); // after clamping
  const std::size_t buckets = v.features.buckets;
  const std::size_t n = texts.size();

  // Unique buckets of every text.
  std::vector<std::size_t> offset{0};
  std::vector<std::uint32_t> col;
  {
    NbScratch s;
    for (const auto& t : texts) {
      v.tokenizer.tokenize(t, s.tokens);
      v.extractor.extract(s.tokens, s.features, false);
      col.insert(col.end(), s.features.index.begin(), s.features.index.end());
      offset.push_back(col.size());
    }
  }

  // Per-class document frequencies and log-count ratios.
  std::vector<float> count(buckets * kClasses, 0.0f);
  std::array<double, kClasses> class_total{}, class_n{};
  for (std::size_t i = 0; i < n; ++i) {
    class_n[y[i]] += 1;
    for (std::size_t k = offset[i]; k < offset[i + 1]; ++k)
      count[col[k] * kClasses + y[i]] += 1.0f;
    class_total[y[i]] += static_cast<double>(offset[i + 1] - offset[i]);
  }
  std::size_t seen = 0;
  for (std::size_t j = 0; j < buckets; ++j)
    seen += count[j * kClasses] + count[j * kClasses + 1] + count[j * kClasses + 2] > 0;
  const double all_total = class_total[0] + class_total[1] + class_total[2];
  const double a = o.alpha, av = o.alpha * static_cast<double>(seen);
  std::vector<float> ratio(buckets * kClasses, 0.0f);
  for (std::size_t j = 0; j < buckets; ++j) {
    const float* cj = &count[j * kClasses];
    const double all = double(cj[0]) + cj[1] + cj[2];
    if (all == 0) continue;
    for (std::size_t c = 0; c < kClasses; ++c) {
      const double in = (a + cj[c]) / (av + class_total[c]);
      const double out = (a + all - cj[c]) / (av + all_total - class_total[c]);
      ratio[j * kClasses + c] = static_cast<float>(std::log(in / out));
    }
  }
  count.clear();
  count.shrink_to_fit();

  std::array<float, kClasses> class_weight{};
  for (std::size_t c = 0; c < kClasses; ++c)
    class_weight[c] =
        class_n[c] > 0
            ? static_cast<float>(std::pow(double(n) / (kClasses * class_n[c]), o.class_balance))
            : 1.0f;

  // AdaGrad on the multinomial likelihood with per-occurrence L2, once per
  // bag (each its own shuffling); the bags' weights are averaged, which
  // evens out the order-dependence of a few SGD epochs at no inference cost.
  const int bags = std::max(1, o.bags);
  std::vector<float> w(buckets * kClasses), g2(buckets * kClasses);
  std::vector<float> w_sum(buckets * kClasses, 0.0f);
  std::array<float, kClasses> b{}, gb{}, b_sum{};
  std::vector<std::size_t> order(n);
  const auto lr = static_cast<float>(o.learning_rate);
  const auto l2 = static_cast<float>(o.l2);
  for (int bag = 0; bag < bags; ++bag) {
    std::fill(w.begin(), w.end(), 0.0f);
    std::fill(g2.begin(), g2.end(), 0.0f);
    b = {};
    gb = {};
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 rng(seed + static_cast<std::uint64_t>(bag) * 0x9E3779B97F4A7C15ull);
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      for (const std::size_t i : order) {
        const std::size_t from = offset[i], to = offset[i + 1];
        if (from == to) continue;
        const float x = 1.0f / std::sqrt(static_cast<float>(to - from));
        float z[kClasses] = {0.0f, 0.0f, 0.0f};
        for (std::size_t k = from; k < to; ++k) {
          const std::size_t base = static_cast<std::size_t>(col[k]) * kClasses;
          for (std::size_t c = 0; c < kClasses; ++c)
            z[c] += w[base + c] * ratio[base + c];
        }
        for (std::size_t c = 0; c < kClasses; ++c)
          z[c] = z[c] * x + b[c];
        softmax3(z);
        float g[kClasses];
        for (std::size_t c = 0; c < kClasses; ++c)
          g[c] = class_weight[y[i]] * (z[c] - (static_cast<int>(c) == y[i] ? 1.0f : 0.0f));
        for (std::size_t c = 0; c < kClasses; ++c) {
          gb[c] += g[c] * g[c];
          b[c] -= lr * g[c] / (std::sqrt(gb[c]) + 1e-8f);
        }
        for (std::size_t k = from; k < to; ++k) {
          const std::size_t base = static_cast<std::size_t>(col[k]) * kClasses;
          for (std::size_t c = 0; c < kClasses; ++c) {
            const float grad = g[c] * x * ratio[base + c] + l2 * w[base + c];
            g2[base + c] += grad * grad;
            w[base + c] -= lr * grad / (std::sqrt(g2[base + c]) + 1e-8f);
          }
        }
      }
    }

    for (std::size_t k = 0; k < w.size(); ++k)
      w_sum[k] += w[k];
    for (std::size_t c = 0; c < kClasses; ++c)
      b_sum[c] += b[c];
  }

  // Average the bags, fold the ratios into the weights and quantise per block.
  for (std::size_t k = 0; k < w.size(); ++k)
    w[k] = w_sum[k] * ratio[k] / static_cast<float>(bags);
  for (std::size_t c = 0; c < kClasses; ++c)
    b[c] = b_sum[c] / static_cast<float>(bags);
  const std::size_t blocks = block_count(v.features.buckets);
  v.owned_weights.assign(buckets * kClasses, 0);
  v.owned_scales.assign(blocks, 0.0f);
  for (std::size_t blk = 0; blk < blocks; ++blk) {
    const std::size_t from = blk * NbView::kNbBlock * kClasses;
    const std::size_t to = std::min(w.size(), from + NbView::kNbBlock * kClasses);
    float mx = 0.0f;
    for (std::size_t k = from; k < to; ++k)
      mx = std::max(mx, std::fabs(w[k]));
    const float scale = mx > 0.0f ? mx / 127.0f : 1.0f;
    v.owned_scales[blk] = scale;
    for (std::size_t k = from; k < to; ++k)
      v.owned_weights[k] = static_cast<std::int8_t>(std::lround(w[k] / scale));
  }
  v.bias = b;
  return v;
}

} // namespace supportnlp::models::detail
