#pragma once
// Private state of StaticEncoder, shared by its inference, file and training
// translation units.

#include "cpu/kernels.hpp"
#include "embed/featurizer.hpp"
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/io/model_file.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace supportnlp::embed {

/// One table row taking part in a pooled sum, with its weight (the
/// feature's value times, for int8 rows, the row's scale); pooling sums them
/// with cpu::kernels().row_sums.
using PooledRow = cpu::WeightedRow;

struct StaticEncoder::Impl {
  FeatureConfig config;
  features::NgramExtractor extractor; // built from config
  int dim = 0;
  int rows = 0;

  // Feature key of each row, in row order (written to the file).
  std::vector<std::uint64_t> keys;
  // Open-addressing table: key -> row, built at load time. Features are
  // 32-bit bucket indices, so a slot is 8 bytes (key, row) and one probe
  // touches one cache line; empty slots hold row -1. Size is a power of two
  // at least twice the number of rows. Keys that do not fit 32 bits can
  // never be looked up and are left out.
  struct Slot {
    std::uint32_t key;
    std::int32_t row;
  };
  std::vector<Slot> slots;
  std::uint64_t slot_mask = 0;

  /// Home slot of `key`.
  std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20 & slot_mask);
  }

  // Row r's vector (SIF weight already folded in) is either
  // f32[r * dim .. ) or row_scale[r] * i8[r * dim .. ).
  const float* f32 = nullptr;
  const std::int8_t* i8 = nullptr;
  const float* row_scale = nullptr;
  std::vector<float> owned_f32; // weights of an encoder trained in this process

  // First principal component to remove (unit length), or empty.
  std::vector<float> principal_component;

  std::string metadata;
  std::string fingerprint;
  std::optional<io::ModelFile> file; // keeps the mapping alive

  /// Row of `key`, or -1.
  std::int32_t lookup(std::uint32_t key) const noexcept {
    if (slots.empty()) return -1;
    for (std::size_t i = home(key);; i = (i + 1) & slot_mask) {
      const Slot slot = slots[i];
      if (slot.row < 0) return -1;
      if (slot.key == key) return slot.row;
    }
  }

  /// Sets `config` and the extractor built from it.
  void set_config(const FeatureConfig& c) {
    config = c;
    extractor = features::NgramExtractor(ngram_options(c));
  }
  /// Builds the lookup table from `keys`.
  void build_table();
  /// Computes `fingerprint` from the weights and settings.
  void compute_fingerprint();
  /// Unnormalised pooled vector of `text` into out[0..dim).
  void pool(std::string_view text, float* out) const noexcept;
  /// Unnormalised pooled vector of extracted features into out[0..dim).
  void pool_features(const features::SparseFeatures& found, float* out) const noexcept;
  /// Unnormalised pooled vector of n (row, value) features into out[0..dim).
  void pool_rows(const std::int32_t* rows, const float* values, std::size_t n,
                 float* out) const noexcept;
  /// Removes the principal component from out[0..dim) and scales it to unit
  /// length (zero vector when nothing is left).
  void finish(float* out) const noexcept;
};

} // namespace supportnlp::embed
