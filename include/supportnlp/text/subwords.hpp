#pragma once
/// \file
/// Subword segmentation with SentencePiece (unigram or BPE models), for
/// neural encoders: load a model, encode text to ids or pieces, decode, and
/// train a model from a corpus.
///
/// \code
///   auto sp = supportnlp::text::Subwords::load("support.model");
///   if (!sp) return;
///   std::vector<int> ids = sp->encode("my parcel never arrived");
///   std::string back = sp->decode(ids);
/// \endcode
///
/// Thread safety: a loaded Subwords is immutable; encode/decode may be called
/// from any number of threads.

#include "supportnlp/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text {

/// Options for training a SentencePiece model.
struct SubwordTrainOptions {
  std::vector<std::string> input_files; ///< plain text, one sentence per line
  std::string model_prefix;             ///< writes <prefix>.model and <prefix>.vocab
  int vocab_size = 8000;
  std::string model_type = "unigram";   ///< "unigram", "bpe", "word" or "char"
  double character_coverage = 0.9995;
  int num_threads = 1;
  std::uint64_t max_sentences = 0;      ///< 0: all
};

class Subwords {
public:
  /// Loads a SentencePiece model file.
  [[nodiscard]] static Result<Subwords> load(const std::string& path);
  /// Loads a SentencePiece model from its serialized bytes.
  [[nodiscard]] static Result<Subwords> from_bytes(std::string_view model_bytes);
  /// Trains a model; returns the path of the written .model file.
  [[nodiscard]] static Result<std::string> train(const SubwordTrainOptions& options);

  /// Piece ids of `text` (invalid UTF-8 is repaired first).
  std::vector<int> encode(std::string_view text) const;
  /// Pieces of `text` as strings.
  std::vector<std::string> encode_pieces(std::string_view text) const;
  /// Text of a sequence of ids.
  std::string decode(const std::vector<int>& ids) const;
  /// Number of pieces in the vocabulary.
  int vocab_size() const;
  /// Piece string of an id ("" if out of range).
  std::string id_to_piece(int id) const;
  /// Id of a piece (the unknown id if absent).
  int piece_to_id(std::string_view piece) const;
  /// The model's serialized bytes (to embed it in a supportnlp model file).
  const std::string& model_bytes() const;

private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::text
