// The int8 linear layer of the transformer encoder (issue 14): every
// instruction-set level this CPU has gives the portable kernel's bits, and
// the portable kernel computes the documented formula, which stays close to
// the float32 product.
#include <catch2/catch.hpp>

#include "embed/transformer/int8_linear.hpp"
#include "supportnlp/cpu/cpu.hpp"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace supportnlp;
namespace q8 = supportnlp::embed::transformer::int8;

namespace {

struct Layer {
  int out, in;
  std::vector<float> w, b;
  std::vector<std::int8_t> codes, packed;
  std::vector<float> scale;
  std::vector<std::int32_t> sums;
  q8::QLinear view() const { return {packed.data(), scale.data(), sums.data(), out, in}; }
};

Layer make_layer(int out, int in, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Layer l{out, in, {}, {}, {}, {}, {}, {}};
  l.w.resize(static_cast<std::size_t>(out) * in);
  for (auto& x : l.w)
    x = normal(rng) / std::sqrt(float(in));
  // An all-zero row and a row with one large weight.
  std::fill(l.w.begin(), l.w.begin() + in, 0.0f);
  if (out > 1) l.w[static_cast<std::size_t>(in) + 1] = 40.0f;
  l.b.resize(static_cast<std::size_t>(out));
  for (auto& x : l.b)
    x = normal(rng);
  l.codes.resize(l.w.size());
  l.scale.resize(static_cast<std::size_t>(out));
  q8::quantize_rows(l.w.data(), static_cast<std::size_t>(out), static_cast<std::size_t>(in),
                    l.codes.data(), l.scale.data());
  l.packed.resize(q8::packed_size(out, in));
  q8::pack(l.codes.data(), out, in, l.packed.data());
  l.sums.resize(q8::blocks(out) * q8::kBlock);
  q8::row_sums(l.packed.data(), out, in, l.sums.data());
  return l;
}

} // namespace

TEST_CASE("int8 linear: weights quantize per row into the symmetric range", "[embed][int8]") {
  std::mt19937 rng(1);
  const Layer l = make_layer(37, 50, rng);
  CHECK(l.scale[0] == 1.0f); // the all-zero row
  for (int o = 0; o < l.out; ++o) {
    int peak = 0;
    for (int k = 0; k < l.in; ++k) {
      const int c = l.codes[static_cast<std::size_t>(o) * l.in + k];
      CHECK(c >= -127);
      CHECK(c <= 127);
      peak = std::max(peak, std::abs(c));
      CHECK(std::abs(c * l.scale[o] - l.w[static_cast<std::size_t>(o) * l.in + k]) <=
            0.5001f * l.scale[o]);
    }
    if (o > 0) CHECK(peak == 127);
  }
  CHECK(q8::find_min_code(l.packed.data(), l.packed.size()) == l.packed.size());
}

TEST_CASE("int8 linear: every level gives the portable bits, close to float32",
          "[embed][int8][kernels]") {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  // Shapes of the fixtures and MiniLM, and ragged ones (out not a multiple
  // of 16, in not a multiple of 4); row counts around the kernels' tiles.
  const int shapes[][2] = {{96, 32}, {37, 50}, {1, 3}, {64, 256}, {1152, 384}, {384, 1536}};
  for (const auto& s : shapes) {
    const Layer l = make_layer(s[0], s[1], rng);
    for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(16), std::size_t(101)}) {
      INFO("out " << l.out << " in " << l.in << " rows " << n);
      const std::size_t ldx = static_cast<std::size_t>(l.in) + 3, ldy = l.out + 5;
      std::vector<float> x(n * ldx);
      for (auto& v : x)
        v = normal(rng);
      std::fill(x.begin(), x.begin() + l.in, 0.0f); // an all-zero row gives the bias
      if (n > 1) x[ldx + 2] = 1e4f;                 // one large activation
      std::vector<float> ref(n * ldy, -7.0f);
      q8::linear_for(cpu::Isa::portable)(x.data(), n, ldx, l.view(), l.b.data(), ref.data(), ldy);
      for (int o = 0; o < l.out; ++o)
        REQUIRE(ref[static_cast<std::size_t>(o)] == l.b[static_cast<std::size_t>(o)]);
      CHECK(ref[static_cast<std::size_t>(l.out)] == -7.0f); // nothing written past out
      // Close to the float32 product: each code is within half a step of
      // its value (steps max|x| / 127 and max|w| / 127), so the error is at
      // most sum_k (|w| sx + |x| sw + sx sw / 2) / 2 plus float rounding.
      for (std::size_t r = 1; r < n; ++r) {
        double mx = 0;
        for (int k = 0; k < l.in; ++k)
          mx = std::max(mx, double(std::abs(x[r * ldx + static_cast<std::size_t>(k)])));
        const double sx = mx / 127;
        for (int o = 0; o < l.out; ++o) {
          double exact = l.b[static_cast<std::size_t>(o)], bound = 0, mw = 0;
          for (int k = 0; k < l.in; ++k)
            mw = std::max(mw, double(std::abs(l.w[static_cast<std::size_t>(o) * l.in + k])));
          const double sw = mw / 127;
          for (int k = 0; k < l.in; ++k) {
            const double xv = x[r * ldx + static_cast<std::size_t>(k)],
                         wv = l.w[static_cast<std::size_t>(o) * l.in + k];
            exact += xv * wv;
            bound += (std::abs(wv) * sx + std::abs(xv) * sw + sx * sw / 2) / 2;
          }
          REQUIRE(std::abs(ref[r * ldy + static_cast<std::size_t>(o)] - exact) <=
                  bound * 1.001 + 1e-5 * (1 + std::abs(exact)));
        }
      }
      for (cpu::Isa isa : {cpu::Isa::avx2, cpu::Isa::avx512}) {
        if (!cpu::supported(isa)) continue;
        INFO("level " << cpu::isa_name(isa));
        std::vector<float> y(n * ldy, -7.0f);
        q8::linear_for(isa)(x.data(), n, ldx, l.view(), l.b.data(), y.data(), ldy);
        REQUIRE(std::memcmp(y.data(), ref.data(), y.size() * sizeof(float)) == 0);
      }
    }
  }
  std::printf("\nint8 linear compared with the portable kernel at: portable%s%s\n",
              cpu::supported(cpu::Isa::avx2) ? ", avx2" : "",
              cpu::supported(cpu::Isa::avx512) ? ", avx512 (VNNI)" : "");
}
