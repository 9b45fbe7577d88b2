// The batch-scan kernels (DenseIndex, a block of rows against a whole batch
// of queries, GEMM-like, so each row is read from memory once per batch):
// float32 at the AVX2 and AVX-512 levels, int8 with VNNI at the AVX-512
// level. Where a level has none, DenseIndex uses Eigen (float32) or the
// dense-scan kernels query by query (int8).
#include "cpu/kernel_families.hpp"
#include "cpu/simd.hpp"

#include <algorithm>
#include <cstring>

namespace supportnlp::cpu {

void score_batch_f32_reference(const float* rows, std::size_t n, int dim, const float* qt,
                               std::size_t ldq, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const float* r = rows + i * static_cast<std::size_t>(dim);
    for (std::size_t c = 0; c < ldq; ++c) {
      float acc = 0.0f;
      for (int j = 0; j < dim; ++j)
        acc += r[j] * qt[static_cast<std::size_t>(j) * ldq + c];
      out[i * ldq + c] = acc;
    }
  }
}

void score_batch_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                              const std::uint8_t* qp, const float* qscales, std::size_t ldq,
                              float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* r = rows + i * static_cast<std::size_t>(dim);
    for (std::size_t c = 0; c < ldq; ++c) {
      std::int32_t acc = 0;
      for (int j = 0; j < dim; ++j)
        acc += static_cast<std::int32_t>(r[j]) *
               (static_cast<std::int32_t>(qp[(std::size_t(j / 4) * ldq + c) * 4 + j % 4]) - 128);
      out[i * ldq + c] = scales[i] * qscales[c] * static_cast<float>(acc);
    }
  }
}

#ifdef SUPPORTNLP_CPU_X86
namespace {

// Batches (GEMM-like): a tile of kRows rows x two vectors of queries is
// accumulated in registers over the whole dimension, each step one
// broadcast row component times the query components (queries transposed,
// so no horizontal sums). Row groups are the outer loop and query panels
// the inner one, so a group's rows (a few KB) come from memory once and
// from L1 for every other panel of the batch; the transposed queries (64 x
// 384 floats at most in the benchmark) stay in L2. 64 queries cost 128 flops
// per float read, so a batch is compute-bound, not memory-bound.
constexpr int kTileRows = 6;

template <int R>
SUPPORTNLP_TARGET_AVX512 inline void tile_avx512(const float* rows, std::size_t d, int dim,
                                                 const float* qt, std::size_t ldq, float* out) {
  __m512 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int j = 0; j < dim; ++j) {
    const float* qj = qt + static_cast<std::size_t>(j) * ldq;
    const __m512 q0 = _mm512_loadu_ps(qj), q1 = _mm512_loadu_ps(qj + 16);
    for (int r = 0; r < R; ++r) {
      const __m512 x = _mm512_set1_ps(rows[static_cast<std::size_t>(r) * d + j]);
      acc[r][0] = _mm512_fmadd_ps(x, q0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(x, q1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    _mm512_storeu_ps(out + static_cast<std::size_t>(r) * ldq, acc[r][0]);
    _mm512_storeu_ps(out + static_cast<std::size_t>(r) * ldq + 16, acc[r][1]);
  }
}

template <int R>
SUPPORTNLP_TARGET_AVX2 inline void tile_avx2(const float* rows, std::size_t d, int dim,
                                             const float* qt, std::size_t ldq, float* out) {
  __m256 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int j = 0; j < dim; ++j) {
    const float* qj = qt + static_cast<std::size_t>(j) * ldq;
    const __m256 q0 = _mm256_loadu_ps(qj), q1 = _mm256_loadu_ps(qj + 8);
    for (int r = 0; r < R; ++r) {
      const __m256 x = _mm256_broadcast_ss(rows + static_cast<std::size_t>(r) * d + j);
      acc[r][0] = _mm256_fmadd_ps(x, q0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(x, q1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    _mm256_storeu_ps(out + static_cast<std::size_t>(r) * ldq, acc[r][0]);
    _mm256_storeu_ps(out + static_cast<std::size_t>(r) * ldq + 8, acc[r][1]);
  }
}

// Row groups outer, query panels inner (see above); a last partial group
// goes one row at a time.
SUPPORTNLP_TARGET_AVX512 void score_batch_f32_avx512(const float* rows, std::size_t n, int dim,
                                                     const float* qt, std::size_t ldq, float* out) {
  const std::size_t d = static_cast<std::size_t>(dim);
  std::size_t i = 0;
  for (; i + kTileRows <= n; i += kTileRows)
    for (std::size_t c = 0; c < ldq; c += 32)
      tile_avx512<kTileRows>(rows + i * d, d, dim, qt + c, ldq, out + i * ldq + c);
  for (; i < n; ++i)
    for (std::size_t c = 0; c < ldq; c += 32)
      tile_avx512<1>(rows + i * d, d, dim, qt + c, ldq, out + i * ldq + c);
}

SUPPORTNLP_TARGET_AVX2 void score_batch_f32_avx2(const float* rows, std::size_t n, int dim,
                                                 const float* qt, std::size_t ldq, float* out) {
  const std::size_t d = static_cast<std::size_t>(dim);
  std::size_t i = 0;
  for (; i + kTileRows <= n; i += kTileRows)
    for (std::size_t c = 0; c < ldq; c += 16)
      tile_avx2<kTileRows>(rows + i * d, d, dim, qt + c, ldq, out + i * ldq + c);
  for (; i < n; ++i)
    for (std::size_t c = 0; c < ldq; c += 16)
      tile_avx2<1>(rows + i * d, d, dim, qt + c, ldq, out + i * ldq + c);
}

// Int8 batches with VNNI: dpbusd multiplies unsigned by signed bytes and
// adds groups of four, so the queries are the unsigned side (codes + 128,
// four components of a query per 32-bit lane, 16 queries per register) and
// four row codes are broadcast as the signed side. The +128 offset adds
// 128 * (sum of the row's codes) to every score of that row, subtracted once
// per row at the end. A tile is kTileRows rows x 64 (or 32) queries in 24
// (12) registers; row groups outer, query panels inner, as for float32.
// acc + dpbusd(u, s) as one instruction in inline assembly: with the
// intrinsic, GCC 12 copied every accumulator through the stack on each step
// (three extra moves per dpbusd), which halved the kernel's speed.
SUPPORTNLP_TARGET_AVX512 inline __m512i dpbusd(__m512i acc, __m512i u, __m512i s) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(u), "v"(s));
  return acc;
}

template <int R, int V>
SUPPORTNLP_TARGET_AVX512 inline void
tile_vnni(const std::int8_t* rows, std::size_t d, int dim, const std::uint8_t* qp, std::size_t ldq,
          const std::int32_t* rowsum, const float* scales, const float* qscales, float* out) {
  __m512i acc[R * V];
  for (int r = 0; r < R * V; ++r)
    acc[r] = _mm512_setzero_si512();
  const int groups = dim / 4;
  for (int g = 0; g < groups; ++g) {
    const std::uint8_t* qg = qp + static_cast<std::size_t>(g) * ldq * 4;
    __m512i q[V];
    for (int v = 0; v < V; ++v)
      q[v] = _mm512_loadu_si512(qg + 64 * v);
    for (int r = 0; r < R; ++r) {
      std::int32_t quad;
      std::memcpy(&quad, rows + static_cast<std::size_t>(r) * d + 4 * g, 4);
      const __m512i x = _mm512_set1_epi32(quad);
      for (int v = 0; v < V; ++v)
        acc[r * V + v] = dpbusd(acc[r * V + v], q[v], x);
    }
  }
  for (int r = 0; r < R; ++r) {
    const __m512i corr = _mm512_set1_epi32(128 * rowsum[r]);
    const __m512 sc = _mm512_set1_ps(scales[r]);
    float* o = out + static_cast<std::size_t>(r) * ldq;
    for (int v = 0; v < V; ++v)
      _mm512_storeu_ps(o + 16 * v,
                       _mm512_mul_ps(_mm512_mul_ps(sc, _mm512_loadu_ps(qscales + 16 * v)),
                                     _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r * V + v], corr))));
  }
}

// Query panels of 64 (4 registers per row: 24 accumulators, fewer loads per
// dpbusd) while they last, then one of 32.
template <int R>
SUPPORTNLP_TARGET_AVX512 inline void panels_vnni(const std::int8_t* rows, std::size_t d, int dim,
                                                 const std::uint8_t* qp, std::size_t ldq,
                                                 const std::int32_t* rowsum, const float* scales,
                                                 const float* qscales, float* out) {
  std::size_t c = 0;
  for (; c + 64 <= ldq; c += 64)
    tile_vnni<R, 4>(rows, d, dim, qp + c * 4, ldq, rowsum, scales, qscales + c, out + c);
  for (; c < ldq; c += 32)
    tile_vnni<R, 2>(rows, d, dim, qp + c * 4, ldq, rowsum, scales, qscales + c, out + c);
}

SUPPORTNLP_TARGET_AVX512 void score_batch_i8_vnni(const std::int8_t* rows, const float* scales,
                                                  std::size_t n, int dim, const std::uint8_t* qp,
                                                  const float* qscales, std::size_t ldq,
                                                  float* out) {
  const std::size_t d = static_cast<std::size_t>(dim);
  std::int32_t rowsum[kTileRows];
  for (std::size_t i = 0; i < n; i += kTileRows) {
    const int rows_here = static_cast<int>(std::min<std::size_t>(kTileRows, n - i));
    for (int r = 0; r < rows_here; ++r) {
      const std::int8_t* x = rows + (i + r) * d;
      std::int32_t s = 0;
      for (int j = 0; j < dim; ++j)
        s += x[j];
      rowsum[r] = s;
    }
    if (rows_here == kTileRows)
      panels_vnni<kTileRows>(rows + i * d, d, dim, qp, ldq, rowsum, scales + i, qscales,
                             out + i * ldq);
    else
      for (int r = 0; r < rows_here; ++r)
        panels_vnni<1>(rows + (i + r) * d, d, dim, qp, ldq, rowsum + r, scales + i + r, qscales,
                       out + (i + r) * ldq);
  }
}

} // namespace
#endif

void add_batch_scan(Isa isa, Kernels& k) noexcept {
  k.score_batch_f32 = nullptr;
  k.batch_f32_width = 1;
  k.score_batch_i8 = nullptr;
#ifdef SUPPORTNLP_CPU_X86
  if (isa == Isa::avx512) {
    k.score_batch_f32 = score_batch_f32_avx512;
    k.batch_f32_width = 32;
    k.score_batch_i8 = score_batch_i8_vnni;
  } else if (isa == Isa::avx2) {
    k.score_batch_f32 = score_batch_f32_avx2;
    k.batch_f32_width = 16;
  }
#endif
}

} // namespace supportnlp::cpu
