// Word boundaries of a whole string, starting with 0, from ICU alone and from
// the tokenizer's own segmenter (fast path, CJK dictionary path, ICU for the
// rest): the two sides every boundary-identity test compares.
#pragma once

#include "text/segmenter.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace supportnlp::text::testing {

/// ICU's word BreakIterator over the whole string.
inline std::vector<std::uint32_t> icu_word_boundaries_of(const std::string& s) {
  std::vector<std::uint32_t> out{0};
  detail::icu_word_boundaries(s, 0, out);
  return out;
}

/// The segmenter the tokenizer uses.
inline std::vector<std::uint32_t> fast_word_boundaries_of(const std::string& s) {
  std::vector<std::uint32_t> out{0};
  detail::word_boundaries_fast(s, 0, out);
  return out;
}

} // namespace supportnlp::text::testing
