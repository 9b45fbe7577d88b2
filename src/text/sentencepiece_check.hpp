#pragma once
// Structural checks of serialized SentencePiece models that SentencePiece
// itself does not make. A .model file has no checksum, and SentencePiece
// trusts the normalization table inside it: a damaged table can make
// encoding read out of bounds. Its trie builder throws on an empty piece or
// one holding a NUL byte. These checks find such damage at load time.

#include <string>
#include <string_view>

namespace supportnlp::text::detail {

/// Empty if the normalization tables and the pieces of the serialized
/// ModelProto `model` are safe to use; otherwise what is wrong with them.
std::string check_sentencepiece_model(std::string_view model);

} // namespace supportnlp::text::detail
