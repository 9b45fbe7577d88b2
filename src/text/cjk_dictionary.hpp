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

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace supportnlp::text::detail::cjk {

/// Bits of a code point's entry in table().
enum Flag : std::uint8_t {
  kStart = 1,      ///< may begin a run: Script Han, Hiragana or Katakana
  kInner = 2,      ///< may continue a run only (U+30FC, U+FF70, U+FF9E, U+FF9F: Script Common)
  kNormalized = 4, ///< NFKC_Quick_Check=Yes and combining class 0
};

/// Code points below this have an entry in table(); all others are not CJK.
constexpr char32_t kTableLimit = 0x40000;

/// Per-code-point flags (kStart / kInner / kNormalized) of the characters a run
/// may hold: Script Han, Hiragana or Katakana (or U+30FC, U+FF70), in ICU's
/// $KanaKanji word-rule class, and of Word_Break Other, ALetter or Katakana;
/// of Extend, Format and ZWJ, whose rules join them to their neighbours,
/// only the half-width voiced sound marks U+FF9E and U+FF9F, which are in
/// the dictionary engine's own set (tests check every string of up to four
/// characters of these kinds against ICU). Built once; null if ICU's CJK
/// dictionary cannot be loaded, in which case callers must leave CJK text
/// to ICU.
const std::uint8_t* table() noexcept;

/// Appends the word boundaries of the run [begin, end) of `valid` (valid
/// UTF-8; every character has kStart or kInner in table(), the first has
/// kStart, and table() is not null) to `out`: the interior boundaries in
/// ascending order, then `end`. Offsets are into `valid`. Identical to
/// ICU 72's CjkBreakEngine::divideUpDictionaryRange on that rule segment.
void run_boundaries(std::string_view valid, std::size_t begin, std::size_t end,
                    std::vector<std::uint32_t>& out);

} // namespace supportnlp::text::detail::cjk
