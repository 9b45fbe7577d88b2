// Internal: a static round-robin parallel loop for training code.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace supportnlp::models::detail {

/// Calls fn(i, t) for every i in [0, n) on min(threads, n) threads, thread t
/// taking i = t, t + threads, ... — so which thread handles an item depends
/// only on n and threads, never on timing.
template <class Fn> void parallel_for(std::size_t n, int threads, Fn fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n)));
  if (threads == 1) {
    for (std::size_t i = 0; i < n; ++i)
      fn(i, 0);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < n;
           i += static_cast<std::size_t>(threads))
        fn(i, t);
    });
  for (auto& th : pool)
    th.join();
}

} // namespace supportnlp::models::detail
