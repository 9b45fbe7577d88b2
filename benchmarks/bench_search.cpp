// Exact top-10 inner-product search over random unit vectors, one thread:
// DenseIndex float32 and int8 (query int8 or float), single query and batches
// of 64, beside FAISS IndexFlatIP on the same data and the machine's
// streaming read bandwidth measured in this binary over the index's own
// float32 storage (DenseIndex::float_rows(): same bytes, same pages).
//
// Float32 rows (kind 0) of BM_DenseSingle and BM_DenseBatch64 time, in every
// iteration, the search and then a plain read (AVX2 sum) of the same index
// storage, both in thread CPU time, so the two see the same load on a shared
// machine; the benchmark's time is the search alone (manual time).
// Counters (run with --benchmark_repetitions=3 and read the medians):
//   scan_GBps      bytes of the index scanned per second (a batch reads the
//                  index once, so its bytes are counted once per batch)
//   ref_GBps       plain read of the same storage, same iterations
//   bw_share       ref time / scan time, summed over the iterations (the
//                  target is >= 0.80); bw_share_best: fastest iteration of
//                  each
//   huge_pages     share of the index storage on transparent huge pages
//   GFLOPs         (batches) 2 x 64 x rows x dim / batch time: a batch does
//                  64 multiply-adds per float read, so it is bounded by
//                  arithmetic, and its bw_share stays far below 0.80
//   speedup_vs_f32 DenseIndex float32 time / this benchmark's time
//   vs_faiss       FAISS IndexFlatIP time / this benchmark's time (> 1: faster)
//   recall@10      overlap of int8 top-10 with float32 top-10 (64 queries)
//   read_bw_fraction (BM_FaissFlatIP) FAISS's share of BM_StreamRead
#include "supportnlp/cpu/cpu.hpp"
#include "supportnlp/search/dense_index.hpp"

#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <omp.h>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>

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

// Random unit vectors (Gaussian directions), generated once per shape; the
// generating copy is freed once the indexes (and FAISS's copy) are built.
struct Data {
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
  std::vector<float> rows;
  fill_unit(rows, s.rows, s.dim, 42 + shape);
  fill_unit(d->queries, kBatch, s.dim, 4242 + shape);
  d->f32 = std::make_unique<DenseIndex>(s.dim);
  d->f32->add(rows.data(), s.rows);
  d->i8 =
      std::make_unique<DenseIndex>(s.dim, DenseIndexOptions{VectorStorage::i8, QueryPrecision::i8});
  d->i8->add(rows.data(), s.rows);
  d->i8_fq = std::make_unique<DenseIndex>(
      s.dim, DenseIndexOptions{VectorStorage::i8, QueryPrecision::f32});
  d->i8_fq->add(rows.data(), s.rows);
  d->i8_rerank = std::make_unique<DenseIndex>(
      s.dim, DenseIndexOptions{VectorStorage::i8, QueryPrecision::i8, /*rerank=*/4});
  d->i8_rerank->add(rows.data(), s.rows);
  d->faiss = std::make_unique<faiss::IndexFlatIP>(s.dim);
  d->faiss->add(static_cast<faiss::Index::idx_t>(s.rows), rows.data());
  d->f32->search_batch(d->queries.data(), kBatch, kTopK, d->exact);
  return *d;
}

// Streaming read bandwidth per shape (bytes per second, best BM_StreamRead
// over that shape's index storage), for FAISS's read_bw_fraction.
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

// A plain read of n floats: the AVX2 sum at the avx2 level or above (as the
// index's own kernels, SUPPORTNLP_CPU included), else Eigen's.
float plain_read(const float* x, std::size_t n) {
#if defined(__x86_64__)
  if (supportnlp::cpu::active_isa() >= supportnlp::cpu::Isa::avx2) return sum_avx2(x, n);
#endif
  return Eigen::Map<const Eigen::VectorXf>(x, static_cast<Eigen::Index>(n)).sum();
}

// Share of [p, p + bytes) backed by transparent huge pages, from
// /proc/self/smaps (AnonHugePages of the mappings it overlaps); -1 if unknown.
double huge_page_share(const void* p, std::size_t bytes) {
  std::ifstream smaps("/proc/self/smaps");
  if (!smaps) return -1;
  const auto lo = reinterpret_cast<std::uintptr_t>(p), hi = lo + bytes;
  std::string line;
  bool inside = false;
  double huge_kb = 0;
  while (std::getline(smaps, line)) {
    unsigned long a = 0, b = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &a, &b) == 2 && line.find(':') > line.find(' ')) {
      inside = a < hi && b > lo;
      continue;
    }
    if (inside && line.rfind("AnonHugePages:", 0) == 0)
      huge_kb += std::strtod(line.c_str() + 14, nullptr);
  }
  return huge_kb * 1024.0 / double(bytes);
}

// Streaming read bandwidth: sum of the float32 index's own storage
// (range(1) = 0: Eigen, the baseline vectorization; 1: AVX2).
void BM_StreamRead(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0));
  Data& d = data(shape);
  const float* rows = d.f32->float_rows();
  const std::size_t n = d.f32->size() * static_cast<std::size_t>(d.f32->dim());
  Eigen::Map<const Eigen::VectorXf> all(rows, static_cast<Eigen::Index>(n));
  const double secs = timed(state, [&](std::int64_t) {
#if defined(__x86_64__)
    if (state.range(1) == 1) {
      benchmark::DoNotOptimize(sum_avx2(rows, n));
      return;
    }
#endif
    benchmark::DoNotOptimize(all.sum());
  });
  const double bytes = double(n * sizeof(float));
  g_read_bandwidth[shape] = std::max(g_read_bandwidth[shape], bytes / secs);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["huge_pages"] = huge_page_share(rows, n * sizeof(float));
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

// Runs `search` once per iteration; for the float32 index also a plain read
// of the index's storage right after it, timed apart (see the file comment),
// and sets the bandwidth counters. Returns mean seconds per search.
template <class Fn>
double timed_with_reference(benchmark::State& state, const DenseIndex& index, Fn&& search) {
  const float* rows = index.float_rows();
  const bool reference = index.options().storage == VectorStorage::f32 && rows;
  const std::size_t n = index.size() * static_cast<std::size_t>(index.dim());
  double scan = 0, ref = 0, best_scan = 1e30, best_ref = 1e30;
  std::int64_t iters = 0;
  for (auto _ : state) {
    const double t0 = thread_seconds();
    search(iters);
    const double t1 = thread_seconds();
    if (reference) benchmark::DoNotOptimize(plain_read(rows, n));
    const double t2 = thread_seconds();
    state.SetIterationTime(t1 - t0);
    scan += t1 - t0;
    ref += t2 - t1;
    best_scan = std::min(best_scan, t1 - t0);
    best_ref = std::min(best_ref, t2 - t1);
    ++iters;
  }
  iters = std::max<std::int64_t>(iters, 1);
  if (reference) {
    const double bytes = double(n * sizeof(float));
    state.counters["scan_GBps"] = bytes * double(iters) / scan * 1e-9;
    state.counters["ref_GBps"] = bytes * double(iters) / ref * 1e-9;
    state.counters["bw_share"] = ref / scan;
    state.counters["bw_share_best"] = best_ref / best_scan;
    state.counters["huge_pages"] = huge_page_share(rows, n * sizeof(float));
  }
  return scan / double(iters);
}

void BM_DenseSingle(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0)), kind = static_cast<int>(state.range(1));
  Data& d = data(shape);
  DenseIndex& index = pick(d, kind);
  const int dim = kShapes[shape].dim;
  std::vector<ScoredId> out;
  const double per_query = timed_with_reference(state, index, [&](std::int64_t i) {
    index.search(d.queries.data() + (i % kBatch) * dim, kTopK, out);
    benchmark::DoNotOptimize(out.data());
  });
  if (kind == 0) d.f32_single = per_query;
  const double bytes = scanned_bytes(index);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kShapes[shape].rows));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  if (kind != 0) state.counters["scan_GBps"] = bytes / per_query * 1e-9;
  if (d.f32_single > 0) state.counters["speedup_vs_f32"] = d.f32_single / per_query;
  if (d.faiss_single > 0) state.counters["vs_faiss"] = d.faiss_single / per_query;
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
  const double per_batch = timed_with_reference(state, index, [&](std::int64_t) {
    index.search_batch(d.queries.data(), kBatch, kTopK, out);
    benchmark::DoNotOptimize(out.data());
  });
  if (kind == 0) d.f32_batch = per_batch;
  const double bytes = scanned_bytes(index);
  state.SetItemsProcessed(state.iterations() * kBatch); // queries
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  if (kind != 0) state.counters["scan_GBps"] = bytes / per_batch * 1e-9;
  // Float multiply-adds per second: a batch of 64 does 64 per float read,
  // so it is bounded by arithmetic, not by memory.
  state.counters["GFLOPs"] =
      2.0 * kBatch * double(kShapes[shape].rows) * kShapes[shape].dim / per_batch * 1e-9;
  if (d.f32_batch > 0) state.counters["speedup_vs_f32"] = d.f32_batch / per_batch;
  if (kind != 0) state.counters["recall@10"] = recall(d, out);
  if (d.faiss_batch > 0) state.counters["vs_faiss"] = d.faiss_batch / per_batch;
  label(state, shape);
}

void BM_FaissFlatIP(benchmark::State& state) {
  omp_set_num_threads(1);
  const int shape = static_cast<int>(state.range(0));
  const int nq = static_cast<int>(state.range(1));
  Data& d = data(shape);
  auto& index = *d.faiss;
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

// FAISS first, so the DenseIndex rows can show vs_faiss from the same run.
BENCHMARK(BM_StreamRead)->ArgsProduct({{0, 1}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FaissFlatIP)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, kBatch})
    ->Args({1, kBatch})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseSingle)->Apply(shapes_kinds)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseBatch64)->Apply(shapes_kinds)->UseManualTime()->Unit(benchmark::kMillisecond);
