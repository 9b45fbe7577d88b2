// Which tickets topic discovery looks at by default (docs/topics.md, "Which
// tickets"): the threshold's value and how it was chosen are documented on
// TopicSelection, and so is the neighbourhood check.
#include "supportnlp/search/topics.hpp"

#include "supportnlp/search/dense_index.hpp"

#include <algorithm>

namespace supportnlp::search {

bool select_for_topics(bool out_of_scope, double queue_confidence,
                       const TopicSelection& selection) noexcept {
  // Written so that a NaN confidence (no answer) selects the ticket.
  return out_of_scope || !(queue_confidence >= selection.max_confidence);
}

std::vector<char> confirm_selection(const float* vectors, std::size_t n, int dim,
                                    const std::vector<char>& picked,
                                    const TopicSelection& selection) {
  std::vector<char> out = picked;
  if (!(selection.min_unsure_neighbors > 0) || picked.size() != n || dim < 1 ||
      selection.neighbors == 0)
    return out;
  const auto d = static_cast<std::size_t>(dim);
  auto usable = [&](std::size_t i) {
    const float* v = vectors + i * d;
    float s = 0.0f;
    for (std::size_t j = 0; j < d; ++j)
      s += v[j] * v[j];
    return s > 0.25f;
  };
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i)
    if (usable(i)) rows.push_back(i);
  // The tickets searched: all, or an even-stride sample of max_reference.
  std::vector<std::size_t> reference;
  const std::size_t cap = std::max<std::size_t>(2, selection.max_reference);
  if (rows.size() <= cap) {
    reference = rows;
  } else {
    for (std::size_t r = 0; r < cap; ++r)
      reference.push_back(rows[r * rows.size() / cap]);
  }
  std::vector<float> ref(reference.size() * d);
  for (std::size_t r = 0; r < reference.size(); ++r)
    std::copy(vectors + reference[r] * d, vectors + (reference[r] + 1) * d,
              ref.begin() + static_cast<std::ptrdiff_t>(r * d));
  DenseIndex index(dim, {VectorStorage::f32});
  index.add(ref.data(), reference.size());

  std::vector<std::size_t> queries;
  for (std::size_t i : rows)
    if (picked[i]) queries.push_back(i);
  const std::size_t k = selection.neighbors;
  constexpr std::size_t kBatch = 256;
  std::vector<float> q;
  std::vector<std::vector<ScoredId>> hits;
  for (std::size_t b = 0; b < queries.size(); b += kBatch) {
    const std::size_t nq = std::min(kBatch, queries.size() - b);
    q.resize(nq * d);
    for (std::size_t j = 0; j < nq; ++j)
      std::copy(vectors + queries[b + j] * d, vectors + (queries[b + j] + 1) * d,
                q.begin() + static_cast<std::ptrdiff_t>(j * d));
    index.search_batch(q.data(), nq, static_cast<int>(k + 1), hits);
    for (std::size_t j = 0; j < nq; ++j) {
      const std::size_t i = queries[b + j];
      std::size_t seen = 0, unsure = 0;
      for (const ScoredId& h : hits[j]) {
        const std::size_t row = reference[h.id];
        if (row == i || seen == k) continue; // itself is not its own neighbour
        ++seen;
        unsure += picked[row] ? 1 : 0;
      }
      if (seen > 0 &&
          static_cast<double>(unsure) < selection.min_unsure_neighbors * static_cast<double>(seen))
        out[i] = 0;
    }
  }
  return out;
}

} // namespace supportnlp::search
