// Token kinds of UAX #29 segments, from the Unicode properties of their
// characters (ICU). ASCII segments are classified without ICU calls.
#include "text/ascii_token.hpp"
#include "text/segmenter.hpp"
#include "text/utf8_internal.hpp"

#include "supportnlp/text/utf8.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <atomic>
#include <cstdint>

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

namespace {

// Per-code-point properties that classify_segment needs, looked up in ICU
// once per code point and then read from a table (the ICU property calls
// were most of the cost of classifying non-ASCII segments).
constexpr std::uint8_t kKnown = 1, kAlpha = 2, kDigit = 4, kEmojiStart = 8, kEmojiMark = 16,
                       kWhite = 32, kFoldStable = 64;
constexpr char32_t kPropsLimit = 0x20000;

// NFKC_Casefold maps c to itself and c has a normalization boundary before
// it, so a string of such characters is its own NFKC_Casefold form (each
// character is a normalization segment of its own; see
// Normalizer2::hasBoundaryBefore).
bool fold_stable(char32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* norm = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || norm == nullptr || !norm->hasBoundaryBefore(UChar32(cp))) return false;
  const icu::UnicodeString str(static_cast<UChar32>(cp));
  return norm->quickCheck(str, status) == UNORM_YES && U_SUCCESS(status);
}

std::uint8_t compute_props(char32_t cp) {
  const UChar32 c = UChar32(cp);
  std::uint8_t p = kKnown;
  if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC))
    p |= kAlpha;
  else if (u_isdigit(c))
    p |= kDigit;
  if (is_emoji_base(cp) || (cp >= 0x2300 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)))
    p |= kEmojiStart;
  if (is_emoji_component(cp) && cp != 0x200D) p |= kEmojiMark;
  if (u_isUWhiteSpace(c)) p |= kWhite;
  if (fold_stable(cp)) p |= kFoldStable;
  return p;
}

// Filled lazily; concurrent first lookups of one code point store the same
// value, so relaxed atomics suffice. Zero (static storage) means unknown.
std::atomic<std::uint8_t> g_props[kPropsLimit];

inline std::uint8_t props(char32_t cp) {
  if (cp >= kPropsLimit) return compute_props(cp);
  std::uint8_t p = g_props[cp].load(std::memory_order_relaxed);
  if (p == 0) {
    p = compute_props(cp);
    g_props[cp].store(p, std::memory_order_relaxed);
  }
  return p;
}

} // namespace

bool classify_segment(std::string_view s, TokenKind& kind, bool* fold_stable_out) noexcept {
  if (fold_stable_out != nullptr) *fold_stable_out = false;
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
  bool letter = false, digit = false;
  std::size_t pos = 0;
  const char32_t first = decode_valid_utf8(s.data(), pos);
  const std::uint8_t first_props = props(first);
  if (first_props & kWhite) return false;
  bool emoji = (first_props & kEmojiStart) != 0;
  // ASCII characters other than A-Z are their own NFKC_Casefold form and
  // have a boundary before them.
  bool stable = true;
  pos = 0;
  while (pos < s.size()) {
    const auto b = static_cast<unsigned char>(s[pos]);
    if (b < 0x80) {
      ++pos;
      if (b >= 'A' && b <= 'Z') stable = false;
      if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')
        letter = true;
      else if (b >= '0' && b <= '9')
        digit = true;
      continue;
    }
    const std::uint8_t p = props(decode_valid_utf8(s.data(), pos));
    // VS16 ("❤️"), a keycap ("1️⃣") or a skin tone makes the segment an emoji.
    if (p & kEmojiMark) emoji = true;
    if (p & kAlpha)
      letter = true;
    else if (p & kDigit)
      digit = true;
    if (!(p & kFoldStable)) stable = false;
  }
  if (fold_stable_out != nullptr) *fold_stable_out = stable;
  if (emoji && !(first_props & kAlpha)) {
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
