#pragma once
/// \file
/// Hashed n-gram features for linear models: word uni/bi-grams (any range),
/// character n-grams within words (with "<" and ">" word-boundary marks, like
/// fastText and scikit-learn's char_wb) and optionally across word
/// boundaries, and entity-kind tokens ("<url>", "<email>", "<id>", ...) in
/// place of the entity's literal text. Every feature is hashed into one of
/// `buckets` indices, so the feature space has a fixed size and needs no
/// vocabulary.
///
/// \code
///   supportnlp::text::Tokenizer tok;
///   supportnlp::features::NgramExtractor ngrams;          // default options
///   supportnlp::text::TokenizedText t;
///   supportnlp::features::SparseFeatures f;               // reuse across texts
///   tok.tokenize("Where is my refund for ORD-99812?", t);
///   ngrams.extract(t, f);
///   for (std::size_t i = 0; i < f.size(); ++i) use(f.index[i], f.value[i]);
/// \endcode
///
/// Thread safety: an NgramExtractor is immutable; extract() is const and may
/// be called from any number of threads at once, each with its own
/// SparseFeatures buffer.

#include "supportnlp/text/tokenizer.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace supportnlp::features {

/// Which features to extract. Defaults suit intent classification of short
/// support texts. A range with min_n > max_n or min_n == 0 is disabled.
struct NgramOptions {
  /// Number of hash buckets (dimension of the feature space), >= 1.
  std::uint32_t buckets = 1u << 18;
  /// Word n-gram range over the token sequence (1 = unigrams, 2 = bigrams).
  int word_min_n = 1;
  int word_max_n = 2;
  /// Character n-gram range within each word, counted in code points, over
  /// the word's normalized form wrapped in "<" and ">".
  int char_min_n = 2;
  int char_max_n = 5;
  /// Also extract character n-grams over the whole normalized word sequence
  /// joined by single spaces, so n-grams span word boundaries.
  bool char_across_words = false;
  /// Replace entities (url, email, mention, id, number, version, emoji,
  /// emoticon, hashtag) by a token naming their kind, e.g. "<email>", in word
  /// n-grams; no character n-grams are taken from them. Off: entities are
  /// treated as words.
  bool entity_tokens = true;
  /// Keep punctuation tokens as word unigrams/bigrams ("?" helps tell a
  /// question from a statement). Punctuation never yields char n-grams.
  bool punctuation = true;
  /// Feature value of a feature seen c times: 1 + ln(c) if true, c if false.
  bool sublinear_tf = true;
  /// Seed mixed into every hash; models store it with the options.
  std::uint32_t seed = 0x5eed;
};

/// Where one occurrence of a feature came from: tokens
/// [token_first, token_last] of the TokenizedText, and which entry of the
/// merged vector it was added to.
struct FeatureOrigin {
  std::uint32_t entry = 0;       ///< position in SparseFeatures::index/value
  std::uint32_t token_first = 0; ///< first token index (inclusive)
  std::uint32_t token_last = 0;  ///< last token index (inclusive)
};

/// A sparse feature vector: parallel arrays of bucket indices (unique, in
/// order of first occurrence) and values. Word n-gram features come first:
/// entries [0, word_entries) are the word view, the rest the character view
/// (a character n-gram hashed into a word n-gram's bucket adds to that
/// entry). Reuse one instance across texts: extract() clears it and keeps its
/// capacity, so steady-state extraction does not allocate.
struct SparseFeatures {
  std::vector<std::uint32_t> index; ///< bucket indices, unique (see above for order)
  std::vector<float> value;         ///< value of each entry
  /// Occurrences, filled only when extract() is asked for origins.
  std::vector<FeatureOrigin> origins;
  /// Number of leading entries that come from word n-grams (see above).
  std::uint32_t word_entries = 0;
  /// Scratch space used by extract(); its contents are meaningless.
  std::vector<std::uint64_t> scratch_;
  std::vector<std::uint32_t> scratch_used_;
  std::vector<std::uint32_t> scratch_starts_;
  std::vector<std::uint32_t> scratch_words_;
  std::string scratch_text_;

  /// Number of entries.
  std::size_t size() const noexcept { return index.size(); }
  /// Empties the vector, keeping capacity.
  void clear() noexcept {
    index.clear();
    value.clear();
    origins.clear();
    word_entries = 0;
  }
};

/// Extracts hashed n-gram features from tokenized text.
class NgramExtractor {
public:
  /// Uses `options` as given; an out-of-range value (buckets == 0, n > 16)
  /// is clamped to the nearest valid one.
  explicit NgramExtractor(NgramOptions options = {});

  /// The options in effect (after clamping).
  const NgramOptions& options() const noexcept { return options_; }

  /// Fills `out` with the features of `text` (cleared first): merged,
  /// term-frequency weighted per NgramOptions::sublinear_tf, not normalized.
  /// With `with_origins`, also records each occurrence's token range (for
  /// explanations). Never fails; an empty text gives an empty vector.
  void extract(const text::TokenizedText& text, SparseFeatures& out,
               bool with_origins = false) const;

  /// True if this extractor and `other` hash every n-gram they both take to
  /// the same value (same seed, entity_tokens and punctuation; buckets and
  /// ranges may differ), so that extract_pair() hashes each only once.
  bool shares_hashes(const NgramExtractor& other) const noexcept;

private:
  NgramOptions options_;
};

/// Fills `out_a` and `out_b` with exactly what `a.extract(text, out_a,
/// origins_a)` and `b.extract(text, out_b)` give, in one pass over the text
/// when a.shares_hashes(b): an n-gram both extractors take (e.g. the word and
/// 3-5 character n-grams of an intent model and of an encoder with the same
/// seed) is hashed once and added to both vectors. Otherwise, or if `out_a`
/// and `out_b` are the same object, it runs the two extractions. Never
/// fails; thread safety as extract().
void extract_pair(const text::TokenizedText& text, const NgramExtractor& a, SparseFeatures& out_a,
                  bool origins_a, const NgramExtractor& b, SparseFeatures& out_b);

/// Multiplies each value of `features` by `weights[index]` (e.g. stored IDF
/// weights; null: no weighting) and then, if `l2_normalize`, scales the
/// vector to unit Euclidean length (an all-zero vector stays zero).
void weight_features(SparseFeatures& features, const float* weights, bool l2_normalize) noexcept;

/// 64-bit hash of `bytes` with `seed` (stable across platforms and releases:
/// models depend on it).
std::uint64_t hash_bytes(const void* bytes, std::size_t size, std::uint64_t seed) noexcept;

} // namespace supportnlp::features
