// The int8 linear layer (int8_linear.hpp): one scalar activation
// quantization, then an integer kernel per instruction-set level, then the
// same float epilogue. Built with -ffp-contract=off (CMakeLists.txt), so no
// multiply and add below is fused at any level.
#include "embed/transformer/int8_linear.hpp"

#include "cpu/simd.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <vector>

namespace supportnlp::embed::transformer::int8 {
namespace {

// Adding and subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to
// an integer, half to even (the default rounding mode), in plain float
// arithmetic: the same result as cvtps2dq in every vector lane.
constexpr float kRound = 12582912.0f;

// Quantized activations: n rows of ldq codes (zero past `in`), scale per row.
void quantize_acts(const float* x, std::size_t n, std::size_t ldx, int in, std::int8_t* q,
                   std::size_t ldq, float* xs) noexcept {
  const auto width = static_cast<std::size_t>(in);
  for (std::size_t r = 0; r < n; ++r) {
    const float* row = x + r * ldx;
    std::int8_t* qr = q + r * ldq;
    float m = 0.0f;
    for (std::size_t k = 0; k < width; ++k)
      m = std::max(m, std::fabs(row[k]));
    std::memset(qr, 0, ldq);
    if (!(m > 0.0f) || !(m <= FLT_MAX)) { // all zero (or not finite): y = b
      xs[r] = 0.0f;
      continue;
    }
    const float inv = 127.0f / m;
    xs[r] = m / 127.0f;
    for (std::size_t k = 0; k < width; ++k) {
      float v = row[k] * inv;
      v = (v + kRound) - kRound;
      v = std::min(127.0f, std::max(-127.0f, v)); // a NaN becomes -127
      qr[k] = static_cast<std::int8_t>(static_cast<int>(v));
    }
  }
}

// y = float(acc) * (xs * scale) + bias for outputs [o0, o1) of row r.
inline void epilogue(const std::int32_t* acc, float xs, const QLinear& l, const float* bias, int o0,
                     int o1, float* y) noexcept {
  for (int o = o0; o < o1; ++o) {
    const float c = xs * l.scale[o];
    const float v = static_cast<float>(acc[o - o0]) * c;
    y[o] = v + bias[o];
  }
}

using KernelFn = void (*)(const std::int8_t* xq, std::size_t ldq, const float* xs, std::size_t n,
                          const QLinear& l, const float* bias, float* y, std::size_t ldy);

void kernel_portable(const std::int8_t* xq, std::size_t ldq, const float* xs, std::size_t n,
                     const QLinear& l, const float* bias, float* y, std::size_t ldy) {
  const std::size_t G = groups(l.in), B = blocks(l.out);
  for (std::size_t b = 0; b < B; ++b) {
    const std::int8_t* wb = l.packed + b * G * 64;
    const int o0 = static_cast<int>(b) * kBlock, o1 = std::min(l.out, o0 + kBlock);
    for (std::size_t r = 0; r < n; ++r) {
      std::int32_t acc[kBlock] = {};
      const std::int8_t* xr = xq + r * ldq;
      for (std::size_t g = 0; g < G; ++g) {
        const std::int8_t* w = wb + g * 64;
        const std::int8_t* xg = xr + 4 * g;
        for (int o = 0; o < kBlock; ++o)
          acc[o] +=
              w[4 * o] * xg[0] + w[4 * o + 1] * xg[1] + w[4 * o + 2] * xg[2] + w[4 * o + 3] * xg[3];
      }
      epilogue(acc, xs[r], l, bias, o0, o1, y + r * ldy);
    }
  }
}

#ifdef SUPPORTNLP_CPU_X86

// Rows of activations per pass over a weight panel (their codes stay in L2).
constexpr std::size_t kRowChunk = 96;

// AVX2: 16 outputs are two registers of 8 outputs x 4 codes. maddubs takes
// an unsigned and a signed operand and saturates pairs to int16; with |x| as
// the unsigned side and the weight carrying x's sign (sign_epi8), a pair is
// at most 2 * 127 * 127 < 32767, so nothing saturates and the sums are exact.
template <int R>
SUPPORTNLP_TARGET_AVX2 inline void tile_avx2(const std::int8_t* wb, std::size_t G,
                                             const std::int8_t* xq, std::size_t ldq,
                                             std::int32_t* out) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (std::size_t g = 0; g < G; ++g) {
    const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + g * 64));
    const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + g * 64 + 32));
    for (int r = 0; r < R; ++r) {
      std::int32_t quad;
      std::memcpy(&quad, xq + static_cast<std::size_t>(r) * ldq + 4 * g, 4);
      const __m256i xb = _mm256_set1_epi32(quad);
      const __m256i ax = _mm256_abs_epi8(xb);
      acc[r][0] = _mm256_add_epi32(
          acc[r][0], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(w0, xb)), ones));
      acc[r][1] = _mm256_add_epi32(
          acc[r][1], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(w1, xb)), ones));
    }
  }
  for (int r = 0; r < R; ++r) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16 * r), acc[r][0]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16 * r + 8), acc[r][1]);
  }
}

SUPPORTNLP_TARGET_AVX2 inline void epilogue_avx2(const std::int32_t* acc, float xs,
                                                 const QLinear& l, const float* bias, int o0,
                                                 int o1, float* y) {
  if (o1 - o0 < kBlock) return epilogue(acc, xs, l, bias, o0, o1, y);
  const __m256 s = _mm256_set1_ps(xs);
  for (int h = 0; h < 2; ++h) {
    const int o = o0 + 8 * h;
    const __m256 c = _mm256_mul_ps(s, _mm256_loadu_ps(l.scale + o));
    const __m256 v = _mm256_mul_ps(
        _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + 8 * h))), c);
    _mm256_storeu_ps(y + o, _mm256_add_ps(v, _mm256_loadu_ps(bias + o)));
  }
}

SUPPORTNLP_TARGET_AVX2 void kernel_avx2(const std::int8_t* xq, std::size_t ldq, const float* xs,
                                        std::size_t n, const QLinear& l, const float* bias,
                                        float* y, std::size_t ldy) {
  const std::size_t G = groups(l.in), B = blocks(l.out);
  alignas(32) std::int32_t acc[4 * kBlock];
  for (std::size_t rc = 0; rc < n; rc += kRowChunk) {
    const std::size_t re = std::min(n, rc + kRowChunk);
    for (std::size_t b = 0; b < B; ++b) {
      const std::int8_t* wb = l.packed + b * G * 64;
      const int o0 = static_cast<int>(b) * kBlock, o1 = std::min(l.out, o0 + kBlock);
      std::size_t r = rc;
      for (; r + 4 <= re; r += 4) {
        tile_avx2<4>(wb, G, xq + r * ldq, ldq, acc);
        for (int i = 0; i < 4; ++i)
          epilogue_avx2(acc + kBlock * i, xs[r + i], l, bias, o0, o1, y + (r + i) * ldy);
      }
      for (; r < re; ++r) {
        tile_avx2<1>(wb, G, xq + r * ldq, ldq, acc);
        epilogue_avx2(acc, xs[r], l, bias, o0, o1, y + r * ldy);
      }
    }
  }
}

// AVX-512 VNNI: dpbusd multiplies unsigned by signed bytes and adds groups of
// four into int32 lanes (wrapping, never saturating). The activation codes
// are the unsigned side as x + 128 (x XOR 0x80, broadcast four at a time),
// the packed weights the signed side (one register = one block of 16
// outputs); the offset adds 128 * sum_k q[o][k] to output o, taken off once
// at the end. acc + dpbusd(u, s) as one instruction in inline assembly, as in
// cpu/batch_scan.cpp (GCC 12 spills accumulators around the intrinsic).
SUPPORTNLP_TARGET_AVX512 inline __m512i dpbusd(__m512i acc, __m512i u, __m512i s) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(u), "v"(s));
  return acc;
}

template <int R, int V>
SUPPORTNLP_TARGET_AVX512 inline void tile_vnni(const std::int8_t* wb, std::size_t G,
                                               const std::int8_t* xq, std::size_t ldq,
                                               const float* xs, const QLinear& l, const float* bias,
                                               int o_first, float* y, std::size_t ldy) {
  __m512i acc[R * V];
  for (int i = 0; i < R * V; ++i)
    acc[i] = _mm512_setzero_si512();
  const __m512i flip = _mm512_set1_epi32(static_cast<int>(0x80808080u));
  for (std::size_t g = 0; g < G; ++g) {
    __m512i w[V];
    for (int v = 0; v < V; ++v)
      w[v] = _mm512_loadu_si512(wb + (static_cast<std::size_t>(v) * G + g) * 64);
    for (int r = 0; r < R; ++r) {
      std::int32_t quad;
      std::memcpy(&quad, xq + static_cast<std::size_t>(r) * ldq + 4 * g, 4);
      const __m512i u = _mm512_xor_si512(_mm512_set1_epi32(quad), flip);
      for (int v = 0; v < V; ++v)
        acc[r * V + v] = dpbusd(acc[r * V + v], u, w[v]);
    }
  }
  for (int v = 0; v < V; ++v) {
    const int o = o_first + kBlock * v;
    const int valid = std::min(kBlock, l.out - o);
    const __mmask16 m = static_cast<__mmask16>(valid >= 16 ? 0xFFFF : (1u << valid) - 1);
    const __m512i corr = _mm512_slli_epi32(_mm512_loadu_si512(l.sums + o), 7);
    const __m512 scale = _mm512_maskz_loadu_ps(m, l.scale + o);
    const __m512 b = _mm512_maskz_loadu_ps(m, bias + o);
    for (int r = 0; r < R; ++r) {
      const __m512 c = _mm512_mul_ps(_mm512_set1_ps(xs[r]), scale);
      const __m512 val =
          _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r * V + v], corr)), c);
      _mm512_mask_storeu_ps(y + static_cast<std::size_t>(r) * ldy + o, m, _mm512_add_ps(val, b));
    }
  }
}

template <int V>
SUPPORTNLP_TARGET_AVX512 inline void
rows_vnni(const std::int8_t* wb, std::size_t G, const std::int8_t* xq, std::size_t ldq,
          const float* xs, std::size_t r0, std::size_t r1, const QLinear& l, const float* bias,
          int o, float* y, std::size_t ldy) {
  std::size_t r = r0;
  for (; r + 4 <= r1; r += 4)
    tile_vnni<4, V>(wb, G, xq + r * ldq, ldq, xs + r, l, bias, o, y + r * ldy, ldy);
  for (; r < r1; ++r)
    tile_vnni<1, V>(wb, G, xq + r * ldq, ldq, xs + r, l, bias, o, y + r * ldy, ldy);
}

SUPPORTNLP_TARGET_AVX512 void kernel_vnni(const std::int8_t* xq, std::size_t ldq, const float* xs,
                                          std::size_t n, const QLinear& l, const float* bias,
                                          float* y, std::size_t ldy) {
  const std::size_t G = groups(l.in), B = blocks(l.out);
  for (std::size_t rc = 0; rc < n; rc += kRowChunk) {
    const std::size_t re = std::min(n, rc + kRowChunk);
    std::size_t b = 0;
    for (; b + 4 <= B; b += 4)
      rows_vnni<4>(l.packed + b * G * 64, G, xq, ldq, xs, rc, re, l, bias,
                   static_cast<int>(b) * kBlock, y, ldy);
    for (; b < B; ++b)
      rows_vnni<1>(l.packed + b * G * 64, G, xq, ldq, xs, rc, re, l, bias,
                   static_cast<int>(b) * kBlock, y, ldy);
  }
}

#endif

template <KernelFn Kernel>
void linear(const float* x, std::size_t n, std::size_t ldx, const QLinear& l, const float* bias,
            float* y, std::size_t ldy) noexcept {
  if (n == 0) return;
  try {
    const std::size_t ldq = groups(l.in) * kGroup;
    std::vector<std::int8_t> q(n * ldq);
    std::vector<float> xs(n);
    quantize_acts(x, n, ldx, l.in, q.data(), ldq, xs.data());
    Kernel(q.data(), ldq, xs.data(), n, l, bias, y, ldy);
  } catch (...) {
    for (std::size_t r = 0; r < n; ++r)
      std::fill(y + r * ldy, y + r * ldy + l.out, 0.0f);
  }
}

} // namespace

void quantize_rows(const float* w, std::size_t rows, std::size_t cols, std::int8_t* q,
                   float* scale) noexcept {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = w + r * cols;
    float m = 0.0f;
    for (std::size_t k = 0; k < cols; ++k)
      m = std::max(m, std::fabs(row[k]));
    scale[r] = m > 0.0f ? m / 127.0f : 1.0f;
    for (std::size_t k = 0; k < cols; ++k) {
      const float v = std::nearbyint(row[k] / scale[r]);
      q[r * cols + k] = static_cast<std::int8_t>(std::min(127.0f, std::max(-127.0f, v)));
    }
  }
}

void pack(const std::int8_t* q, int out, int in, std::int8_t* packed) noexcept {
  const std::size_t G = groups(in), B = blocks(out);
  std::memset(packed, 0, B * G * 64);
  for (int o = 0; o < out; ++o)
    for (int k = 0; k < in; ++k) {
      const std::size_t b = static_cast<std::size_t>(o / kBlock),
                        g = static_cast<std::size_t>(k / kGroup);
      packed[((b * G + g) * kBlock + static_cast<std::size_t>(o % kBlock)) * kGroup +
             static_cast<std::size_t>(k % kGroup)] = q[static_cast<std::size_t>(o) * in + k];
    }
}

void row_sums(const std::int8_t* packed, int out, int in, std::int32_t* sums) noexcept {
  const std::size_t G = groups(in), B = blocks(out);
  for (std::size_t b = 0; b < B; ++b)
    for (int o = 0; o < kBlock; ++o) {
      std::int32_t s = 0;
      for (std::size_t g = 0; g < G; ++g)
        for (int t = 0; t < kGroup; ++t)
          s += packed[((b * G + g) * kBlock + static_cast<std::size_t>(o)) * kGroup + t];
      sums[b * kBlock + static_cast<std::size_t>(o)] = s;
    }
}

std::size_t find_min_code(const std::int8_t* codes, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    if (codes[i] == -128) return i;
  return n;
}

void dequantize_row(const std::int8_t* q, float scale, int n, float* out) noexcept {
  for (int j = 0; j < n; ++j)
    out[j] = static_cast<float>(q[j]) * scale;
}

LinearFn linear_for(cpu::Isa isa) noexcept {
#ifdef SUPPORTNLP_CPU_X86
  if (isa >= cpu::Isa::avx512) return linear<kernel_vnni>;
  if (isa >= cpu::Isa::avx2) return linear<kernel_avx2>;
#endif
  (void)isa;
  return linear<kernel_portable>;
}

} // namespace supportnlp::embed::transformer::int8
