// Discriminative refinement of the language identifier's naive-Bayes gains
// (LanguageTrainOptions::refine_epochs). Naive Bayes counts every feature
// as independent evidence, so features shared by close languages (bs/hr,
// id/ms, nb/nn/da) are counted many times over; a perceptron over training
// sentences and their short fragments moves the stored gains of the
// confused languages apart. Only gains the table already lists change, so
// the file keeps its size and layout.
#include "text/language_identifier_impl.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace supportnlp::text::langid {

std::vector<std::uint8_t> refine_gains(const LanguageIdentifier::Impl& m,
                                       const std::vector<std::string_view>& texts,
                                       const std::vector<std::uint8_t>& labels,
                                       const LanguageTrainOptions& opt) {
  std::size_t n_pairs = 0;
  for (const auto& t : m.file.tensors())
    if (t.name == "pairs") n_pairs = static_cast<std::size_t>(t.elements()) / 2;
  std::vector<std::uint8_t> out(m.pairs, m.pairs + 2 * n_pairs);
  // Gains in quantisation steps; `sum` accumulates the updates weighted by
  // the step at which they were made, so that the average over all steps is
  // gain - sum / steps (the averaged perceptron without a copy per step).
  std::vector<float> gain(n_pairs);
  std::vector<double> sum(n_pairs, 0.0);
  for (std::size_t p = 0; p < n_pairs; ++p)
    gain[p] = out[2 * p + 1];
  // A fixed shuffle (Fisher-Yates with a 64-bit Mersenne Twister, whose
  // sequence the standard fixes), so that languages are interleaved.
  std::vector<std::uint32_t> order(texts.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(13);
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng() % i]);

  const std::size_t L = m.languages.size();
  TextFeatures f;
  std::vector<std::uint64_t> found; // pair index of the first pair, count, order
  std::vector<float> score(L);
  const auto rate = static_cast<float>(opt.refine_rate);
  const auto margin = static_cast<float>(opt.refine_margin);
  double step = 0;
  for (int epoch = 0; epoch < opt.refine_epochs; ++epoch) {
    for (std::uint32_t i : order) {
      step += 1;
      extract(texts[i], m.features, f);
      int dominant = -1;
      const ScriptCandidates* cand = m.candidates(f, dominant);
      if (!cand || cand->languages.size() < 2 || f.letters == 0) continue;
      const std::uint8_t truth = labels[i];
      if (std::find(cand->languages.begin(), cand->languages.end(), truth) == cand->languages.end())
        continue;
      // The score of inference (raw_scores), with the gains in floats; the
      // part every language shares (the base gains) is left out.
      std::int64_t count[kOrders] = {};
      found.clear();
      const std::size_t n = std::min(f.hashes.size(), LanguageIdentifier::Impl::kMaxFeatures);
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint64_t x = f.hashes[k];
        ++count[x & 7];
        std::uint32_t v = 0;
        if (probe(m.table, m.buckets, x, v)) found.push_back(v | ((x & 7) << 32));
      }
      for (std::uint8_t l : cand->languages) {
        float s = m.prior[l];
        for (int o = 0; o < kOrders; ++o)
          s += m.order_weight[static_cast<std::size_t>(o)] * static_cast<float>(count[o]) *
               m.unseen[static_cast<std::size_t>(o) * L + l];
        score[l] = s;
      }
      for (std::uint64_t x : found) {
        const auto v = static_cast<std::uint32_t>(x);
        const float w = m.order_weight[x >> 32] * kStep;
        const auto base = static_cast<float>(value_base(v));
        const std::size_t first = value_first(v), end = first + value_pairs(v);
        for (std::size_t p = first; p < end; ++p)
          score[out[2 * p]] += w * (gain[p] - base);
      }
      float rival_score = -INFINITY;
      std::uint8_t rival = truth;
      for (std::uint8_t l : cand->languages)
        if (l != truth && score[l] > rival_score) {
          rival_score = score[l];
          rival = l;
        }
      if (score[truth] - rival_score >= margin) continue;
      const double t = step;
      for (std::uint64_t x : found) {
        const auto v = static_cast<std::uint32_t>(x);
        const float d = rate * m.order_weight[x >> 32];
        const std::size_t first = value_first(v), end = first + value_pairs(v);
        for (std::size_t p = first; p < end; ++p) {
          const std::uint8_t l = out[2 * p];
          const float u = l == truth ? d : l == rival ? -d : 0.0f;
          gain[p] += u;
          sum[p] += t * static_cast<double>(u);
        }
      }
    }
  }
  for (std::size_t p = 0; p < n_pairs; ++p) {
    const double avg = step > 0 ? gain[p] - sum[p] / step : gain[p];
    out[2 * p + 1] = static_cast<std::uint8_t>(std::clamp(std::floor(avg + 0.5), 0.0, 255.0));
  }
  return out;
}

} // namespace supportnlp::text::langid
