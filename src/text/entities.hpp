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

} // namespace supportnlp::text::detail
