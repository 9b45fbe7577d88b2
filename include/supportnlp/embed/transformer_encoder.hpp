#pragma once
/// \file
/// TransformerEncoder: a pretrained BERT or XLM-RoBERTa sentence encoder
/// (all-MiniLM-L6-v2, bge-small-en-v1.5, e5-small-v2,
/// paraphrase-multilingual-MiniLM-L12-v2, multilingual-e5-small, ...) loaded
/// from the Hugging Face / sentence-transformers folder people download,
/// with no conversion step, and run on Eigen in this process. The vectors are
/// those of sentence-transformers on the same checkpoint (float32, within
/// 1e-5 per dimension on the test fixtures; docs/encoders.md).
///
/// The folder must hold config.json (model_type bert or xlm-roberta,
/// hidden_act gelu), model.safetensors, the tokenizer (vocab.txt or
/// tokenizer.json for WordPiece, sentencepiece.bpe.model for XLM-R, with
/// tokenizer_config.json), and, unless the options choose the pooling,
/// modules.json with its pooling config (mean, CLS or max).
/// sentence_bert_config.json's max_seq_length is the truncation length.
///
/// The same folder can be packed into one model file (`supportnlp convert
/// encoder`, or save()): config, tokenizer, pooling, max_seq_length and the
/// weights, float32 or int8, memory-mapped on load and used in place, so
/// processes that load the file share one copy. load() takes the folder or
/// the file. A float32 file gives the folder's vectors bit for bit.
///
/// Int8 mode (TransformerEncoderOptions::int8, or a file converted with
/// --int8): the linear layers and the word-embedding table hold per-row
/// symmetric int8 weights; activations are quantized per token row on the
/// fly, products summed exactly in int32 and scaled back to float (AVX-512
/// VNNI, AVX2 or portable code, the same bits). Vectors keep a cosine of
/// 0.995 or more to float32's on the test fixtures (docs/encoders.md).
///
/// \code
///   auto enc = supportnlp::embed::TransformerEncoder::load("all-MiniLM-L6-v2");
///   if (!enc) { std::cerr << enc.error().message << '\n'; return 1; }
///   std::vector<float> a = enc->encode("I can't log in");
///   std::vector<float> b = enc->encode("how do I reset my password");
///   float cosine = std::inner_product(a.begin(), a.end(), b.begin(), 0.0f);
/// \endcode
///
/// Thread safety: a TransformerEncoder is immutable once loaded; every const
/// method may be called from any number of threads at once. Copies are cheap
/// and share the weights, which stay memory-mapped from model.safetensors
/// where they can be used in place (the embedding tables and most layer
/// matrices), or from the converted file (all of them), so processes
/// loading the same folder or file share those pages.

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::embed {

/// How token vectors become one text vector.
enum class TransformerPooling : std::uint8_t {
  folder = 0, ///< as the folder's modules.json and pooling config say
  mean = 1,   ///< mean of the text's token vectors
  cls = 2,    ///< the first token's ([CLS] / <s>) vector
  max = 3,    ///< per-dimension maximum over the tokens
};

/// Options of TransformerEncoder::load; the defaults follow the folder.
struct TransformerEncoderOptions {
  /// Threads encode_batch may use for one call (>= 1). encode() of a single
  /// text always runs on the caller's thread alone.
  int threads = 1;
  /// Tokens per text, special tokens included (0: sentence_bert_config.json's
  /// max_seq_length, or all the positions the model has). Longer texts are
  /// truncated, keeping their beginning.
  int max_seq_length = 0;
  /// Pooling; anything but `folder` overrides the folder's, and lets a plain
  /// transformers checkpoint without modules.json load.
  TransformerPooling pooling = TransformerPooling::folder;
  /// Int8 mode: quantize the float32 weights of a folder (or a float32
  /// converted file) once at load. A file converted with --int8 is int8
  /// whatever this says. Same vectors as the int8 file converted from the
  /// same folder.
  bool int8 = false;
};

/// A pretrained transformer sentence encoder. See the file comment.
class TransformerEncoder final : public Encoder {
public:
  /// Loads the model in `path`: a Hugging Face / sentence-transformers
  /// folder, or a file written by save() / `supportnlp convert encoder`.
  /// Errors name the file and the field or tensor: not_found (a required
  /// file or tensor), parse_error (a JSON file that does not parse),
  /// invalid_data / corrupt (unsupported or inconsistent configuration,
  /// tensors of the wrong shape or dtype), truncated, io_error,
  /// invalid_argument (options out of range); for a converted file also
  /// bad_magic, checksum_mismatch, wrong_kind (another kind of model file)
  /// and unsupported_version (a newer container or converted-encoder format).
  [[nodiscard]] static Result<TransformerEncoder>
  load(const std::string& path, const TransformerEncoderOptions& options = {});

  /// Writes this encoder as one model file (docs/encoders.md, "The converted
  /// file"): its configuration, tokenizer, pooling, max_seq_length and
  /// weights, int8 if the encoder is in int8 mode. The file is replaced
  /// atomically. Errors: io_error / not_found naming `path`, invalid_data (a
  /// WordPiece token holding a line break).
  [[nodiscard]] Result<void> save(const std::string& path) const;

  /// Vector dimension (the model's hidden_size).
  int dim() const noexcept override;
  /// "transformer/<bert|xlm-roberta>/<dim>/<pooling>/<max_seq_length>/<hash
  /// of the checkpoint's weights>", then "/int8" in int8 mode. A float32
  /// converted file has its folder's fingerprint (same vectors).
  std::string fingerprint() const override;
  /// Writes the unit vector of `text` to out[0..dim()). Never fails and never
  /// throws: invalid UTF-8 is repaired; empty text gives the zero vector (as
  /// the Encoder interface promises), and so does a text whose values
  /// overflow float32 in a model with weights far beyond a trained one's, so
  /// the vector is always finite. Vectors are always L2-normalised: for a
  /// folder without a Normalize module this is sentence-transformers' vector
  /// scaled to unit length (same cosines).
  void encode(std::string_view text, float* out) const override;
  using Encoder::encode;
  /// Encodes many texts into a row-major texts.size() x dim() matrix, the
  /// texts packed by length so a mixed batch does not pay for its longest,
  /// on up to options.threads threads. Same vectors as encode(), bit for bit
  /// at a given cpu level when the hidden size is a multiple of 8, as in
  /// every published checkpoint (otherwise up to float rounding in the last
  /// bits), whatever the batch and the thread count.
  void encode_batch(const std::vector<std::string_view>& texts, float* out) const override;
  /// Encodes texts already tokenized into the model's ids (special tokens
  /// included, as the folder's tokenizer gives them) into a row-major
  /// ids.size() x dim() matrix. Texts longer than max_seq_length() keep their
  /// first max_seq_length() - 1 ids and their last; ids outside the
  /// vocabulary are read as padding; an empty id list gives the zero vector.
  void encode_ids(const std::vector<std::vector<std::int32_t>>& ids, float* out) const;
  /// Token ids of `text` as the encoder feeds them to the model (special
  /// tokens included, truncated to max_seq_length()).
  std::vector<std::int32_t> token_ids(std::string_view text) const;

  /// Tokens per text after truncation, special tokens included.
  int max_seq_length() const noexcept;
  /// "mean", "cls" or "max": the pooling in use.
  const char* pooling() const noexcept;
  /// "bert" or "xlm-roberta".
  const char* model_type() const noexcept;
  /// "f32" or "int8": how the linear layers and word embeddings are held.
  const char* weights() const noexcept;

  /// Internal state; opaque to users.
  struct Impl;

private:
  explicit TransformerEncoder(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::embed
