#pragma once
// The compiled-in sentiment lexicon: entries generated from data/lexicon/*.tsv
// by data/lexicon/generate_table.py into lexicon_table.cpp.

#include <cstddef>
#include <cstdint>

namespace supportnlp::models::detail {

/// What a lexicon entry does.
enum class LexiconKind : std::uint8_t {
  valence = 0,     ///< a word or multi-word phrase with a valence
  emoji = 1,       ///< an emoji or emoticon with a valence (never negated)
  negator = 2,     ///< opens a negation scope ("not", "never", "no")
  intensifier = 3, ///< scales the next valence: value = relative change (< 0: diminisher)
  contrast = 4,    ///< "but": weight shifts to what follows
};

/// One entry: `term` is the normalized (case-folded) form; words of a phrase
/// are separated by single spaces.
struct LexiconEntry {
  const char* term;
  LexiconKind kind;
  float value;
  bool has_negated; ///< `negated` overrides value * negation_factor in a negation scope
  float negated;
};

extern const LexiconEntry kLexiconEntries[];
extern const std::size_t kLexiconEntryCount;

} // namespace supportnlp::models::detail
