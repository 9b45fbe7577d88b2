#pragma once
// Private: what a Hugging Face / sentence-transformers folder says about its
// model (issue 14), read and checked before any weight is touched:
//
//   config.json                  architecture and sizes (BERT or XLM-RoBERTa)
//   modules.json                 Transformer -> Pooling [-> Normalize]
//   <pooling path>/config.json   the pooling mode (mean, CLS or max)
//   sentence_bert_config.json    max_seq_length (optional: without it, the
//                                positions the model has)
//
// Every error names the file and the field. A folder without modules.json
// (a plain transformers checkpoint) is accepted only when the caller chooses
// the pooling.

#include "supportnlp/result.hpp"

#include <optional>
#include <string>

namespace supportnlp::embed::transformer {

enum class Pooling { mean, cls, max };

/// "mean", "cls" or "max".
const char* pooling_name(Pooling p) noexcept;

/// config.json, as far as the forward pass needs it.
struct ModelConfig {
  bool xlm_roberta = false; ///< model_type "xlm-roberta" (else "bert")
  int vocab_size = 0;
  int hidden = 0;        ///< hidden_size
  int layers = 0;        ///< num_hidden_layers
  int heads = 0;         ///< num_attention_heads (divides hidden)
  int intermediate = 0;  ///< intermediate_size
  int max_positions = 0; ///< max_position_embeddings
  int type_vocab_size = 0;
  int pad_token_id = 0;
  float layer_norm_eps = 1e-12f;
  /// Position of a text's first token: 0 for BERT; padding_idx + 1 for
  /// XLM-R, whose position ids count from there.
  int position_offset = 0;
};

/// The sentence-transformers modules after the transformer.
struct SentenceConfig {
  Pooling pooling = Pooling::mean;
  bool normalize = false; ///< a Normalize module follows the pooling
  int max_seq_length = 0; ///< tokens per text, specials included
};

struct HfFolder {
  std::string folder;
  ModelConfig model;
  SentenceConfig sentence;
};

/// Reads config.json and the sentence-transformers files of `folder`. With
/// `pooling` set, modules.json and the pooling config are not needed (and
/// the folder's choice, if any, is overridden); `max_seq_length` > 0 caps
/// the folder's. Errors: not_found (a required file), parse_error (a file
/// that is not JSON), invalid_data / corrupt (a field missing, of the wrong
/// type, out of range or inconsistent with another), naming file and field.
[[nodiscard]] Result<HfFolder> read_hf_folder(const std::string& folder,
                                              std::optional<Pooling> pooling = std::nullopt,
                                              int max_seq_length = 0);

} // namespace supportnlp::embed::transformer
