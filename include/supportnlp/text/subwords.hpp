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
/// Thread safety: a loaded Subwords is immutable; encode/decode and the
/// vocabulary accessors may be called from any number of threads at once.
/// Copies share the loaded model. Training may run on any thread, but it
/// sets SentencePiece's process-wide log level so that nothing is printed.

#include "supportnlp/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text {

/// Options for training a SentencePiece model.
struct SubwordTrainOptions {
  /// Plain-text corpus files, one sentence per line (used by train() only).
  std::vector<std::string> input_files;
  /// train() writes <prefix>.model and <prefix>.vocab (train_from_sentences()
  /// writes nothing and ignores it).
  std::string model_prefix;
  /// Number of pieces, including <unk>, <s> and </s> (at least 4). Default 8000.
  int vocab_size = 8000;
  /// "unigram" (default), "bpe", "word" or "char".
  std::string model_type = "unigram";
  /// Share of characters the model covers; the rarest rest map to <unk>.
  double character_coverage = 0.9995;
  /// Training threads. Default 1.
  int num_threads = 1;
  /// Sentences sampled from the corpus; 0 (default) uses all of them.
  std::uint64_t max_sentences = 0;
  /// true (default): fail when the corpus cannot fill vocab_size pieces;
  /// false: vocab_size is an upper bound (useful for small corpora).
  bool hard_vocab_limit = true;
};

/// One subword piece of a text and where it is in the caller's original
/// bytes.
struct SubwordPiece {
  int id = 0;              ///< piece id
  std::uint32_t begin = 0; ///< byte offset of the piece's first character
  std::uint32_t end = 0;   ///< byte offset just past its last character
};

/// A loaded SentencePiece model. Cheap to copy (copies share the model).
/// A default-constructed Subwords has no model: encode returns nothing,
/// decode returns "" and vocab_size() is 0.
class Subwords {
public:
  /// Loads a subword model file: either one written by save() (a supportnlp
  /// model file of kind "subwords", checksummed) or a standard SentencePiece
  /// `.model` file. Errors: not_found, io_error, the model container's errors
  /// for a damaged or wrong-kind supportnlp file (truncated,
  /// checksum_mismatch, wrong_kind, ...), corrupt for bytes that are not a
  /// SentencePiece model. Messages name the file.
  ///
  /// A raw `.model` file has no checksum. Its normalization tables, which
  /// SentencePiece trusts, are checked here so that damage there is an
  /// error rather than a crash while encoding; other damage (a changed
  /// piece or score) goes unnoticed. Distribute models in the save() format,
  /// whose checksum catches any change.
  [[nodiscard]] static Result<Subwords> load(const std::string& path);
  /// As load(), from bytes in memory (copied): a save() file's bytes or
  /// serialized SentencePiece bytes.
  [[nodiscard]] static Result<Subwords> from_bytes(std::string_view model_bytes);
  /// Writes the model as a supportnlp model file of kind "subwords" (the
  /// SentencePiece bytes as a CRC-checked blob), atomically. Errors:
  /// invalid_argument (no model), io_error.
  [[nodiscard]] Result<void> save(const std::string& path) const;
  /// Trains a model on options.input_files and writes <model_prefix>.model
  /// and .vocab; returns the path of the .model file. Lines longer than 4192
  /// bytes are skipped. Errors: invalid_argument (no input, no prefix,
  /// vocab_size < 4, unknown model_type), not_found (an input file is
  /// missing), io_error (unreadable input, unwritable output), invalid_data
  /// (no usable line, or a corpus too small for vocab_size with
  /// hard_vocab_limit), internal (other SentencePiece failures).
  [[nodiscard]] static Result<std::string> train(const SubwordTrainOptions& options);
  /// Trains a model on in-memory sentences (invalid UTF-8 repaired first)
  /// and returns it loaded; nothing is written to disk. Errors as train().
  [[nodiscard]] static Result<Subwords>
  train_from_sentences(const std::vector<std::string>& sentences,
                       const SubwordTrainOptions& options);

  /// Piece ids of `text`. Invalid UTF-8 is repaired to U+FFFD first. Never fails.
  std::vector<int> encode(std::string_view text) const;
  /// As encode(), writing into `ids` (cleared first, its capacity reused).
  void encode(std::string_view text, std::vector<int>& ids) const;
  /// Piece ids of `text` with byte offsets into `text` itself (not into the
  /// repaired or normalized copy SentencePiece sees), written into `pieces`
  /// (cleared first). Whitespace that a piece's leading "▁" stands for is not
  /// part of its span; a piece that is only "▁" gets an empty span. Invalid
  /// bytes are repaired to U+FFFD, which the usual SentencePiece
  /// normalization (nmt_nfkc) drops: they then belong to no piece.
  /// Texts over 4 GiB are encoded up to their first 4 GiB. Never fails.
  void encode_with_offsets(std::string_view text, std::vector<SubwordPiece>& pieces) const;
  /// Pieces of `text` as strings (U+2581 "▁" marks a preceding space).
  std::vector<std::string> encode_pieces(std::string_view text) const;
  /// Text of a sequence of ids; ids out of range are skipped. Never fails.
  std::string decode(const std::vector<int>& ids) const;
  /// Number of pieces in the vocabulary.
  int vocab_size() const;
  /// Piece string of an id ("" if out of range).
  std::string id_to_piece(int id) const;
  /// Id of a piece (unk_id() if absent).
  int piece_to_id(std::string_view piece) const;
  /// Id of the unknown piece <unk> (-1 without a model).
  int unk_id() const;
  /// The model's serialized bytes (to embed it in a supportnlp model file,
  /// or to load it again with from_bytes()). Valid while this object lives.
  const std::string& model_bytes() const;

private:
  struct Impl;
  [[nodiscard]] static Result<Subwords> parse(std::string_view bytes, std::string_view name);
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::text
