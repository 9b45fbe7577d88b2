#pragma once
// Private parts of LanguageIdentifier shared by inference
// (language_identifier.cpp), training (language_identifier_train.cpp) and
// feature extraction (language_identifier_features.cpp).

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/text/language_identifier.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/// The lazy form of extract(), for inference that may stop early:
/// count_letters() fills everything but the hashes (letters and scripts of
/// the whole text, repaired_utf8); extract_more() then appends the features
/// of the tokens from byte `pos` until out.hashes holds at least `until` (or
/// the text ends) and returns the byte to resume from (text.size() at the
/// end). Together they give the same hashes as extract(), in the same order.
void count_letters(std::string_view text, TextFeatures& out);
std::size_t extract_more(std::string_view text, std::size_t pos, const FeatureConfig& config,
                         TextFeatures& out, std::size_t until);

/// A text whose features are extracted as scoring needs them.
struct LazyText {
  std::string_view text;
  std::size_t pos = 0; ///< next byte to extract from
};

/// Feature tables are open-addressed over buckets of 8 slots, one 64-byte
/// cache line each: 8 keys (u32; 0 marks an empty slot, filled from the
/// front) then the 8 values of those slots. A feature goes to the first free
/// slot of its home bucket or of the buckets after it, so one cache line
/// usually answers a lookup. A value packs the gain of the languages not
/// listed (bits 0-7), the number of listed (language, gain) pairs (8-11) and
/// the index of the first pair (12-31).
inline constexpr std::uint32_t kBucketSlots = 8;
inline constexpr std::uint32_t kBucketWords = 2 * kBucketSlots;
inline std::uint32_t feature_key(std::uint64_t h) noexcept {
  auto k = static_cast<std::uint32_t>(h >> 32);
  return k == 0 ? 1u : k;
}
inline std::uint32_t feature_home(std::uint64_t h, std::uint32_t buckets) noexcept {
  return static_cast<std::uint32_t>((((h >> 3) & 0xFFFFFFFFull) * buckets) >> 32);
}
inline constexpr int kMaxPairsPerFeature = 15;
inline constexpr std::uint64_t kMaxPairs = std::uint64_t{1} << 20;
inline std::uint32_t make_value(std::uint32_t base, std::uint32_t pairs,
                                std::uint32_t first) noexcept {
  return base | (pairs << 8) | (first << 12);
}
inline std::uint32_t value_base(std::uint32_t v) noexcept {
  return v & 0xFF;
}
inline std::uint32_t value_pairs(std::uint32_t v) noexcept {
  return (v >> 8) & 0xF;
}
inline std::uint32_t value_first(std::uint32_t v) noexcept {
  return v >> 12;
}

/// One (language, gain) pair of the pair list, read as one 16-bit load:
/// language in bits 0-7, gain in bits 8-15.
inline std::uint32_t load_pair(const std::uint8_t* p) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
#else
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8);
#endif
}

/// Which slots of a bucket hold `key` (bit j: slot j) and which are empty.
/// The scalar reference; bucket_match() is the same with SSE2 where the CPU
/// baseline has it (every x86-64), and tests compare the two.
inline void bucket_match_scalar(const std::uint32_t* keys, std::uint32_t key, unsigned& match,
                                unsigned& empty) noexcept {
  match = 0;
  empty = 0;
  for (unsigned j = 0; j < kBucketSlots; ++j) {
    match |= static_cast<unsigned>(keys[j] == key) << j;
    empty |= static_cast<unsigned>(keys[j] == 0) << j;
  }
}
inline void bucket_match(const std::uint32_t* keys, std::uint32_t key, unsigned& match,
                         unsigned& empty) noexcept {
#if defined(__SSE2__)
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(keys));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(keys + 4));
  const __m128i k = _mm_set1_epi32(static_cast<int>(key));
  const __m128i zero = _mm_setzero_si128();
  const auto mask = [](__m128i eq) {
    return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(eq)));
  };
  match = mask(_mm_cmpeq_epi32(lo, k)) | (mask(_mm_cmpeq_epi32(hi, k)) << 4);
  empty = mask(_mm_cmpeq_epi32(lo, zero)) | (mask(_mm_cmpeq_epi32(hi, zero)) << 4);
#else
  bucket_match_scalar(keys, key, match, empty);
#endif
}

/// Looks the feature `x` up in a bucketed table: true and its value if
/// present. Every table has a bucket with an empty slot (checked at load),
/// which ends the search.
inline bool probe(const std::uint32_t* table, std::uint32_t buckets, std::uint64_t x,
                  std::uint32_t& value) noexcept {
  const std::uint32_t key = feature_key(x);
  std::uint32_t b = feature_home(x, buckets);
  for (;;) {
    const std::uint32_t* k = table + static_cast<std::size_t>(b) * kBucketWords;
    unsigned match, empty;
    bucket_match(k, key, match, empty);
    if (match != 0) {
      value = k[kBucketSlots + static_cast<unsigned>(__builtin_ctz(match))];
      return true;
    }
    if (empty != 0) return false;
    if (++b == buckets) b = 0;
  }
}

/// Layout of the feature table this code reads (metadata "layout"). Layout 1
/// had u64 slots whose pair lists ended at the next slot's; layout 2 has the
/// buckets above.
inline constexpr int kTableLayout = 2;

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
  /// The feature table (see kBucketSlots) and its pair list.
  std::uint32_t buckets = 0;
  const std::uint32_t* table = nullptr;
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

  /// Features are scored in chunks of kChunk. With `stop_among`, scoring
  /// stops early once at least kMinFeaturesBeforeStop features are in and
  /// the best of those languages leads the second by kStopMargin (in units
  /// of the softmax temperature: the runner-up's odds are below e^-margin).
  static constexpr std::size_t kChunk = 64;
  static constexpr std::size_t kMinFeaturesBeforeStop = 64;
  static constexpr float kStopMargin = 16.0f;
  /// Features of a text beyond this many are not scored (about 300 KB of
  /// text); it bounds the integer sums (255 * 2^20 < 2^31).
  static constexpr std::size_t kMaxFeatures = std::size_t{1} << 20;

  /// Scores of the languages for the features in `f` (no prior, no
  /// softmax): of every language over all features or, with `stop_among`, of
  /// its languages only (the others 0) over enough features to be sure of
  /// the best of them. With `lazy`, f.hashes is extended from it as scoring
  /// goes (extract_more), so that an early stop also saves the extraction.
  /// Returns the number of features scored.
  std::size_t raw_scores(langid::TextFeatures& f, langid::LazyText* lazy,
                         const langid::ScriptCandidates* stop_among,
                         std::vector<std::uint64_t>& found, std::vector<std::int32_t>& acc,
                         std::vector<float>& scores) const noexcept;
  /// Dominant script of `f` (ICU code) and the candidate list it allows, or
  /// nullptr when none.
  const langid::ScriptCandidates* candidates(const langid::TextFeatures& f,
                                             int& dominant) const noexcept;
};

} // namespace supportnlp::text

namespace supportnlp::text::langid {

/// Training only: one fragment of a sentence that mimics the short
/// evaluation conditions, one word and two consecutive words (code-point
/// windows of 2 and 4 for text without spaces); `j` picks where.
void fragments(const std::string& s, std::size_t j, std::string& one, std::string& two);

/// Training only: the discriminative refinement of a built model's stored
/// gains (LanguageTrainOptions::refine_epochs): an averaged perceptron with
/// a margin over `texts` (their true languages in `labels`, model indices),
/// visited in a fixed shuffled order, updating only the (feature, language)
/// gains the table lists. Returns the model's pair list with the refined
/// gains, quantised. Single-threaded, so deterministic.
std::vector<std::uint8_t> refine_gains(const LanguageIdentifier::Impl& model,
                                       const std::vector<std::string_view>& texts,
                                       const std::vector<std::uint8_t>& labels,
                                       const LanguageTrainOptions& options);

} // namespace supportnlp::text::langid
