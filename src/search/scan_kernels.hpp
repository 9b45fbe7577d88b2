#pragma once
// Scoring kernels of DenseIndex: inner products of a block of rows (float32,
// or int8 with a per-row scale) with one query. Each kernel has a scalar
// reference, used by tests to check the SIMD versions, and SIMD versions
// picked once at start-up for the running CPU (function multi-versioning by
// hand): SSE2 is the x86-64 baseline, AVX2+FMA and AVX-512 VNNI are used
// when present. No -march flag is needed, so the library still runs on the
// baseline CPU. These exist because the benchmark showed Eigen's baseline
// (SSE2) matrix-vector product reaching well under the memory bandwidth and
// Eigen having no int8 dot product at all.

#include <cstddef>
#include <cstdint>

namespace supportnlp::search::detail {

/// An int8 query in the two forms the kernels use.
struct QueryI8 {
  const std::int8_t* codes; ///< dim codes
  const std::int16_t* wide; ///< the same codes widened to int16
  float scale;              ///< real value = scale * code
};

/// out[i] = sum_j rows[i*dim+j] * q[j], for n float32 rows.
using ScoreF32Fn = void (*)(const float* rows, std::size_t n, int dim, const float* q, float* out);
/// out[i] = scales[i] * q.scale * sum_j rows[i*dim+j] * q.codes[j], for n int8 rows.
using ScoreI8Fn = void (*)(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                           const QueryI8& q, float* out);
/// out[i] = scales[i] * sum_j rows[i*dim+j] * q[j], for n int8 rows (float query).
using ScoreF32QFn = void (*)(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                             const float* q, float* out);

void score_f32_reference(const float* rows, std::size_t n, int dim, const float* q, float* out);
void score_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                        const QueryI8& q, float* out);
void score_f32q_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                          const float* q, float* out);

/// The fastest kernels for this CPU; null for score_f32 means "use Eigen"
/// (the baseline build's matrix-vector product).
ScoreF32Fn best_score_f32();
ScoreI8Fn best_score_i8();
ScoreF32QFn best_score_f32q();
/// Instruction sets the best kernels use, e.g. "avx512vnni/avx2".
const char* kernel_isa();

} // namespace supportnlp::search::detail
