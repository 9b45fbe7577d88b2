// StaticEncoder inference: feature lookup, SIF-weighted pooling (weights are
// folded into the rows), principal-component removal, normalisation.
#include "embed/static_encoder_impl.hpp"

#include "cpu/kernels.hpp"

#include <Eigen/Core>

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
  // Sized for the most rows a text has had on this thread and written
  // through a plain pointer (no capacity check per row).
  thread_local std::vector<PooledRow> hits;
  try {
    if (hits.size() < n) hits.resize(n);
  } catch (...) {
    return; // allocation failed: the zero vector (finish() keeps it zero)
  }
  PooledRow* hit = hits.data();
  std::size_t used = 0;
  const std::size_t row_bytes = static_cast<std::size_t>(dim) * (f32 ? sizeof(float) : 1);
  const char* table = f32 ? reinterpret_cast<const char*>(f32) : reinterpret_cast<const char*>(i8);
  for (std::size_t k = 0; k < n; ++k) {
    const std::int32_t r = rows[k];
    if (r < 0 || r >= this->rows) continue;
    const char* row = table + static_cast<std::size_t>(r) * row_bytes;
    for (std::size_t line = 0; line < row_bytes; line += 64)
      __builtin_prefetch(row + line);
    hit[used++] = {r, f32 ? values[k] : values[k] * row_scale[r]};
  }
  cpu::kernels().row_sums(hit, used, f32, i8, dim, out);
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

void StaticEncoder::encode_tokens(const text::TokenizedText& tokens, float* out) const {
  // encode() reads only a text's first kMaxFeatureBytes: a longer one goes
  // that way so that both give the same vector.
  if (tokens.source.size() > kMaxFeatureBytes) return encode(tokens.source, out);
  thread_local features::SparseFeatures found;
  try {
    impl_->extractor.extract(tokens, found);
  } catch (...) {
    std::fill(out, out + impl_->dim, 0.0f); // allocation failed: the zero vector
    return;
  }
  impl_->pool_features(found, out);
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
