#pragma once
// The second view of the learned sentiment model: a multinomial logistic
// regression over binary hashed n-grams scaled per class by naive-Bayes
// log-count ratios (NB-LR, after Wang & Manning 2012's NB-SVM). It sees the
// same classifier input as the SVM view but weights features differently
// (presence scaled by how one-sided its class counts are, against TF-IDF), so
// the two err on different texts and their averaged probabilities beat
// either. The ratio is folded into the stored weights, so scoring costs one
// multiply-add per feature and class. Immutable after fitting; probabilities()
// is const and thread-safe (each thread brings its own scratch).

#include "supportnlp/features/ngrams.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/models/sentiment/options.hpp"
#include "supportnlp/result.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models::detail {

/// Per-thread buffers of NbView::probabilities().
struct NbScratch {
  text::TokenizedText tokens;
  features::SparseFeatures features;
};

/// A fitted NB-LR view: weights buckets x 3 (row-major, ratio folded in),
/// stored as int8 with one scale per block of kNbBlock buckets.
struct NbView {
  static constexpr std::size_t kNbBlock = 64;

  features::NgramOptions features;
  features::NgramExtractor extractor{features::NgramOptions{}};
  text::Tokenizer tokenizer;
  std::array<float, 3> bias{{0.0f, 0.0f, 0.0f}};
  /// Softmax temperature: probabilities are softmax(logits / temperature),
  /// fitted on held-out data (1: uncalibrated, as files written before it).
  float temperature = 1.0f;
  std::vector<std::int8_t> owned_weights; ///< after fitting (empty when loaded)
  std::vector<float> owned_scales;
  const std::int8_t* file_weights = nullptr; ///< a loaded file's, in its mapping
  const float* file_scales = nullptr;
  io::ModelFile file; ///< keeps a loaded file's mapping alive

  /// Weights, buckets x 3.
  const std::int8_t* weights() const noexcept {
    return owned_weights.empty() ? file_weights : owned_weights.data();
  }
  /// One scale per block of kNbBlock buckets (rounded up).
  const float* scales() const noexcept {
    return owned_scales.empty() ? file_scales : owned_scales.data();
  }
  bool empty() const noexcept { return weights() == nullptr; }

  /// Uncalibrated logits (indexed by SentimentLabel) of a classifier input:
  /// the temperature is not applied.
  void logits(std::string_view input, NbScratch& scratch, float* out) const noexcept;
  /// The same from the input's tokens; `features` is scratch.
  void logits(const text::TokenizedText& input_tokens, features::SparseFeatures& features,
              float* out) const noexcept;
  /// Calibrated class probabilities, softmax(logits / temperature), of a
  /// classifier input (indexed by SentimentLabel).
  void probabilities(std::string_view input, NbScratch& scratch, float* out) const noexcept;
  /// The same from the classifier input's tokens (e.g. from
  /// SentimentInput::extend_tokens, so the input is not tokenized again);
  /// `features` is scratch.
  void probabilities(const text::TokenizedText& input_tokens, features::SparseFeatures& features,
                     float* out) const noexcept;

  /// Options, bias and temperature as JSON (the weights go into tensors, see add_tensors).
  nlohmann::json to_json() const;
  /// Adds the weight tensors ("nb_weights", "nb_scales") to `writer`.
  void add_tensors(io::ModelWriter& writer) const;
  /// Reads to_json()'s output and the tensors of `file`; `where` names the
  /// file in messages. A missing temperature (files written before it) is 1;
  /// one that is not a finite number in [0.001, 1000] is refused (corrupt).
  static Result<NbView> load(const nlohmann::json& j, const io::ModelFile& file,
                             const std::string& where);
};

/// Fits the view on classifier inputs `texts` with labels `y` (SentimentLabel
/// values) per `options` (its weight and calibrate fields are not used here);
/// `seed` drives the shufflings. Deterministic for equal options and seed.
NbView fit_nb_view(const std::vector<std::string>& texts, const std::vector<int>& y,
                   const SentimentNbOptions& options, std::uint64_t seed);

} // namespace supportnlp::models::detail
