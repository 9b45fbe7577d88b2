// The transformer forward pass compiled with AVX2 + FMA (bert_kernels.hpp;
// CMakeLists.txt sets -mavx2 -mfma on this file on x86-64). Eigen's namespace
// is renamed in this file so that none of its template instances (built here
// with AVX2 instructions) can stand in for the baseline file's at link time;
// bert_forward.inc keeps its own helpers in an unnamed namespace and calls
// no out-of-line standard-library template on float data for the same reason.
#include "embed/transformer/bert_kernels.hpp"

#if defined(__AVX2__) && defined(__FMA__)
#define Eigen SupportnlpEigenAvx2
#define SUPPORTNLP_BERT_RUN_GROUP run_group_avx2
#include "embed/transformer/bert_forward.inc"

namespace supportnlp::embed::transformer::kernels {
bool avx2_built() noexcept {
  return true;
}
} // namespace supportnlp::embed::transformer::kernels
#else
namespace supportnlp::embed::transformer::kernels {
void run_group_avx2(const Weights& w, const Group& g) {
  run_group_portable(w, g);
}
bool avx2_built() noexcept {
  return false;
}
} // namespace supportnlp::embed::transformer::kernels
#endif
