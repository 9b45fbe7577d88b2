// Token kinds of UAX #29 segments, from the Unicode properties of their
// characters (ICU). ASCII segments are classified without ICU calls.
#include "text/ascii_token.hpp"
#include "text/segmenter.hpp"

#include "supportnlp/text/utf8.hpp"

#include <unicode/uchar.h>

namespace supportnlp::text::detail {

namespace {

bool is_emoji_component(char32_t cp) noexcept {
  return cp == 0x200D || cp == 0xFE0F || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

bool is_emoji_base(char32_t cp) noexcept {
  if (u_hasBinaryProperty(UChar32(cp), UCHAR_REGIONAL_INDICATOR)) return true;
  if (u_hasBinaryProperty(UChar32(cp), UCHAR_EMOJI_PRESENTATION)) return true;
  return cp >= 0x1F000 && u_hasBinaryProperty(UChar32(cp), UCHAR_EXTENDED_PICTOGRAPHIC);
}

// ASCII-only classification: letters and digits decide word / number / id /
// version; single characters are punctuation or symbols.
TokenKind classify_ascii(std::string_view s) noexcept {
  int letters = 0, upper = 0, digits = 0, dots = 0;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') {
      ++letters;
    } else if (c >= 'A' && c <= 'Z') {
      ++letters;
      ++upper;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.') {
      ++dots;
    }
  }
  if (letters == 0 && digits == 0) {
    const auto c = static_cast<unsigned char>(s[0]);
    if (c < 0x20 || c == 0x7F) return TokenKind::other;
    return u_ispunct(c) ? TokenKind::punct : TokenKind::symbol;
  }
  if (letters == 0) {
    // "10.4.2" is a version, "1.234.567" a number with thousands separators.
    if (dots >= 2) {
      bool thousands = true;
      std::size_t group = 0;
      bool first = true;
      for (char c : s) {
        if (c == '.') {
          if (!first && group != 3) thousands = false;
          first = false;
          group = 0;
        } else {
          ++group;
        }
      }
      if (group != 3) thousands = false;
      if (!thousands) return TokenKind::version;
    }
    return TokenKind::number;
  }
  if (digits == 0) return TokenKind::word;
  // Letters and digits together: "v2.3.1" is a version, "INC0012345" an id.
  if ((s[0] == 'v' || s[0] == 'V') && s.size() > 1 && s[1] >= '0' && s[1] <= '9' && dots >= 1 &&
      letters == 1)
    return TokenKind::version;
  if (upper == letters && digits >= 3) return TokenKind::id;
  return TokenKind::word;
}

} // namespace

TokenKind classify_ascii_segment(std::string_view s) noexcept {
  return classify_ascii(s);
}

bool classify_segment(std::string_view s, TokenKind& kind) noexcept {
  if (s.empty()) return false;
  const auto c0 = static_cast<unsigned char>(s[0]);
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {
    if (c0 == ' ' || (c0 >= 0x09 && c0 <= 0x0D)) return false;
    // A keycap sequence is never all ASCII; everything else is decided here.
    kind = classify_ascii(s);
    return true;
  }
  bool letter = false, digit = false, emoji = false;
  std::size_t pos = 0;
  const char32_t first = decode_utf8(s, pos);
  if (u_isUWhiteSpace(UChar32(first))) return false;
  emoji = is_emoji_base(first) ||
          (first >= 0x2300 && u_hasBinaryProperty(UChar32(first), UCHAR_EXTENDED_PICTOGRAPHIC));
  pos = 0;
  while (pos < s.size()) {
    const char32_t cp = decode_utf8(s, pos);
    // VS16 ("❤️"), a keycap ("1️⃣") or a skin tone makes the segment an emoji.
    if (is_emoji_component(cp) && cp != 0x200D) emoji = true;
    if (u_hasBinaryProperty(UChar32(cp), UCHAR_ALPHABETIC))
      letter = true;
    else if (u_isdigit(UChar32(cp)))
      digit = true;
  }
  if (emoji && !u_hasBinaryProperty(UChar32(first), UCHAR_ALPHABETIC)) {
    kind = TokenKind::emoji;
    return true;
  }
  if (letter) {
    kind = TokenKind::word;
    return true;
  }
  if (digit) {
    kind = TokenKind::number;
    return true;
  }
  const std::int32_t mask = U_GET_GC_MASK(UChar32(first));
  if (mask & U_GC_P_MASK)
    kind = TokenKind::punct;
  else if (mask & U_GC_S_MASK)
    kind = TokenKind::symbol;
  else
    kind = TokenKind::other;
  return true;
}

} // namespace supportnlp::text::detail
