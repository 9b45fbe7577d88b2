#pragma once
// Private: the Eigen part of the transformer forward pass (bert_model.hpp),
// compiled twice from bert_forward.inc: for the baseline CPU
// (bert_forward_portable.cpp) and with AVX2 + FMA (bert_forward_avx2.cpp,
// x86-64 only), chosen once per process by cpu::active_isa(), as the cpu
// module's kernels are (SUPPORTNLP_CPU=portable forces the baseline one).
// The linear layers are not Eigen's: they call the active level's float32
// (f32_linear.hpp) or int8 (int8_linear.hpp) kernel through Weights.
// The weights are plain pointers here so that this header has no Eigen.

#include "embed/transformer/bert_model.hpp"
#include "embed/transformer/f32_linear.hpp"
#include "embed/transformer/int8_linear.hpp"

#include <cstddef>

namespace supportnlp::embed::transformer::kernels {

struct LinearView {
  /// [out, in], row-major as PyTorch stores it; the forward pass reads p32 or
  /// q8 instead, and this is null where no such copy is kept (a folder's
  /// fused Q/K/V in float32 mode, a format-2 converted file's layers, every
  /// layer in int8 mode).
  const float* w = nullptr;
  const float* b = nullptr; // [out]
  int out = 0, in = 0;
  /// Int8 mode: the quantized weights.
  const int8::QLinear* q8 = nullptr;
  /// Float32 mode: the weights packed for the f32 kernel (f32_linear.hpp).
  const f32::PackedLinear* p32 = nullptr;
};

struct NormView {
  const float* gain = nullptr;
  const float* bias = nullptr;
};

struct LayerView {
  LinearView qkv; // fused [3H, H]: rows of Q, then K, then V
  LinearView attn_out, inter, out;
  NormView attn_norm, out_norm;
};

struct Weights {
  const ModelConfig* config = nullptr;
  const float* word = nullptr; ///< [vocab, hidden]; null in int8 mode
  /// Int8 mode: word-embedding codes [vocab, hidden] and a scale per row.
  const std::int8_t* word_q8 = nullptr;
  const float* word_scale = nullptr;
  /// The int8 linear kernel of the active level (int8 mode only).
  int8::LinearFn linear_i8 = nullptr;
  /// The float32 linear kernel of the active level (float32 mode only).
  f32::LinearFn linear_f32 = nullptr;
  const float* position = nullptr;
  const float* token_type = nullptr;
  NormView embed_norm;
  const LayerView* layers = nullptr;
};

/// One group of texts run as one packed matrix: texts[order[k]] for k in
/// [0, n), each truncated to max_length, pooled into out[order[k] * hidden ..).
struct Group {
  const IdSpan* texts = nullptr;
  const std::size_t* order = nullptr;
  std::size_t n = 0;
  std::size_t max_length = 0;
  Pooling pooling = Pooling::mean;
  bool normalize = false;
  float* out = nullptr;
};

/// The forward pass of one group, for the baseline CPU.
void run_group_portable(const Weights& w, const Group& g);
/// The same compiled for AVX2 + FMA; only called when avx2_built() and the
/// CPU has them.
void run_group_avx2(const Weights& w, const Group& g);
/// False where bert_forward_avx2.cpp was built without AVX2 (not x86-64).
bool avx2_built() noexcept;

} // namespace supportnlp::embed::transformer::kernels
