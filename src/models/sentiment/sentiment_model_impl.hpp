#pragma once
// Private state of a SentimentModel, shared by loading and inference
// (sentiment_model.cpp) and training and calibration
// (sentiment_model_train.cpp).

#include "models/sentiment/sentiment_input.hpp"
#include "models/sentiment/sentiment_nb.hpp"
#include "models/sentiment/sentiment_stacker.hpp"

#include "supportnlp/models/sentiment/sentiment_model.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models {

struct SentimentModel::Impl {
  TextClassifier classifier;
  detail::SentimentInput input;
  detail::Stacker stacker;                 ///< empty: the classifier's output is the answer
  detail::NbView nb;                       ///< empty: no second view
  float nb_weight = 0.0f;                  ///< share of the NB-LR view's probabilities
  SentimentNbCalibration nb_calibration;   ///< how the NB-LR view's temperature was fitted
  std::array<int, 3> column{{-1, -1, -1}}; ///< classifier label index of each SentimentLabel
  double validation_accuracy = 0;

  Impl(TextClassifier c, const LexiconOptions& lexicon, const SentimentInputOptions& in)
      : classifier(std::move(c)) {
    input.lexicon = lexicon;
    input.input = in;
  }

  // Classifier probabilities by SentimentLabel, and the lexicon signals, of
  // `text`; from `tokens` (the default tokenizer's tokens of `text`) when not
  // null, else the text is tokenized. Returns whether UTF-8 was repaired.
  bool classify(std::string_view text, const text::TokenizedText* tokens, std::array<float, 3>& p,
                detail::LexiconSignals& signals, std::vector<SentimentEvidence>* evidence) const;
};

namespace detail {

/// The file kind of a learned sentiment model.
inline constexpr const char* kSentimentKind = "sentiment";

/// Classifier label index of each SentimentLabel (-1: absent), or
/// invalid_data naming `where` for a label that is not a sentiment label.
Result<std::array<int, 3>> sentiment_label_columns(const TextClassifier& c,
                                                   const std::string& where);

/// Probabilities of `c` for an already built classifier input, by
/// SentimentLabel (`buffer` is scratch). Returns whether UTF-8 was repaired.
bool sentiment_classifier_probabilities(const TextClassifier& c, const std::array<int, 3>& column,
                                        std::string_view input, std::vector<float>& buffer,
                                        std::array<float, 3>& p);

} // namespace detail

} // namespace supportnlp::models
