#pragma once
// Partial top-k selection with a bounded heap: keeps the k best (score, id)
// pairs seen so far, best = higher score, then lower id, so results are
// deterministic. NaN scores are never kept.

#include "supportnlp/search/dense_index.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace supportnlp::search::detail {

inline bool better(const ScoredId& a, const ScoredId& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

class TopK {
public:
  /// Starts a selection of at most k items in `heap` (cleared, reused).
  TopK(std::vector<ScoredId>& heap, int k) : heap_(heap), k_(k > 0 ? std::size_t(k) : 0) {
    heap_.clear();
  }
  /// Offers scores[0..n) for ids base..base+n-1.
  void offer(const float* scores, std::size_t n, std::uint32_t base) {
    if (k_ == 0) return;
    std::size_t i = 0;
    for (; i < n && heap_.size() < k_; ++i)
      push(ScoredId{base + std::uint32_t(i), scores[i]});
    float threshold = heap_.empty() ? 0.0f : heap_.front().score;
    for (; i < n; ++i) {
      if (!(scores[i] >= threshold)) continue; // also rejects NaN
      const ScoredId c{base + std::uint32_t(i), scores[i]};
      if (!better(c, heap_.front())) continue;
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), better);
      threshold = heap_.front().score;
    }
  }
  /// Offers one item.
  void offer(const ScoredId& c) {
    if (k_ == 0 || c.score != c.score) return;
    if (heap_.size() < k_) {
      push(c);
    } else if (better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  /// Sorts the kept items best first.
  void finish() { std::sort_heap(heap_.begin(), heap_.end(), better); }

private:
  void push(const ScoredId& c) {
    if (c.score != c.score) return;
    heap_.push_back(c);
    std::push_heap(heap_.begin(), heap_.end(), better);
  }
  std::vector<ScoredId>& heap_;
  std::size_t k_;
};

} // namespace supportnlp::search::detail
