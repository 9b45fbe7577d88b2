#pragma once
// Partial top-k selection with a bounded heap: keeps the k best (score, id)
// pairs seen so far, best = higher score, then lower id, so results are
// deterministic. NaN scores are never kept.

#include "supportnlp/search/dense_index.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

namespace supportnlp::search::detail {

inline bool better(const ScoredId& a, const ScoredId& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}
/// better() as a function object: heap and sort calls given a function
/// pointer did not inline it, and the calls showed in KB search profiles.
struct Better {
  bool operator()(const ScoredId& a, const ScoredId& b) const { return better(a, b); }
};

class TopK {
public:
  /// Starts a selection of at most k items in `heap` (cleared, reused).
  TopK(std::vector<ScoredId>& heap, int k) : heap_(heap), k_(k > 0 ? std::size_t(k) : 0) {
    heap_.clear();
  }
  /// Offers scores[0..n) for ids base..base+n-1.
  void offer(const float* scores, std::size_t n, std::uint32_t base) {
    if (k_ == 0) return;
    if (heap_.empty() && n > k_ && n <= 4 * k_) {
      // Few items per kept one (a KB's passages with a large candidate
      // pool): selecting beats a heap update per item.
      for (std::size_t i = 0; i < n; ++i)
        if (scores[i] == scores[i]) heap_.push_back(ScoredId{base + std::uint32_t(i), scores[i]});
      if (heap_.size() > k_) {
        std::nth_element(heap_.begin(), heap_.begin() + std::ptrdiff_t(k_ - 1), heap_.end(),
                         Better{});
        heap_.resize(k_);
      }
      std::make_heap(heap_.begin(), heap_.end(), Better{});
      return;
    }
    std::size_t i = 0;
    for (; i < n && heap_.size() < k_; ++i)
      push(ScoredId{base + std::uint32_t(i), scores[i]});
    float threshold = heap_.empty() ? 0.0f : heap_.front().score;
    for (; i < n; ++i) {
      if (!(scores[i] >= threshold)) continue; // also rejects NaN
      const ScoredId c{base + std::uint32_t(i), scores[i]};
      if (!better(c, heap_.front())) continue;
      std::pop_heap(heap_.begin(), heap_.end(), Better{});
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), Better{});
      threshold = heap_.front().score;
    }
  }
  /// Offers one item.
  void offer(const ScoredId& c) {
    if (k_ == 0 || c.score != c.score) return;
    if (heap_.size() < k_) {
      push(c);
    } else if (better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better{});
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), Better{});
    }
  }
  /// Lowest score that can still enter: -inf until k items are kept. An item
  /// scoring below it is never kept, so callers may skip offering it.
  float threshold() const {
    return heap_.size() < k_ || k_ == 0 ? -std::numeric_limits<float>::infinity()
                                        : heap_.front().score;
  }
  /// Sorts the kept items best first.
  void finish() { std::sort(heap_.begin(), heap_.end(), Better{}); }

private:
  void push(const ScoredId& c) {
    if (c.score != c.score) return;
    heap_.push_back(c);
    std::push_heap(heap_.begin(), heap_.end(), Better{});
  }
  std::vector<ScoredId>& heap_;
  std::size_t k_;
};

/// Offers a batch's row-major score block, scores[i * ld + c] for row
/// base + i and query c < tops.size(), to each query's selection. Rows are
/// first compared with all queries' thresholds at once (a loop the compiler
/// vectorizes); only the rare row that beats some threshold is offered. A
/// column-by-column pass cost a strided load and a branch per score, a
/// quarter of an int8 batch's time.
inline void offer_block(const float* scores, std::size_t n, std::size_t ld, std::uint32_t base,
                        std::vector<TopK>& tops, std::vector<float>& thresholds) {
  const std::size_t nq = tops.size();
  thresholds.resize(nq);
  for (std::size_t c = 0; c < nq; ++c)
    thresholds[c] = tops[c].threshold();
  const float* thr = thresholds.data();
  for (std::size_t i = 0; i < n; ++i) {
    const float* row = scores + i * ld;
    int any = 0;
    for (std::size_t c = 0; c < nq; ++c)
      any |= row[c] >= thr[c];
    if (!any) continue;
    for (std::size_t c = 0; c < nq; ++c) {
      if (!(row[c] >= thr[c])) continue;
      tops[c].offer(ScoredId{base + std::uint32_t(i), row[c]});
      thresholds[c] = tops[c].threshold();
    }
  }
}

/// Keeps the k best of `items` (NaN scores dropped), sorted best first unless
/// `order` is ResultOrder::any: selection then a sort of the k, cheaper than
/// a heap update per item when all items are at hand.
inline void select_top(std::vector<ScoredId>& items, int k,
                       ResultOrder order = ResultOrder::best_first) {
  items.erase(std::remove_if(items.begin(), items.end(),
                             [](const ScoredId& c) { return c.score != c.score; }),
              items.end());
  const std::size_t kk = k > 0 ? std::size_t(k) : 0;
  if (items.size() > kk) {
    if (kk > 0)
      std::nth_element(items.begin(), items.begin() + std::ptrdiff_t(kk - 1), items.end(),
                       Better{});
    items.resize(kk);
  }
  if (order == ResultOrder::best_first) std::sort(items.begin(), items.end(), Better{});
}

} // namespace supportnlp::search::detail
