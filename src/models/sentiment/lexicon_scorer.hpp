#pragma once
// The rule engine behind LexiconSentiment, shared with the learned sentiment
// model (which uses its signals as features). Immutable after construction;
// score() is const and thread-safe.

#include "models/sentiment/lexicon_table.hpp"

#include "supportnlp/models/sentiment/options.hpp"
#include "supportnlp/models/sentiment/scorer.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace supportnlp::models::detail {

/// Aggregates of one text's lexicon evidence (used as model features).
struct LexiconSignals {
  float sum = 0.0f;      ///< final raw valence sum, after all rules
  float positive = 0.0f; ///< sum of positive contributions
  float negative = 0.0f; ///< sum of negative contributions (<= 0)
  int positive_hits = 0;
  int negative_hits = 0;
  int negated_hits = 0;
  int exclamations = 0;
  int questions = 0;
  float emoji = 0.0f;     ///< sum of emoji and emoticon contributions
  float negated = 0.0f;   ///< sum of contributions of negated entries
  int bare_negations = 0; ///< negators that negated no entry (a complaint cue)
  int contrasts = 0;      ///< contrast words ("but", "however")
};

/// Open-addressing hash table over the compiled-in lexicon, plus the rules.
class LexiconScorer {
public:
  LexiconScorer();

  std::size_t size() const noexcept { return kLexiconEntryCount; }

  /// Applies the lexicon and rules to `tokens`. Evidence (in text order) is
  /// appended to `evidence` when it is not null (cleared first).
  void score(const text::TokenizedText& tokens, const LexiconOptions& options,
             LexiconSignals& signals, std::vector<SentimentEvidence>* evidence) const;

  /// The entry for a normalized key, or nullptr.
  const LexiconEntry* find(std::string_view key) const noexcept;

private:
  /// An emoticon made of adjacent tokens starting at `i`; sets `last` to its
  /// final token. Null if none.
  const LexiconEntry* match_emoticon(const text::TokenizedText& tokens, std::size_t i,
                                     std::size_t& last) const noexcept;

  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t entry = 0;       ///< index + 1 into kLexiconEntries; 0 = empty
    std::uint8_t phrase_words = 0; ///< longest phrase starting with this key (0: none)
    std::uint16_t key_length = 0;
    const char* key = nullptr;
  };
  const Slot* find_slot(std::string_view key, std::uint64_t hash) const noexcept;
  Slot& insert_slot(std::string_view key);

  std::vector<Slot> slots_;
  std::uint64_t mask_ = 0;
  int max_phrase_words_ = 1;
};

} // namespace supportnlp::models::detail
