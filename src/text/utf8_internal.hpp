#pragma once
// Private UTF-8 helpers shared by the normalizer and the tokenizer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text::detail {

/// Length of the maximal invalid subpart starting at `pos` (>= 1).
std::size_t invalid_sequence_length(std::string_view text, std::size_t pos) noexcept;

/// Writes `text` with invalid subparts replaced by U+FFFD into `out`. If
/// `offsets` is given it receives out.size() + 1 entries: for each output
/// byte the offset in `text` it came from, then text.size(). Returns true if
/// anything was replaced.
bool repair_utf8_with_offsets(std::string_view text, std::string& out,
                              std::vector<std::uint32_t>* offsets);

/// Decodes the code point starting at s[pos] of text known to be valid
/// UTF-8 (no checks: only for text that passed find_invalid_utf8 or was
/// repaired) and advances pos past it. Inline, for the segmenter's loops.
inline char32_t decode_valid_utf8(const char* text, std::size_t& pos) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text) + pos;
  const unsigned char b = s[0];
  if (b < 0x80) {
    pos += 1;
    return b;
  }
  if (b < 0xE0) {
    pos += 2;
    return (char32_t(b & 0x1F) << 6) | char32_t(s[1] & 0x3F);
  }
  if (b < 0xF0) {
    pos += 3;
    return (char32_t(b & 0x0F) << 12) | (char32_t(s[1] & 0x3F) << 6) | char32_t(s[2] & 0x3F);
  }
  pos += 4;
  return (char32_t(b & 0x07) << 18) | (char32_t(s[1] & 0x3F) << 12) | (char32_t(s[2] & 0x3F) << 6) |
         char32_t(s[3] & 0x3F);
}

} // namespace supportnlp::text::detail
