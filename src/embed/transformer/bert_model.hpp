#pragma once
// Private: the BERT / XLM-RoBERTa encoder forward pass on Eigen (issue 14),
// as transformers' BertModel computes it (absolute positions, post-LayerNorm,
// exact-erf GELU) followed by sentence-transformers' pooling:
//
//   x = LayerNorm(word[id] + position[i + offset] + token_type[0])
//   per layer: qkv = x Wqkv^T + b           (one fused GEMM for Q, K and V)
//              ctx = softmax(q k^T / sqrt(d)) v   per text and head
//              x = LayerNorm(x + ctx Wo^T + bo)
//              x = LayerNorm(x + gelu(x Wi^T + bi) Wout^T + bout)
//   pooled = mean / first row / max over the text's tokens  [then L2 normalised]
//
// A batch is packed, not padded: the texts' tokens are stacked into one
// matrix for the dense layers, and attention runs per text over its own
// tokens only. That is exactly what the padding mask computes, without the
// padded rows, so a mixed batch never pays for its longest text; with
// several threads, texts are bucketed by length into groups of similar total
// size, one group per task.
//
// Weights stay in the safetensors mapping where they can be used in place
// (the embedding tables and the per-layer matrices other than Q, K, V, which
// are copied once into the fused matrix), so processes share those pages.
//
// Thread safety: immutable once loaded; forward() is const and may be called
// from any number of threads at once. The Eigen code is bert_forward.inc,
// compiled per instruction-set level (bert_kernels.hpp).

#include "embed/transformer/hf_folder.hpp"
#include "embed/transformer/safetensors.hpp"
#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace supportnlp::embed::transformer {

/// One text's token ids, special tokens included.
struct IdSpan {
  const std::int32_t* ids = nullptr;
  std::size_t size = 0;
};

class BertModel {
public:
  /// Loads the weights `config` describes from `tensors` (kept alive by the
  /// model). Tensor names may carry a "bert.", "roberta." or "model." prefix
  /// or none. Errors name the file and the tensor: not_found (missing),
  /// corrupt (shape other than config.json implies), invalid_data (dtype,
  /// NaN/inf).
  [[nodiscard]] static Result<BertModel> load(const ModelConfig& config, SafeTensors tensors);

  const ModelConfig& config() const noexcept;
  /// Tokens a text may have (max_position_embeddings less XLM-R's offset).
  int max_length() const noexcept;

  /// Pooled vectors of `count` texts into out[i * hidden ..), row-major.
  /// A text longer than `max_length` (capped at max_length()) keeps its first
  /// max_length - 1 ids and its last (the closing special token), as the
  /// tokenizers truncate. Ids outside the vocabulary are read as the padding
  /// id; an empty text gives a zero vector. `threads` (>= 1) is the most
  /// threads used for the batch. Never fails, never throws.
  void forward(const IdSpan* texts, std::size_t count, std::size_t max_length, Pooling pooling,
               bool normalize, int threads, float* out) const noexcept;

  struct Impl;

private:
  explicit BertModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::embed::transformer
