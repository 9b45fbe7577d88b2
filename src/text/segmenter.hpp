#pragma once
// Private: UAX #29 word segmentation of valid UTF-8, and token classification.
// Two implementations of word boundaries exist: ICU's BreakIterator (any
// text) and a hand-written ASCII fast path; segment_words() combines them and
// is the single code path used by Tokenizer::tokenize and word_boundaries.

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

/// Same for pure-ASCII `ascii`, by the UAX #29 rules restricted to ASCII.
void ascii_word_boundaries(std::string_view ascii, std::uint32_t base,
                           std::vector<std::uint32_t>& out);

/// Same for any valid UTF-8: ASCII stretches by the fast path, stretches
/// around non-ASCII characters by ICU, split only where the rules cannot
/// look across.
void word_boundaries_fast(std::string_view valid, std::uint32_t base,
                          std::vector<std::uint32_t>& out);

/// Sentence boundaries (ICU), excluding 0, including valid.size().
void icu_sentence_boundaries(std::string_view valid, std::vector<std::uint32_t>& out);

/// Classifies one UAX #29 segment of valid UTF-8; returns false for
/// whitespace (no token).
bool classify_segment(std::string_view segment, TokenKind& kind) noexcept;

/// For an all-ASCII, non-whitespace segment: appends its normalized form to
/// `norm` (A-Z folded if `fold`), sets `kind` and returns true. Returns false
/// and appends nothing if the segment holds non-ASCII bytes.
bool ascii_token(std::string_view segment, bool fold, std::string& norm, TokenKind& kind);

} // namespace supportnlp::text::detail
