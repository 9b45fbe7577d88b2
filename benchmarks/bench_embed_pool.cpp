// The encoder's pooling kernel alone: summing N scattered rows of a table the
// shipped encoder's size (16000 x 256 int8, 4 MB, and the same in float),
// AVX2 beside the scalar reference in the same binary. Items are rows summed,
// bytes are row bytes read. Arg: rows per text (a 60-byte utterance has ~150
// features, a 300-byte ticket ~600).
#include <benchmark/benchmark.h>

#include "embed/static_encoder_impl.hpp"

#include <cstdint>
#include <random>
#include <vector>

namespace {

using supportnlp::embed::PooledRow;

constexpr int kRows = 16000;
constexpr int kDim = 256;

struct Table {
  std::vector<std::int8_t> i8;
  std::vector<float> f32;
  std::vector<std::vector<PooledRow>> texts; // 64 texts of hits, rows at random
};

const Table& table(std::size_t hits_per_text) {
  static std::vector<std::pair<std::size_t, Table>> cache;
  for (const auto& [n, t] : cache)
    if (n == hits_per_text) return t;
  Table t;
  std::mt19937 rng(3);
  t.i8.resize(std::size_t(kRows) * kDim);
  t.f32.resize(t.i8.size());
  for (std::size_t k = 0; k < t.i8.size(); ++k) {
    t.i8[k] = static_cast<std::int8_t>(int(rng() % 256) - 128);
    t.f32[k] = float(t.i8[k]) / 127.0f;
  }
  for (int text = 0; text < 64; ++text) {
    std::vector<PooledRow> hits;
    for (std::size_t h = 0; h < hits_per_text; ++h)
      hits.push_back({std::int32_t(rng() % kRows), 0.01f * float(rng() % 100)});
    t.texts.push_back(std::move(hits));
  }
  cache.emplace_back(hits_per_text, std::move(t));
  return cache.back().second;
}

void run(benchmark::State& state, bool int8, bool simd) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Table& t = table(n);
  std::vector<float> out(kDim);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& hits = t.texts[i];
    std::fill(out.begin(), out.end(), 0.0f);
    supportnlp::embed::sum_rows(hits.data(), hits.size(), int8 ? nullptr : t.f32.data(),
                                t.i8.data(), kDim, out.data(), simd);
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) % t.texts.size();
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(n));
  state.SetBytesProcessed(state.iterations() * std::int64_t(n) * kDim *
                          std::int64_t(int8 ? 1 : sizeof(float)));
}

void BM_PoolKernel_i8_avx2(benchmark::State& state) {
  run(state, true, true);
}
void BM_PoolKernel_i8_scalar(benchmark::State& state) {
  run(state, true, false);
}
void BM_PoolKernel_f32_avx2(benchmark::State& state) {
  run(state, false, true);
}
void BM_PoolKernel_f32_scalar(benchmark::State& state) {
  run(state, false, false);
}
BENCHMARK(BM_PoolKernel_i8_avx2)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK(BM_PoolKernel_i8_scalar)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK(BM_PoolKernel_f32_avx2)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK(BM_PoolKernel_f32_scalar)->ArgName("rows")->Arg(150)->Arg(600);

} // namespace
