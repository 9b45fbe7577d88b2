#pragma once
// Private: support entities kept whole by the tokenizer (URLs, emails,
// @mentions, #hashtags, order/ticket ids, prices, percentages, emoticons).

#include "supportnlp/text/tokenizer.hpp"

#include <cstddef>
#include <string_view>

namespace supportnlp::text::detail {

/// If an entity starts at `pos` of valid UTF-8 `text` (`pos` is the start of
/// a word segment), returns its end and sets `kind`; otherwise returns `pos`.
/// Looks only at ASCII structure; rejects ordinary words after a few bytes.
std::size_t match_entity(std::string_view text, std::size_t pos, TokenKind& kind) noexcept;

/// For a segment [pos, end) of `text` made of ASCII letters, digits and
/// '@' only: true if match_entity() certainly finds no entity at `pos`. This
/// is match_entity's own first rejection (a word run not followed by
/// @ - + % _, nor by . or , that more than white space follows, and not
/// starting a scheme URL), without its scan, so the tokenizer's loop can
/// skip the call for ordinary words. False means "call match_entity".
inline bool plain_ascii_word(std::string_view text, std::size_t pos, std::size_t end) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = pos; i < end; ++i)
    if (s[i] == '@') return false; // mentions, emails
  if (end - pos >= 4 && (s[pos] | 0x20) == 'h' && (s[pos + 1] | 0x20) == 't' &&
      (s[pos + 2] | 0x20) == 't' && (s[pos + 3] | 0x20) == 'p')
    return false;                                             // http:// or https://
  if (end - pos == 3 && (s[pos] | 0x20) == 'w') return false; // www.
  if (end >= text.size()) return true;
  const unsigned char after = s[end];
  if (after == '.' || after == ',') {
    // "late. " or "Hi, ": no email, domain, id or percentage continues
    // across a '.' or ',' that white space follows.
    if (end + 1 >= text.size()) return true;
    const unsigned char next = s[end + 1];
    return next == ' ' || next == '\n' || next == '\r' || next == '\t';
  }
  return !(after == '@' || after == '-' || after == '+' || after == '%' || after == '_');
}

} // namespace supportnlp::text::detail
