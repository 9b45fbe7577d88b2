#pragma once
// Text -> hashed features for the static encoder: the tokenizer's words and
// features::NgramExtractor's word uni/bi-grams and character n-grams, hashed
// into a large bucket space. The encoder maps the buckets it knows to rows of
// its table; the rest are ignored.

#include "supportnlp/features/ngrams.hpp"

#include <cstdint>
#include <string_view>

namespace supportnlp::embed {

/// Which features are extracted. Stored in the model's metadata: a model is
/// only valid with the settings it was trained with.
struct FeatureConfig {
  int word_ngrams = 2;    ///< 1 or 2
  int char_ngram_min = 3; ///< 0: no character n-grams
  int char_ngram_max = 5;
  std::uint32_t buckets = 1u << 24;
  std::uint32_t seed = 0x5eed; ///< n-gram hash seed
};

/// Longest prefix of a text that is featurized (1 MiB); longer texts are
/// represented by their beginning.
inline constexpr std::size_t kMaxFeatureBytes = std::size_t(1) << 20;

/// Extractor options for `config`.
features::NgramOptions ngram_options(const FeatureConfig& config) noexcept;

/// Replaces `out` with the features of `text` (bucket indices, ascending,
/// with sublinear term-frequency values). Tokenizes with thread-local
/// buffers, so it allocates nothing once they have grown to the text's size.
/// Texts longer than kMaxFeatureBytes are cut at a character boundary.
void extract_features(std::string_view text, const features::NgramExtractor& extractor,
                      features::SparseFeatures& out);

} // namespace supportnlp::embed
