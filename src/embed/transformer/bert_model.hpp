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
// The embedding tables and LayerNorm parameters stay in the safetensors
// mapping (or a converted file's, encoder_file.hpp), so processes share
// those pages. In float32 mode every linear layer is packed once at load
// into panels for the f32 kernel (f32_linear.hpp; Q, K and V straight into
// one fused matrix): that copy is private memory, 42.5 MB for MiniLM-L6,
// and the forward pass reads only it; the row-major weights are read again
// only to write a converted file. In int8 mode the linear layers run the
// int8 kernel (int8_linear.hpp; a converted int8 file's codes are used in
// place) and the word embeddings are int8 rows.
//
// Thread safety: immutable once loaded; forward() is const and may be called
// from any number of threads at once. The Eigen code is bert_forward.inc,
// compiled per instruction-set level (bert_kernels.hpp).

#include "embed/transformer/hf_folder.hpp"
#include "embed/transformer/safetensors.hpp"
#include "supportnlp/io/model_file.hpp"
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

/// How the linear layers and the word-embedding table are held.
enum class WeightMode {
  f32,  ///< as the checkpoint has them (float32)
  int8, ///< per-row symmetric int8 (int8_linear.hpp); activations quantized per token
};

class BertModel {
public:
  /// Loads the weights `config` describes from `tensors` (kept alive by the
  /// model). Tensor names may carry a "bert.", "roberta." or "model." prefix
  /// or none. With WeightMode::int8 the linear layers and the word
  /// embeddings are quantized once here. Errors name the file and the
  /// tensor: not_found (missing), corrupt (shape other than config.json
  /// implies), invalid_data (dtype, NaN/inf, a layer too wide for int8).
  [[nodiscard]] static Result<BertModel> load(const ModelConfig& config, SafeTensors tensors,
                                              WeightMode mode = WeightMode::f32);
  /// Loads the weights of a converted file (encoder_file.hpp: the tensor
  /// names and layouts write() gives them), used in place from its mapping.
  /// Every tensor is checked: dtype, exact shape, finite values, positive
  /// scales, int8 codes in [-127, 127], no tensor unaccounted for. Errors
  /// (corrupt, naming the file and the tensor) never throw.
  /// With WeightMode::int8 an f32 file is quantized here, as a folder is.
  [[nodiscard]] static Result<BertModel> load(const ModelConfig& config, io::ModelFile file,
                                              WeightMode mode = WeightMode::f32);
  /// Adds every weight to `writer` under the converted file's names, in the
  /// model's mode (so a model loaded from a folder in int8 mode writes int8).
  void write(io::ModelWriter& writer) const;
  /// True in int8 mode.
  bool int8() const noexcept;
  /// True if the converted file it was loaded from holds int8 weights.
  bool stored_int8() const noexcept;

  const ModelConfig& config() const noexcept;
  /// Tokens a text may have (max_position_embeddings less XLM-R's offset).
  int max_length() const noexcept;

  /// Pooled vectors of `count` texts into out[i * hidden ..), row-major.
  /// A text longer than `max_length` (capped at max_length()) keeps its first
  /// max_length - 1 ids and its last (the closing special token), as the
  /// tokenizers truncate. Ids outside the vocabulary are read as the padding
  /// id; an empty text gives a zero vector, and so does a text whose values
  /// overflow float32 (finite weights far beyond a trained model's; the
  /// output is always finite). `threads` (>= 1) is the most threads used
  /// for the batch. Never fails, never throws.
  void forward(const IdSpan* texts, std::size_t count, std::size_t max_length, Pooling pooling,
               bool normalize, int threads, float* out) const noexcept;

  struct Impl;

private:
  explicit BertModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::embed::transformer
