// The linear scoring kernels: every SIMD version must give the portable
// loop's result bit for bit (no fused multiply-add, same order of
// additions), float and int8 weights, any label count (register tails and
// several register chunks), with skipped entries, so a model scores a text
// identically on every x86-64 CPU.
#include <catch2/catch.hpp>

#include "models/linear/sparse_scores.hpp"

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

using namespace supportnlp::models::detail;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

constexpr std::uint32_t kSkip = 0xffffffffu;

struct Case {
  std::vector<std::uint32_t> index;
  std::vector<float> value, w, bias, scale;
  std::vector<std::int8_t> w8;
};

Case make_case(std::size_t k, std::size_t rows, std::size_t n, std::mt19937& rng) {
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::uniform_int_distribution<int> byte(-127, 127);
  std::uniform_int_distribution<std::uint32_t> row(0, static_cast<std::uint32_t>(rows - 1));
  Case c;
  for (std::size_t i = 0; i < rows * k; ++i) {
    c.w.push_back(gauss(rng));
    c.w8.push_back(static_cast<std::int8_t>(byte(rng)));
  }
  c.w8.resize(c.w8.size() + kInt8Padding, 0x55); // padding must not leak in
  for (std::size_t r = 0; r < rows; ++r)
    c.scale.push_back(std::abs(gauss(rng)) * 0.01f);
  for (std::size_t j = 0; j < k; ++j)
    c.bias.push_back(gauss(rng));
  for (std::size_t i = 0; i < n; ++i) {
    c.index.push_back(i % 7 == 3 ? kSkip : row(rng)); // some entries unseen
    c.value.push_back(gauss(rng));
  }
  return c;
}

} // namespace

TEST_CASE("sparse scoring kernels equal the portable loop bit for bit", "[models]") {
  std::mt19937 rng(11);
  for (std::size_t k : {1, 2, 7, 8, 9, 15, 16, 17, 77, 80, 81, 128, 129, 151, 300}) {
    for (std::size_t n : {0, 1, 5, 250}) {
      const Case c = make_case(k, 64, n, rng);
      std::vector<float> ref(k), got(k);
      REQUIRE(sparse_scores_on(ScoresIsa::portable, c.index.data(), c.value.data(), n, c.w.data(),
                               k, c.bias.data(), kSkip, ref.data()));
      // Against a plain float loop of the definition.
      for (std::size_t j = 0; j < k; ++j) {
        float s = c.bias[j];
        for (std::size_t i = 0; i < n; ++i)
          if (c.index[i] != kSkip) s += c.value[i] * c.w[c.index[i] * k + j];
        CHECK(ref[j] == s);
      }
      std::vector<float> ref8(k), got8(k);
      REQUIRE(sparse_scores_i8_on(ScoresIsa::portable, c.index.data(), c.value.data(), n,
                                  c.w8.data(), c.scale.data(), k, c.bias.data(), kSkip,
                                  ref8.data()));
      for (std::size_t j = 0; j < k; ++j) {
        float s = c.bias[j];
        for (std::size_t i = 0; i < n; ++i)
          if (c.index[i] != kSkip)
            s += (c.value[i] * c.scale[c.index[i]]) * static_cast<float>(c.w8[c.index[i] * k + j]);
        CHECK(ref8[j] == s);
      }
      for (ScoresIsa isa : {ScoresIsa::avx2, ScoresIsa::avx512}) {
        std::fill(got.begin(), got.end(), -1.0f);
        if (sparse_scores_on(isa, c.index.data(), c.value.data(), n, c.w.data(), k, c.bias.data(),
                             kSkip, got.data())) {
          INFO("float, k = " << k << ", n = " << n << ", isa = " << static_cast<int>(isa));
          CHECK(same_bits(ref, got));
        }
        std::fill(got8.begin(), got8.end(), -1.0f);
        if (sparse_scores_i8_on(isa, c.index.data(), c.value.data(), n, c.w8.data(), c.scale.data(),
                                k, c.bias.data(), kSkip, got8.data())) {
          INFO("int8, k = " << k << ", n = " << n << ", isa = " << static_cast<int>(isa));
          CHECK(same_bits(ref8, got8));
        }
      }
      // The dispatching entry points agree too.
      sparse_scores(c.index.data(), c.value.data(), n, c.w.data(), k, c.bias.data(), kSkip,
                    got.data());
      CHECK(same_bits(ref, got));
      sparse_scores_i8(c.index.data(), c.value.data(), n, c.w8.data(), c.scale.data(), k,
                       c.bias.data(), kSkip, got8.data());
      CHECK(same_bits(ref8, got8));
    }
  }
}
