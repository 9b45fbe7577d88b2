// Sparse-times-dense scoring with run-time selected SIMD, for float32 and
// int8 weight tables alike. The portable loop reads and writes out[] once
// per feature; the SIMD versions keep up to 128 (AVX-512) or 80 (AVX2)
// scores in registers for the whole text, so each feature costs one
// broadcast and a multiply and an add per register (int8 weights are
// widened to float in the register). No fused multiply-add (this file is
// built with -ffp-contract=off): every version adds the same products in the
// same order, so a model scores a text identically, bit for bit, on every
// x86-64 CPU.
#include "cpu/kernel_families.hpp"
#include "cpu/simd.hpp"

#include <algorithm>

namespace supportnlp::cpu {
namespace {

constexpr std::size_t kAhead = 4; // rows prefetched this many entries ahead

// One call's operands. Row r of the table is w[r * k .. + k), times
// row_scale[r] when row_scale is not null (int8 tables).
template <typename W> struct Problem {
  const std::uint32_t* index;
  const float* value;
  std::size_t n;
  const W* w;
  const float* row_scale;
  std::size_t k;
  const float* bias;
  std::uint32_t skip;
  float* out;

  const W* row(std::size_t i) const noexcept { return w + std::size_t(index[i]) * k; }
  // The multiplier of feature i's row: its value, times the row's scale.
  float coef(std::size_t i) const noexcept {
    return row_scale != nullptr ? value[i] * row_scale[index[i]] : value[i];
  }
  void prefetch_ahead(std::size_t i) const noexcept {
    if (i + kAhead >= n || index[i + kAhead] == skip) return;
    const char* next = reinterpret_cast<const char*>(row(i + kAhead));
    const std::size_t bytes = k * sizeof(W);
    for (std::size_t b = 0; b < bytes; b += 64)
      __builtin_prefetch(next + b);
    __builtin_prefetch(next + bytes - 1); // a row may straddle one more line
  }
};

template <typename W> void portable(const Problem<W>& p) noexcept {
  std::copy(p.bias, p.bias + p.k, p.out);
  for (std::size_t i = 0; i < p.n; ++i) {
    p.prefetch_ahead(i);
    if (p.index[i] == p.skip) continue;
    const float v = p.coef(i);
    const W* row = p.row(i);
    for (std::size_t j = 0; j < p.k; ++j)
      p.out[j] += v * static_cast<float>(row[j]);
  }
}

#ifdef SUPPORTNLP_CPU_X86

// 16 weights as floats. Float rows honour the mask (the table may end right
// after the row); int8 rows read 16 bytes whatever the mask (the table is
// padded) and the lanes past k are dropped at the store.
SUPPORTNLP_TARGET_AVX512 inline __m512 load16(const float* p, __mmask16 m) noexcept {
  return _mm512_maskz_loadu_ps(m, p);
}
SUPPORTNLP_TARGET_AVX512 inline __m512 load16(const std::int8_t* p, __mmask16) noexcept {
  const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q));
}

// Columns [c0, c0 + 16 * R) of the scores in R registers, the last one
// masked by `tail`.
template <int R, typename W>
SUPPORTNLP_TARGET_AVX512 void chunk_avx512(const Problem<W>& p, std::size_t c0,
                                           __mmask16 tail) noexcept {
  __m512 acc[R];
  for (int r = 0; r < R; ++r)
    acc[r] = _mm512_maskz_loadu_ps(r == R - 1 ? tail : __mmask16(0xffff), p.bias + c0 + 16 * r);
  for (std::size_t i = 0; i < p.n; ++i) {
    if (c0 == 0) p.prefetch_ahead(i);
    if (p.index[i] == p.skip) continue;
    const W* row = p.row(i) + c0;
    const __m512 v = _mm512_set1_ps(p.coef(i));
    for (int r = 0; r < R; ++r) {
      const __mmask16 m = r == R - 1 ? tail : __mmask16(0xffff);
      acc[r] = _mm512_add_ps(acc[r], _mm512_mul_ps(v, load16(row + 16 * r, m)));
    }
  }
  for (int r = 0; r < R; ++r)
    _mm512_mask_storeu_ps(p.out + c0 + 16 * r, r == R - 1 ? tail : __mmask16(0xffff), acc[r]);
}

template <typename W> SUPPORTNLP_TARGET_AVX512 void avx512(const Problem<W>& p) noexcept {
  for (std::size_t c0 = 0; c0 < p.k; c0 += 128) {
    const std::size_t cols = std::min<std::size_t>(128, p.k - c0);
    const int regs = static_cast<int>((cols + 15) / 16);
    const std::size_t last = cols - 16 * std::size_t(regs - 1);
    const auto tail = static_cast<__mmask16>((1u << last) - 1u);
    switch (regs) {
    case 1:
      chunk_avx512<1>(p, c0, tail);
      break;
    case 2:
      chunk_avx512<2>(p, c0, tail);
      break;
    case 3:
      chunk_avx512<3>(p, c0, tail);
      break;
    case 4:
      chunk_avx512<4>(p, c0, tail);
      break;
    case 5:
      chunk_avx512<5>(p, c0, tail);
      break;
    case 6:
      chunk_avx512<6>(p, c0, tail);
      break;
    case 7:
      chunk_avx512<7>(p, c0, tail);
      break;
    default:
      chunk_avx512<8>(p, c0, tail);
      break;
    }
  }
}

// 8 weights as floats; as load16 for the masks.
SUPPORTNLP_TARGET_AVX2 inline __m256 load8(const float* p, __m256i m) noexcept {
  return _mm256_maskload_ps(p, m);
}
SUPPORTNLP_TARGET_AVX2 inline __m256 load8(const std::int8_t* p, __m256i) noexcept {
  const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q));
}

template <int R, typename W>
SUPPORTNLP_TARGET_AVX2 void chunk_avx2(const Problem<W>& p, std::size_t c0, __m256i tail) noexcept {
  const __m256i all = _mm256_set1_epi32(-1);
  __m256 acc[R];
  for (int r = 0; r < R; ++r)
    acc[r] = _mm256_maskload_ps(p.bias + c0 + 8 * r, r == R - 1 ? tail : all);
  for (std::size_t i = 0; i < p.n; ++i) {
    if (c0 == 0) p.prefetch_ahead(i);
    if (p.index[i] == p.skip) continue;
    const W* row = p.row(i) + c0;
    const __m256 v = _mm256_set1_ps(p.coef(i));
    for (int r = 0; r < R; ++r)
      acc[r] = _mm256_add_ps(acc[r], _mm256_mul_ps(v, load8(row + 8 * r, r == R - 1 ? tail : all)));
  }
  for (int r = 0; r < R; ++r)
    _mm256_maskstore_ps(p.out + c0 + 8 * r, r == R - 1 ? tail : all, acc[r]);
}

template <typename W> SUPPORTNLP_TARGET_AVX2 void avx2(const Problem<W>& p) noexcept {
  for (std::size_t c0 = 0; c0 < p.k; c0 += 80) {
    const std::size_t cols = std::min<std::size_t>(80, p.k - c0);
    const int regs = static_cast<int>((cols + 7) / 8);
    const int last = static_cast<int>(cols - 8 * std::size_t(regs - 1));
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32(last), lane);
    switch (regs) {
    case 1:
      chunk_avx2<1>(p, c0, tail);
      break;
    case 2:
      chunk_avx2<2>(p, c0, tail);
      break;
    case 3:
      chunk_avx2<3>(p, c0, tail);
      break;
    case 4:
      chunk_avx2<4>(p, c0, tail);
      break;
    case 5:
      chunk_avx2<5>(p, c0, tail);
      break;
    case 6:
      chunk_avx2<6>(p, c0, tail);
      break;
    case 7:
      chunk_avx2<7>(p, c0, tail);
      break;
    case 8:
      chunk_avx2<8>(p, c0, tail);
      break;
    case 9:
      chunk_avx2<9>(p, c0, tail);
      break;
    default:
      chunk_avx2<10>(p, c0, tail);
      break;
    }
  }
}

#endif

} // namespace

void sparse_scores_reference(const std::uint32_t* index, const float* value, std::size_t n,
                             const float* w, std::size_t k, const float* bias, std::uint32_t skip,
                             float* out) noexcept {
  portable(Problem<float>{index, value, n, w, nullptr, k, bias, skip, out});
}

void sparse_scores_i8_reference(const std::uint32_t* index, const float* value, std::size_t n,
                                const std::int8_t* w8, const float* row_scale, std::size_t k,
                                const float* bias, std::uint32_t skip, float* out) noexcept {
  portable(Problem<std::int8_t>{index, value, n, w8, row_scale, k, bias, skip, out});
}

#ifdef SUPPORTNLP_CPU_X86
namespace {

SUPPORTNLP_TARGET_AVX2 void sparse_scores_avx2(const std::uint32_t* index, const float* value,
                                               std::size_t n, const float* w, std::size_t k,
                                               const float* bias, std::uint32_t skip,
                                               float* out) noexcept {
  avx2(Problem<float>{index, value, n, w, nullptr, k, bias, skip, out});
}
SUPPORTNLP_TARGET_AVX2 void sparse_scores_i8_avx2(const std::uint32_t* index, const float* value,
                                                  std::size_t n, const std::int8_t* w8,
                                                  const float* row_scale, std::size_t k,
                                                  const float* bias, std::uint32_t skip,
                                                  float* out) noexcept {
  avx2(Problem<std::int8_t>{index, value, n, w8, row_scale, k, bias, skip, out});
}
SUPPORTNLP_TARGET_AVX512 void sparse_scores_avx512(const std::uint32_t* index, const float* value,
                                                   std::size_t n, const float* w, std::size_t k,
                                                   const float* bias, std::uint32_t skip,
                                                   float* out) noexcept {
  avx512(Problem<float>{index, value, n, w, nullptr, k, bias, skip, out});
}
SUPPORTNLP_TARGET_AVX512 void sparse_scores_i8_avx512(const std::uint32_t* index,
                                                      const float* value, std::size_t n,
                                                      const std::int8_t* w8, const float* row_scale,
                                                      std::size_t k, const float* bias,
                                                      std::uint32_t skip, float* out) noexcept {
  avx512(Problem<std::int8_t>{index, value, n, w8, row_scale, k, bias, skip, out});
}

} // namespace
#endif

void add_sparse_scores(Isa isa, Kernels& k) noexcept {
  k.sparse_scores = sparse_scores_reference;
  k.sparse_scores_i8 = sparse_scores_i8_reference;
#ifdef SUPPORTNLP_CPU_X86
  if (isa == Isa::avx2) {
    k.sparse_scores = sparse_scores_avx2;
    k.sparse_scores_i8 = sparse_scores_i8_avx2;
  } else if (isa == Isa::avx512) {
    k.sparse_scores = sparse_scores_avx512;
    k.sparse_scores_i8 = sparse_scores_i8_avx512;
  }
#endif
}

} // namespace supportnlp::cpu
