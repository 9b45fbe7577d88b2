#include "supportnlp/search/dense_index.hpp"

#include "same_results.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include <unistd.h>

using namespace supportnlp::search;

namespace {

std::vector<float> random_unit(std::size_t n, int dim, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  std::vector<float> v(n * static_cast<std::size_t>(dim));
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0;
    for (int j = 0; j < dim; ++j)
      s += (v[i * dim + j] = g(rng)) * v[i * dim + j];
    s = std::sqrt(s);
    for (int j = 0; j < dim; ++j)
      v[i * dim + j] /= s;
  }
  return v;
}

// Brute-force reference top-k in double precision.
std::vector<std::uint32_t> exact_top(const std::vector<float>& rows, int dim, const float* q,
                                     int k) {
  const std::size_t n = rows.size() / dim;
  std::vector<std::pair<double, std::uint32_t>> s(n);
  for (std::size_t i = 0; i < n; ++i) {
    double d = 0;
    for (int j = 0; j < dim; ++j)
      d += double(rows[i * dim + j]) * q[j];
    s[i] = {-d, std::uint32_t(i)};
  }
  std::sort(s.begin(), s.end());
  std::vector<std::uint32_t> ids;
  for (int i = 0; i < k && i < int(n); ++i)
    ids.push_back(s[i].second);
  return ids;
}

std::string temp_path(const char* name) {
  return std::string("/tmp/supportnlp_search_test_") + name + "_" + std::to_string(::getpid());
}

} // namespace

TEST_CASE("float32 index returns the exact top-k, best first", "[search][kernels]") {
  const int dim = 48;
  auto rows = random_unit(5000, dim, 1);
  auto queries = random_unit(5, dim, 2);
  DenseIndex index(dim);
  index.add(rows.data(), 5000);
  REQUIRE(index.size() == 5000);
  std::vector<ScoredId> out;
  for (int qi = 0; qi < 5; ++qi) {
    index.search(&queries[qi * dim], 10, out);
    REQUIRE(out.size() == 10);
    auto ref = exact_top(rows, dim, &queries[qi * dim], 10);
    for (int i = 0; i < 10; ++i)
      CHECK(out[i].id == ref[i]);
    for (int i = 1; i < 10; ++i)
      CHECK(out[i - 1].score >= out[i].score);
  }
}

TEST_CASE("batched search equals single searches", "[search][kernels]") {
  for (auto storage : {VectorStorage::f32, VectorStorage::i8}) {
    for (auto qp : {QueryPrecision::i8, QueryPrecision::f32}) {
      const int dim = 40; // not a multiple of the SIMD width: tails are exercised
      auto rows = random_unit(3000, dim, 3);
      auto queries = random_unit(7, dim, 4);
      DenseIndex index(dim, {storage, qp});
      index.add(rows.data(), 3000);
      std::vector<std::vector<ScoredId>> batch;
      index.search_batch(queries.data(), 7, 5, batch);
      REQUIRE(batch.size() == 7);
      std::vector<ScoredId> single;
      for (int qi = 0; qi < 7; ++qi) {
        index.search(&queries[qi * dim], 5, single);
        REQUIRE(batch[qi].size() == single.size());
        for (std::size_t i = 0; i < single.size(); ++i) {
          CHECK(batch[qi][i].id == single[i].id);
          CHECK(batch[qi][i].score == Approx(single[i].score).margin(1e-5));
        }
      }
    }
  }
}

TEST_CASE("int8 index keeps recall@10 above 0.95 against float32", "[search][kernels]") {
  const int dim = 128;
  auto rows = random_unit(20000, dim, 5);
  auto queries = random_unit(20, dim, 6);
  DenseIndex f(dim), q(dim, {VectorStorage::i8, QueryPrecision::i8});
  f.add(rows.data(), 20000);
  q.add(rows.data(), 20000);
  CHECK(q.memory_bytes() * 3 < f.memory_bytes());
  std::size_t found = 0;
  std::vector<ScoredId> a, b;
  for (int i = 0; i < 20; ++i) {
    f.search(&queries[i * dim], 10, a);
    q.search(&queries[i * dim], 10, b);
    for (auto& x : a)
      found += std::count_if(b.begin(), b.end(), [&](const ScoredId& y) { return y.id == x.id; });
  }
  CHECK(double(found) / 200.0 >= 0.95);
}

TEST_CASE("int8 with re-ranking returns the float32 top-k exactly", "[search][kernels]") {
  const int dim = 64;
  auto rows = random_unit(20000, dim, 21);
  auto queries = random_unit(10, dim, 22);
  DenseIndex f(dim), r(dim, {VectorStorage::i8, QueryPrecision::i8, 8});
  f.add(rows.data(), 20000);
  r.add(rows.data(), 20000);
  std::vector<ScoredId> a, b;
  std::vector<std::vector<ScoredId>> batch;
  r.search_batch(queries.data(), 10, 10, batch);
  for (int i = 0; i < 10; ++i) {
    f.search(&queries[i * dim], 10, a);
    r.search(&queries[i * dim], 10, b);
    REQUIRE(a.size() == b.size());
    for (std::size_t j = 0; j < a.size(); ++j) {
      CHECK(a[j].id == b[j].id);
      CHECK(a[j].score == Approx(b[j].score).margin(1e-5));
      CHECK(batch[i][j].id == b[j].id);
    }
  }
  const std::string path = temp_path("rerank");
  REQUIRE(r.save(path).ok());
  auto loaded = DenseIndex::load(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->options().rerank == 8);
  loaded->search(&queries[0], 10, b);
  f.search(&queries[0], 10, a);
  CHECK(a[0].id == b[0].id);
  std::remove(path.c_str());
}

TEST_CASE("dense index edge cases give defined results", "[search]") {
  DenseIndex index(8);
  std::vector<ScoredId> out{{1, 1.0f}};
  std::vector<float> q(8, 0.5f);
  index.search(q.data(), 5, out);
  CHECK(out.empty()); // empty index
  std::vector<float> rows(3 * 8, 0.1f);
  rows[0] = std::nanf("");
  index.add(rows.data(), 3);
  index.search(q.data(), 0, out);
  CHECK(out.empty()); // k = 0
  index.search(q.data(), 10, out);
  CHECK(out.size() == 3); // k > size
  q[1] = INFINITY;
  index.search(q.data(), 10, out);
  CHECK(out.size() == 3); // non-finite query components are ignored
  for (auto& h : out)
    CHECK(std::isfinite(h.score));
}

TEST_CASE("remove_rows renumbers the remaining rows", "[search]") {
  const int dim = 16;
  auto rows = random_unit(10, dim, 9);
  DenseIndex index(dim);
  index.add(rows.data(), 10);
  DenseIndex copy = index; // copy-on-write: the copy keeps all rows
  index.remove_rows({0, 3});
  CHECK(index.size() == 8);
  CHECK(copy.size() == 10);
  std::vector<ScoredId> out;
  index.search(&rows[4 * dim], 1, out); // row 4 is now id 2
  REQUIRE(out.size() == 1);
  CHECK(out[0].id == 2);
  copy.search(&rows[4 * dim], 1, out);
  CHECK(out[0].id == 4);
}

TEST_CASE("dense index round-trips through a memory-mapped file", "[search]") {
  for (auto storage : {VectorStorage::f32, VectorStorage::i8}) {
    const int dim = 32;
    auto rows = random_unit(500, dim, 11);
    DenseIndex index(dim, {storage});
    index.add(rows.data(), 500);
    const std::string path = temp_path("dense");
    REQUIRE(index.save(path).ok());
    auto loaded = DenseIndex::load(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->size() == 500);
    CHECK(loaded->options().storage == storage);
    std::vector<ScoredId> a, b;
    index.search(&rows[7 * dim], 5, a);
    loaded->search(&rows[7 * dim], 5, b);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      CHECK(a[i].id == b[i].id);
    // Modifying the loaded index copies the mapped rows first.
    loaded.value().add(rows.data(), 1);
    CHECK(loaded->size() == 501);
    std::remove(path.c_str());
  }
}

TEST_CASE("a corrupt or truncated index file is rejected with an error", "[search]") {
  const int dim = 16;
  auto rows = random_unit(100, dim, 12);
  DenseIndex index(dim);
  index.add(rows.data(), 100);
  const std::string path = temp_path("corrupt");
  REQUIRE(index.save(path).ok());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size() / 2));
  }
  auto truncated = DenseIndex::load(path);
  REQUIRE_FALSE(truncated.ok());
  CHECK_FALSE(truncated.error().message.empty());
  bytes[bytes.size() - 100] ^= 0x55;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
  }
  auto flipped = DenseIndex::load(path);
  REQUIRE_FALSE(flipped.ok());
  CHECK_FALSE(DenseIndex::load(path + ".missing").ok());
  std::remove(path.c_str());
}

TEST_CASE("batches wider than one register tile equal single searches", "[search][kernels]") {
  const int dim = 96;
  const std::size_t n = 2003, nq = 70; // partial row group and query panel
  auto rows = random_unit(n, dim, 31);
  auto queries = random_unit(nq, dim, 32);
  for (auto storage : {VectorStorage::f32, VectorStorage::i8}) {
    DenseIndex index(dim, {storage, QueryPrecision::i8});
    index.add(rows.data(), n);
    std::vector<std::vector<ScoredId>> batch;
    index.search_batch(queries.data(), nq, 10, batch);
    REQUIRE(batch.size() == nq);
    std::vector<ScoredId> single;
    for (std::size_t qi = 0; qi < nq; ++qi) {
      index.search(&queries[qi * dim], 10, single);
      REQUIRE(batch[qi].size() == single.size());
      for (std::size_t i = 0; i < single.size(); ++i) {
        CHECK(batch[qi][i].id == single[i].id);
        CHECK(batch[qi][i].score == Approx(single[i].score).margin(1e-5));
      }
    }
  }
}

TEST_CASE("stored rows are exposed, aligned, and equal what was added", "[search]") {
  const int dim = 33;
  auto rows = random_unit(100, dim, 41);
  DenseIndex f(dim), q(dim, {VectorStorage::i8}),
      r(dim, {VectorStorage::i8, QueryPrecision::i8, 2});
  CHECK(f.float_rows() == nullptr);
  f.add(rows.data(), 100);
  q.add(rows.data(), 100);
  r.add(rows.data(), 100);
  REQUIRE(f.float_rows() != nullptr);
  CHECK(reinterpret_cast<std::uintptr_t>(f.float_rows()) % 64 == 0);
  CHECK(std::equal(rows.begin(), rows.end(), f.float_rows()));
  CHECK(f.int8_codes() == nullptr);
  CHECK(q.float_rows() == nullptr);
  REQUIRE(q.int8_codes() != nullptr);
  CHECK(reinterpret_cast<std::uintptr_t>(q.int8_codes()) % 64 == 0);
  std::vector<std::int8_t> codes(dim);
  quantize_i8(rows.data() + 5 * dim, dim, codes.data());
  CHECK(std::equal(codes.begin(), codes.end(), q.int8_codes() + 5 * dim));
  CHECK(r.float_rows() != nullptr);
  CHECK(r.int8_codes() != nullptr);
  // A modified copy gets its own storage; the original's view is unchanged.
  DenseIndex g = f;
  g.remove_rows({0});
  CHECK(std::equal(rows.begin(), rows.end(), f.float_rows()));
  CHECK(std::equal(rows.begin() + dim, rows.end(), g.float_rows()));
}

TEST_CASE("ResultOrder::any returns the same top-k, unsorted", "[search]") {
  // k of 100 out of 120, 300 and 5000 rows: the selection path of a KB's
  // candidate pool and the heap path. Sorted back, the same ids and scores.
  const int dim = 32;
  const auto queries = random_unit(4, dim, 8);
  for (const std::size_t n : {std::size_t(120), std::size_t(300), std::size_t(5000)}) {
    auto rows = random_unit(n, dim, 7);
    DenseIndex index(dim);
    index.add(rows.data(), n);
    std::vector<ScoredId> sorted, any;
    for (int qi = 0; qi < 4; ++qi) {
      index.search(&queries[qi * dim], 100, sorted);
      index.search(&queries[qi * dim], 100, any, ResultOrder::any);
      testing::check_same_results(sorted, any);
    }
  }
}
