#pragma once
// Private: the converted transformer encoder file (issue 14), written by
// `supportnlp convert encoder` (TransformerEncoder::save) and read by
// TransformerEncoder::load(path) when path is a file. One model container
// (docs/model-format.md) of kind "transformer-encoder":
//
//   metadata   {"encoder": "transformer", "version": 1, "weights": "f32"|"int8",
//               "weights_hash": 16 hex digits (of the source checkpoint),
//               "model": config.json's fields, "sentence": pooling, normalize,
//               max_seq_length, "tokenizer": the WordPiece settings or
//               {"type": "sentencepiece"}}
//   tensors    the weights under BertModel::write()'s names (the fused Q/K/V
//              matrix included, so every weight is used in place from the
//              mapping), and the tokenizer: "tokenizer.vocab" (WordPiece
//              tokens, one a line) or "tokenizer.sentencepiece" (the model).
//
// docs/encoders.md ("The converted file") lists every field and tensor.
// Reading checks every field's type and range and the fields against each
// other and against the tensors; errors name the file and the field or
// tensor, and nothing throws.

#include "embed/transformer/bert_model.hpp"
#include "embed/transformer/hf_folder.hpp"
#include "embed/transformer/tokenizer_source.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace supportnlp::embed::transformer {

inline constexpr const char* kEncoderFileKind = "transformer-encoder";
/// The converted file's own format version (metadata "version"); a newer one
/// is refused with unsupported_version. 2: float32 linear weights are stored
/// in the f32 kernel's packed panels ([ceil(out / 16), in, 16]) and used in
/// place; 1 stored them [out, in], packed at load (still read).
inline constexpr int kEncoderFileVersion = 2;

/// A checkpoint's weights hash as the file stores it and the encoder's
/// fingerprint shows it: 16 lowercase hex digits.
std::string weights_hash_hex(std::uint64_t hash);

/// Everything a converted file holds.
struct EncoderFile {
  HfFolder config; ///< `folder` is the file's path
  TokenizerSource tokenizer_source;
  std::unique_ptr<Tokenizer> tokenizer;
  std::optional<BertModel> model;
  std::uint64_t weights_hash = 0; ///< of the checkpoint it was converted from
};

/// The writer of a converted file (metadata and tensors); save() or
/// serialize() it. Error (invalid_data): a WordPiece token holding a line
/// break (the vocabulary is stored one token a line).
[[nodiscard]] Result<io::ModelWriter> encoder_file_writer(const HfFolder& config,
                                                          const TokenizerSource& tokenizer,
                                                          const BertModel& model,
                                                          std::uint64_t weights_hash);

/// Reads and checks an opened converted file (ModelFile::open has checked
/// the container and the checksums). Errors: wrong_kind (not a transformer
/// encoder), unsupported_version (a newer "version"), corrupt (a field or
/// tensor missing, of the wrong type, out of range or inconsistent), and the
/// tokenizer's own errors, prefixed with the file.
/// With WeightMode::int8 an f32 file is quantized on load (as a folder
/// would be); an int8 file stays int8 either way.
[[nodiscard]] Result<EncoderFile> read_encoder_file(io::ModelFile file,
                                                    WeightMode mode = WeightMode::f32);

} // namespace supportnlp::embed::transformer
