#pragma once
// Int8 scoring kernels of DenseIndex: inner products of int8 rows with a
// query that is either int8 (widened to int16 once per query) or float.
// Each kernel has a scalar reference (used by tests to check the SIMD paths)
// and SIMD versions picked once at start-up for the running CPU: SSE2 is the
// baseline every x86-64 has, AVX2+FMA is used when present. No -march flag
// is needed, so the library still runs on the baseline CPU.

#include <cstddef>
#include <cstdint>

namespace supportnlp::search::detail {

/// out[i] = scales[i] * qscale * sum_j rows[i*dim+j] * q[j], for n rows.
using ScoreI8Fn = void (*)(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                           const std::int16_t* q, float qscale, float* out);
/// out[i] = scales[i] * sum_j rows[i*dim+j] * q[j], for n rows (float query).
using ScoreF32QFn = void (*)(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                             const float* q, float* out);

void score_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                        const std::int16_t* q, float qscale, float* out);
void score_f32q_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                          const float* q, float* out);

/// The fastest kernels for this CPU.
ScoreI8Fn best_score_i8();
ScoreF32QFn best_score_f32q();
/// Name of the instruction set the best kernels use ("avx2" or "sse2").
const char* kernel_isa();

} // namespace supportnlp::search::detail
