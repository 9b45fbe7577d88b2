#pragma once
/// \file
/// Encoder: text -> unit-length dense vector, the interface the knowledge
/// base and other semantic components are built on. Implementations (the
/// compact StaticEncoder, later a TransformerEncoder) are immutable once
/// loaded, and every method is const and safe to call from any number of
/// threads at once.

#include "supportnlp/text/tokenizer.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::embed {

class Encoder {
public:
  virtual ~Encoder() = default;

  /// Dimension of the vectors produced.
  virtual int dim() const noexcept = 0;

  /// Short identifier of the model (kind and a hash of its weights), stored
  /// with indexes so that a KB is never searched with another encoder.
  virtual std::string fingerprint() const = 0;

  /// Writes the L2-normalised embedding of `text` to out[0..dim()). Never
  /// fails: empty or unknown text gives the zero vector.
  virtual void encode(std::string_view text, float* out) const = 0;

  /// Same as encode(tokens.source, out) for a text already tokenized by a
  /// text::Tokenizer with default TokenizerOptions (`tokens.source` must
  /// still be alive): an encoder that reads those tokens uses them instead of
  /// tokenizing again, so a caller that tokenizes a ticket once for several
  /// models pays for one tokenization. This default encodes the source text.
  virtual void encode_tokens(const text::TokenizedText& tokens, float* out) const {
    encode(tokens.source, out);
  }

  /// Encodes many texts into a row-major texts.size() x dim() matrix.
  virtual void encode_batch(const std::vector<std::string_view>& texts, float* out) const {
    for (std::size_t i = 0; i < texts.size(); ++i)
      encode(texts[i], out + i * static_cast<std::size_t>(dim()));
  }

  /// Convenience: a new vector.
  std::vector<float> encode(std::string_view text) const {
    std::vector<float> v(static_cast<std::size_t>(dim()));
    encode(text, v.data());
    return v;
  }
};

} // namespace supportnlp::embed
