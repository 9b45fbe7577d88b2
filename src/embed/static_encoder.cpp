// StaticEncoder inference: feature lookup, SIF-weighted pooling (weights are
// folded into the rows), principal-component removal, normalisation.
#include "embed/static_encoder_impl.hpp"

#include <Eigen/Core>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace supportnlp::embed {

void StaticEncoder::Impl::build_table() {
  std::size_t size = 16;
  while (size < keys.size() * 2)
    size <<= 1;
  slots.assign(size, Slot{0, -1});
  slot_mask = size - 1;
  for (std::size_t r = 0; r < keys.size(); ++r) {
    if (keys[r] > 0xFFFFFFFFull) continue; // no feature has this key
    std::size_t i = home(keys[r]);
    while (slots[i].row >= 0)
      i = (i + 1) & slot_mask;
    slots[i] = Slot{static_cast<std::uint32_t>(keys[r]), static_cast<std::int32_t>(r)};
  }
}

void StaticEncoder::Impl::compute_fingerprint() {
  std::uint32_t crc = io::crc32(keys.data(), keys.size() * sizeof(std::uint64_t));
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(dim);
  if (f32) {
    crc = io::crc32(f32, n * sizeof(float), crc);
  } else {
    crc = io::crc32(i8, n, crc);
    crc = io::crc32(row_scale, static_cast<std::size_t>(rows) * sizeof(float), crc);
  }
  crc = io::crc32(principal_component.data(), principal_component.size() * sizeof(float), crc);
  const std::uint32_t settings[5] = {static_cast<std::uint32_t>(config.word_ngrams),
                                     static_cast<std::uint32_t>(config.char_ngram_min),
                                     static_cast<std::uint32_t>(config.char_ngram_max),
                                     config.buckets, config.seed};
  crc = io::crc32(settings, sizeof settings, crc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "static-encoder/%d/%08x", dim, crc);
  fingerprint = buffer;
}

namespace {

// Row sums: out[j] += scale * row[j] over the hits, rows in hit order. The
// scalar loops are the reference; the AVX2 versions keep the same order of
// additions per element and do a separate multiply and add (no FMA), so they
// give bit-identical sums (tests compare them). The AVX2 versions hold 64
// columns in registers across all rows instead of loading and storing the
// sum once per row.
void sum_rows_scalar(const PooledRow* hits, std::size_t n, const float* f32, const std::int8_t* i8,
                     int dim, float* __restrict out) noexcept {
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

#if defined(__x86_64__) && defined(__GNUC__)
#define SUPPORTNLP_POOL_AVX2 1

__attribute__((target("avx2"))) inline __m256 load8(const float* p) noexcept {
  return _mm256_loadu_ps(p);
}
__attribute__((target("avx2"))) inline __m256 load8(const std::int8_t* p) noexcept {
  return _mm256_cvtepi32_ps(
      _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}

template <typename T>
__attribute__((target("avx2"))) void sum_rows_avx2_t(const PooledRow* hits, std::size_t n,
                                                     const T* table, int dim, float* out) noexcept {
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

bool cpu_has_avx2() noexcept {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

} // namespace

void sum_rows(const PooledRow* hits, std::size_t n, const float* f32, const std::int8_t* i8,
              int dim, float* out, bool allow_simd) noexcept {
#ifdef SUPPORTNLP_POOL_AVX2
  if (allow_simd && cpu_has_avx2()) {
    if (f32)
      sum_rows_avx2_t(hits, n, f32, dim, out);
    else
      sum_rows_avx2_t(hits, n, i8, dim, out);
    return;
  }
#endif
  sum_rows_scalar(hits, n, f32, i8, dim, out);
}

void StaticEncoder::Impl::pool(std::string_view text, float* out) const noexcept {
  thread_local features::SparseFeatures found;
  try {
    extract_features(text, extractor, found);
  } catch (...) {
    // Only allocation can fail here; the documented result is the zero vector.
    std::fill(out, out + dim, 0.0f);
    return;
  }
  pool_features(found, out);
}

void StaticEncoder::Impl::pool_features(const features::SparseFeatures& found,
                                        float* out) const noexcept {
  thread_local std::vector<std::int32_t> rows;
  try {
    rows.resize(found.size());
  } catch (...) {
    std::fill(out, out + dim, 0.0f); // allocation failed: the zero vector
    return;
  }
  // The slot table (256 KB for the shipped encoder) is mostly in L2; touch
  // every feature's home slot first so the probes below overlap their misses.
  if (!slots.empty())
    for (std::size_t k = 0; k < found.size(); ++k)
      __builtin_prefetch(slots.data() + home(found.index[k]));
  for (std::size_t k = 0; k < found.size(); ++k)
    rows[k] = lookup(found.index[k]);
  pool_rows(rows.data(), found.value.data(), found.size(), out);
}

void StaticEncoder::Impl::pool_rows(const std::int32_t* rows, const float* values, std::size_t n,
                                    float* out) const noexcept {
  std::fill(out, out + dim, 0.0f);
  // Two passes: collect the rows and prefetch them, then sum. The rows are
  // scattered over a table larger than L2, so overlapping their fetches
  // matters more than the arithmetic.
  thread_local std::vector<PooledRow> hits;
  hits.clear();
  try {
    hits.reserve(n);
  } catch (...) {
    return; // allocation failed: the zero vector (finish() keeps it zero)
  }
  const std::size_t row_bytes = static_cast<std::size_t>(dim) * (f32 ? sizeof(float) : 1);
  const char* table = f32 ? reinterpret_cast<const char*>(f32) : reinterpret_cast<const char*>(i8);
  for (std::size_t k = 0; k < n; ++k) {
    const std::int32_t r = rows[k];
    if (r < 0 || r >= this->rows) continue;
    const char* row = table + static_cast<std::size_t>(r) * row_bytes;
    for (std::size_t line = 0; line < row_bytes; line += 64)
      __builtin_prefetch(row + line);
    hits.push_back({r, f32 ? values[k] : values[k] * row_scale[r]}); // reserved
  }
  sum_rows(hits.data(), hits.size(), f32, i8, dim, out);
}

void StaticEncoder::Impl::finish(float* out) const noexcept {
  Eigen::Map<Eigen::VectorXf> v(out, dim);
  if (!principal_component.empty()) {
    Eigen::Map<const Eigen::VectorXf> pc(principal_component.data(), dim);
    v -= pc * pc.dot(v);
  }
  const float norm = v.norm();
  // Below this the text had no known feature (or they cancelled out): the
  // documented result is the zero vector, not noise blown up to unit length.
  if (!(norm > 1e-6f) || !std::isfinite(norm))
    v.setZero();
  else
    v /= norm;
}

int StaticEncoder::dim() const noexcept {
  return impl_->dim;
}

std::string StaticEncoder::fingerprint() const {
  return impl_->fingerprint;
}

int StaticEncoder::features() const noexcept {
  return impl_->rows;
}

const std::string& StaticEncoder::metadata() const noexcept {
  return impl_->metadata;
}

void StaticEncoder::encode(std::string_view text, float* out) const {
  impl_->pool(text, out);
  impl_->finish(out);
}

void StaticEncoder::encode_features(const features::SparseFeatures& features,
                                    float* out) const noexcept {
  impl_->pool_features(features, out);
  impl_->finish(out);
}

int StaticEncoder::feature_row(std::uint32_t bucket) const noexcept {
  return impl_->lookup(bucket);
}

void StaticEncoder::encode_rows(const std::int32_t* rows, const float* values, std::size_t n,
                                float* out) const noexcept {
  impl_->pool_rows(rows, values, n, out);
  impl_->finish(out);
}

features::NgramOptions StaticEncoder::feature_options() const noexcept {
  return impl_->extractor.options();
}

void StaticEncoder::encode_batch(const std::vector<std::string_view>& texts, float* out) const {
  const std::size_t d = static_cast<std::size_t>(impl_->dim);
  for (std::size_t i = 0; i < texts.size(); ++i)
    encode(texts[i], out + i * d);
}

} // namespace supportnlp::embed
