// The dense-scan kernels (DenseIndex, one query against a block of rows):
// float32 rows, int8 rows with an int8 query, int8 rows with a float query.
// SSE2 is the x86-64 baseline, so the portable level has SSE2 int8 kernels;
// float32 rows at that level go to Eigen's matrix-vector product.
#include "cpu/kernel_families.hpp"
#include "cpu/simd.hpp"

namespace supportnlp::cpu {

void score_f32_reference(const float* rows, std::size_t n, int dim, const float* q, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const float* r = rows + i * static_cast<std::size_t>(dim);
    float acc = 0.0f;
    for (int j = 0; j < dim; ++j)
      acc += r[j] * q[j];
    out[i] = acc;
  }
}

void score_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                        const QueryI8& query, float* out) {
  const std::int8_t* q = query.codes;
  const float qscale = query.scale;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* r = rows + i * static_cast<std::size_t>(dim);
    std::int32_t acc = 0;
    for (int j = 0; j < dim; ++j)
      acc += static_cast<std::int32_t>(r[j]) * q[j];
    out[i] = scales[i] * qscale * static_cast<float>(acc);
  }
}

void score_f32q_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                          const float* q, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* r = rows + i * static_cast<std::size_t>(dim);
    float acc = 0.0f;
    for (int j = 0; j < dim; ++j)
      acc += static_cast<float>(r[j]) * q[j];
    out[i] = scales[i] * acc;
  }
}

#ifdef SUPPORTNLP_CPU_X86
namespace {

inline std::int32_t hsum_epi32_128(__m128i v) {
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0x4E));
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0xB1));
  return _mm_cvtsi128_si32(v);
}

void score_i8_sse2(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                   const QueryI8& query, float* out) {
  const std::int16_t* q = query.wide;
  const float qscale = query.scale;
  const int body = dim & ~15;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* r = rows + i * static_cast<std::size_t>(dim);
    __m128i acc = _mm_setzero_si128();
    for (int j = 0; j < body; j += 16) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r + j));
      // Sign-extend bytes to int16: put each byte in the high half, shift back.
      const __m128i lo = _mm_srai_epi16(_mm_unpacklo_epi8(b, b), 8);
      const __m128i hi = _mm_srai_epi16(_mm_unpackhi_epi8(b, b), 8);
      acc = _mm_add_epi32(
          acc, _mm_madd_epi16(lo, _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + j))));
      acc = _mm_add_epi32(
          acc, _mm_madd_epi16(hi, _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + j + 8))));
    }
    std::int32_t sum = hsum_epi32_128(acc);
    for (int j = body; j < dim; ++j)
      sum += static_cast<std::int32_t>(r[j]) * q[j];
    out[i] = scales[i] * qscale * static_cast<float>(sum);
  }
}

SUPPORTNLP_TARGET_AVX2 void score_i8_avx2(const std::int8_t* rows, const float* scales,
                                          std::size_t n, int dim, const QueryI8& query,
                                          float* out) {
  const std::int16_t* q = query.wide;
  const float qscale = query.scale;
  const int body = dim & ~31;
  std::size_t i = 0;
  // Two rows at a time share the query loads.
  for (; i + 2 <= n; i += 2) {
    const std::int8_t* r0 = rows + i * static_cast<std::size_t>(dim);
    const std::int8_t* r1 = r0 + dim;
    __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();
    for (int j = 0; j < body; j += 32) {
      const __m256i q0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + j));
      const __m256i q1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + j + 16));
      const __m256i x0 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + j)));
      const __m256i x1 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + j + 16)));
      const __m256i y0 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + j)));
      const __m256i y1 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + j + 16)));
      a0 = _mm256_add_epi32(a0,
                            _mm256_add_epi32(_mm256_madd_epi16(x0, q0), _mm256_madd_epi16(x1, q1)));
      a1 = _mm256_add_epi32(a1,
                            _mm256_add_epi32(_mm256_madd_epi16(y0, q0), _mm256_madd_epi16(y1, q1)));
    }
    std::int32_t s0 =
        hsum_epi32_128(_mm_add_epi32(_mm256_castsi256_si128(a0), _mm256_extracti128_si256(a0, 1)));
    std::int32_t s1 =
        hsum_epi32_128(_mm_add_epi32(_mm256_castsi256_si128(a1), _mm256_extracti128_si256(a1, 1)));
    for (int j = body; j < dim; ++j) {
      s0 += static_cast<std::int32_t>(r0[j]) * q[j];
      s1 += static_cast<std::int32_t>(r1[j]) * q[j];
    }
    out[i] = scales[i] * qscale * static_cast<float>(s0);
    out[i + 1] = scales[i + 1] * qscale * static_cast<float>(s1);
  }
  if (i < n)
    score_i8_sse2(rows + i * static_cast<std::size_t>(dim), scales + i, n - i, dim, query, out + i);
}

void score_f32q_sse2(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                     const float* q, float* out) {
  const int body = dim & ~7;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* r = rows + i * static_cast<std::size_t>(dim);
    __m128 acc = _mm_setzero_ps();
    for (int j = 0; j < body; j += 8) {
      const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(r + j));
      const __m128i w = _mm_srai_epi16(_mm_unpacklo_epi8(b, b), 8);
      const __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16);
      const __m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16);
      acc = _mm_add_ps(acc, _mm_mul_ps(_mm_cvtepi32_ps(lo), _mm_loadu_ps(q + j)));
      acc = _mm_add_ps(acc, _mm_mul_ps(_mm_cvtepi32_ps(hi), _mm_loadu_ps(q + j + 4)));
    }
    alignas(16) float lanes[4];
    _mm_store_ps(lanes, acc);
    float sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (int j = body; j < dim; ++j)
      sum += static_cast<float>(r[j]) * q[j];
    out[i] = scales[i] * sum;
  }
}

SUPPORTNLP_TARGET_AVX2 void score_f32q_avx2(const std::int8_t* rows, const float* scales,
                                            std::size_t n, int dim, const float* q, float* out) {
  const int body = dim & ~15;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* r = rows + i * static_cast<std::size_t>(dim);
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    for (int j = 0; j < body; j += 16) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r + j));
      const __m256 x0 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
      const __m256 x1 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(b, 8)));
      a0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(q + j), a0);
      a1 = _mm256_fmadd_ps(x1, _mm256_loadu_ps(q + j + 8), a1);
    }
    const __m256 a = _mm256_add_ps(a0, a1);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    float sum = _mm_cvtss_f32(s);
    for (int j = body; j < dim; ++j)
      sum += static_cast<float>(r[j]) * q[j];
    out[i] = scales[i] * sum;
  }
}

SUPPORTNLP_TARGET_AVX2 inline float hsum(__m256 a) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
  return _mm_cvtss_f32(s);
}

// Float32 rows one at a time, in address order, with four independent
// accumulators per row. Reading rows strictly sequentially matters more than
// reusing query loads: interleaving four rows (four streams a row apart) ran
// at 0.55-0.65 of the streaming read bandwidth on the AMD EPYC test machine,
// this order at 0.9-1.0 (the query stays in L1, so its extra loads are free).
SUPPORTNLP_TARGET_AVX2 void score_f32_avx2(const float* rows, std::size_t n, int dim,
                                           const float* q, float* out) {
  const int body32 = dim & ~31;
  const int body8 = dim & ~7;
  const std::size_t d = static_cast<std::size_t>(dim);
  for (std::size_t i = 0; i < n; ++i) {
    const float* r = rows + i * d;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),
           a3 = _mm256_setzero_ps();
    int j = 0;
    for (; j < body32; j += 32) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r + j), _mm256_loadu_ps(q + j), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r + j + 8), _mm256_loadu_ps(q + j + 8), a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r + j + 16), _mm256_loadu_ps(q + j + 16), a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r + j + 24), _mm256_loadu_ps(q + j + 24), a3);
    }
    for (; j < body8; j += 8)
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r + j), _mm256_loadu_ps(q + j), a0);
    float s = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; j < dim; ++j)
      s += r[j] * q[j];
    out[i] = s;
  }
}

// Int8 x int8 with VNNI: dpbusd multiplies unsigned by signed bytes, so the
// query's sign is moved onto the row (|q| * (sign(q) * r) = q * r); codes
// are in [-127, 127], so negating a row byte cannot overflow. Four rows per
// iteration with independent accumulators; their four sums come out of one
// transposing reduction (no per-row horizontal add), and the scales are
// applied four at a time.
SUPPORTNLP_TARGET_AVX512 inline __m128i sum4_epi32(__m512i a0, __m512i a1, __m512i a2, __m512i a3) {
  // Per 128-bit lane: interleave and add pairs, then quads, giving each
  // lane [a0, a1, a2, a3] partial sums; then add the four lanes.
  const __m512i t01 =
      _mm512_add_epi32(_mm512_unpacklo_epi32(a0, a1), _mm512_unpackhi_epi32(a0, a1));
  const __m512i t23 =
      _mm512_add_epi32(_mm512_unpacklo_epi32(a2, a3), _mm512_unpackhi_epi32(a2, a3));
  __m512i u = _mm512_add_epi32(_mm512_unpacklo_epi64(t01, t23), _mm512_unpackhi_epi64(t01, t23));
  u = _mm512_add_epi32(u, _mm512_shuffle_i32x4(u, u, 0x4E));
  u = _mm512_add_epi32(u, _mm512_shuffle_i32x4(u, u, 0xB1));
  return _mm512_castsi512_si128(u);
}

// Software prefetch 4 KB ahead in the int8 scan: 256-byte rows give the
// hardware prefetcher little time per row, and the scan read at 13-20 GB/s
// (half the plain read) without it, 25-40 GB/s with it (1M x 256 int8 query
// 12.3 -> 9.8 ms, 100k x 384 1.54 -> 1.06 ms in back-to-back runs). The
// float32 scan showed no clear gain in the same noise, so it has none.
constexpr std::size_t kPrefetchI8 = 4096;

template <int kChunks>
SUPPORTNLP_TARGET_AVX512 void score_i8_vnni_rows(const std::int8_t* rows, const float* scales,
                                                 std::size_t n, int dim, const QueryI8& query,
                                                 float* out, int chunks) {
  const int cs = kChunks > 0 ? kChunks : chunks;
  // The query's absolute values and negative-lane masks, per 64-byte chunk.
  __m512i qabs[kChunks > 0 ? kChunks : 64];
  __mmask64 qneg[kChunks > 0 ? kChunks : 64];
  for (int c = 0; c < cs; ++c) {
    const __m512i qv = _mm512_loadu_si512(query.codes + 64 * c);
    qabs[c] = _mm512_abs_epi8(qv);
    qneg[c] = _mm512_movepi8_mask(qv);
  }
  const __m512i zero = _mm512_setzero_si512();
  const std::size_t d = static_cast<std::size_t>(dim);
  const int body = 64 * cs;
  const __m128 qscale = _mm_set1_ps(query.scale);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const std::int8_t* r0 = rows + i * d;
    const std::int8_t* r1 = r0 + d;
    const std::int8_t* r2 = r1 + d;
    const std::int8_t* r3 = r2 + d;
    __m512i a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    // May point past the last row: a prefetch never faults, and within an
    // index the next block's rows follow.
    for (std::size_t l = 0; l < 4 * d; l += 64)
      _mm_prefetch(reinterpret_cast<const char*>(r0) + kPrefetchI8 + l, _MM_HINT_T0);
    for (int c = 0; c < cs; ++c) {
      const __m512i x = _mm512_loadu_si512(r0 + 64 * c);
      a0 = _mm512_dpbusd_epi32(a0, qabs[c], _mm512_mask_sub_epi8(x, qneg[c], zero, x));
    }
    for (int c = 0; c < cs; ++c) {
      const __m512i x = _mm512_loadu_si512(r1 + 64 * c);
      a1 = _mm512_dpbusd_epi32(a1, qabs[c], _mm512_mask_sub_epi8(x, qneg[c], zero, x));
    }
    for (int c = 0; c < cs; ++c) {
      const __m512i x = _mm512_loadu_si512(r2 + 64 * c);
      a2 = _mm512_dpbusd_epi32(a2, qabs[c], _mm512_mask_sub_epi8(x, qneg[c], zero, x));
    }
    for (int c = 0; c < cs; ++c) {
      const __m512i x = _mm512_loadu_si512(r3 + 64 * c);
      a3 = _mm512_dpbusd_epi32(a3, qabs[c], _mm512_mask_sub_epi8(x, qneg[c], zero, x));
    }
    __m128i s = sum4_epi32(a0, a1, a2, a3);
    if (body < dim) {
      alignas(16) std::int32_t t[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(t), s);
      for (int j = body; j < dim; ++j) {
        const std::int32_t qj = query.codes[j];
        t[0] += r0[j] * qj;
        t[1] += r1[j] * qj;
        t[2] += r2[j] * qj;
        t[3] += r3[j] * qj;
      }
      s = _mm_load_si128(reinterpret_cast<const __m128i*>(t));
    }
    const __m128 sc = _mm_mul_ps(_mm_loadu_ps(scales + i), qscale);
    _mm_storeu_ps(out + i, _mm_mul_ps(sc, _mm_cvtepi32_ps(s)));
  }
  for (; i < n; ++i) {
    const std::int8_t* r = rows + i * d;
    __m512i a = zero;
    for (int c = 0; c < cs; ++c) {
      const __m512i x = _mm512_loadu_si512(r + 64 * c);
      a = _mm512_dpbusd_epi32(a, qabs[c], _mm512_mask_sub_epi8(x, qneg[c], zero, x));
    }
    std::int32_t sum = _mm512_reduce_add_epi32(a);
    for (int j = body; j < dim; ++j)
      sum += static_cast<std::int32_t>(r[j]) * query.codes[j];
    out[i] = scales[i] * query.scale * static_cast<float>(sum);
  }
}

SUPPORTNLP_TARGET_AVX512 void score_i8_vnni(const std::int8_t* rows, const float* scales,
                                            std::size_t n, int dim, const QueryI8& query,
                                            float* out) {
  const int chunks = dim / 64;
  // Common embedding sizes get a fully unrolled inner loop.
  switch (chunks) {
  case 4:
    return score_i8_vnni_rows<4>(rows, scales, n, dim, query, out, chunks);
  case 6:
    return score_i8_vnni_rows<6>(rows, scales, n, dim, query, out, chunks);
  case 12:
    return score_i8_vnni_rows<12>(rows, scales, n, dim, query, out, chunks);
  default:
    if (chunks > 64) return score_i8_avx2(rows, scales, n, dim, query, out);
    return score_i8_vnni_rows<0>(rows, scales, n, dim, query, out, chunks);
  }
}

} // namespace
#endif

void add_dense_scan(Isa isa, Kernels& k) noexcept {
#ifdef SUPPORTNLP_CPU_X86
  switch (isa) {
  case Isa::avx512:
    k.score_f32 = score_f32_avx2;
    k.score_i8 = score_i8_vnni;
    k.score_f32q = score_f32q_avx2;
    break;
  case Isa::avx2:
    k.score_f32 = score_f32_avx2;
    k.score_i8 = score_i8_avx2;
    k.score_f32q = score_f32q_avx2;
    break;
  default:
    k.score_f32 = nullptr;
    k.score_i8 = score_i8_sse2;
    k.score_f32q = score_f32q_sse2;
    break;
  }
#else
  k.score_f32 = nullptr;
  k.score_i8 = score_i8_reference;
  k.score_f32q = score_f32q_reference;
#endif
}

} // namespace supportnlp::cpu
