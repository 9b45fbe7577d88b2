// The encoder's pooling kernel alone (cpu row sums): summing N scattered
// rows of a table the shipped encoder's size (16000 x 256 int8, 4 MB, and
// the same in float), at every instruction-set level this CPU has, in the
// same binary (portable is the scalar reference). Items are rows summed,
// bytes are row bytes read. Arg: rows per text (a 60-byte utterance has ~150
// features, a 300-byte ticket ~600).
#include <benchmark/benchmark.h>

#include "cpu/kernels.hpp"

#include <cstdint>
#include <random>
#include <vector>

namespace {

using PooledRow = supportnlp::cpu::WeightedRow;
using supportnlp::cpu::Isa;

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

void run(benchmark::State& state, bool int8, Isa isa) {
  const supportnlp::cpu::Kernels* kernels = supportnlp::cpu::kernels_for(isa);
  if (kernels == nullptr) {
    state.SkipWithError("this CPU lacks the level");
    return;
  }
  const auto n = static_cast<std::size_t>(state.range(0));
  const Table& t = table(n);
  std::vector<float> out(kDim);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& hits = t.texts[i];
    std::fill(out.begin(), out.end(), 0.0f);
    kernels->row_sums(hits.data(), hits.size(), int8 ? nullptr : t.f32.data(), t.i8.data(), kDim,
                      out.data());
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) % t.texts.size();
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(n));
  state.SetBytesProcessed(state.iterations() * std::int64_t(n) * kDim *
                          std::int64_t(int8 ? 1 : sizeof(float)));
}

void BM_RowSums_i8(benchmark::State& state, Isa isa) {
  run(state, true, isa);
}
void BM_RowSums_f32(benchmark::State& state, Isa isa) {
  run(state, false, isa);
}
BENCHMARK_CAPTURE(BM_RowSums_i8, portable, Isa::portable)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK_CAPTURE(BM_RowSums_i8, avx2, Isa::avx2)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK_CAPTURE(BM_RowSums_i8, avx512, Isa::avx512)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK_CAPTURE(BM_RowSums_f32, portable, Isa::portable)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK_CAPTURE(BM_RowSums_f32, avx2, Isa::avx2)->ArgName("rows")->Arg(150)->Arg(600);
BENCHMARK_CAPTURE(BM_RowSums_f32, avx512, Isa::avx512)->ArgName("rows")->Arg(150)->Arg(600);

} // namespace
