// The one thread loop: every item once, on the thread the round-robin rule
// names, whatever the thread count.
#include <catch2/catch.hpp>

#include "cpu/parallel_for.hpp"

#include <atomic>
#include <thread>
#include <vector>

using supportnlp::cpu::parallel_for;
using supportnlp::cpu::parallel_for_any_order;
using supportnlp::cpu::run_threads;

TEST_CASE("parallel_for visits every item once, item i on thread i % threads", "[cpu]") {
  for (std::size_t n : {0u, 1u, 3u, 10u, 1000u}) {
    for (int threads : {-1, 0, 1, 2, 3, 8, 64}) {
      std::vector<std::atomic<int>> visits(n);
      std::vector<int> thread_of(n, -1);
      const int used = std::max(1, std::min<int>(threads, static_cast<int>(n)));
      parallel_for(n, threads, [&](std::size_t i, int t) {
        visits[i].fetch_add(1);
        thread_of[i] = t;
      });
      INFO("n " << n << ", threads " << threads);
      for (std::size_t i = 0; i < n; ++i) {
        CHECK(visits[i].load() == 1);
        CHECK(thread_of[i] == static_cast<int>(i % static_cast<std::size_t>(used)));
      }
    }
  }
}

TEST_CASE("run_threads runs index 0 on the caller and each index once", "[cpu]") {
  const auto caller = std::this_thread::get_id();
  for (int threads : {0, 1, 4}) {
    std::vector<std::atomic<int>> calls(static_cast<std::size_t>(std::max(threads, 1)));
    std::thread::id first;
    run_threads(threads, [&](int t) {
      calls[static_cast<std::size_t>(t)].fetch_add(1);
      if (t == 0) first = std::this_thread::get_id();
    });
    for (auto& c : calls)
      CHECK(c.load() == 1);
    CHECK(first == caller);
  }
}

TEST_CASE("parallel_for_any_order visits every item once", "[cpu]") {
  for (std::size_t n : {0u, 1u, 7u, 1000u}) {
    for (int threads : {0, 1, 3, 16}) {
      std::vector<std::atomic<int>> visits(n);
      parallel_for_any_order(n, threads, [&](std::size_t i) { visits[i].fetch_add(1); });
      INFO("n " << n << ", threads " << threads);
      for (std::size_t i = 0; i < n; ++i)
        CHECK(visits[i].load() == 1);
    }
  }
}
