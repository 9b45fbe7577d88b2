#pragma once
// Batch scoring kernels of DenseIndex: a block of rows against a whole batch
// of queries, GEMM-like, so each row is read from memory once per batch.
// Each has a scalar reference that tests compare with, and SIMD versions
// chosen at run time (AVX-512 / AVX2+FMA for float32, AVX-512 VNNI for
// int8); null selectors mean "no kernel for this CPU" and DenseIndex falls
// back to Eigen (float32) or the per-query int8 kernels.

#include <cstddef>
#include <cstdint>

namespace supportnlp::search::detail {

/// Float32 rows against a batch of queries given transposed: qt[j * ldq + c]
/// is component j of query c (columns past the batch are zero padding, ldq
/// a multiple of batch_f32_width()); out[i * ldq + c] = row i . query c.
using ScoreBatchF32Fn = void (*)(const float* rows, std::size_t n, int dim, const float* qt,
                                 std::size_t ldq, float* out);
void score_batch_f32_reference(const float* rows, std::size_t n, int dim, const float* qt,
                               std::size_t ldq, float* out);
/// Register-tiled AVX-512 or AVX2+FMA kernel; null without AVX2.
ScoreBatchF32Fn best_score_batch_f32();
/// Query columns per register tile of best_score_batch_f32() (1 if null).
std::size_t batch_f32_width();

/// Int8 rows against a batch of int8 queries packed for VNNI, four
/// components of one query side by side, each plus 128 (unsigned):
/// qp[(g * ldq + c) * 4 + t] = code (4g + t) of query c + 128, for
/// 4g + t < dim (dim a multiple of 4); padding queries are 128 (code 0).
/// out[i * ldq + c] = scales[i] * qscales[c] * (row i . query c), exact
/// integer dot products.
using ScoreBatchI8Fn = void (*)(const std::int8_t* rows, const float* scales, std::size_t n,
                                int dim, const std::uint8_t* qp, const float* qscales,
                                std::size_t ldq, float* out);
void score_batch_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                              const std::uint8_t* qp, const float* qscales, std::size_t ldq,
                              float* out);
/// AVX-512 VNNI kernel; null without VNNI.
ScoreBatchI8Fn best_score_batch_i8();
/// Query columns per tile of best_score_batch_i8() (ldq must be a multiple).
constexpr std::size_t kBatchI8Width = 32;

} // namespace supportnlp::search::detail
