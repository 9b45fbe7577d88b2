#pragma once
/// \file
/// SentimentModel: learned sentiment, the generic TextClassifier (hashed word
/// and character n-grams, linear SVM, calibrated softmax) with the lexicon
/// analyzer's signals added as features, so a model trained on a help desk's
/// own labelled tickets keeps the lexicon's knowledge of negation, support
/// phrases and emoji.
///
/// Lexicon features: the squashed-score bucket and raw valence bucket, the
/// counts of positive, negative and negated lexicon hits, whether the text
/// has exclamation or question marks, and one strength bucket per piece of
/// evidence (marked when negated), each as a marker token appended to the
/// text before n-gram extraction (they never appear in offsets). On a
/// held-out fifth of the airline training split they add about 1.2 points
/// of accuracy and 1.6 of macro-F1 to the same classifier without them.
///
/// A second view reads the same input: an NB-LR model (binary n-grams scaled
/// by naive-Bayes log-count ratios, multinomial logistic regression). Its
/// probabilities are averaged with the classifier's by SentimentNbOptions::
/// weight, each view calibrated first by a softmax temperature fitted on
/// held-out data (the classifier's on its validation split, the NB-LR
/// view's as SentimentNbOptions::calibrate says). By default (weight 1) the
/// NB-LR view alone decides and the classifier is trained and stored
/// (labels, validation metrics) but not scored, which in 5-fold cross-validation on airline train
/// was as accurate as the 50/50 average and is about twice as fast. The input names @mentions and
/// marks negated words. Opt-in (SentimentTrainOptions): hashtag words, emoji names and a stacking
/// regression over out-of-fold classifier probabilities and the lexicon's signals;
/// docs/sentiment.md gives their measured effect.
///
/// \code
///   using namespace supportnlp::models;
///   auto data = read_labeled_file("train.tsv", nullptr);   // text<TAB>label
///   auto model = SentimentModel::train(data.value(), {}, {});
///   if (!model) { /* model.error().message */ }
///   auto r = model->analyze("no problems at all, thanks!");
///   // r.label, r.score = P(positive) - P(negative), r.probabilities (calibrated)
///   if (auto s = model->save("sentiment.snlp"); !s) { /* ... */ }
/// \endcode
///
/// Thread safety: a SentimentModel is immutable once trained or loaded;
/// analyze() is const, never throws, never fails and may be called from any
/// number of threads at once. Copies share the same model.

#include "supportnlp/models/linear/classifier.hpp"
#include "supportnlp/models/linear/classifier_data.hpp"
#include "supportnlp/models/sentiment/options.hpp"
#include "supportnlp/models/sentiment/scorer.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/result.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models {

/// How the NB-LR view's temperature was fitted (SentimentNbOptions::calibrate),
/// as recorded in the model file.
struct SentimentNbCalibration {
  /// Softmax temperature applied to the view's logits (1: uncalibrated, as
  /// in files written before calibration or with calibrate off).
  double temperature = 1.0;
  /// Number of held-out texts it was fitted on (0: not fitted).
  std::size_t held_out = 0;
  /// True when those were the validation data given to train(), false when
  /// they were carved from the training data.
  bool from_validation = false;
  /// Accuracy of the view on the held-out texts (in the carved case, of the
  /// view trained without them).
  double accuracy = 0;
  /// Expected calibration error (15 equal-width confidence bins) of the
  /// view's probabilities on the held-out texts without the temperature.
  double ece_uncalibrated = 0;
  /// The same with the temperature (fitted on these texts, so optimistic).
  double ece = 0;
};

/// A trained sentiment model (file kind "sentiment"): the SentimentScorer
/// that load_sentiment() returns for such a file.
class SentimentModel final : public SentimentScorer {
public:
  /// Trains on `train`; `valid` (may be empty) is used for early stopping and
  /// calibration, else a stratified part of `train`. Every label must be
  /// negative, neutral or positive (case-insensitive), with at least two of
  /// them present. Errors: invalid_data (unknown label, too few labels, no
  /// data), and those of TextClassifier::train.
  [[nodiscard]] static Result<SentimentModel> train(const std::vector<LabeledText>& train,
                                                    const std::vector<LabeledText>& valid,
                                                    const SentimentTrainOptions& options);

  /// Loads a model saved by save(). Errors: those of ModelFile::open
  /// (wrong_kind for a file that is not a sentiment model, truncated,
  /// checksum_mismatch, ...), invalid_data if its labels are not sentiment
  /// labels.
  [[nodiscard]] static Result<SentimentModel> load(const std::string& path);
  /// The same from a file already opened (load_sentiment() opens it to read
  /// its kind): its checksums are not verified again.
  [[nodiscard]] static Result<SentimentModel> load(io::ModelFile file);

  /// Writes the model file.
  [[nodiscard]] Result<void> save(const std::string& path) const;

  /// "sentiment".
  const char* kind() const noexcept override;
  /// The languages recorded at training (SentimentTrainOptions::classifier.
  /// languages); a model with none recorded answers for the lexicon's
  /// languages (lexicon_languages()), whose signals are among its features.
  const std::vector<std::string>& languages() const noexcept override;

  using SentimentScorer::analyze;
  /// Sentiment of `text`: label = most probable class, score =
  /// P(positive) - P(negative), calibrated probabilities, and the lexicon
  /// analyzer's evidence spans (byte offsets into `text`), writing into
  /// `out` (buffers reused). Never fails.
  void analyze(std::string_view text, SentimentResult& out) const override;
  /// Same, from `tokens` of `text` (SentimentScorer::analyze(text, tokens,
  /// out)): the lexicon signals and the NB-LR view read them instead of a
  /// second tokenization of the text.
  void analyze(std::string_view text, const text::TokenizedText& tokens,
               SentimentResult& out) const override;

  /// Validation metrics of the classifier recorded at training.
  const ClassifierMetrics& metrics() const noexcept;
  /// Whether the model has a stacking stage (see
  /// SentimentTrainOptions::stack_folds); files from before stacking have none.
  bool stacked() const noexcept;
  /// Share of the NB-LR view in the averaged probabilities (0: the model has
  /// no NB-LR view, as files from before it).
  double nb_weight() const noexcept;
  /// How the NB-LR view's temperature was fitted (all defaults when the
  /// model has no NB-LR view or it was not calibrated).
  const SentimentNbCalibration& nb_calibration() const noexcept;
  /// Accuracy of the whole model (classifier and stacking) on the validation
  /// data given to train(), or 0 when none was given or the model was loaded.
  double validation_accuracy() const noexcept;
  /// The underlying classifier (its labels are the sentiment label names).
  const TextClassifier& classifier() const noexcept;

private:
  struct Impl;
  explicit SentimentModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  void analyze_tokens(std::string_view text, const text::TokenizedText* tokens,
                      SentimentResult& out) const;
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::models
