// StaticEncoder inference: feature lookup, SIF-weighted pooling (weights are
// folded into the rows), principal-component removal, normalisation.
#include "embed/static_encoder_impl.hpp"

#include <Eigen/Core>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace supportnlp::embed {

void StaticEncoder::Impl::build_table() {
  std::size_t size = 16;
  while (size < keys.size() * 2)
    size <<= 1;
  slot_keys.assign(size, 0);
  slot_rows.assign(size, -1);
  slot_mask = size - 1;
  for (std::size_t r = 0; r < keys.size(); ++r) {
    std::uint64_t i = (keys[r] * 0x9E3779B97F4A7C15ull) >> 20 & slot_mask;
    while (slot_rows[i] >= 0)
      i = (i + 1) & slot_mask;
    slot_keys[i] = keys[r];
    slot_rows[i] = static_cast<std::int32_t>(r);
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
  Eigen::Map<Eigen::VectorXf> acc(out, dim);
  acc.setZero();
  thread_local features::SparseFeatures found;
  try {
    extract_features(text, extractor, found);
  } catch (...) {
    // Only allocation can fail here; the documented result is the zero vector.
    return;
  }
  // Two passes: look every feature up and prefetch its row, then sum. The
  // rows are scattered over a table larger than L2, so overlapping their
  // fetches matters more than the arithmetic.
  thread_local std::vector<std::pair<std::int32_t, float>> hits;
  hits.clear();
  const std::size_t row_bytes = static_cast<std::size_t>(dim) * (f32 ? sizeof(float) : 1);
  for (std::size_t k = 0; k < found.size(); ++k) {
    const std::int32_t r = lookup(found.index[k]);
    if (r < 0) continue;
    const char* row = f32 ? reinterpret_cast<const char*>(f32) : reinterpret_cast<const char*>(i8);
    row += static_cast<std::size_t>(r) * row_bytes;
    for (std::size_t line = 0; line < row_bytes; line += 64)
      __builtin_prefetch(row + line);
    hits.emplace_back(r, f32 ? found.value[k] : found.value[k] * row_scale[r]);
  }
  float* __restrict sum = out;
  for (const auto& [r, s] : hits) {
    const std::size_t offset = static_cast<std::size_t>(r) * static_cast<std::size_t>(dim);
    // Plain loops: GCC vectorizes both (the i8 one with the int8 -> float
    // widening), where Eigen's cast<float>() of an int8 map stays scalar.
    if (f32) {
      const float* __restrict row = f32 + offset;
      for (int j = 0; j < dim; ++j)
        sum[j] += s * row[j];
    } else {
      const std::int8_t* __restrict row = i8 + offset;
      for (int j = 0; j < dim; ++j)
        sum[j] += s * static_cast<float>(row[j]);
    }
  }
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
  const Impl& m = *impl_;
  m.pool(text, out);
  Eigen::Map<Eigen::VectorXf> v(out, m.dim);
  if (!m.principal_component.empty()) {
    Eigen::Map<const Eigen::VectorXf> pc(m.principal_component.data(), m.dim);
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

void StaticEncoder::encode_batch(const std::vector<std::string_view>& texts, float* out) const {
  const std::size_t d = static_cast<std::size_t>(impl_->dim);
  for (std::size_t i = 0; i < texts.size(); ++i)
    encode(texts[i], out + i * d);
}

} // namespace supportnlp::embed
