#pragma once
// Private: the int8 linear layer of the transformer encoder's int8 mode
// (issue 14). y = x W^T + b with
//
//   W   per-row symmetric int8: row o is scale[o] * q[o][k], q in [-127, 127]
//   x   quantized per token row on the fly: xs[r] = max_k |x[r][k]| / 127,
//       xq[r][k] = x[r][k] * (127 / max) rounded half to even, in [-127, 127]
//   y[r][o] = float(sum_k xq[r][k] * q[o][k]) * (xs[r] * scale[o]) + b[o]
//
// The sum is an exact int32 (|sum| <= 127 * 127 * in, so in is at most
// kMaxIn), and the float steps are the same operations in the same order at
// every instruction-set level (this file is built with -ffp-contract=off),
// so the portable, AVX2 and AVX-512 VNNI kernels give the same bits; the
// activation quantization is one scalar loop shared by all of them.
//
// Weights are stored packed for the kernels: blocks of 16 output rows, and
// in each block groups of 4 input columns, 64 bytes a group:
//
//   packed[((b * groups + g) * 16 + o) * 4 + t] = q[16 b + o][4 g + t]
//
// (zero past `out` and past `in`). This is the layout the converted file
// holds, so a mapped file is used in place.
//
// Thread safety: pure functions of their arguments.

#include "supportnlp/cpu/cpu.hpp"

#include <cstddef>
#include <cstdint>

namespace supportnlp::embed::transformer::int8 {

/// Output rows per packed block, input columns per group.
inline constexpr int kBlock = 16;
inline constexpr int kGroup = 4;
/// Largest input width whose int32 sums cannot overflow at any level (the
/// VNNI kernel's sums carry an offset of 128 per code).
inline constexpr int kMaxIn = 65536;

/// One quantized linear layer; views that the caller keeps alive.
struct QLinear {
  const std::int8_t* packed = nullptr; ///< packed_size(out, in) bytes, layout above
  const float* scale = nullptr;        ///< [out], finite and > 0
  const std::int32_t* sums = nullptr;  ///< [blocks(out) * 16]: sum_k q[o][k], 0 past out
  int out = 0, in = 0;
};

inline std::size_t blocks(int out) {
  return static_cast<std::size_t>((out + kBlock - 1) / kBlock);
}
inline std::size_t groups(int in) {
  return static_cast<std::size_t>((in + kGroup - 1) / kGroup);
}
/// Bytes of a packed [out, in] matrix.
inline std::size_t packed_size(int out, int in) {
  return blocks(out) * groups(in) * 64;
}

/// Quantizes row-major float rows [rows, cols] per row: scale = max |w| / 127
/// (1 for an all-zero row), q = w / scale rounded half to even. Writes
/// q (row-major, rows * cols) and scale (rows).
void quantize_rows(const float* w, std::size_t rows, std::size_t cols, std::int8_t* q,
                   float* scale) noexcept;
/// Packs row-major codes [out, in] into the kernel layout (packed_size bytes).
void pack(const std::int8_t* q, int out, int in, std::int8_t* packed) noexcept;
/// sums[o] = sum_k q[o][k] of a packed matrix, blocks(out) * 16 entries.
void row_sums(const std::int8_t* packed, int out, int in, std::int32_t* sums) noexcept;
/// Offset of the first -128 code in `n` bytes, or n if none (-128 is outside
/// the symmetric range and the AVX2 kernel's sign trick cannot take it).
std::size_t find_min_code(const std::int8_t* codes, std::size_t n) noexcept;
/// out[j] = float(q[j]) * scale: one word-embedding row.
void dequantize_row(const std::int8_t* q, float scale, int n, float* out) noexcept;

/// y[r * ldy + o] for r < n, o < l.out (formula in the file comment), from
/// float rows x[r * ldx + k]. Never throws (scratch that cannot be allocated
/// gives zero rows: bad vectors rather than a crash, as the forward pass does
/// on out-of-memory).
using LinearFn = void (*)(const float* x, std::size_t n, std::size_t ldx, const QLinear& l,
                          const float* bias, float* y, std::size_t ldy) noexcept;

/// The kernel of `isa` (the best one at or below it that this build has).
LinearFn linear_for(cpu::Isa isa) noexcept;

} // namespace supportnlp::embed::transformer::int8
