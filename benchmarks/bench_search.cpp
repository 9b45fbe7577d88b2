// Exact top-10 inner-product search over random unit vectors, one thread:
// DenseIndex float32 and int8 (query int8 or float), single query and batches
// of 64, beside FAISS IndexFlatIP on the same data and the machine's
// streaming read bandwidth measured in this binary.
//
// Counters:
//   read_bw_fraction  bytes of vectors scanned per second / streaming read
//                     bandwidth of the same shape (best BM_StreamRead over
//                     that shape's float32 matrix)
//   speedup_vs_f32    DenseIndex float32 time / this benchmark's time
//   vs_faiss          FAISS IndexFlatIP time / this benchmark's time (> 1: faster)
//   recall@10         overlap of int8 top-10 with float32 top-10 (64 queries)
#include "supportnlp/search/dense_index.hpp"

#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <omp.h>

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <memory>
#include <random>

using supportnlp::search::DenseIndex;
using supportnlp::search::DenseIndexOptions;
using supportnlp::search::QueryPrecision;
using supportnlp::search::ScoredId;
using supportnlp::search::VectorStorage;

namespace {

constexpr int kTopK = 10;
constexpr int kBatch = 64;

struct Shape {
  std::size_t rows;
  int dim;
};
const Shape kShapes[] = {{1000000, 256}, {100000, 384}};

// Random unit vectors (Gaussian directions), generated once per shape.
struct Data {
  std::vector<float> rows;
  std::vector<float> queries; // kBatch queries
  std::unique_ptr<DenseIndex> f32, i8, i8_fq, i8_rerank;
  std::unique_ptr<faiss::IndexFlatIP> faiss;
  std::vector<std::vector<ScoredId>> exact; // f32 top-10 of each query
  // Mean seconds per query (single) and per batch, filled as benchmarks run.
  double f32_single = 0, f32_batch = 0, faiss_single = 0, faiss_batch = 0;
};

void fill_unit(std::vector<float>& v, std::size_t n, int dim, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g;
  v.resize(n * static_cast<std::size_t>(dim));
  for (std::size_t i = 0; i < n; ++i) {
    float* r = v.data() + i * dim;
    double s = 0;
    for (int j = 0; j < dim; ++j) {
      r[j] = g(rng);
      s += double(r[j]) * r[j];
    }
    const float inv = static_cast<float>(1.0 / std::sqrt(s));
    for (int j = 0; j < dim; ++j)
      r[j] *= inv;
  }
}

Data& data(int shape) {
  static std::map<int, std::unique_ptr<Data>> cache;
  auto& d = cache[shape];
  if (d) return *d;
  d = std::make_unique<Data>();
  const Shape s = kShapes[shape];
  fill_unit(d->rows, s.rows, s.dim, 42 + shape);
  fill_unit(d->queries, kBatch, s.dim, 4242 + shape);
  d->f32 = std::make_unique<DenseIndex>(s.dim);
  d->f32->add(d->rows.data(), s.rows);
  d->i8 =
      std::make_unique<DenseIndex>(s.dim, DenseIndexOptions{VectorStorage::i8, QueryPrecision::i8});
  d->i8->add(d->rows.data(), s.rows);
  d->i8_fq = std::make_unique<DenseIndex>(
      s.dim, DenseIndexOptions{VectorStorage::i8, QueryPrecision::f32});
  d->i8_fq->add(d->rows.data(), s.rows);
  d->i8_rerank = std::make_unique<DenseIndex>(
      s.dim, DenseIndexOptions{VectorStorage::i8, QueryPrecision::i8, /*rerank=*/4});
  d->i8_rerank->add(d->rows.data(), s.rows);
  d->f32->search_batch(d->queries.data(), kBatch, kTopK, d->exact);
  return *d;
}

// Streaming read bandwidth per shape (bytes per second, from BM_StreamRead
// over that shape's float32 matrix): a scan is compared with a plain read of
// the same bytes, so working-set effects (TLB reach, cache) apply to both.
double g_read_bandwidth[2] = {0, 0};

double recall(const Data& d, const std::vector<std::vector<ScoredId>>& got) {
  std::size_t found = 0, total = 0;
  for (std::size_t q = 0; q < d.exact.size(); ++q) {
    for (const auto& e : d.exact[q])
      found += std::count_if(got[q].begin(), got[q].end(),
                             [&](const ScoredId& x) { return x.id == e.id; });
    total += d.exact[q].size();
  }
  return total ? double(found) / total : 0.0;
}

void label(benchmark::State& state, int shape) {
  state.SetLabel(std::to_string(kShapes[shape].rows) + "x" + std::to_string(kShapes[shape].dim));
}

// CPU time of this thread: the machine is shared, and wall time would
// charge other processes' time slices to the benchmark.
double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

template <class Fn> double timed(benchmark::State& state, Fn&& fn) {
  const double start = thread_seconds();
  std::int64_t iters = 0;
  for (auto _ : state) {
    fn(iters);
    ++iters;
  }
  return (thread_seconds() - start) / double(std::max<std::int64_t>(iters, 1));
}

#if defined(__x86_64__)
// Sum with four independent AVX2 accumulators: the fastest plain read of the
// matrix found on the test machine (Eigen's baseline SSE2 sum is slower).
__attribute__((target("avx2"))) float sum_avx2(const float* x, std::size_t n) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a0 = _mm256_add_ps(a0, _mm256_loadu_ps(x + i));
    a1 = _mm256_add_ps(a1, _mm256_loadu_ps(x + i + 8));
    a2 = _mm256_add_ps(a2, _mm256_loadu_ps(x + i + 16));
    a3 = _mm256_add_ps(a3, _mm256_loadu_ps(x + i + 24));
  }
  alignas(32) float t[8];
  _mm256_store_ps(t, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  float s = 0;
  for (float v : t)
    s += v;
  for (; i < n; ++i)
    s += x[i];
  return s;
}
#endif

// Streaming read bandwidth: sum of the float32 matrix (range(1) = 0: Eigen,
// the baseline vectorization; 1: AVX2). The best of the two per shape is
// the reference for read_bw_fraction.
void BM_StreamRead(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0));
  Data& d = data(shape);
  Eigen::Map<const Eigen::VectorXf> all(d.rows.data(), static_cast<Eigen::Index>(d.rows.size()));
  const double secs = timed(state, [&](std::int64_t) {
#if defined(__x86_64__)
    if (state.range(1) == 1) {
      benchmark::DoNotOptimize(sum_avx2(d.rows.data(), d.rows.size()));
      return;
    }
#endif
    benchmark::DoNotOptimize(all.sum());
  });
  const double bytes = double(d.rows.size() * sizeof(float));
  g_read_bandwidth[shape] = std::max(g_read_bandwidth[shape], bytes / secs);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  label(state, shape);
}

// kind: 0 = float32, 1 = int8 (int8 query), 2 = int8 (float query),
// 3 = int8 scan + exact float re-ranking of the best 4k
DenseIndex& pick(Data& d, int kind) {
  return kind == 0 ? *d.f32 : kind == 1 ? *d.i8 : kind == 2 ? *d.i8_fq : *d.i8_rerank;
}
// Bytes the scan reads: the float rows of a re-ranking index are only
// touched for the few candidates.
double scanned_bytes(const DenseIndex& index) {
  const double cells = double(index.size()) * index.dim();
  return index.options().storage == VectorStorage::f32 ? cells * 4 : cells + 4.0 * index.size();
}

void BM_DenseSingle(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0)), kind = static_cast<int>(state.range(1));
  Data& d = data(shape);
  DenseIndex& index = pick(d, kind);
  const int dim = kShapes[shape].dim;
  std::vector<ScoredId> out;
  const double per_query = timed(state, [&](std::int64_t i) {
    index.search(d.queries.data() + (i % kBatch) * dim, kTopK, out);
    benchmark::DoNotOptimize(out.data());
  });
  if (kind == 0) d.f32_single = per_query;
  const double bytes = scanned_bytes(index);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kShapes[shape].rows));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  if (g_read_bandwidth[shape] > 0)
    state.counters["read_bw_fraction"] = bytes / per_query / g_read_bandwidth[shape];
  if (d.f32_single > 0) state.counters["speedup_vs_f32"] = d.f32_single / per_query;
  if (kind != 0) {
    std::vector<std::vector<ScoredId>> got(kBatch);
    for (int q = 0; q < kBatch; ++q)
      index.search(d.queries.data() + q * dim, kTopK, got[q]);
    state.counters["recall@10"] = recall(d, got);
  }
  label(state, shape);
}

void BM_DenseBatch64(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0)), kind = static_cast<int>(state.range(1));
  Data& d = data(shape);
  DenseIndex& index = pick(d, kind);
  std::vector<std::vector<ScoredId>> out;
  const double per_batch = timed(state, [&](std::int64_t) {
    index.search_batch(d.queries.data(), kBatch, kTopK, out);
    benchmark::DoNotOptimize(out.data());
  });
  if (kind == 0) d.f32_batch = per_batch;
  state.SetItemsProcessed(state.iterations() * kBatch); // queries
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(scanned_bytes(index)));
  if (d.f32_batch > 0) state.counters["speedup_vs_f32"] = d.f32_batch / per_batch;
  if (kind != 0) state.counters["recall@10"] = recall(d, out);
  if (d.faiss_batch > 0) state.counters["vs_faiss"] = d.faiss_batch / per_batch;
  label(state, shape);
}

faiss::IndexFlatIP& faiss_index(Data& d, int shape) {
  if (!d.faiss) {
    d.faiss = std::make_unique<faiss::IndexFlatIP>(kShapes[shape].dim);
    d.faiss->add(static_cast<faiss::Index::idx_t>(kShapes[shape].rows), d.rows.data());
  }
  return *d.faiss;
}

void BM_FaissFlatIP(benchmark::State& state) {
  omp_set_num_threads(1);
  const int shape = static_cast<int>(state.range(0));
  const int nq = static_cast<int>(state.range(1));
  Data& d = data(shape);
  auto& index = faiss_index(d, shape);
  std::vector<float> distances(std::size_t(nq) * kTopK);
  std::vector<faiss::Index::idx_t> labels(std::size_t(nq) * kTopK);
  const int dim = kShapes[shape].dim;
  const double per_call = timed(state, [&](std::int64_t i) {
    const float* q = nq == 1 ? d.queries.data() + (i % kBatch) * dim : d.queries.data();
    index.search(nq, q, kTopK, distances.data(), labels.data());
    benchmark::DoNotOptimize(labels.data());
  });
  if (nq == 1)
    d.faiss_single = per_call;
  else
    d.faiss_batch = per_call;
  const double bytes = double(kShapes[shape].rows) * dim * sizeof(float);
  state.SetItemsProcessed(state.iterations() * nq);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  if (nq == 1 && g_read_bandwidth[shape] > 0)
    state.counters["read_bw_fraction"] = bytes / per_call / g_read_bandwidth[shape];
  const double ours = nq == 1 ? d.f32_single : d.f32_batch;
  if (ours > 0) state.counters["supportnlp_f32_speedup"] = per_call / ours;
  label(state, shape);
}

void shapes_kinds(benchmark::internal::Benchmark* b) {
  for (int s = 0; s < 2; ++s)
    for (int k = 0; k < 4; ++k)
      b->Args({s, k});
}

} // namespace

BENCHMARK(BM_StreamRead)->ArgsProduct({{0, 1}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseSingle)->Apply(shapes_kinds)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FaissFlatIP)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, kBatch})
    ->Args({1, kBatch})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseBatch64)->Apply(shapes_kinds)->Unit(benchmark::kMillisecond);
