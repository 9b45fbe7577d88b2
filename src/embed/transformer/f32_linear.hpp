#pragma once
// Private: the float32 linear layer of the transformer encoder (issue 14),
// y = x W^T + b, on weights packed once at load into panels of 16 output
// columns:
//
//   packed[(p * in + k) * 16 + j] = W[16 p + j][k]   (zero past `out`)
//
// so that a kernel streams one panel (16 consecutive floats per k) while it
// broadcasts a few input rows' k-th values and keeps rows x 16 sums in
// registers. Eigen's GEMM packs its right-hand side again on every call,
// which for the few rows of a single query costs more than the product.
//
// Every output is one sum in a fixed order, whatever the level's tiling and
// however many rows the call has:
//
//   s = 0; for k = 0 .. in-1: s = s + x[r][k] * W[o][k];   y[r][o] = s + b[o]
//
// The AVX2 and AVX-512 kernels compute each step as one fused multiply-add,
// so they give the same bits as each other; the portable kernel rounds the
// product and the sum separately (this file is built with -ffp-contract=off),
// so its bits are its own. At each level a row gives the same bits alone or
// in any batch, and from call to call.
//
// Thread safety: pure functions of their arguments.

#include "supportnlp/cpu/cpu.hpp"

#include <cstddef>

namespace supportnlp::embed::transformer::f32 {

/// Output columns per packed panel.
inline constexpr int kPanel = 16;

/// One packed linear layer; a view that the caller keeps alive.
struct PackedLinear {
  const float* packed = nullptr; ///< packed_size(out, in) floats, layout above
  int out = 0, in = 0;
};

inline std::size_t panels(int out) {
  return static_cast<std::size_t>((out + kPanel - 1) / kPanel);
}
/// Floats of a packed [out, in] matrix.
inline std::size_t packed_size(int out, int in) {
  return panels(out) * static_cast<std::size_t>(in) * kPanel;
}

/// Packs `rows` row-major rows of width `in` (W[first + i][k] = w[i * in + k])
/// into a packed [out, in] matrix as its rows first .. first + rows - 1;
/// packed must be zeroed beforehand (the padding past `out` stays zero).
/// Several calls fill one matrix from separate tensors (Q, K and V).
void pack_rows(const float* w, int rows, int first, int in, float* packed) noexcept;

/// The inverse: row-major [out, in] weights from a packed matrix.
void unpack(const float* packed, int out, int in, float* w) noexcept;

/// y[r * ldy + o] for r < n, o < l.out (the formula above), from rows
/// x[r * ldx + k]; bias has l.out entries. Nothing past l.out is written.
using LinearFn = void (*)(const float* x, std::size_t n, std::size_t ldx, const PackedLinear& l,
                          const float* bias, float* y, std::size_t ldy) noexcept;

/// The kernel of `isa` (the best one at or below it that this build has).
LinearFn linear_for(cpu::Isa isa) noexcept;

} // namespace supportnlp::embed::transformer::f32
