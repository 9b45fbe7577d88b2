// Row sums of encoder pooling: out[j] += scale * row[j] over the rows, in
// the order given. The scalar loops are the reference; the AVX2 version
// keeps the same order of additions per element and does a separate
// multiply and add (no FMA: this file is built with -ffp-contract=off), so
// it gives bit-identical sums (tests compare them). It holds 64 columns in
// registers across all rows instead of loading and storing the sum once per
// row. The AVX-512 version is the same with 16-wide registers: half the
// instructions for the encoders' 64- and 256-wide rows, and the same bits
// (each column still adds its rows in order, multiply then add).
#include "cpu/kernel_families.hpp"
#include "cpu/simd.hpp"

namespace supportnlp::cpu {

void row_sums_reference(const WeightedRow* hits, std::size_t n, const float* f32,
                        const std::int8_t* i8, int dim, float* __restrict out) noexcept {
  for (std::size_t h = 0; h < n; ++h) {
    const std::size_t offset =
        static_cast<std::size_t>(hits[h].row) * static_cast<std::size_t>(dim);
    const float s = hits[h].scale;
    if (f32) {
      const float* __restrict row = f32 + offset;
      for (int j = 0; j < dim; ++j)
        out[j] += s * row[j];
    } else {
      const std::int8_t* __restrict row = i8 + offset;
      for (int j = 0; j < dim; ++j)
        out[j] += s * static_cast<float>(row[j]);
    }
  }
}

#ifdef SUPPORTNLP_CPU_X86
namespace {

SUPPORTNLP_TARGET_AVX2 inline __m256 load8(const float* p) noexcept {
  return _mm256_loadu_ps(p);
}
SUPPORTNLP_TARGET_AVX2 inline __m256 load8(const std::int8_t* p) noexcept {
  return _mm256_cvtepi32_ps(
      _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}

template <typename T>
SUPPORTNLP_TARGET_AVX2 void sum_rows_avx2_t(const WeightedRow* hits, std::size_t n, const T* table,
                                            int dim, float* out) noexcept {
  const std::size_t d = static_cast<std::size_t>(dim);
  std::size_t j = 0;
  for (; j + 64 <= d; j += 64) {
    __m256 a0 = _mm256_loadu_ps(out + j), a1 = _mm256_loadu_ps(out + j + 8);
    __m256 a2 = _mm256_loadu_ps(out + j + 16), a3 = _mm256_loadu_ps(out + j + 24);
    __m256 a4 = _mm256_loadu_ps(out + j + 32), a5 = _mm256_loadu_ps(out + j + 40);
    __m256 a6 = _mm256_loadu_ps(out + j + 48), a7 = _mm256_loadu_ps(out + j + 56);
    for (std::size_t h = 0; h < n; ++h) {
      const T* row = table + static_cast<std::size_t>(hits[h].row) * d + j;
      const __m256 s = _mm256_set1_ps(hits[h].scale);
      a0 = _mm256_add_ps(a0, _mm256_mul_ps(s, load8(row)));
      a1 = _mm256_add_ps(a1, _mm256_mul_ps(s, load8(row + 8)));
      a2 = _mm256_add_ps(a2, _mm256_mul_ps(s, load8(row + 16)));
      a3 = _mm256_add_ps(a3, _mm256_mul_ps(s, load8(row + 24)));
      a4 = _mm256_add_ps(a4, _mm256_mul_ps(s, load8(row + 32)));
      a5 = _mm256_add_ps(a5, _mm256_mul_ps(s, load8(row + 40)));
      a6 = _mm256_add_ps(a6, _mm256_mul_ps(s, load8(row + 48)));
      a7 = _mm256_add_ps(a7, _mm256_mul_ps(s, load8(row + 56)));
    }
    _mm256_storeu_ps(out + j, a0);
    _mm256_storeu_ps(out + j + 8, a1);
    _mm256_storeu_ps(out + j + 16, a2);
    _mm256_storeu_ps(out + j + 24, a3);
    _mm256_storeu_ps(out + j + 32, a4);
    _mm256_storeu_ps(out + j + 40, a5);
    _mm256_storeu_ps(out + j + 48, a6);
    _mm256_storeu_ps(out + j + 56, a7);
  }
  for (; j + 8 <= d; j += 8) {
    __m256 a = _mm256_loadu_ps(out + j);
    for (std::size_t h = 0; h < n; ++h) {
      const T* row = table + static_cast<std::size_t>(hits[h].row) * d + j;
      a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_set1_ps(hits[h].scale), load8(row)));
    }
    _mm256_storeu_ps(out + j, a);
  }
  for (; j < d; ++j)
    for (std::size_t h = 0; h < n; ++h)
      out[j] +=
          hits[h].scale * static_cast<float>(table[static_cast<std::size_t>(hits[h].row) * d + j]);
}

SUPPORTNLP_TARGET_AVX2 void row_sums_avx2(const WeightedRow* hits, std::size_t n, const float* f32,
                                          const std::int8_t* i8, int dim, float* out) noexcept {
  if (f32)
    sum_rows_avx2_t(hits, n, f32, dim, out);
  else
    sum_rows_avx2_t(hits, n, i8, dim, out);
}

SUPPORTNLP_TARGET_AVX512 inline __m512 load16(const float* p) noexcept {
  return _mm512_loadu_ps(p);
}
SUPPORTNLP_TARGET_AVX512 inline __m512 load16(const std::int8_t* p) noexcept {
  return _mm512_cvtepi32_ps(
      _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
}

template <typename T>
SUPPORTNLP_TARGET_AVX512 void sum_rows_avx512_t(const WeightedRow* hits, std::size_t n,
                                                const T* table, int dim, float* out) noexcept {
  const std::size_t d = static_cast<std::size_t>(dim);
  std::size_t j = 0;
  for (; j + 64 <= d; j += 64) {
    __m512 a0 = _mm512_loadu_ps(out + j), a1 = _mm512_loadu_ps(out + j + 16);
    __m512 a2 = _mm512_loadu_ps(out + j + 32), a3 = _mm512_loadu_ps(out + j + 48);
    for (std::size_t h = 0; h < n; ++h) {
      const T* row = table + static_cast<std::size_t>(hits[h].row) * d + j;
      const __m512 s = _mm512_set1_ps(hits[h].scale);
      a0 = _mm512_add_ps(a0, _mm512_mul_ps(s, load16(row)));
      a1 = _mm512_add_ps(a1, _mm512_mul_ps(s, load16(row + 16)));
      a2 = _mm512_add_ps(a2, _mm512_mul_ps(s, load16(row + 32)));
      a3 = _mm512_add_ps(a3, _mm512_mul_ps(s, load16(row + 48)));
    }
    _mm512_storeu_ps(out + j, a0);
    _mm512_storeu_ps(out + j + 16, a1);
    _mm512_storeu_ps(out + j + 32, a2);
    _mm512_storeu_ps(out + j + 48, a3);
  }
  for (; j + 16 <= d; j += 16) {
    __m512 a = _mm512_loadu_ps(out + j);
    for (std::size_t h = 0; h < n; ++h) {
      const T* row = table + static_cast<std::size_t>(hits[h].row) * d + j;
      a = _mm512_add_ps(a, _mm512_mul_ps(_mm512_set1_ps(hits[h].scale), load16(row)));
    }
    _mm512_storeu_ps(out + j, a);
  }
  for (; j < d; ++j) // at most 15 columns (no encoder has them): the reference's loop
    for (std::size_t h = 0; h < n; ++h)
      out[j] +=
          hits[h].scale * static_cast<float>(table[static_cast<std::size_t>(hits[h].row) * d + j]);
}

SUPPORTNLP_TARGET_AVX512 void row_sums_avx512(const WeightedRow* hits, std::size_t n,
                                              const float* f32, const std::int8_t* i8, int dim,
                                              float* out) noexcept {
  if (f32)
    sum_rows_avx512_t(hits, n, f32, dim, out);
  else
    sum_rows_avx512_t(hits, n, i8, dim, out);
}

} // namespace
#endif

void add_row_sums(Isa isa, Kernels& k) noexcept {
  k.row_sums = row_sums_reference;
#ifdef SUPPORTNLP_CPU_X86
  if (isa != Isa::portable) k.row_sums = row_sums_avx2;
  if (isa == Isa::avx512) k.row_sums = row_sums_avx512;
#endif
}

} // namespace supportnlp::cpu
