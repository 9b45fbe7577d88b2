#pragma once
// Private: UAX #29 word segmentation of valid UTF-8, and token classification.
// Two implementations of word boundaries exist: ICU's BreakIterator (any
// text) and a table-driven fast path; wb::segment_words() (word_rules.hpp)
// combines them and is the single code path of Tokenizer::tokenize and
// Tokenizer::word_boundaries (through word_boundaries_fast()).

#include "supportnlp/text/tokenizer.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text::detail {

/// Appends the interior and final word-boundary offsets of `valid` (valid
/// UTF-8) to `out`, each plus `base`; offset 0 is not appended. Pure ICU.
void icu_word_boundaries(std::string_view valid, std::uint32_t base,
                         std::vector<std::uint32_t>& out);

/// Same for any valid UTF-8: stretches of "simple" characters (see
/// tokenizer_ascii.cpp: ASCII, Latin, Greek, Cyrillic, punctuation, single
/// emoji...) by the table-driven fast path, runs of Han, Hiragana and
/// Katakana by ICU's CJK dictionary without a BreakIterator
/// (cjk_dictionary.hpp), stretches around other characters that need ICU's
/// full rules or dictionaries by ICU, split only where no rule looks across.
void word_boundaries_fast(std::string_view valid, std::uint32_t base,
                          std::vector<std::uint32_t>& out);

/// Sentence boundaries (ICU), excluding 0, including valid.size().
void icu_sentence_boundaries(std::string_view valid, std::vector<std::uint32_t>& out);

/// Classifies one UAX #29 segment of valid UTF-8; returns false for
/// whitespace (no token). If `fold_stable` is not null, it is set to true
/// when the segment is its own NFKC_Casefold form, decided per character
/// (each maps to itself and starts a normalization segment), so that the
/// caller may copy it instead of normalizing it; false means "unknown".
bool classify_segment(std::string_view segment, TokenKind& kind,
                      bool* fold_stable = nullptr) noexcept;

} // namespace supportnlp::text::detail
