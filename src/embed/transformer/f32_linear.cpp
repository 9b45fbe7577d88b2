// The float32 linear layer on packed weights (f32_linear.hpp): a kernel per
// instruction-set level, each a register tile of rows x panels with k
// innermost. Built with -ffp-contract=off (CMakeLists.txt), so the portable
// kernel never fuses; the AVX2 and AVX-512 kernels fuse every step with
// explicit FMA instructions.
#include "embed/transformer/f32_linear.hpp"

#include "cpu/simd.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace supportnlp::embed::transformer::f32 {
namespace {

// Rows per pass over the weights: their inputs (at most 64 x in floats)
// stay in L2 while every panel streams past them once.
constexpr std::size_t kRowChunk = 64;

// y = s + b for the valid columns of one row's panel.
inline void store_row(const float* s, const float* bias, int o0, int o1, float* y) noexcept {
  for (int o = o0; o < o1; ++o)
    y[o] = s[o - o0] + bias[o];
}

#if defined(__SSE2__)
// The baseline of x86-64: a panel is four registers of 4 columns, 2 rows x 4
// sums (GCC keeps the generic loop below in memory, 4 times slower).
template <int R>
void tile_portable(const float* wp, int in, const float* x, std::size_t ldx, const float* bias,
                   int o0, int o1, float* y, std::size_t ldy) noexcept {
  __m128 acc[R][4];
  for (int r = 0; r < R; ++r)
    for (int h = 0; h < 4; ++h)
      acc[r][h] = _mm_setzero_ps();
  for (int k = 0; k < in; ++k) {
    const float* w = wp + static_cast<std::size_t>(k) * kPanel;
    __m128 wv[4];
    for (int h = 0; h < 4; ++h)
      wv[h] = _mm_loadu_ps(w + 4 * h);
    for (int r = 0; r < R; ++r) {
      const __m128 xb =
          _mm_set1_ps(x[static_cast<std::size_t>(r) * ldx + static_cast<std::size_t>(k)]);
      for (int h = 0; h < 4; ++h)
        acc[r][h] = _mm_add_ps(acc[r][h], _mm_mul_ps(xb, wv[h]));
    }
  }
  for (int r = 0; r < R; ++r) {
    float* yr = y + static_cast<std::size_t>(r) * ldy;
    if (o1 - o0 == kPanel) {
      for (int h = 0; h < 4; ++h)
        _mm_storeu_ps(yr + o0 + 4 * h, _mm_add_ps(acc[r][h], _mm_loadu_ps(bias + o0 + 4 * h)));
    } else {
      float s[kPanel];
      for (int h = 0; h < 4; ++h)
        _mm_storeu_ps(s + 4 * h, acc[r][h]);
      store_row(s, bias, o0, o1, yr);
    }
  }
}
constexpr int kPortableRows = 2;
#else
template <int R>
void tile_portable(const float* wp, int in, const float* x, std::size_t ldx, const float* bias,
                   int o0, int o1, float* y, std::size_t ldy) noexcept {
  float acc[R][kPanel] = {};
  for (int k = 0; k < in; ++k) {
    const float* w = wp + static_cast<std::size_t>(k) * kPanel;
    for (int r = 0; r < R; ++r) {
      const float xv = x[static_cast<std::size_t>(r) * ldx + static_cast<std::size_t>(k)];
      for (int j = 0; j < kPanel; ++j)
        acc[r][j] = acc[r][j] + xv * w[j];
    }
  }
  for (int r = 0; r < R; ++r)
    store_row(acc[r], bias, o0, o1, y + static_cast<std::size_t>(r) * ldy);
}
constexpr int kPortableRows = 4;
#endif

void linear_portable(const float* x, std::size_t n, std::size_t ldx, const PackedLinear& l,
                     const float* bias, float* y, std::size_t ldy) noexcept {
  const std::size_t P = panels(l.out), span = static_cast<std::size_t>(l.in) * kPanel;
  for (std::size_t rc = 0; rc < n; rc += kRowChunk) {
    const std::size_t re = std::min(n, rc + kRowChunk);
    for (std::size_t p = 0; p < P; ++p) {
      const int o0 = static_cast<int>(p) * kPanel, o1 = std::min(l.out, o0 + kPanel);
      const float* wp = l.packed + p * span;
      std::size_t r = rc;
      for (; r + kPortableRows <= re; r += kPortableRows)
        tile_portable<kPortableRows>(wp, l.in, x + r * ldx, ldx, bias, o0, o1, y + r * ldy, ldy);
      for (; r < re; ++r)
        tile_portable<1>(wp, l.in, x + r * ldx, ldx, bias, o0, o1, y + r * ldy, ldy);
    }
  }
}

#ifdef SUPPORTNLP_CPU_X86

// Calls tile(std::integral_constant<int, R>{}) with R == rows, for the
// 1..Max rows left after a kernel's full tiles (each count is its own
// instantiation: the tile's sums stay in registers).
template <int Max, typename Tile>
inline void tail_tile(std::size_t rows, const Tile& tile) {
  if constexpr (Max >= 1) {
    if (rows == Max)
      tile(std::integral_constant<int, Max>{});
    else
      tail_tile<Max - 1>(rows, tile);
  }
}

// AVX2: a panel is two registers of 8 columns; R rows x 2 = 2R sums, each
// input value broadcast once per k and used for both halves.
template <int R>
SUPPORTNLP_TARGET_AVX2 inline void tile_avx2(const float* wp, int in, const float* x,
                                             std::size_t ldx, const float* bias, int o0, int o1,
                                             float* y, std::size_t ldy) {
  __m256 acc[R][2];
  for (int r = 0; r < R; ++r)
    for (int h = 0; h < 2; ++h)
      acc[r][h] = _mm256_setzero_ps();
  for (int k = 0; k < in; ++k) {
    const float* w = wp + static_cast<std::size_t>(k) * kPanel;
    const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
    for (int r = 0; r < R; ++r) {
      const __m256 xb =
          _mm256_set1_ps(x[static_cast<std::size_t>(r) * ldx + static_cast<std::size_t>(k)]);
      acc[r][0] = _mm256_fmadd_ps(xb, w0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(xb, w1, acc[r][1]);
    }
  }
  // The last panel of a ragged layer is stored masked (and its bias loaded
  // masked), as the AVX-512 kernel does.
  const int valid = o1 - o0;
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), lane);
  const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(valid - 8), lane);
  const __m256 b0 = _mm256_maskload_ps(bias + o0, m0), b1 = _mm256_maskload_ps(bias + o0 + 8, m1);
  for (int r = 0; r < R; ++r) {
    float* yr = y + static_cast<std::size_t>(r) * ldy + o0;
    _mm256_maskstore_ps(yr, m0, _mm256_add_ps(acc[r][0], b0));
    _mm256_maskstore_ps(yr + 8, m1, _mm256_add_ps(acc[r][1], b1));
  }
}

SUPPORTNLP_TARGET_AVX2 void linear_avx2(const float* x, std::size_t n, std::size_t ldx,
                                        const PackedLinear& l, const float* bias, float* y,
                                        std::size_t ldy) noexcept {
  const std::size_t P = panels(l.out), span = static_cast<std::size_t>(l.in) * kPanel;
  for (std::size_t rc = 0; rc < n; rc += kRowChunk) {
    const std::size_t re = std::min(n, rc + kRowChunk);
    for (std::size_t p = 0; p < P; ++p) {
      const int o0 = static_cast<int>(p) * kPanel, o1 = std::min(l.out, o0 + kPanel);
      const float* wp = l.packed + p * span;
      std::size_t r = rc;
      for (; r + 6 <= re; r += 6)
        tile_avx2<6>(wp, l.in, x + r * ldx, ldx, bias, o0, o1, y + r * ldy, ldy);
      const float* xr = x + r * ldx;
      float* yr = y + r * ldy;
      tail_tile<5>(re - r, [&](auto rows) {
        tile_avx2<rows.value>(wp, l.in, xr, ldx, bias, o0, o1, yr, ldy);
      });
    }
  }
}

// AVX-512: a panel is one register; R rows x V panels of sums, V panel loads
// and R broadcasts per k. The last panel of a ragged layer is stored masked.
template <int R, int V>
SUPPORTNLP_TARGET_AVX512 inline void tile_avx512(const float* wp, std::size_t span, int in,
                                                 const float* x, std::size_t ldx, const float* bias,
                                                 int o_first, int out, float* y, std::size_t ldy) {
  __m512 acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v)
      acc[r][v] = _mm512_setzero_ps();
  for (int k = 0; k < in; ++k) {
    __m512 w[V];
    for (int v = 0; v < V; ++v)
      w[v] = _mm512_loadu_ps(wp + static_cast<std::size_t>(v) * span +
                             static_cast<std::size_t>(k) * kPanel);
    for (int r = 0; r < R; ++r) {
      const __m512 xb =
          _mm512_set1_ps(x[static_cast<std::size_t>(r) * ldx + static_cast<std::size_t>(k)]);
      for (int v = 0; v < V; ++v)
        acc[r][v] = _mm512_fmadd_ps(xb, w[v], acc[r][v]);
    }
  }
  for (int v = 0; v < V; ++v) {
    const int o = o_first + kPanel * v;
    const int valid = std::min(kPanel, out - o);
    const __mmask16 m = static_cast<__mmask16>(valid >= kPanel ? 0xFFFF : (1u << valid) - 1);
    const __m512 b = _mm512_maskz_loadu_ps(m, bias + o);
    for (int r = 0; r < R; ++r)
      _mm512_mask_storeu_ps(y + static_cast<std::size_t>(r) * ldy + o, m,
                            _mm512_add_ps(acc[r][v], b));
  }
}

template <int V>
SUPPORTNLP_TARGET_AVX512 inline void rows_avx512(const float* wp, std::size_t span, int in,
                                                 const float* x, std::size_t ldx, std::size_t r0,
                                                 std::size_t r1, const float* bias, int o, int out,
                                                 float* y, std::size_t ldy) {
  std::size_t r = r0;
  for (; r + 8 <= r1; r += 8)
    tile_avx512<8, V>(wp, span, in, x + r * ldx, ldx, bias, o, out, y + r * ldy, ldy);
  const float* xr = x + r * ldx;
  float* yr = y + r * ldy;
  tail_tile<7>(r1 - r, [&](auto rows) {
    tile_avx512<rows.value, V>(wp, span, in, xr, ldx, bias, o, out, yr, ldy);
  });
}

SUPPORTNLP_TARGET_AVX512 void linear_avx512(const float* x, std::size_t n, std::size_t ldx,
                                            const PackedLinear& l, const float* bias, float* y,
                                            std::size_t ldy) noexcept {
  const std::size_t P = panels(l.out), span = static_cast<std::size_t>(l.in) * kPanel;
  for (std::size_t rc = 0; rc < n; rc += kRowChunk) {
    const std::size_t re = std::min(n, rc + kRowChunk);
    std::size_t p = 0;
    for (; p + 3 <= P; p += 3)
      rows_avx512<3>(l.packed + p * span, span, l.in, x, ldx, rc, re, bias,
                     static_cast<int>(p) * kPanel, l.out, y, ldy);
    for (; p < P; ++p)
      rows_avx512<1>(l.packed + p * span, span, l.in, x, ldx, rc, re, bias,
                     static_cast<int>(p) * kPanel, l.out, y, ldy);
  }
}

#endif

} // namespace

void pack_rows(const float* w, int rows, int first, int in, float* packed) noexcept {
  const auto span = static_cast<std::size_t>(in) * kPanel;
  for (int i = 0; i < rows; ++i) {
    const int o = first + i;
    float* panel = packed + static_cast<std::size_t>(o / kPanel) * span;
    const std::size_t j = static_cast<std::size_t>(o % kPanel);
    const float* row = w + static_cast<std::size_t>(i) * static_cast<std::size_t>(in);
    for (int k = 0; k < in; ++k)
      panel[static_cast<std::size_t>(k) * kPanel + j] = row[k];
  }
}

void unpack(const float* packed, int out, int in, float* w) noexcept {
  const auto span = static_cast<std::size_t>(in) * kPanel;
  for (int o = 0; o < out; ++o) {
    const float* panel = packed + static_cast<std::size_t>(o / kPanel) * span;
    const std::size_t j = static_cast<std::size_t>(o % kPanel);
    float* row = w + static_cast<std::size_t>(o) * static_cast<std::size_t>(in);
    for (int k = 0; k < in; ++k)
      row[k] = panel[static_cast<std::size_t>(k) * kPanel + j];
  }
}

LinearFn linear_for(cpu::Isa isa) noexcept {
#ifdef SUPPORTNLP_CPU_X86
  if (isa >= cpu::Isa::avx512) return linear_avx512;
  if (isa >= cpu::Isa::avx2) return linear_avx2;
#endif
  (void)isa;
  return linear_portable;
}

} // namespace supportnlp::embed::transformer::f32
