#pragma once
// The library's one way of running work on several threads (training and
// other batch work; inference never starts threads). Each function calls
// back on the caller's thread as thread 0 and on up to threads - 1 new ones,
// and returns when all are done. An exception escaping `fn` terminates the
// process, as it would on any std::thread: catch inside `fn`.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace supportnlp::cpu {

/// Calls fn(t) for every t in [0, threads) (at least one call, t = 0), each
/// on its own thread, the caller's being t = 0.
template <class Fn> void run_threads(int threads, Fn fn) {
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(fn, t);
  fn(0);
  for (auto& th : pool)
    th.join();
}

/// Threads worth starting for n items when `threads` are allowed:
/// min(threads, n), at least one.
inline int threads_for(std::size_t n, int threads) noexcept {
  return static_cast<int>(
      std::max<std::size_t>(1, std::min(static_cast<std::size_t>(std::max(threads, 1)), n)));
}

/// Calls fn(i, t) for every i in [0, n) on min(threads, n) threads (at
/// least one), thread t taking i = t, t + threads, ... in increasing order —
/// so which thread handles an item depends only on n and threads, never on
/// timing.
template <class Fn> void parallel_for(std::size_t n, int threads, Fn fn) {
  const int used = threads_for(n, threads);
  run_threads(used, [&](int t) {
    for (std::size_t i = static_cast<std::size_t>(t); i < n; i += static_cast<std::size_t>(used))
      fn(i, t);
  });
}

/// Calls fn(i) for every i in [0, n) on min(threads, n) threads (at least
/// one), each thread taking the next unclaimed item when it is free: for
/// items of very different cost whose results do not depend on which
/// thread computed them (each writes only its own output slot).
template <class Fn> void parallel_for_any_order(std::size_t n, int threads, Fn fn) {
  const int used = threads_for(n, threads);
  std::atomic<std::size_t> next{0};
  run_threads(used, [&](int) {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;)
      fn(i);
  });
}

} // namespace supportnlp::cpu
