#pragma once
// Private: building an Encoding, shared by the WordPiece and XLM-R
// tokenizers. Both open with their start special, append pieces until the
// budget (max_length minus the two specials) is reached or passed, then cut
// and close.

#include "embed/transformer/tokenizer.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace supportnlp::embed::transformer {

/// Appends one id with its byte span.
inline void push(Encoding& out, std::int32_t id, std::uint32_t begin, std::uint32_t end) {
  out.ids.push_back(id);
  out.begin.push_back(begin);
  out.end.push_back(end);
}

/// Pieces that fit between the two specials of max_length ids (at least 0).
inline std::size_t piece_budget(std::size_t max_length) {
  return std::max<std::size_t>(max_length, 2) - 2;
}

/// Keeps the opening special and the first `budget` pieces, then appends the
/// closing special `close_id` (span 0, 0).
inline void close_encoding(Encoding& out, std::size_t budget, std::int32_t close_id) {
  if (out.ids.size() > budget + 1) {
    out.ids.resize(budget + 1);
    out.begin.resize(budget + 1);
    out.end.resize(budget + 1);
  }
  push(out, close_id, 0, 0);
}

} // namespace supportnlp::embed::transformer
