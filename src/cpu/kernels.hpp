#pragma once
// The hand-written kernels of the library, one table of function pointers
// per instruction-set level (supportnlp/cpu/cpu.hpp), chosen once.
//
// Each family has a scalar definition that tests compare every level with:
// - sparse scores (linear models): identical bits at every level (no fused
//   multiply-add, the same order of additions; sparse_scores.cpp is built
//   with -ffp-contract=off);
// - row sums (encoder pooling): identical bits likewise (row_sums.cpp);
// - dense scan (DenseIndex, one query): int8 x int8 exact, float rounding
//   otherwise (dense_scan.cpp);
// - batch scan (DenseIndex, many queries): likewise (batch_scan.cpp).
// These exist because benchmarks showed Eigen's baseline (SSE2) products
// well under the memory bandwidth, and Eigen has no int8 dot product.
//
// Callers take kernels() (the active level's table) and call through it; a
// null entry means the level has no kernel for that job and the caller uses
// Eigen (documented per entry).

#include "supportnlp/cpu/cpu.hpp"

#include <cstddef>
#include <cstdint>

namespace supportnlp::cpu {

// --- sparse scores ----------------------------------------------------------

/// out[0..k) = bias[0..k) + sum over i < n with index[i] != skip of
/// value[i] * w[index[i] * k .. + k). Rows are prefetched a few entries
/// ahead: they are scattered over megabytes.
using SparseScoresFn = void (*)(const std::uint32_t* index, const float* value, std::size_t n,
                                const float* w, std::size_t k, const float* bias,
                                std::uint32_t skip, float* out) noexcept;
/// The same with int8 weights: row r is row_scale[r] * w8[r * k .. + k).
/// Reads up to 64 bytes past a row's end: w8 must be followed by
/// kInt8Padding readable bytes.
using SparseScoresI8Fn = void (*)(const std::uint32_t* index, const float* value, std::size_t n,
                                  const std::int8_t* w8, const float* row_scale, std::size_t k,
                                  const float* bias, std::uint32_t skip, float* out) noexcept;
inline constexpr std::size_t kInt8Padding = 64;

// --- row sums -----------------------------------------------------------------

/// One table row taking part in a weighted sum: its index and weight.
struct WeightedRow {
  std::int32_t row;
  float scale;
};
/// out[0..dim) += scale * row, over `rows` in order; table rows are read from
/// `f32` if not null, else from `i8` (row r at r * dim).
using RowSumsFn = void (*)(const WeightedRow* rows, std::size_t n, const float* f32,
                           const std::int8_t* i8, int dim, float* out) noexcept;

// --- dense scan (one query) --------------------------------------------------

/// An int8 query in the two forms the scan kernels use.
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

// --- batch scan (many queries) -------------------------------------------------

/// Float32 rows against a batch of queries given transposed: qt[j * ldq + c]
/// is component j of query c (columns past the batch are zero padding, ldq
/// a multiple of the table's batch_f32_width); out[i * ldq + c] = row i .
/// query c.
using ScoreBatchF32Fn = void (*)(const float* rows, std::size_t n, int dim, const float* qt,
                                 std::size_t ldq, float* out);
/// Int8 rows against a batch of int8 queries packed for VNNI, four
/// components of one query side by side, each plus 128 (unsigned):
/// qp[(g * ldq + c) * 4 + t] = code (4g + t) of query c + 128, for
/// 4g + t < dim (dim a multiple of 4); padding queries are 128 (code 0).
/// out[i * ldq + c] = scales[i] * qscales[c] * (row i . query c), exact
/// integer dot products.
using ScoreBatchI8Fn = void (*)(const std::int8_t* rows, const float* scales, std::size_t n,
                                int dim, const std::uint8_t* qp, const float* qscales,
                                std::size_t ldq, float* out);
/// Query columns per tile of score_batch_i8 (ldq must be a multiple).
inline constexpr std::size_t kBatchI8Width = 32;

// --- the table ----------------------------------------------------------------

/// The kernels of one level. Entries that may be null say what to do then.
struct Kernels {
  Isa isa;
  SparseScoresFn sparse_scores;
  SparseScoresI8Fn sparse_scores_i8;
  RowSumsFn row_sums;
  ScoreF32Fn score_f32; ///< null: use Eigen's matrix-vector product
  ScoreI8Fn score_i8;
  ScoreF32QFn score_f32q;
  ScoreBatchF32Fn score_batch_f32; ///< null: use Eigen's matrix product
  std::size_t batch_f32_width;     ///< query columns per tile of score_batch_f32 (1 if null)
  ScoreBatchI8Fn score_batch_i8;   ///< null: use score_i8 query by query
};

/// The table of active_isa(), built at the first call. Thread-safe.
const Kernels& kernels() noexcept;

/// The table of `isa`, or null if this CPU cannot run it; for tests and
/// benchmarks that compare levels.
const Kernels* kernels_for(Isa isa) noexcept;

// --- scalar definitions, for tests ------------------------------------------

void sparse_scores_reference(const std::uint32_t* index, const float* value, std::size_t n,
                             const float* w, std::size_t k, const float* bias, std::uint32_t skip,
                             float* out) noexcept;
void sparse_scores_i8_reference(const std::uint32_t* index, const float* value, std::size_t n,
                                const std::int8_t* w8, const float* row_scale, std::size_t k,
                                const float* bias, std::uint32_t skip, float* out) noexcept;
void row_sums_reference(const WeightedRow* rows, std::size_t n, const float* f32,
                        const std::int8_t* i8, int dim, float* out) noexcept;
void score_f32_reference(const float* rows, std::size_t n, int dim, const float* q, float* out);
void score_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                        const QueryI8& q, float* out);
void score_f32q_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                          const float* q, float* out);
void score_batch_f32_reference(const float* rows, std::size_t n, int dim, const float* qt,
                               std::size_t ldq, float* out);
void score_batch_i8_reference(const std::int8_t* rows, const float* scales, std::size_t n, int dim,
                              const std::uint8_t* qp, const float* qscales, std::size_t ldq,
                              float* out);

} // namespace supportnlp::cpu
