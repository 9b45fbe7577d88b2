// The pooling kernel: the AVX2 row sums must equal the scalar reference bit
// for bit (same order of additions, no fused multiply-add), for int8 and
// float rows, any dimension (tails included) and any number of rows, so the
// shipped encoder gives the same vectors on every CPU.
#include <catch2/catch.hpp>

#include "embed/static_encoder_impl.hpp"

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

using supportnlp::embed::PooledRow;
using supportnlp::embed::sum_rows;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

TEST_CASE("pooling kernel equals the scalar reference bit for bit", "[embed]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(-128, 127);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (int dim : {8, 13, 16, 64, 72, 100, 256, 300}) {
    const int rows = 200;
    std::vector<std::int8_t> i8(std::size_t(rows) * std::size_t(dim));
    std::vector<float> f32(i8.size());
    for (std::size_t k = 0; k < i8.size(); ++k) {
      i8[k] = static_cast<std::int8_t>(byte(rng));
      f32[k] = gauss(rng);
    }
    for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(7), std::size_t(350)}) {
      std::vector<PooledRow> hits;
      for (std::size_t h = 0; h < n; ++h)
        hits.push_back({static_cast<std::int32_t>(rng() % rows), gauss(rng) * 0.01f});
      for (bool int8 : {true, false}) {
        // Start from a non-zero sum: the kernel adds to what is there.
        std::vector<float> simd(static_cast<std::size_t>(dim)), scalar(simd);
        for (int j = 0; j < dim; ++j)
          simd[std::size_t(j)] = scalar[std::size_t(j)] = gauss(rng);
        const float* rows_f32 = int8 ? nullptr : f32.data();
        sum_rows(hits.data(), hits.size(), rows_f32, i8.data(), dim, simd.data(), true);
        sum_rows(hits.data(), hits.size(), rows_f32, i8.data(), dim, scalar.data(), false);
        INFO("dim " << dim << ", rows " << n << (int8 ? ", int8" : ", float"));
        CHECK(same_bits(simd, scalar));
      }
    }
  }
}

TEST_CASE("pooling kernel sums what it is given", "[embed]") {
  // Two rows of a 16-wide int8 table: 2 * row0 - 0.5 * row1.
  const int dim = 16;
  std::vector<std::int8_t> i8(2 * dim);
  for (int j = 0; j < dim; ++j) {
    i8[std::size_t(j)] = static_cast<std::int8_t>(j);
    i8[std::size_t(dim + j)] = static_cast<std::int8_t>(-2 * j);
  }
  const std::vector<PooledRow> hits = {{0, 2.0f}, {1, -0.5f}};
  std::vector<float> out(dim, 1.0f);
  sum_rows(hits.data(), hits.size(), nullptr, i8.data(), dim, out.data());
  for (int j = 0; j < dim; ++j)
    CHECK(out[std::size_t(j)] == 1.0f + 2.0f * float(j) + float(j));
}
