#pragma once
// Scores of a sparse feature vector under a dense row-major weight table:
// the inner loop of every linear classifier prediction.

#include <cstddef>
#include <cstdint>

namespace supportnlp::models::detail {

// out[0..k) = bias[0..k) + sum over i < n with index[i] != skip of
// value[i] * w[index[i] * k .. + k). Uses AVX-512 or AVX2 when the CPU has
// them (chosen once, at first use), else a portable loop; all give the same
// bits (no fused multiply-add, same order of additions). Rows are
// prefetched a few entries ahead: they are scattered over megabytes.
void sparse_scores(const std::uint32_t* index, const float* value, std::size_t n, const float* w,
                   std::size_t k, const float* bias, std::uint32_t skip, float* out) noexcept;

// The same with int8 weights: row r is row_scale[r] * w8[r * k .. + k).
// Reads up to 64 bytes past a row's end: w8 must be followed by 64
// readable bytes (kInt8Padding).
inline constexpr std::size_t kInt8Padding = 64;
void sparse_scores_i8(const std::uint32_t* index, const float* value, std::size_t n,
                      const std::int8_t* w8, const float* row_scale, std::size_t k,
                      const float* bias, std::uint32_t skip, float* out) noexcept;

// One version by name, for tests comparing them: false (out untouched) if
// this CPU or build lacks it.
enum class ScoresIsa { portable, avx2, avx512 };
bool sparse_scores_on(ScoresIsa isa, const std::uint32_t* index, const float* value, std::size_t n,
                      const float* w, std::size_t k, const float* bias, std::uint32_t skip,
                      float* out) noexcept;
bool sparse_scores_i8_on(ScoresIsa isa, const std::uint32_t* index, const float* value,
                         std::size_t n, const std::int8_t* w8, const float* row_scale,
                         std::size_t k, const float* bias, std::uint32_t skip, float* out) noexcept;

} // namespace supportnlp::models::detail
