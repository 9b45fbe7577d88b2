#pragma once
// Private: UAX #29 word segmentation of valid UTF-8, and token classification.
// Two implementations of word boundaries exist: ICU's BreakIterator (any
// text) and a table-driven fast path; word_boundaries_fast() combines them
// and is the single code path used by Tokenizer::tokenize and
// Tokenizer::word_boundaries.

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
/// emoji...) by the table-driven fast path, stretches around characters that
/// need ICU's full rules or dictionaries by ICU, split only where no rule
/// looks across.
void word_boundaries_fast(std::string_view valid, std::uint32_t base,
                          std::vector<std::uint32_t>& out);

/// True if byte offset p (0 < p < size) of `valid` is a boundary that no
/// UAX #29 rule looks across (an ASCII space next to an ASCII non-space, or
/// either side of CR or LF except inside CR LF), so
/// the text before and after it may be segmented separately.
bool is_safe_cut(std::string_view valid, std::size_t p) noexcept;

/// Segments `valid` block by block (blocks of about 16 KiB, split at safe
/// cuts, so that boundaries stay in cache) and calls fn(bounds) for each
/// block with its boundaries (absolute offsets, as word_boundaries_fast
/// appends them). `bounds` is the caller's reused buffer. This is the one
/// code path of Tokenizer::tokenize and Tokenizer::word_boundaries.
template <class Fn>
void for_each_block(std::string_view valid, std::vector<std::uint32_t>& bounds, Fn&& fn) {
  constexpr std::size_t kBlock = 16384;
  std::size_t start = 0;
  const std::size_t n = valid.size();
  while (start < n) {
    std::size_t cut = n;
    if (n - start > 2 * kBlock) {
      cut = start + kBlock;
      while (cut < n && !is_safe_cut(valid, cut))
        ++cut;
    }
    bounds.clear();
    word_boundaries_fast(valid.substr(start, cut - start), std::uint32_t(start), bounds);
    fn(static_cast<const std::vector<std::uint32_t>&>(bounds));
    start = cut;
  }
}

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
