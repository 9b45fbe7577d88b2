#include "supportnlp/search/dense_index.hpp"

#include "search/batch_kernels.hpp"
#include "search/scan_kernels.hpp"

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

TEST_CASE("float32 index returns the exact top-k, best first", "[search]") {
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

TEST_CASE("batched search equals single searches", "[search]") {
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

TEST_CASE("int8 index keeps recall@10 above 0.95 against float32", "[search]") {
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

TEST_CASE("SIMD scoring kernels equal the scalar reference", "[search]") {
  using namespace supportnlp::search::detail;
  INFO("kernels: " << kernel_isa());
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> code(-127, 127);
  for (int dim : {1, 15, 16, 31, 33, 64, 100, 128, 256, 384, 400}) {
    for (std::size_t n : {1u, 2u, 5u, 9u}) {
      std::vector<std::int8_t> rows(n * dim);
      for (auto& c : rows)
        c = static_cast<std::int8_t>(code(rng));
      std::vector<float> scales(n, 0.01f);
      std::vector<std::int8_t> q8(dim);
      std::vector<std::int16_t> q16(dim);
      std::vector<float> qf(dim);
      for (int j = 0; j < dim; ++j)
        qf[j] = q16[j] = q8[j] = static_cast<std::int8_t>(code(rng));
      const QueryI8 query{q8.data(), q16.data(), 0.5f};
      std::vector<float> ref(n), got(n);
      score_i8_reference(rows.data(), scales.data(), n, dim, query, ref.data());
      best_score_i8()(rows.data(), scales.data(), n, dim, query, got.data());
      for (std::size_t i = 0; i < n; ++i)
        CHECK(got[i] == ref[i]); // integer sums: exact
      score_f32q_reference(rows.data(), scales.data(), n, dim, qf.data(), ref.data());
      best_score_f32q()(rows.data(), scales.data(), n, dim, qf.data(), got.data());
      for (std::size_t i = 0; i < n; ++i)
        CHECK(got[i] == Approx(ref[i]).epsilon(1e-5));
      if (auto f32 = best_score_f32()) {
        std::vector<float> rf(rows.begin(), rows.end());
        score_f32_reference(rf.data(), n, dim, qf.data(), ref.data());
        f32(rf.data(), n, dim, qf.data(), got.data());
        for (std::size_t i = 0; i < n; ++i)
          CHECK(got[i] == Approx(ref[i]).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("int8 with re-ranking returns the float32 top-k exactly", "[search]") {
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

TEST_CASE("batch float32 kernel equals the scalar reference", "[search]") {
  using namespace supportnlp::search::detail;
  const auto kernel = best_score_batch_f32();
  if (!kernel) return; // no SIMD batch kernel on this CPU: Eigen is used
  INFO("kernels: " << kernel_isa() << ", batch width " << batch_f32_width());
  std::mt19937 rng(9);
  std::normal_distribution<float> g;
  for (int dim : {1, 7, 64, 100, 256, 384}) {
    for (std::size_t n : {1u, 5u, 6u, 13u}) {
      for (std::size_t nq : {1u, 16u, 33u, 64u}) {
        const std::size_t w = batch_f32_width(), ldq = (nq + w - 1) / w * w;
        std::vector<float> rows(n * dim), qt(std::size_t(dim) * ldq, 0.0f);
        for (auto& x : rows)
          x = g(rng);
        for (int j = 0; j < dim; ++j)
          for (std::size_t c = 0; c < nq; ++c)
            qt[j * ldq + c] = g(rng);
        std::vector<float> ref(n * ldq), got(n * ldq);
        score_batch_f32_reference(rows.data(), n, dim, qt.data(), ldq, ref.data());
        kernel(rows.data(), n, dim, qt.data(), ldq, got.data());
        for (std::size_t i = 0; i < n * ldq; ++i)
          CHECK(got[i] == Approx(ref[i]).margin(1e-4));
      }
    }
  }
}

TEST_CASE("batch int8 kernel equals the scalar reference exactly", "[search]") {
  using namespace supportnlp::search::detail;
  const auto kernel = best_score_batch_i8();
  if (!kernel) return; // no VNNI: the per-query int8 kernels are used
  std::mt19937 rng(10);
  std::uniform_int_distribution<int> code(-127, 127);
  for (int dim : {4, 8, 64, 100, 256, 384}) {
    for (std::size_t n : {1u, 5u, 6u, 13u}) {
      for (std::size_t nq : {1u, 32u, 33u, 64u}) {
        const std::size_t ldq = (nq + kBatchI8Width - 1) / kBatchI8Width * kBatchI8Width;
        std::vector<std::int8_t> rows(n * dim);
        for (auto& x : rows)
          x = static_cast<std::int8_t>(code(rng));
        std::vector<float> scales(n), qscales(ldq, 0.0f);
        for (auto& x : scales)
          x = 0.001f * float(1 + code(rng) % 50);
        std::vector<std::uint8_t> qp(std::size_t(dim) * ldq, 128);
        for (std::size_t c = 0; c < nq; ++c) {
          qscales[c] = 0.002f * float(1 + c);
          for (int j = 0; j < dim; ++j)
            qp[(std::size_t(j / 4) * ldq + c) * 4 + j % 4] =
                static_cast<std::uint8_t>(code(rng) + 128);
        }
        std::vector<float> ref(n * ldq), got(n * ldq);
        score_batch_i8_reference(rows.data(), scales.data(), n, dim, qp.data(), qscales.data(), ldq,
                                 ref.data());
        kernel(rows.data(), scales.data(), n, dim, qp.data(), qscales.data(), ldq, got.data());
        for (std::size_t i = 0; i < n * ldq; ++i)
          CHECK(got[i] == ref[i]); // integer sums, same float scaling
      }
    }
  }
}

TEST_CASE("batches wider than one register tile equal single searches", "[search]") {
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
