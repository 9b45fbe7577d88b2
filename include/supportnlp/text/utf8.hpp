#pragma once
/// \file
/// UTF-8 validation and repair. Invalid sequences become U+FFFD (one per
/// maximal invalid subpart, as the Unicode Standard recommends, §3.9) and the
/// rest of the text is kept.

#include <cstddef>
#include <string>
#include <string_view>

namespace supportnlp::text {

/// True if `text` is well-formed UTF-8 (no surrogates, no overlongs, <= U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// Byte offset of the first invalid sequence, or text.size() if valid.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

/// Copy of `text` with each maximal invalid subpart replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

/// Decodes one code point at `pos`, advancing `pos` past it. An invalid
/// sequence yields U+FFFD and advances past its maximal invalid subpart (at
/// least one byte). Precondition: pos < text.size().
char32_t decode_utf8(std::string_view text, std::size_t& pos) noexcept;

/// Appends the UTF-8 encoding of `cp` (U+FFFD for surrogates or > U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

/// The longest prefix of `text` of at most `max_bytes` bytes that does not
/// end inside a UTF-8 sequence (at most three continuation bytes are given
/// back; invalid bytes are left as they are). The whole text when it fits.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

} // namespace supportnlp::text
