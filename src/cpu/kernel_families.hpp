#pragma once
// How kernels.cpp builds a level's table: each family's file fills in its
// entries for a level (the portable version where it has none of its own).
#include "cpu/kernels.hpp"

namespace supportnlp::cpu {

void add_sparse_scores(Isa isa, Kernels& k) noexcept; // sparse_scores.cpp
void add_row_sums(Isa isa, Kernels& k) noexcept;      // row_sums.cpp
void add_dense_scan(Isa isa, Kernels& k) noexcept;    // dense_scan.cpp
void add_batch_scan(Isa isa, Kernels& k) noexcept;    // batch_scan.cpp

} // namespace supportnlp::cpu
