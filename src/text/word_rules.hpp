#pragma once
// Private: the fast path's UAX #29 word rules (see tokenizer_ascii.cpp for
// which characters they cover and why), as inline templates that hand each
// boundary to a sink as soon as it is found. The tokenizer's sink turns it
// into a token on the spot, so no boundary buffer sits between segmenting
// and tokenizing; word_boundaries_fast() uses the same template with a sink
// that appends to a vector.

#include "text/cjk_dictionary.hpp"
#include "text/segmenter.hpp"
#include "text/utf8_internal.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace supportnlp::text::detail::wb {

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

/// Code points below this have a class table entry; all others are complex.
constexpr char32_t kTableLimit = 0x20000;

/// The per-code-point class table, built once from ICU's Word_Break data
/// (tokenizer_ascii.cpp).
const std::uint8_t* class_table();

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
inline std::uint8_t class_at(const unsigned char* s, std::size_t i, const std::uint8_t* table,
                             std::size_t& len) {
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
inline std::size_t next_complex(const unsigned char* s, std::size_t i, std::size_t n,
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
    if (class_at(s, i, table, len) == kComplex) return i;
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
inline constexpr AsciiAlnum kAsciiAlnum{};

// Printable ASCII that is neither a letter, digit, '@' nor '_'.
struct AsciiLonePunct {
  bool is[256];
  constexpr AsciiLonePunct() : is() {
    for (int c = 0x21; c < 0x7F; ++c)
      is[c] = !kAsciiAlnum.is[c] && c != '_';
  }
};
inline constexpr AsciiLonePunct kAsciiLonePunct{};

/// End of the run of ASCII letters, digits and '@' starting at j (<= end).
/// (Byte by byte: runs are short, and a word-at-a-time scan measured slower.)
inline std::size_t skip_ascii_alnum(const unsigned char* s, std::size_t j, std::size_t end) {
  while (j < end && kAsciiAlnum.is[s[j]])
    ++j;
  return j;
}

/// Receives boundaries in order. boundary(p): a boundary at offset p.
/// space_end(p): a boundary at p that ends a segment of white space (WSegSpace
/// characters only). alnum_end(p): a boundary at p that ends a segment of
/// ASCII letters, digits and '@' only. The hints let the tokenizer skip work;
/// a sink may treat all three alike.
struct VectorSink {
  std::vector<std::uint32_t>& out;
  std::uint32_t base;
  void boundary(std::uint32_t p) { out.push_back(base + p); }
  void space_end(std::uint32_t p) { out.push_back(base + p); }
  void alnum_end(std::uint32_t p) { out.push_back(base + p); }
};

/// Boundaries of a stretch [begin, end) without complex characters, passed
/// to the sink in order, ending with `end`. Inside a run of ASCII letters
/// and digits no boundary can occur (WB5, WB8-WB10), so such runs are
/// skipped without evaluating the other rules.
template <class Sink>
inline void simple_word_boundaries(const unsigned char* s, std::size_t begin, std::size_t end,
                                   const std::uint8_t* table, Sink& sink) {
  if (begin >= end) return;
  std::size_t len;
  std::uint8_t prev2 = kOther, prev = class_at(s, begin, table, len);
  std::size_t i = begin + len; // start of the current character
  while (i < end) {
    if (is_alnum(prev)) {
      const std::size_t j = skip_ascii_alnum(s, i, end);
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
      sink.boundary(std::uint32_t(i));
      std::size_t space = i;      // start of the current run of spaces
      std::uint8_t before = prev; // class of the character before it
      std::size_t j = i + 1;
      while (j < end && s[j] == ' ')
        ++j;
      // The common case in a tight loop: spaces, then ASCII letters and
      // digits up to the next space. Such a run is a whole segment: it
      // breaks from the spaces on both sides (WB3d joins only spaces, and
      // no Mid* rule looks across a space).
      // One ASCII punctuation mark between the run and the space ("late.",
      // "Hi,") is a segment of its own: no rule joins it to the space, and
      // the run joins it only as ExtendNumLet ('_', WB13a, excluded) or as
      // a Mid* character followed by a letter or digit (WB6, WB12).
      while (j < end && kAsciiAlnum.is[s[j]]) {
        const std::size_t k = skip_ascii_alnum(s, j + 1, end);
        if (k >= end) break;
        std::size_t next_space = k;
        if (s[k] != ' ') {
          if (k + 1 >= end || s[k + 1] != ' ' || !kAsciiLonePunct.is[s[k]]) break;
          next_space = k + 1;
        }
        sink.space_end(std::uint32_t(j));
        sink.alnum_end(std::uint32_t(k));
        if (next_space != k) sink.boundary(std::uint32_t(next_space));
        space = next_space;
        before = table[s[next_space - 1]];
        j = next_space + 1;
        while (j < end && s[j] == ' ')
          ++j;
      }
      prev2 = j - space >= 2 ? std::uint8_t(kSpace) : before;
      prev = kSpace;
      i = j;
      continue;
    }
    std::size_t cur_len, next_len;
    const std::uint8_t cur = class_at(s, i, table, cur_len);
    if (prev == kSpace && cur != kSpace) {
      // A space joins only a following space (Extend/Format/ZWJ after it,
      // WB4, are complex and never reach this path), so what ends here is
      // white space.
      sink.space_end(std::uint32_t(i));
    } else {
      // Only WB6 and WB12 look at the character after `cur`, and only when
      // `cur` is a Mid* character.
      const std::uint8_t next = (is_mid_letter_q(cur) || is_mid_num_q(cur)) && i + cur_len < end
                                    ? class_at(s, i + cur_len, table, next_len)
                                    : std::uint8_t(kOther);
      if (simple_break(prev2, prev, cur, next)) sink.boundary(std::uint32_t(i));
    }
    prev2 = prev;
    prev = cur;
    i += cur_len;
  }
  sink.boundary(std::uint32_t(end));
}

/// If a run of CJK characters that cjk::run_boundaries() segments starts at
/// j (see cjk_dictionary.hpp), its end; otherwise j. The run must start
/// with a Han, Hiragana or Katakana character (ICU picks its dictionary
/// engine by the first character's script) and have a simple character
/// other than ExtendNumLet (or the text's edge) on both sides: then the
/// word rules break on both sides of it (Han, Hiragana and Katakana are
/// neither ALetter nor Numeric to them; only ExtendNumLet joins Katakana,
/// WB13a/b; Extend, Format and ZWJ are complex), nothing on either side
/// looks across it, and the run is one rule segment of ICU's ($KanaKanji
/// chained), all of it in the dictionary engine's set.
inline std::size_t cjk_run_end(const unsigned char* s, std::size_t j, std::size_t n,
                               const std::uint8_t* table) {
  std::size_t len;
  if (j > 0) {
    std::size_t p = j - 1;
    while (p > 0 && (s[p] & 0xC0) == 0x80)
      --p;
    const std::uint8_t before = class_at(s, p, table, len);
    if (before == kComplex || before == kExtendNumLet) return j;
  }
  std::size_t i = j;
  std::uint8_t need = cjk::kStart;
  while (i < n) {
    std::size_t pos = i;
    const char32_t cp = decode_valid_utf8(reinterpret_cast<const char*>(s), pos);
    if ((cjk::flags(cp) & need) == 0) break;
    need = cjk::kStart | cjk::kInner;
    i = pos;
  }
  if (i == j) return j;
  if (i < n) {
    const std::uint8_t after = class_at(s, i, table, len);
    if (after == kComplex || after == kExtendNumLet) return j;
  }
  return i;
}

/// Word boundaries of valid UTF-8 `valid` (offsets relative to it, 0
/// excluded, valid.size() included) passed to the sink in order:
/// stretches of simple characters by the rules above, runs of CJK by
/// ICU's dictionary (cjk_run_end), stretches around other complex
/// characters by ICU, split only at safe cuts. `icu_bounds` is a reused
/// buffer for ICU's and the dictionary's results.
template <class Sink>
void segment_words(std::string_view valid, std::vector<std::uint32_t>& icu_bounds, Sink& sink) {
  const auto* s = reinterpret_cast<const unsigned char*>(valid.data());
  const std::size_t n = valid.size();
  const std::uint8_t* table = class_table();
  // Asked at the first complex character only: ASCII text never loads the
  // dictionary.
  int cjk_ok = -1;
  std::size_t pos = 0; // everything before pos is segmented
  while (pos < n) {
    const std::size_t j = next_complex(s, pos, n, table);
    if (j == n) {
      simple_word_boundaries(s, pos, n, table, sink);
      return;
    }
    if (cjk_ok < 0) cjk_ok = cjk::available() ? 1 : 0;
    if (cjk_ok) {
      const std::size_t k = cjk_run_end(s, j, n, table);
      if (k > j) {
        simple_word_boundaries(s, pos, j, table, sink);
        icu_bounds.clear();
        cjk::run_boundaries(valid, j, k, icu_bounds);
        for (const std::uint32_t b : icu_bounds)
          sink.boundary(b);
        pos = k;
        continue;
      }
    }
    std::size_t region_begin = j;
    while (region_begin > pos && !(region_begin < j && safe_cut(s, region_begin)))
      --region_begin;
    simple_word_boundaries(s, pos, region_begin, table, sink);
    // The start of a CJK run the dictionary path takes is a cut as safe as
    // safe_cut(): a boundary (cjk_run_end), and Han, Hiragana and Katakana
    // are no letter, digit, Extend or pictograph to the rules that look
    // ahead (WB3c, WB6, WB7b, WB12), so ICU decides the same before it as
    // at the end of the text.
    auto cjk_cut = [&](std::size_t p) {
      return cjk_ok && s[p] >= 0xE2 && cjk_run_end(s, p, n, table) > p;
    };
    std::size_t region_end = j + 1;
    for (;;) {
      while (region_end < n && !safe_cut(s, region_end) && !cjk_cut(region_end))
        ++region_end;
      if (region_end >= n) break;
      const std::size_t limit = std::min(n, region_end + kMergeGap);
      const std::size_t next = next_complex(s, region_end, limit, table);
      if (next >= limit) break;
      // A CJK run the dictionary path takes is not merged into the ICU
      // stretch: the stretch ends at this safe cut, the run gets its turn.
      if (cjk_cut(next)) break;
      region_end = next + 1;
    }
    region_end = std::min(region_end, n);
    icu_bounds.clear();
    icu_word_boundaries(valid.substr(region_begin, region_end - region_begin),
                        std::uint32_t(region_begin), icu_bounds);
    for (const std::uint32_t b : icu_bounds)
      sink.boundary(b);
    pos = region_end;
  }
}

} // namespace supportnlp::text::detail::wb
