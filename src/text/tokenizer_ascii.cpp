// The fast path of UAX #29 word segmentation, and the splitter that hands
// stretches around "complex" characters to ICU.
//
// Most support text needs only the pairwise and Mid* rules of UAX #29:
// WB3-WB3b (CR LF Newline), WB3d (WSegSpace), WB5-WB13b over ALetter,
// Numeric, MidLetter, MidNum, MidNumLet, Single_Quote, ExtendNumLet. Those
// are implemented here over a per-code-point class table built once from
// ICU's own Word_Break property data (all of ASCII, accented Latin, Greek,
// Cyrillic, Arabic, punctuation, most symbols and single emoji). Characters
// that need more — Extend/Format/ZWJ (WB4, WB3c), regional indicators
// (WB15/16), Hebrew letters (WB7a-c), Katakana (WB13), and the scripts ICU
// segments with dictionaries (Han, Hiragana, Katakana, Hangul, Thai...) —
// are "complex": the stretch around them goes to ICU.
//
// One deviation is inherited from ICU 72 on purpose: its word rules (CLDR)
// put '@' into ALetter ("$ALetter = [\p{Word_Break=ALetter} @]"), so that
// "bob@x.com" stays one segment; WordBreakTest.txt has no '@', and the fast
// path must agree with ICU everywhere, so it does the same.
#include "text/segmenter.hpp"
#include "text/utf8_internal.hpp"

#include "supportnlp/text/utf8.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace supportnlp::text::detail {

namespace {

enum Wb : std::uint8_t {
  kOther,
  kCR,
  kLF,
  kNewline,
  kSpace,
  kALetter,
  kNumeric,
  kMidLetter,
  kMidNum,
  kMidNumLet,
  kSingleQuote,
  kDoubleQuote,
  kExtendNumLet,
  kComplex,
};

// Code points below this have a table entry; all others are complex.
constexpr char32_t kTableLimit = 0x20000;

bool uses_dictionary(char32_t cp) {
  const UChar32 c = UChar32(cp);
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) return true;
  if (cp >= 0xAC00 && cp <= 0xD7A3) return true; // Hangul syllables
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
}

std::uint8_t class_of(char32_t cp) {
  if (cp == '@') return kALetter; // ICU/CLDR tailoring, see above
  if (uses_dictionary(cp)) return kComplex;
  switch (u_getIntPropertyValue(UChar32(cp), UCHAR_WORD_BREAK)) {
  case U_WB_OTHER:
    return kOther;
  case U_WB_CR:
    return kCR;
  case U_WB_LF:
    return kLF;
  case U_WB_NEWLINE:
    return kNewline;
  case U_WB_WSEGSPACE:
    return kSpace;
  case U_WB_ALETTER:
    return kALetter;
  case U_WB_NUMERIC:
    return kNumeric;
  case U_WB_MIDLETTER:
    return kMidLetter;
  case U_WB_MIDNUM:
    return kMidNum;
  case U_WB_MIDNUMLET:
    return kMidNumLet;
  case U_WB_SINGLE_QUOTE:
    return kSingleQuote;
  case U_WB_DOUBLE_QUOTE:
    return kDoubleQuote;
  case U_WB_EXTENDNUMLET:
    return kExtendNumLet;
  default:
    return kComplex;
  }
}

// Built once (thread-safe static initialization), 128 KiB.
const std::uint8_t* class_table() {
  static const std::unique_ptr<std::uint8_t[]> table = [] {
    std::unique_ptr<std::uint8_t[]> t(new std::uint8_t[kTableLimit]);
    for (char32_t cp = 0; cp < kTableLimit; ++cp)
      t[cp] = (cp >= 0xD800 && cp <= 0xDFFF) ? std::uint8_t(kComplex) : class_of(cp);
    // Extended_Pictographic matters only after a ZWJ, which is complex and
    // pulls its neighbours into the ICU stretch with it.
    return t;
  }();
  return table.get();
}

inline bool is_mid_letter_q(std::uint8_t c) {
  return c == kMidLetter || c == kMidNumLet || c == kSingleQuote;
}
inline bool is_mid_num_q(std::uint8_t c) {
  return c == kMidNum || c == kMidNumLet || c == kSingleQuote;
}
inline bool is_alnum(std::uint8_t c) {
  return c == kALetter || c == kNumeric;
}

// Boundary between characters i-1 and i of a class array; prev2/next are
// kOther at the edges (sot/eot never join anything).
inline bool simple_break(std::uint8_t prev2, std::uint8_t prev, std::uint8_t cur,
                         std::uint8_t next) {
  if (is_alnum(prev) && is_alnum(cur)) return false;                               // WB5, WB8-10
  if (prev == kCR && cur == kLF) return false;                                     // WB3
  if (prev == kCR || prev == kLF || prev == kNewline) return true;                 // WB3a
  if (cur == kCR || cur == kLF || cur == kNewline) return true;                    // WB3b
  if (prev == kSpace && cur == kSpace) return false;                               // WB3d
  if (prev == kALetter && is_mid_letter_q(cur) && next == kALetter) return false;  // WB6
  if (prev2 == kALetter && is_mid_letter_q(prev) && cur == kALetter) return false; // WB7
  if (prev2 == kNumeric && is_mid_num_q(prev) && cur == kNumeric) return false;    // WB11
  if (prev == kNumeric && is_mid_num_q(cur) && next == kNumeric) return false;     // WB12
  if ((is_alnum(prev) || prev == kExtendNumLet) && cur == kExtendNumLet) return false; // WB13a
  if (prev == kExtendNumLet && is_alnum(cur)) return false;                            // WB13b
  return true;                                                                         // WB999
}

// Class of the character at byte i of valid UTF-8, and its length.
inline std::uint8_t class_at(const unsigned char* s, std::size_t n, std::size_t i,
                             const std::uint8_t* table, std::size_t& len) {
  const unsigned char b = s[i];
  if (b < 0x80) {
    len = 1;
    return table[b];
  }
  std::size_t pos = i;
  const char32_t cp = decode_valid_utf8(reinterpret_cast<const char*>(s), pos);
  len = pos - i;
  return cp < kTableLimit ? table[cp] : std::uint8_t(kComplex);
}

// A cut between two ASCII characters next to a space (and not between two
// spaces) is a boundary whose decision, and every decision around it, looks
// at nothing beyond it: no rule joins a space to anything but a space, and
// WB6/7/11/12 only look across Mid* characters, never across a space.
//
// A cut next to CR or LF (except inside CR LF) is safe as well: WB3a/WB3b
// break on both sides of them, WB4 does not attach Extend/Format/ZWJ after
// them (as after sot), no Mid* rule looks across them, and they end a run
// of regional indicators.
inline bool safe_cut(const unsigned char* s, std::size_t p) {
  const unsigned char a = s[p - 1], b = s[p];
  if (a == '\n' || b == '\n' || a == '\r' || b == '\r') return !(a == '\r' && b == '\n');
  if ((a | b) & 0x80) return false;
  return (a == ' ') != (b == ' ');
}

// Byte offset of the first complex character in [i, n), or n.
std::size_t next_complex(const unsigned char* s, std::size_t i, std::size_t n,
                         const std::uint8_t* table) {
  while (i < n) {
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
    }
    while (i < n && s[i] < 0x80)
      ++i;
    if (i >= n) break;
    std::size_t len;
    if (class_at(s, n, i, table, len) == kComplex) return i;
    i += len;
  }
  return n;
}

// Complex characters closer than this share one ICU call.
constexpr std::size_t kMergeGap = 48;

struct AsciiAlnum {
  bool is[256];
  constexpr AsciiAlnum() : is() {
    for (int c = 0; c < 256; ++c)
      is[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '@'; // ALetter by ICU's tailoring, as in the class table
  }
};
constexpr AsciiAlnum kAsciiAlnum;

// Boundaries of a stretch without complex characters. Inside a run of ASCII
// letters and digits no boundary can occur (WB5, WB8-WB10), so such runs are
// skipped byte by byte without evaluating the other rules.
void simple_word_boundaries(const unsigned char* s, std::size_t begin, std::size_t end,
                            std::uint32_t base, const std::uint8_t* table,
                            std::vector<std::uint32_t>& out) {
  if (begin >= end) return;
  std::size_t len;
  std::uint8_t prev2 = kOther, prev = class_at(s, end, begin, table, len);
  std::size_t i = begin + len; // start of the current character
  while (i < end) {
    if (is_alnum(prev)) {
      std::size_t j = i;
      while (j < end && kAsciiAlnum.is[s[j]])
        ++j;
      if (j > i) {
        prev2 = j - i >= 2 ? table[s[j - 2]] : prev;
        prev = table[s[j - 1]];
        i = j;
      }
      if (i >= end) break;
    }
    if (s[i] == ' ' && prev != kSpace) {
      // Nothing joins a space to a preceding non-space (WB3d needs a space
      // on both sides; no other rule has WSegSpace on its right), and
      // spaces join each other: one boundary, then skip the run.
      out.push_back(base + std::uint32_t(i));
      std::size_t j = i + 1;
      while (j < end && s[j] == ' ')
        ++j;
      prev2 = j - i >= 2 ? std::uint8_t(kSpace) : prev;
      prev = kSpace;
      i = j;
      continue;
    }
    std::size_t cur_len, next_len;
    const std::uint8_t cur = class_at(s, end, i, table, cur_len);
    if (prev == kSpace && cur != kSpace) {
      // A space joins only a following space (Extend/Format/ZWJ after it,
      // WB4, are complex and never reach this path).
      out.push_back(base + std::uint32_t(i));
    } else {
      // Only WB6 and WB12 look at the character after `cur`, and only when
      // `cur` is a Mid* character.
      const std::uint8_t next = (is_mid_letter_q(cur) || is_mid_num_q(cur)) && i + cur_len < end
                                    ? class_at(s, end, i + cur_len, table, next_len)
                                    : std::uint8_t(kOther);
      if (simple_break(prev2, prev, cur, next)) out.push_back(base + std::uint32_t(i));
    }
    prev2 = prev;
    prev = cur;
    i += cur_len;
  }
  out.push_back(base + std::uint32_t(end));
}

} // namespace

bool is_safe_cut(std::string_view valid, std::size_t p) noexcept {
  return p > 0 && p < valid.size() &&
         safe_cut(reinterpret_cast<const unsigned char*>(valid.data()), p);
}

void word_boundaries_fast(std::string_view valid, std::uint32_t base,
                          std::vector<std::uint32_t>& out) {
  const auto* s = reinterpret_cast<const unsigned char*>(valid.data());
  const std::size_t n = valid.size();
  const std::uint8_t* table = class_table();
  std::size_t pos = 0; // everything before pos is segmented
  while (pos < n) {
    const std::size_t j = next_complex(s, pos, n, table);
    if (j == n) {
      simple_word_boundaries(s, pos, n, base, table, out);
      return;
    }
    std::size_t region_begin = j;
    while (region_begin > pos && !(region_begin < j && safe_cut(s, region_begin)))
      --region_begin;
    simple_word_boundaries(s, pos, region_begin, base, table, out);
    std::size_t region_end = j + 1;
    for (;;) {
      while (region_end < n && !safe_cut(s, region_end))
        ++region_end;
      if (region_end >= n) break;
      const std::size_t limit = std::min(n, region_end + kMergeGap);
      const std::size_t next = next_complex(s, region_end, limit, table);
      if (next >= limit) break;
      region_end = next + 1;
    }
    region_end = std::min(region_end, n);
    icu_word_boundaries(valid.substr(region_begin, region_end - region_begin),
                        base + std::uint32_t(region_begin), out);
    pos = region_end;
  }
}

} // namespace supportnlp::text::detail
