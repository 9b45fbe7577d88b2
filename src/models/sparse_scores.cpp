// Sparse-times-dense scoring with run-time selected SIMD. The portable loop
// reads and writes out[] once per feature; the SIMD versions keep up to 128
// (AVX-512) or 80 (AVX2) scores in registers for the whole text, so each
// feature costs one broadcast and a multiply and an add per register. No
// fused multiply-add (this file is built with -ffp-contract=off): every
// version adds the same products in the same order, so a model scores a
// text identically, bit for bit, on every x86-64 CPU.
#include "models/sparse_scores.hpp"

#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SUPPORTNLP_SPARSE_X86 1
// GCC 12 warns inside its own _mm512_cvtepi8_epi32 (an intentionally
// undefined pass-through operand); nothing of ours is uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace supportnlp::models::detail {

// The portable loops (defined below), also the fallbacks.
void sparse_scores_portable(const std::uint32_t* index, const float* value, std::size_t n,
                            const float* w, std::size_t k, const float* bias, std::uint32_t skip,
                            float* out) noexcept;
void sparse_scores_i8_portable(const std::uint32_t* index, const float* value, std::size_t n,
                               const std::int8_t* w8, const float* row_scale, std::size_t k,
                               const float* bias, std::uint32_t skip, float* out) noexcept;

namespace {

constexpr std::size_t kAhead = 4; // rows prefetched this many entries ahead

inline void prefetch_row(const float* w, std::size_t k, const std::uint32_t* index, std::size_t n,
                         std::size_t i, std::uint32_t skip) noexcept {
  if (i + kAhead >= n || index[i + kAhead] == skip) return;
  const char* next = reinterpret_cast<const char*>(w + std::size_t(index[i + kAhead]) * k);
  for (std::size_t b = 0; b < k * sizeof(float); b += 64)
    __builtin_prefetch(next + b);
}

inline void prefetch_row_i8(const std::int8_t* w8, std::size_t k, const std::uint32_t* index,
                            std::size_t n, std::size_t i, std::uint32_t skip) noexcept {
  if (i + kAhead >= n || index[i + kAhead] == skip) return;
  const char* next = reinterpret_cast<const char*>(w8 + std::size_t(index[i + kAhead]) * k);
  for (std::size_t b = 0; b < k; b += 64)
    __builtin_prefetch(next + b);
  __builtin_prefetch(next + k - 1); // a row may straddle one more line
}

#ifdef SUPPORTNLP_SPARSE_X86

// Columns [c0, c0 + 16 * R) of the scores, R registers (the last one masked
// by `tail`).
template <int R>
__attribute__((target("avx512f"))) void
chunk_avx512(const std::uint32_t* index, const float* value, std::size_t n, const float* w,
             std::size_t k, const float* bias, std::uint32_t skip, float* out, std::size_t c0,
             __mmask16 tail) noexcept {
  __m512 acc[R];
  for (int r = 0; r < R; ++r) {
    const __mmask16 m = r == R - 1 ? tail : __mmask16(0xffff);
    acc[r] = _mm512_maskz_loadu_ps(m, bias + c0 + 16 * r);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (c0 == 0) prefetch_row(w, k, index, n, i, skip);
    if (index[i] == skip) continue;
    const float* row = w + std::size_t(index[i]) * k + c0;
    const __m512 v = _mm512_set1_ps(value[i]);
    for (int r = 0; r < R; ++r) {
      const __mmask16 m = r == R - 1 ? tail : __mmask16(0xffff);
      acc[r] = _mm512_add_ps(acc[r], _mm512_mul_ps(v, _mm512_maskz_loadu_ps(m, row + 16 * r)));
    }
  }
  for (int r = 0; r < R; ++r) {
    const __mmask16 m = r == R - 1 ? tail : __mmask16(0xffff);
    _mm512_mask_storeu_ps(out + c0 + 16 * r, m, acc[r]);
  }
}

__attribute__((target("avx512f"))) void
scores_avx512(const std::uint32_t* index, const float* value, std::size_t n, const float* w,
              std::size_t k, const float* bias, std::uint32_t skip, float* out) noexcept {
  for (std::size_t c0 = 0; c0 < k; c0 += 128) {
    const std::size_t cols = std::min<std::size_t>(128, k - c0);
    const int regs = static_cast<int>((cols + 15) / 16);
    const std::size_t last = cols - 16 * std::size_t(regs - 1);
    const auto tail = static_cast<__mmask16>((1u << last) - 1u);
    switch (regs) {
#define SUPPORTNLP_CASE(R)                                                                         \
  case R:                                                                                          \
    chunk_avx512<R>(index, value, n, w, k, bias, skip, out, c0, tail);                             \
    break;
      SUPPORTNLP_CASE(1)
      SUPPORTNLP_CASE(2)
      SUPPORTNLP_CASE(3)
      SUPPORTNLP_CASE(4)
      SUPPORTNLP_CASE(5)
      SUPPORTNLP_CASE(6)
      SUPPORTNLP_CASE(7)
      SUPPORTNLP_CASE(8)
#undef SUPPORTNLP_CASE
    }
  }
}

template <int R>
__attribute__((target("avx2"))) void chunk_avx2(const std::uint32_t* index, const float* value,
                                                std::size_t n, const float* w, std::size_t k,
                                                const float* bias, std::uint32_t skip, float* out,
                                                std::size_t c0, __m256i tail) noexcept {
  const __m256i all = _mm256_set1_epi32(-1);
  __m256 acc[R];
  for (int r = 0; r < R; ++r)
    acc[r] = _mm256_maskload_ps(bias + c0 + 8 * r, r == R - 1 ? tail : all);
  for (std::size_t i = 0; i < n; ++i) {
    if (c0 == 0) prefetch_row(w, k, index, n, i, skip);
    if (index[i] == skip) continue;
    const float* row = w + std::size_t(index[i]) * k + c0;
    const __m256 v = _mm256_set1_ps(value[i]);
    for (int r = 0; r < R - 1; ++r)
      acc[r] = _mm256_add_ps(acc[r], _mm256_mul_ps(v, _mm256_loadu_ps(row + 8 * r)));
    acc[R - 1] =
        _mm256_add_ps(acc[R - 1], _mm256_mul_ps(v, _mm256_maskload_ps(row + 8 * (R - 1), tail)));
  }
  for (int r = 0; r < R; ++r)
    _mm256_maskstore_ps(out + c0 + 8 * r, r == R - 1 ? tail : all, acc[r]);
}

__attribute__((target("avx2"))) void scores_avx2(const std::uint32_t* index, const float* value,
                                                 std::size_t n, const float* w, std::size_t k,
                                                 const float* bias, std::uint32_t skip,
                                                 float* out) noexcept {
  for (std::size_t c0 = 0; c0 < k; c0 += 80) {
    const std::size_t cols = std::min<std::size_t>(80, k - c0);
    const int regs = static_cast<int>((cols + 7) / 8);
    const int last = static_cast<int>(cols - 8 * std::size_t(regs - 1));
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32(last), lane);
    switch (regs) {
#define SUPPORTNLP_CASE(R)                                                                         \
  case R:                                                                                          \
    chunk_avx2<R>(index, value, n, w, k, bias, skip, out, c0, tail);                               \
    break;
      SUPPORTNLP_CASE(1)
      SUPPORTNLP_CASE(2)
      SUPPORTNLP_CASE(3)
      SUPPORTNLP_CASE(4)
      SUPPORTNLP_CASE(5)
      SUPPORTNLP_CASE(6)
      SUPPORTNLP_CASE(7)
      SUPPORTNLP_CASE(8)
      SUPPORTNLP_CASE(9)
      SUPPORTNLP_CASE(10)
#undef SUPPORTNLP_CASE
    }
  }
}

// int8 rows: 16 (AVX-512) or 8 (AVX2) weights widened to float per
// register; lanes past k read the padding or the next row and are dropped
// at the store.
template <int R>
__attribute__((target("avx512f"))) void
chunk_i8_avx512(const std::uint32_t* index, const float* value, std::size_t n,
                const std::int8_t* w8, const float* row_scale, std::size_t k, const float* bias,
                std::uint32_t skip, float* out, std::size_t c0, __mmask16 tail) noexcept {
  __m512 acc[R];
  for (int r = 0; r < R; ++r) {
    const __mmask16 m = r == R - 1 ? tail : __mmask16(0xffff);
    acc[r] = _mm512_maskz_loadu_ps(m, bias + c0 + 16 * r);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (c0 == 0) prefetch_row_i8(w8, k, index, n, i, skip);
    if (index[i] == skip) continue;
    const std::int8_t* row = w8 + std::size_t(index[i]) * k + c0;
    const __m512 v = _mm512_set1_ps(value[i] * row_scale[index[i]]);
    for (int r = 0; r < R; ++r) {
      const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 16 * r));
      acc[r] = _mm512_add_ps(acc[r], _mm512_mul_ps(v, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q))));
    }
  }
  for (int r = 0; r < R; ++r) {
    const __mmask16 m = r == R - 1 ? tail : __mmask16(0xffff);
    _mm512_mask_storeu_ps(out + c0 + 16 * r, m, acc[r]);
  }
}

__attribute__((target("avx512f"))) void
scores_i8_avx512(const std::uint32_t* index, const float* value, std::size_t n,
                 const std::int8_t* w8, const float* row_scale, std::size_t k, const float* bias,
                 std::uint32_t skip, float* out) noexcept {
  for (std::size_t c0 = 0; c0 < k; c0 += 128) {
    const std::size_t cols = std::min<std::size_t>(128, k - c0);
    const int regs = static_cast<int>((cols + 15) / 16);
    const std::size_t last = cols - 16 * std::size_t(regs - 1);
    const auto tail = static_cast<__mmask16>((1u << last) - 1u);
    switch (regs) {
#define SUPPORTNLP_CASE(R)                                                                         \
  case R:                                                                                          \
    chunk_i8_avx512<R>(index, value, n, w8, row_scale, k, bias, skip, out, c0, tail);              \
    break;
      SUPPORTNLP_CASE(1)
      SUPPORTNLP_CASE(2)
      SUPPORTNLP_CASE(3)
      SUPPORTNLP_CASE(4)
      SUPPORTNLP_CASE(5)
      SUPPORTNLP_CASE(6)
      SUPPORTNLP_CASE(7)
      SUPPORTNLP_CASE(8)
#undef SUPPORTNLP_CASE
    }
  }
}

template <int R>
__attribute__((target("avx2"))) void
chunk_i8_avx2(const std::uint32_t* index, const float* value, std::size_t n, const std::int8_t* w8,
              const float* row_scale, std::size_t k, const float* bias, std::uint32_t skip,
              float* out, std::size_t c0, __m256i tail) noexcept {
  const __m256i all = _mm256_set1_epi32(-1);
  __m256 acc[R];
  for (int r = 0; r < R; ++r)
    acc[r] = _mm256_maskload_ps(bias + c0 + 8 * r, r == R - 1 ? tail : all);
  for (std::size_t i = 0; i < n; ++i) {
    if (c0 == 0) prefetch_row_i8(w8, k, index, n, i, skip);
    if (index[i] == skip) continue;
    const std::int8_t* row = w8 + std::size_t(index[i]) * k + c0;
    const __m256 v = _mm256_set1_ps(value[i] * row_scale[index[i]]);
    for (int r = 0; r < R; ++r) {
      const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + 8 * r));
      acc[r] = _mm256_add_ps(acc[r], _mm256_mul_ps(v, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q))));
    }
  }
  for (int r = 0; r < R; ++r)
    _mm256_maskstore_ps(out + c0 + 8 * r, r == R - 1 ? tail : all, acc[r]);
}

__attribute__((target("avx2"))) void scores_i8_avx2(const std::uint32_t* index, const float* value,
                                                    std::size_t n, const std::int8_t* w8,
                                                    const float* row_scale, std::size_t k,
                                                    const float* bias, std::uint32_t skip,
                                                    float* out) noexcept {
  for (std::size_t c0 = 0; c0 < k; c0 += 80) {
    const std::size_t cols = std::min<std::size_t>(80, k - c0);
    const int regs = static_cast<int>((cols + 7) / 8);
    const int last = static_cast<int>(cols - 8 * std::size_t(regs - 1));
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32(last), lane);
    switch (regs) {
#define SUPPORTNLP_CASE(R)                                                                         \
  case R:                                                                                          \
    chunk_i8_avx2<R>(index, value, n, w8, row_scale, k, bias, skip, out, c0, tail);                \
    break;
      SUPPORTNLP_CASE(1)
      SUPPORTNLP_CASE(2)
      SUPPORTNLP_CASE(3)
      SUPPORTNLP_CASE(4)
      SUPPORTNLP_CASE(5)
      SUPPORTNLP_CASE(6)
      SUPPORTNLP_CASE(7)
      SUPPORTNLP_CASE(8)
      SUPPORTNLP_CASE(9)
      SUPPORTNLP_CASE(10)
#undef SUPPORTNLP_CASE
    }
  }
}

#endif

using ScoresI8Fn = void (*)(const std::uint32_t*, const float*, std::size_t, const std::int8_t*,
                            const float*, std::size_t, const float*, std::uint32_t,
                            float*) noexcept;

ScoresI8Fn choose_i8() noexcept {
#ifdef SUPPORTNLP_SPARSE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return scores_i8_avx512;
  if (__builtin_cpu_supports("avx2")) return scores_i8_avx2;
#endif
  return sparse_scores_i8_portable;
}

using ScoresFn = void (*)(const std::uint32_t*, const float*, std::size_t, const float*,
                          std::size_t, const float*, std::uint32_t, float*) noexcept;

ScoresFn choose() noexcept {
#ifdef SUPPORTNLP_SPARSE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return scores_avx512;
  if (__builtin_cpu_supports("avx2")) return scores_avx2;
#endif
  return sparse_scores_portable;
}

} // namespace

void sparse_scores_portable(const std::uint32_t* index, const float* value, std::size_t n,
                            const float* w, std::size_t k, const float* bias, std::uint32_t skip,
                            float* out) noexcept {
  std::copy(bias, bias + k, out);
  for (std::size_t i = 0; i < n; ++i) {
    prefetch_row(w, k, index, n, i, skip);
    if (index[i] == skip) continue;
    const float v = value[i];
    const float* row = w + std::size_t(index[i]) * k;
    for (std::size_t j = 0; j < k; ++j)
      out[j] += v * row[j];
  }
}

void sparse_scores_i8_portable(const std::uint32_t* index, const float* value, std::size_t n,
                               const std::int8_t* w8, const float* row_scale, std::size_t k,
                               const float* bias, std::uint32_t skip, float* out) noexcept {
  std::copy(bias, bias + k, out);
  for (std::size_t i = 0; i < n; ++i) {
    prefetch_row_i8(w8, k, index, n, i, skip);
    if (index[i] == skip) continue;
    const float v = value[i] * row_scale[index[i]];
    const std::int8_t* row = w8 + std::size_t(index[i]) * k;
    for (std::size_t j = 0; j < k; ++j)
      out[j] += v * static_cast<float>(row[j]);
  }
}

void sparse_scores_i8(const std::uint32_t* index, const float* value, std::size_t n,
                      const std::int8_t* w8, const float* row_scale, std::size_t k,
                      const float* bias, std::uint32_t skip, float* out) noexcept {
  static const ScoresI8Fn fn = choose_i8();
  fn(index, value, n, w8, row_scale, k, bias, skip, out);
}

void sparse_scores(const std::uint32_t* index, const float* value, std::size_t n, const float* w,
                   std::size_t k, const float* bias, std::uint32_t skip, float* out) noexcept {
  static const ScoresFn fn = choose();
  fn(index, value, n, w, k, bias, skip, out);
}

bool sparse_scores_on(ScoresIsa isa, const std::uint32_t* index, const float* value, std::size_t n,
                      const float* w, std::size_t k, const float* bias, std::uint32_t skip,
                      float* out) noexcept {
  switch (isa) {
  case ScoresIsa::portable:
    sparse_scores_portable(index, value, n, w, k, bias, skip, out);
    return true;
#ifdef SUPPORTNLP_SPARSE_X86
  case ScoresIsa::avx2:
    if (!__builtin_cpu_supports("avx2")) return false;
    scores_avx2(index, value, n, w, k, bias, skip, out);
    return true;
  case ScoresIsa::avx512:
    if (!__builtin_cpu_supports("avx512f")) return false;
    scores_avx512(index, value, n, w, k, bias, skip, out);
    return true;
#endif
  default:
    return false;
  }
}

bool sparse_scores_i8_on(ScoresIsa isa, const std::uint32_t* index, const float* value,
                         std::size_t n, const std::int8_t* w8, const float* row_scale,
                         std::size_t k, const float* bias, std::uint32_t skip,
                         float* out) noexcept {
  switch (isa) {
  case ScoresIsa::portable:
    sparse_scores_i8_portable(index, value, n, w8, row_scale, k, bias, skip, out);
    return true;
#ifdef SUPPORTNLP_SPARSE_X86
  case ScoresIsa::avx2:
    if (!__builtin_cpu_supports("avx2")) return false;
    scores_i8_avx2(index, value, n, w8, row_scale, k, bias, skip, out);
    return true;
  case ScoresIsa::avx512:
    if (!__builtin_cpu_supports("avx512f")) return false;
    scores_i8_avx512(index, value, n, w8, row_scale, k, bias, skip, out);
    return true;
#endif
  default:
    return false;
  }
}

} // namespace supportnlp::models::detail
