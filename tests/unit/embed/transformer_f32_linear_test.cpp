// The float32 linear layer of the transformer encoder (issue 14): at every
// instruction-set level this CPU has, the kernel on packed weights equals a
// double-precision product within float32 rounding, on ragged shapes (out
// not a multiple of the 16-column panel, in not a multiple of 8) and every
// row count from 1 to 33 (the kernels' row tiles and their remainders); a
// row gives the same bits alone as in any batch, and the AVX2 and AVX-512
// kernels (both one FMA per step, in the same order) the same bits as each
// other. Tagged [kernels]: ctest also runs it at the portable level.
#include <catch2/catch.hpp>

#include "embed/transformer/f32_linear.hpp"
#include "supportnlp/cpu/cpu.hpp"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace supportnlp;
namespace f32 = supportnlp::embed::transformer::f32;

namespace {

struct Layer {
  int out, in;
  std::vector<float> w, b, packed;
  f32::PackedLinear view() const { return {packed.data(), out, in}; }
};

Layer make_layer(int out, int in, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Layer l{out, in, {}, {}, {}};
  l.w.resize(static_cast<std::size_t>(out) * in);
  for (auto& x : l.w)
    x = normal(rng) / std::sqrt(float(in));
  l.b.resize(static_cast<std::size_t>(out));
  for (auto& x : l.b)
    x = normal(rng);
  l.packed.assign(f32::packed_size(out, in), 0.0f);
  // Packed in two calls, as a folder's Q, K and V are packed into one matrix.
  const int first = out / 3;
  f32::pack_rows(l.w.data(), first, 0, in, l.packed.data());
  f32::pack_rows(l.w.data() + static_cast<std::size_t>(first) * in, out - first, first, in,
                 l.packed.data());
  return l;
}

std::vector<cpu::Isa> levels() {
  std::vector<cpu::Isa> out{cpu::Isa::portable};
  for (cpu::Isa isa : {cpu::Isa::avx2, cpu::Isa::avx512})
    if (cpu::supported(isa)) out.push_back(isa);
  return out;
}

} // namespace

TEST_CASE("f32 linear: packing round-trips and pads with zeros", "[embed][transformer]") {
  std::mt19937 rng(3);
  const Layer l = make_layer(37, 29, rng);
  std::vector<float> back(l.w.size());
  f32::unpack(l.packed.data(), l.out, l.in, back.data());
  CHECK(back == l.w);
  // Columns 37..47 of the last panel are padding.
  const std::size_t last = (f32::panels(l.out) - 1) * static_cast<std::size_t>(l.in) * f32::kPanel;
  for (int k = 0; k < l.in; ++k)
    for (int j = 37 % f32::kPanel; j < f32::kPanel; ++j)
      CHECK(l.packed[last + static_cast<std::size_t>(k) * f32::kPanel + j] == 0.0f);
}

TEST_CASE("f32 linear: every level matches the double product, a row the same alone or batched",
          "[embed][transformer][kernels]") {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  // Ragged shapes (out % 16 != 0, in % 8 != 0), a panel and a half, a
  // single output, and MiniLM's widest products.
  const int shapes[][2] = {{37, 29}, {24, 13},    {1, 3},     {100, 67},
                           {96, 32}, {1152, 384}, {384, 1536}};
  const std::vector<cpu::Isa> isas = levels();
  for (const auto& s : shapes) {
    const Layer l = make_layer(s[0], s[1], rng);
    const std::size_t n_max = l.out >= 1000 || l.in >= 1000 ? 17 : 33;
    const std::size_t ldx = static_cast<std::size_t>(l.in) + 3,
                      ldy = static_cast<std::size_t>(l.out) + 5;
    std::vector<float> x(n_max * ldx);
    for (auto& v : x)
      v = normal(rng);
    // The double-precision product and a bound on float32's summation error
    // (in steps, each rounding at most half an ulp of the running sum).
    std::vector<double> exact(n_max * static_cast<std::size_t>(l.out)),
        bound(n_max * static_cast<std::size_t>(l.out));
    for (std::size_t r = 0; r < n_max; ++r)
      for (int o = 0; o < l.out; ++o) {
        double sum = 0, mag = 0;
        for (int k = 0; k < l.in; ++k) {
          const double p = double(x[r * ldx + static_cast<std::size_t>(k)]) *
                           double(l.w[static_cast<std::size_t>(o) * l.in + k]);
          sum += p;
          mag += std::abs(p);
        }
        const std::size_t i = r * static_cast<std::size_t>(l.out) + static_cast<std::size_t>(o);
        exact[i] = sum + l.b[static_cast<std::size_t>(o)];
        bound[i] = (l.in + 2) * 6e-8 * (mag + std::abs(l.b[static_cast<std::size_t>(o)]));
      }
    std::vector<std::vector<float>> full; // all n_max rows at once, per level
    for (cpu::Isa isa : isas) {
      const f32::LinearFn fn = f32::linear_for(isa);
      std::vector<float> all(n_max * ldy, -7.0f);
      fn(x.data(), n_max, ldx, l.view(), l.b.data(), all.data(), ldy);
      for (std::size_t n = 1; n <= n_max; ++n) {
        INFO("level " << cpu::isa_name(isa) << " out " << l.out << " in " << l.in << " rows " << n);
        std::vector<float> y(n * ldy, -7.0f);
        fn(x.data(), n, ldx, l.view(), l.b.data(), y.data(), ldy);
        for (std::size_t r = 0; r < n; ++r) {
          for (int o = 0; o < l.out; ++o) {
            const std::size_t i = r * static_cast<std::size_t>(l.out) + static_cast<std::size_t>(o);
            REQUIRE(std::abs(y[r * ldy + static_cast<std::size_t>(o)] - exact[i]) <= bound[i]);
          }
          for (std::size_t o = static_cast<std::size_t>(l.out); o < ldy; ++o)
            REQUIRE(y[r * ldy + o] == -7.0f); // nothing written past out
          // The same bits as in the call with every row.
          REQUIRE(std::memcmp(y.data() + r * ldy, all.data() + r * ldy, ldy * sizeof(float)) == 0);
        }
      }
      full.push_back(std::move(all));
    }
    // AVX2 and AVX-512: one FMA per step in the same order, the same bits.
    for (std::size_t a = 0; a < isas.size(); ++a)
      for (std::size_t b = a + 1; b < isas.size(); ++b)
        if (isas[a] != cpu::Isa::portable)
          CHECK(std::memcmp(full[a].data(), full[b].data(), full[a].size() * sizeof(float)) == 0);
  }
  std::printf("\nf32 linear checked at: portable%s%s\n",
              cpu::supported(cpu::Isa::avx2) ? ", avx2" : "",
              cpu::supported(cpu::Isa::avx512) ? ", avx512" : "");
}
