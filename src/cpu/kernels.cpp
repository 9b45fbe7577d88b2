// The kernel tables, one per level, each built once.
#include "cpu/kernel_families.hpp"

namespace supportnlp::cpu {
namespace {

Kernels table_of(Isa isa) noexcept {
  Kernels k{};
  k.isa = isa;
  add_sparse_scores(isa, k);
  add_row_sums(isa, k);
  add_dense_scan(isa, k);
  add_batch_scan(isa, k);
  return k;
}

} // namespace

const Kernels* kernels_for(Isa isa) noexcept {
  static const Kernels tables[] = {table_of(Isa::portable), table_of(Isa::avx2),
                                   table_of(Isa::avx512)};
  if (!supported(isa)) return nullptr;
  return &tables[static_cast<int>(isa)];
}

const Kernels& kernels() noexcept {
  static const Kernels& active = *kernels_for(active_isa());
  return active;
}

} // namespace supportnlp::cpu
