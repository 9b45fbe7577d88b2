#pragma once
// Private: a tokenizer as the data it is built from, so that `convert
// encoder` can store a folder's tokenizer in the converted file and the file
// can build the same tokenizer again without the folder (issue 14): a
// WordPiece configuration (vocabulary, normalizer settings, special tokens),
// or XLM-R's SentencePiece model bytes.

#include "embed/transformer/tokenizer.hpp"
#include "embed/transformer/wordpiece.hpp"

#include <memory>
#include <string>

namespace supportnlp::embed::transformer {

struct TokenizerSource {
  bool sentencepiece = false;      ///< XLM-R's sentencepiece.bpe.model, else WordPiece
  WordPieceConfig wordpiece;       ///< when !sentencepiece
  std::string sentencepiece_model; ///< the model's bytes, when sentencepiece
};

/// What load_tokenizer(folder) builds its tokenizer from, chosen by the same
/// files in the same order. Errors name the file (with the folder) and field.
[[nodiscard]] Result<TokenizerSource> read_tokenizer_source(const std::string& folder);

/// The tokenizer of `source`. Errors name the source file ("vocab.txt: ...",
/// "sentencepiece.bpe.model: ...") without a folder.
[[nodiscard]] Result<std::unique_ptr<Tokenizer>> make_tokenizer(const TokenizerSource& source);

} // namespace supportnlp::embed::transformer
