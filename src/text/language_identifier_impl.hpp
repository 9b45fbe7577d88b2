#pragma once
// Private parts of LanguageIdentifier shared by inference
// (language_identifier.cpp), training (language_identifier_train.cpp) and
// feature extraction (language_identifier_features.cpp).

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/text/language_identifier.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text::langid {

/// Feature orders: 0 = whole word, 1..5 = character n-gram of that length.
/// The order is kept in the low 3 bits of every feature hash.
inline constexpr int kOrders = 6;

/// Script classes of the code-point table. ICU's UScriptCode values are all
/// below 250; these mark non-letters.
inline constexpr std::uint8_t kNotLetter = 0xFF;
inline constexpr std::uint8_t kScriptCommon = 0;    // USCRIPT_COMMON: letter, no script vote
inline constexpr std::uint8_t kScriptInherited = 1; // USCRIPT_INHERITED: marks
inline constexpr int kScriptSlots = 256;

/// Per-BMP-code-point tables, built once per process from ICU (case folding,
/// Alphabetic property, script); the hot path never calls ICU.
struct CodepointTables {
  std::vector<std::uint16_t> fold;  ///< simple case folding (BMP -> BMP), fullwidth ASCII -> ASCII
  std::vector<std::uint8_t> script; ///< ICU script code of a letter or mark, or kNotLetter
};
const CodepointTables& codepoint_tables();

/// ISO 15924 short name of an ICU script code ("Latn"), "" for common/unknown.
const char* script_name(int script) noexcept;

/// What extract() finds in a text. Reused between calls (no allocation once warm).
struct TextFeatures {
  std::vector<std::uint64_t> hashes; ///< one per feature occurrence, order in low 3 bits
  std::array<std::uint32_t, kScriptSlots> script_letters{}; ///< letters per script
  std::uint32_t letters = 0;                                ///< letters kept (all scripts)
  bool repaired_utf8 = false;
  std::vector<char32_t> word; ///< scratch
};

/// Feature extraction settings (stored in the model).
struct FeatureConfig {
  int min_order = 1;
  int max_order = 4;
  int max_word_length = 24;
};

/// Splits `text` into whitespace tokens, drops tokens without language
/// (URLs, e-mail addresses, ASCII tokens with digits such as ids and
/// numbers), case-folds the letters and appends the hashed features of each
/// word (maximal run of letters) to out.hashes. Counts letters per script.
void extract(std::string_view text, const FeatureConfig& config, TextFeatures& out);

/// Slot of a feature table: open addressing with linear probing over `capacity`
/// slots; key 0 marks an empty slot.
inline std::uint32_t feature_key(std::uint64_t h) noexcept {
  auto k = static_cast<std::uint32_t>(h >> 32);
  return k == 0 ? 1u : k;
}
inline std::uint32_t feature_home(std::uint64_t h, std::uint32_t capacity) noexcept {
  return static_cast<std::uint32_t>((((h >> 3) & 0xFFFFFFFFull) * capacity) >> 32);
}

/// Quantisation step of stored log-probability gains (natural log units).
inline constexpr float kStep = 1.0f / 16.0f;

/// Languages a script allows, computed at load from each language's script profile.
struct ScriptCandidates {
  std::vector<std::uint8_t> languages; ///< model indices
};

} // namespace supportnlp::text::langid

namespace supportnlp::text {

/// The loaded model: views into a ModelFile's tensors plus small tables
/// derived at load time.
struct LanguageIdentifier::Impl {
  io::ModelFile file;
  std::vector<std::string> languages;
  langid::FeatureConfig features;
  std::uint32_t capacity = 0;
  /// [capacity + 1] slots: low 32 bits the feature key (0: empty), high 32
  /// bits (first pair << 8) | gain of the unlisted languages. A slot's pairs
  /// end where the next slot's begin; the extra last slot closes the list.
  /// One 8-byte read per probe keeps a lookup to one cache miss.
  const std::uint64_t* slots = nullptr;
  const std::uint8_t* pairs = nullptr; ///< [2 * n]: language, gain
  std::vector<float> unseen;           ///< [kOrders * L] log-probability of an unseen feature
  std::vector<float> order_weight;     ///< [kOrders]
  std::vector<float> prior;            ///< [L]
  float temperature = 1.0f;            ///< softmax: z = (s - max) / (temperature * n^exponent)
  float length_exponent = 0.5f;
  /// Candidate languages for each dominant script; empty: undetermined.
  std::vector<langid::ScriptCandidates> by_script; ///< [kScriptSlots]
  int kana_language = -1;                          ///< "ja" if known: any kana decides
  std::string metadata;

  /// Builds the views and derived tables; errors name the file.
  [[nodiscard]] static Result<std::shared_ptr<Impl>> from_file(io::ModelFile file);

  /// Scores of every language for the features in `f` (no prior, no softmax).
  void raw_scores(const langid::TextFeatures& f, std::vector<std::uint32_t>& found,
                  std::vector<std::int32_t>& acc, std::vector<float>& scores) const noexcept;
  /// Dominant script of `f` (ICU code) and the candidate list it allows, or
  /// nullptr when none.
  const langid::ScriptCandidates* candidates(const langid::TextFeatures& f,
                                             int& dominant) const noexcept;
};

} // namespace supportnlp::text
