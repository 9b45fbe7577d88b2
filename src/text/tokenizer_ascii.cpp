// The ASCII fast path of UAX #29 word segmentation, and the splitter that
// hands stretches around non-ASCII characters to ICU.
//
// For ASCII only these Word_Break values occur: CR, LF, Newline (VT, FF),
// WSegSpace (space), ALetter (A-Z a-z), Numeric (0-9), MidLetter (':'),
// MidNum (',' ';'), MidNumLet ('.'), Single_Quote, Double_Quote,
// ExtendNumLet ('_') and Other. Extend/Format/ZWJ (WB4), Hebrew letters,
// Katakana and regional indicators are all non-ASCII, so rules WB3c, WB4,
// WB7a-c, WB13 and WB15/16 never apply here.
//
// One deviation is inherited from ICU 72 on purpose: its word rules (CLDR)
// put '@' into ALetter ("$ALetter = [\p{Word_Break=ALetter} @]"), so that
// "bob@x.com" stays one segment; WordBreakTest.txt has no '@', and the fast
// path must agree with ICU everywhere, so it does the same.
#include "text/segmenter.hpp"

#include <algorithm>
#include <array>
#include <cstring>

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
};

constexpr std::array<std::uint8_t, 128> make_table() {
  std::array<std::uint8_t, 128> t{};
  for (auto& v : t)
    v = kOther;
  t['\r'] = kCR;
  t['\n'] = kLF;
  t[0x0B] = kNewline;
  t[0x0C] = kNewline;
  t[' '] = kSpace;
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] = kALetter;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] = kALetter;
  for (int c = '0'; c <= '9'; ++c)
    t[c] = kNumeric;
  t[':'] = kMidLetter;
  t[','] = kMidNum;
  t[';'] = kMidNum;
  t['.'] = kMidNumLet;
  t['\''] = kSingleQuote;
  t['"'] = kDoubleQuote;
  t['_'] = kExtendNumLet;
  t['@'] = kALetter; // ICU/CLDR tailoring, see above
  return t;
}

constexpr std::array<std::uint8_t, 128> kTable = make_table();

inline bool is_mid_letter_q(std::uint8_t c) {
  return c == kMidLetter || c == kMidNumLet || c == kSingleQuote;
}
inline bool is_mid_num_q(std::uint8_t c) {
  return c == kMidNum || c == kMidNumLet || c == kSingleQuote;
}
inline bool is_alnum(std::uint8_t c) {
  return c == kALetter || c == kNumeric;
}

// Whether there is a boundary between s[i-1] and s[i], 0 < i < n.
inline bool ascii_break(const std::uint8_t* cls, std::size_t i, std::size_t n) {
  const std::uint8_t prev = cls[i - 1], cur = cls[i];
  if (prev == kCR && cur == kLF) return false;                     // WB3
  if (prev == kCR || prev == kLF || prev == kNewline) return true; // WB3a
  if (cur == kCR || cur == kLF || cur == kNewline) return true;    // WB3b
  if (prev == kSpace && cur == kSpace) return false;               // WB3d
  if (is_alnum(prev) && is_alnum(cur)) return false;               // WB5, WB8-10
  const std::uint8_t next = i + 1 < n ? cls[i + 1] : std::uint8_t(kOther);
  const std::uint8_t prev2 = i >= 2 ? cls[i - 2] : std::uint8_t(kOther);
  if (prev == kALetter && is_mid_letter_q(cur) && next == kALetter) return false;      // WB6
  if (prev2 == kALetter && is_mid_letter_q(prev) && cur == kALetter) return false;     // WB7
  if (prev2 == kNumeric && is_mid_num_q(prev) && cur == kNumeric) return false;        // WB11
  if (prev == kNumeric && is_mid_num_q(cur) && next == kNumeric) return false;         // WB12
  if ((is_alnum(prev) || prev == kExtendNumLet) && cur == kExtendNumLet) return false; // WB13a
  if (prev == kExtendNumLet && is_alnum(cur)) return false;                            // WB13b
  return true;                                                                         // WB999
}

// A cut between two ASCII characters next to a space (and not between two
// spaces) is a boundary whose decision, and every decision around it, looks
// at nothing beyond it: no rule joins a space to anything but a space, and
// WB6/7/11/12 only look across Mid* characters, never across a space.
inline bool safe_cut(const unsigned char* s, std::size_t p) {
  const unsigned char a = s[p - 1], b = s[p];
  if ((a | b) & 0x80) return false;
  return (a == ' ') != (b == ' ');
}

std::size_t next_non_ascii(const unsigned char* s, std::size_t i, std::size_t n) {
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  for (; i < n; ++i)
    if (s[i] & 0x80) return i;
  return n;
}

// Non-ASCII characters closer than this share one ICU call.
constexpr std::size_t kMergeGap = 48;

} // namespace

void ascii_word_boundaries(std::string_view ascii, std::uint32_t base,
                           std::vector<std::uint32_t>& out) {
  const std::size_t n = ascii.size();
  if (n == 0) return;
  // Classify in blocks into a small stack buffer so the rules read classes
  // with look-behind 2 and look-ahead 1.
  constexpr std::size_t kBlock = 256;
  std::uint8_t cls[kBlock + 3];
  const auto* s = reinterpret_cast<const unsigned char*>(ascii.data());
  std::size_t start = 0;
  while (start < n) {
    const std::size_t end = std::min(n, start + kBlock);
    // cls[k] holds the class of s[start - 2 + k]; sot/eot count as Other
    // (they never join anything).
    const std::size_t lo = start >= 2 ? start - 2 : 0;
    const std::size_t hi = std::min(n, end + 1);
    for (std::size_t k = lo; k < hi; ++k)
      cls[k - lo] = kTable[s[k]];
    const std::size_t count = hi - lo;
    for (std::size_t i = start == 0 ? 1 : start; i < end; ++i)
      if (ascii_break(cls, i - lo, count)) out.push_back(base + std::uint32_t(i));
    start = end;
  }
  out.push_back(base + std::uint32_t(n));
}

void word_boundaries_fast(std::string_view valid, std::uint32_t base,
                          std::vector<std::uint32_t>& out) {
  const auto* s = reinterpret_cast<const unsigned char*>(valid.data());
  const std::size_t n = valid.size();
  std::size_t pos = 0; // everything before pos is segmented
  while (pos < n) {
    const std::size_t j = next_non_ascii(s, pos, n);
    if (j == n) {
      ascii_word_boundaries(valid.substr(pos), base + std::uint32_t(pos), out);
      return;
    }
    std::size_t region_begin = j;
    while (region_begin > pos && !(region_begin < j && safe_cut(s, region_begin)))
      --region_begin;
    if (region_begin > pos)
      ascii_word_boundaries(valid.substr(pos, region_begin - pos), base + std::uint32_t(pos), out);
    std::size_t region_end = j + 1;
    for (;;) {
      while (region_end < n && !safe_cut(s, region_end))
        ++region_end;
      if (region_end >= n) break;
      const std::size_t next = next_non_ascii(s, region_end, std::min(n, region_end + kMergeGap));
      if (next == std::min(n, region_end + kMergeGap)) break;
      region_end = next + 1;
    }
    region_end = std::min(region_end, n);
    icu_word_boundaries(valid.substr(region_begin, region_end - region_begin),
                        base + std::uint32_t(region_begin), out);
    pos = region_end;
  }
}

} // namespace supportnlp::text::detail
