// The text test of drift: can a classifier tell current tickets from
// reference ones? Logistic regression on hashed word 1-2-grams and in-word
// character 3-5-grams (L2-normalised, sublinear tf), trained by SGD with L2
// regularisation and balanced class weights; the AUC of its out-of-fold
// scores over stratified folds. With no real difference the out-of-fold AUC
// stays near 0.5 however flexible the model is, because every score comes
// from a model that never saw that ticket.
#include "drift_internal.hpp"

#include "supportnlp/features/ngrams.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <algorithm>
#include <cmath>

namespace supportnlp::insights::drift_detail {

namespace {

constexpr std::uint32_t kBuckets = 1u << 18;
constexpr int kEpochs = 8;
constexpr double kLambda = 1e-4; // L2 strength per example
constexpr double kRate = 0.5;    // initial step; decays as 1 / (1 + t / n)

struct Example {
  std::vector<std::uint32_t> index;
  std::vector<float> value;
  std::uint8_t label = 0;
};

// Deterministic sample of at most `limit` items (partial Fisher-Yates).
std::vector<const std::string*> sample(std::vector<const std::string*> items, std::size_t limit,
                                       Random& rng) {
  if (items.size() <= limit) return items;
  for (std::size_t i = 0; i < limit; ++i)
    std::swap(items[i], items[i + rng.below(items.size() - i)]);
  items.resize(limit);
  return items;
}

// Logistic regression w . x + b by SGD; w = scale * v so the L2 decay of
// every weight costs O(1) per step (Bottou's trick).
class Logistic {
public:
  Logistic() : v_(kBuckets, 0.0f) {}

  void train(const std::vector<const Example*>& data, Random& rng) {
    std::fill(v_.begin(), v_.end(), 0.0f);
    scale_ = 1;
    bias_ = 0;
    double pos = 0;
    for (const auto* e : data)
      pos += e->label;
    const double n = double(data.size());
    const double w_pos = pos > 0 ? n / (2 * pos) : 1, w_neg = pos < n ? n / (2 * (n - pos)) : 1;
    std::vector<const Example*> order = data;
    double t = 0;
    for (int epoch = 0; epoch < kEpochs; ++epoch) {
      for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
      for (const auto* e : order) {
        const double rate = kRate / (1 + t / n);
        t += 1;
        const double margin = score(*e);
        const double p = 1 / (1 + std::exp(-margin));
        const double g = (p - double(e->label)) * (e->label ? w_pos : w_neg);
        scale_ *= 1 - rate * kLambda;
        if (scale_ < 1e-6) rescale();
        const double step = rate * g / scale_;
        for (std::size_t k = 0; k < e->index.size(); ++k)
          v_[e->index[k]] -= static_cast<float>(step * e->value[k]);
        bias_ -= rate * g;
      }
    }
  }

  double score(const Example& e) const {
    double s = 0;
    for (std::size_t k = 0; k < e.index.size(); ++k)
      s += double(v_[e.index[k]]) * e.value[k];
    return s * scale_ + bias_;
  }

private:
  void rescale() {
    for (auto& x : v_)
      x = static_cast<float>(x * scale_);
    scale_ = 1;
  }
  std::vector<float> v_;
  double scale_ = 1, bias_ = 0;
};

// The share of each period's texts scoring above the reference's 95th
// percentile. A new issue that is a small share of the current traffic
// barely moves the AUC (at most 0.5 + share / 2 however well it is told
// apart), but its tickets land in the reference's top 5%. The cut is taken
// in each fold among that fold's reference scores: the folds' models put
// their scores on different scales, and one pooled cut would take its tail
// mostly from the fold with the highest offset. The z-test's p-value is
// optimistic on traffic full of near-duplicates (a ticket whose twin is in
// the training folds with the same label scores high), so the test also
// needs an effect and a number of tickets (DriftOptions).
void tail_shares(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels,
                 const std::vector<int>& fold, int folds, DomainAuc& out) {
  double n[2] = {0, 0}, above[2] = {0, 0};
  std::vector<double> ref;
  for (int k = 0; k < folds; ++k) {
    ref.clear();
    for (std::size_t i = 0; i < scores.size(); ++i)
      if (fold[i] == k && !labels[i]) ref.push_back(scores[i]);
    if (ref.empty()) continue;
    std::sort(ref.begin(), ref.end());
    const double cut =
        ref[std::min(ref.size() - 1, static_cast<std::size_t>(0.95 * double(ref.size())))];
    for (std::size_t i = 0; i < scores.size(); ++i)
      if (fold[i] == k) {
        n[labels[i]] += 1;
        above[labels[i]] += scores[i] > cut;
      }
  }
  if (n[0] == 0 || n[1] == 0) return;
  out.reference_tail = above[0] / n[0];
  out.current_tail = above[1] / n[1];
  const double pooled = (above[0] + above[1]) / (n[0] + n[1]);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n[0] + 1 / n[1]));
  const double z = se > 0 ? (out.current_tail - out.reference_tail) / se : 0.0;
  out.tail_p_value = se > 0 ? 0.5 * std::erfc(z / std::sqrt(2.0)) : 1.0;
}

} // namespace

DomainAuc domain_classifier_auc(const std::vector<const std::string*>& reference,
                                const std::vector<const std::string*>& current,
                                const DriftOptions& options) {
  Random rng(options.seed ^ 0xD0A1Full);
  const auto ref = sample(reference, options.max_texts, rng);
  const auto cur = sample(current, options.max_texts, rng);
  DomainAuc out;
  out.reference_n = ref.size();
  out.current_n = cur.size();
  const int folds = std::max(2, options.folds);
  if (ref.size() < std::size_t(folds) || cur.size() < std::size_t(folds)) return out;

  features::NgramOptions fo;
  fo.buckets = kBuckets;
  fo.word_min_n = 1;
  fo.word_max_n = 2;
  fo.char_min_n = 3;
  fo.char_max_n = 5;
  const features::NgramExtractor extractor(fo);
  const text::Tokenizer tokenizer;
  text::TokenizedText tokens;
  features::SparseFeatures f;
  std::vector<Example> examples;
  examples.reserve(ref.size() + cur.size());
  for (int label = 0; label < 2; ++label)
    for (const auto* s : label ? cur : ref) {
      tokenizer.tokenize(*s, tokens);
      extractor.extract(tokens, f);
      features::weight_features(f, nullptr, true);
      Example e;
      e.index = f.index;
      e.value = f.value;
      e.label = static_cast<std::uint8_t>(label);
      examples.push_back(std::move(e));
    }

  // Stratified folds: each class shuffled and dealt round-robin.
  std::vector<int> fold(examples.size(), 0);
  for (int label = 0; label < 2; ++label) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (examples[i].label == label) idx.push_back(i);
    for (std::size_t i = idx.size(); i > 1; --i)
      std::swap(idx[i - 1], idx[rng.below(i)]);
    for (std::size_t i = 0; i < idx.size(); ++i)
      fold[idx[i]] = int(i % std::size_t(folds));
  }

  std::vector<double> scores(examples.size(), 0.0);
  std::vector<std::uint8_t> labels(examples.size(), 0);
  Logistic model;
  for (int k = 0; k < folds; ++k) {
    std::vector<const Example*> train;
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (fold[i] != k) train.push_back(&examples[i]);
    model.train(train, rng);
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (fold[i] == k) scores[i] = model.score(examples[i]);
  }
  for (std::size_t i = 0; i < examples.size(); ++i)
    labels[i] = examples[i].label;
  out.auc = roc_auc(scores, labels);
  out.p_value = auc_p_value(scores, labels);
  tail_shares(scores, labels, fold, folds, out);
  return out;
}

} // namespace supportnlp::insights::drift_detail
