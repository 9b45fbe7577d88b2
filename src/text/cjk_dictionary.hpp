#pragma once
// Private: word boundaries inside runs of Han, Hiragana and Katakana, the
// same as ICU 72's word BreakIterator gives them, without a BreakIterator.
//
// ICU's word rules put a run of such characters into one rule segment and
// hand it to its CJK dictionary engine (CjkBreakEngine), which picks the
// cheapest split by its dictionary "cjdict" (a Viterbi search over word
// costs, with a cost for unknown characters and for runs of Katakana). We
// read the same dictionary through ICU's public data API (udata_open, walked
// with icu::UCharsTrie) and run the same search (cjk_dictionary.cpp), so
// only the per-call overhead of the BreakIterator (UText, UnicodeString and
// vector copies, normalization check, dictionary cache) is saved; the
// boundaries are the same. The splitter (word_rules.hpp) takes this path only
// for runs whose characters and neighbours it knows the rules for; anything
// else still goes to ICU, and so does everything when the dictionary cannot
// be loaded.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace supportnlp::text::detail::cjk {

/// Bits of a code point's flags().
enum Flag : std::uint8_t {
  kStart = 1,      ///< may begin a run: Script Han, Hiragana or Katakana
  kInner = 2,      ///< may continue a run only (U+30FC, U+FF70, U+FF9E, U+FF9F: Script Common)
  kNormalized = 4, ///< NFKC_Quick_Check=Yes and combining class 0
  kKnown = 0x80,   ///< the entry has been computed
};

/// Code points below this may be CJK; all others are not.
constexpr char32_t kTableLimit = 0x40000;

/// True if ICU's CJK dictionary is loaded; if not, callers must leave CJK
/// text to ICU. Loads it on the first call (thread-safe).
bool available() noexcept;

/// Computes a code point's flags from ICU's properties (cjk_dictionary.cpp).
std::uint8_t compute_flags(char32_t cp) noexcept;

/// Flags cache, filled on first use of each code point; concurrent first
/// uses store the same value, so relaxed atomics suffice.
extern std::atomic<std::uint8_t> g_flags[kTableLimit];

/// Flags of the characters a run may hold: Script Han, Hiragana or Katakana
/// (or U+30FC, U+FF70), in ICU's $KanaKanji word-rule class, and of
/// Word_Break Other, ALetter or Katakana; of Extend, Format and ZWJ, whose
/// rules join them to their neighbours, only the half-width voiced sound
/// marks U+FF9E and U+FF9F, which are in the dictionary engine's own set
/// (tests check every string of up to four characters of these kinds
/// against ICU). Zero (apart from kKnown) for every other code point.
inline std::uint8_t flags(char32_t cp) noexcept {
  if (cp >= kTableLimit) return 0;
  std::uint8_t f = g_flags[cp].load(std::memory_order_relaxed);
  if (f == 0) {
    f = compute_flags(cp);
    g_flags[cp].store(f, std::memory_order_relaxed);
  }
  return f;
}

/// Appends the word boundaries of the run [begin, end) of `valid` (valid
/// UTF-8; every character has kStart or kInner in flags(), the first has
/// kStart, and available() is true) to `out`: the interior boundaries in
/// ascending order, then `end`. Offsets are into `valid`. Identical to
/// ICU 72's CjkBreakEngine::divideUpDictionaryRange on that rule segment.
void run_boundaries(std::string_view valid, std::size_t begin, std::size_t end,
                    std::vector<std::uint32_t>& out);

} // namespace supportnlp::text::detail::cjk
