#pragma once
// Checks that a search's results in ResultOrder::any are exactly those of the
// same search best first, in some order.

#include "search/top_k.hpp"
#include "supportnlp/search/dense_index.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

namespace supportnlp::search::testing {

inline void check_same_results(const std::vector<ScoredId>& sorted, std::vector<ScoredId> any) {
  REQUIRE(any.size() == sorted.size());
  std::sort(any.begin(), any.end(), detail::Better{});
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    CHECK(any[i].id == sorted[i].id);
    CHECK(any[i].score == sorted[i].score);
  }
}

} // namespace supportnlp::search::testing
