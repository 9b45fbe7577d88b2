// The optional dense view of TextClassifier (ClassifierTrainOptions::
// dense_view): a compact sentence encoder learned from the training labels
// and a nearest-centroid scorer on its vectors. Its errors differ from the
// sparse n-gram SVM's (it sees paraphrases as close even without shared
// n-grams), so averaging the two views' probabilities beats either alone on
// BANKING77 (docs/training.md has the validation evidence).
#include "models/linear/classifier_impl.hpp"
#include "cpu/parallel_for.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>

namespace supportnlp::models {

using cpu::parallel_for;

void centroid_scores(const float* centroids, std::size_t k, std::size_t dim, const float* v,
                     float* out) noexcept {
  // One matrix-vector product: Eigen vectorises the dot products, which a
  // plain loop cannot (float sums may not be reordered without fast-math).
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const Matrix> c(centroids, static_cast<Eigen::Index>(k),
                                   static_cast<Eigen::Index>(dim));
  const Eigen::Map<const Eigen::VectorXf> x(v, static_cast<Eigen::Index>(dim));
  Eigen::Map<Eigen::VectorXf>(out, static_cast<Eigen::Index>(k)).noalias() = c * x;
}

bool encoder_shares_features(const features::NgramOptions& f) noexcept {
  return f.word_min_n == 1 && (f.word_max_n == 1 || f.word_max_n == 2) && f.entity_tokens &&
         f.punctuation && f.sublinear_tf && !f.char_across_words &&
         ((f.char_min_n == 0 && f.char_max_n == 0) ||
          (f.char_min_n >= 1 && f.char_min_n <= f.char_max_n));
}

bool same_features(const features::NgramOptions& a, const features::NgramOptions& b) noexcept {
  return a.buckets == b.buckets && a.word_min_n == b.word_min_n && a.word_max_n == b.word_max_n &&
         a.char_min_n == b.char_min_n && a.char_max_n == b.char_max_n &&
         a.char_across_words == b.char_across_words && a.entity_tokens == b.entity_tokens &&
         a.punctuation == b.punctuation && a.sublinear_tf == b.sublinear_tf && a.seed == b.seed;
}

Result<embed::StaticEncoder> train_dense_encoder(const std::vector<LabeledText>& data,
                                                 const std::string& oos_label,
                                                 const features::NgramOptions& features, int dim,
                                                 int threads, std::uint64_t seed) {
  embed::StaticEncoderTrainOptions o; // the shipped encoder's recipe but the dimension
  if (encoder_shares_features(features)) {
    // Hash the classifier's own n-grams, so prediction hands the features it
    // has already extracted to the encoder instead of featurizing again.
    o.word_ngrams = features.word_max_n;
    o.char_ngram_min = features.char_min_n;
    o.char_ngram_max = features.char_max_n;
    o.hash_buckets = features.buckets;
    o.hash_seed = features.seed;
  }
  o.dim = dim;
  o.threads = threads;
  o.seed = seed;
  for (const auto& e : data) {
    // Out-of-scope texts are not paraphrases of one another.
    if (!oos_label.empty() && e.label == oos_label) {
      o.corpus.push_back(e.text);
    } else {
      o.examples.push_back({e.text, e.label});
    }
  }
  return embed::StaticEncoder::train(o);
}

std::vector<float> label_centroids(const embed::StaticEncoder& encoder,
                                   const std::vector<LabeledText>& data,
                                   const std::vector<std::uint32_t>& label_of, std::size_t k,
                                   int threads) {
  const auto dim = static_cast<std::size_t>(encoder.dim());
  std::vector<float> vectors(data.size() * dim);
  parallel_for(data.size(), threads,
               [&](std::size_t i, int) { encoder.encode(data[i].text, vectors.data() + i * dim); });
  return centroids_of(vectors.data(), data.size(), dim, label_of, k);
}

std::vector<float> encode_all(const embed::Encoder& encoder, const std::vector<LabeledText>& data) {
  const auto dim = static_cast<std::size_t>(encoder.dim());
  std::vector<float> vectors(data.size() * dim);
  // Batches of 256: large enough for a transformer to pack texts by length
  // across its threads, small enough to keep the views of one batch cheap.
  constexpr std::size_t kBatch = 256;
  std::vector<std::string_view> texts;
  for (std::size_t from = 0; from < data.size(); from += kBatch) {
    const std::size_t to = std::min(data.size(), from + kBatch);
    texts.clear();
    for (std::size_t i = from; i < to; ++i)
      texts.emplace_back(data[i].text);
    encoder.encode_batch(texts, vectors.data() + from * dim);
  }
  return vectors;
}

std::vector<float> centroids_of(const float* vectors, std::size_t n, std::size_t dim,
                                const std::vector<std::uint32_t>& label_of, std::size_t k) {
  std::vector<double> sum(k * dim, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t d = 0; d < dim; ++d)
      sum[label_of[i] * dim + d] += vectors[i * dim + d];
  std::vector<float> centroids(k * dim, 0.0f);
  for (std::size_t j = 0; j < k; ++j) {
    double sq = 0;
    for (std::size_t d = 0; d < dim; ++d)
      sq += sum[j * dim + d] * sum[j * dim + d];
    if (sq <= 0) continue;
    const double inv = 1.0 / std::sqrt(sq);
    for (std::size_t d = 0; d < dim; ++d)
      centroids[j * dim + d] = static_cast<float>(sum[j * dim + d] * inv);
  }
  return centroids;
}

std::vector<float> centroid_cosines(const embed::StaticEncoder& encoder, const float* centroids,
                                    std::size_t k, const std::vector<LabeledText>& data,
                                    int threads) {
  const auto dim = static_cast<std::size_t>(encoder.dim());
  std::vector<float> out(data.size() * k);
  std::vector<std::vector<float>> buf(static_cast<std::size_t>(std::max(1, threads)),
                                      std::vector<float>(dim));
  parallel_for(data.size(), threads, [&](std::size_t i, int t) {
    float* v = buf[static_cast<std::size_t>(t)].data();
    encoder.encode(data[i].text, v);
    centroid_scores(centroids, k, dim, v, out.data() + i * k);
  });
  return out;
}

namespace {

double mean_nll(const std::vector<float>& scores, const std::vector<std::uint32_t>& gold,
                std::size_t k, double t) {
  double total = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    const float* s = scores.data() + i * k;
    const double mx = *std::max_element(s, s + k);
    double z = 0;
    for (std::size_t j = 0; j < k; ++j)
      z += std::exp((s[j] - mx) / t);
    total += -((s[gold[i]] - mx) / t - std::log(z));
  }
  return total / double(std::max<std::size_t>(1, gold.size()));
}

} // namespace

double fit_temperature(const std::vector<float>& scores, const std::vector<std::uint32_t>& gold,
                       std::size_t k, double lo_t, double hi_t) {
  if (gold.empty()) return 1.0;
  double lo = std::log(lo_t), hi = std::log(hi_t);
  const double phi = 0.6180339887498949;
  double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
  double fa = mean_nll(scores, gold, k, std::exp(a)), fb = mean_nll(scores, gold, k, std::exp(b));
  for (int it = 0; it < 60; ++it) {
    if (fa < fb) {
      hi = b, b = a, fb = fa, a = hi - phi * (hi - lo), fa = mean_nll(scores, gold, k, std::exp(a));
    } else {
      lo = a, a = b, fa = fb, b = lo + phi * (hi - lo), fb = mean_nll(scores, gold, k, std::exp(b));
    }
  }
  return std::exp(0.5 * (lo + hi));
}

void TextClassifier::Impl::keep_oos_share(float* dense, const float* sparse) const noexcept {
  if (oos < 0) return;
  const auto o = static_cast<std::size_t>(oos);
  const float rest = 1.0f - dense[o];
  const float scale = rest > 1e-12f ? (1.0f - sparse[o]) / rest : 0.0f;
  for (std::size_t j = 0; j < k; ++j)
    dense[j] *= scale;
  dense[o] = sparse[o];
}

void TextClassifier::Impl::mix_dense(const text::TokenizedText& tokens, bool encoded, float* probs,
                                     std::vector<float>& buf) const noexcept {
  const double m = metrics.dense_weight;
  const embed::Encoder* encoder = view_encoder();
  if (encoder == nullptr || dense_centroids == nullptr || !(m > 0)) return;
  if (!encoded) {
    try {
      buf.resize(dense_dim + k);
    } catch (...) {
      return; // no memory for the dense view: the n-gram view's answer stands
    }
    encoder->encode_tokens(tokens, buf.data());
  }
  float* v = buf.data();
  float* q = v + dense_dim;
  centroid_scores(dense_centroids, k, dense_dim, v, q);
  calibrate(q, metrics.dense_temperature);
  keep_oos_share(q, probs);
  const auto mf = static_cast<float>(m);
  for (std::size_t j = 0; j < k; ++j)
    probs[j] = (1.0f - mf) * probs[j] + mf * q[j];
}

} // namespace supportnlp::models
