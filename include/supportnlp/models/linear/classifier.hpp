#pragma once
/// \file
/// TextClassifier: the generic supervised text classifier that intent (and
/// learned sentiment) models are built on.
///
/// Features are hashed word and character n-grams (features/ngrams.hpp)
/// weighted by IDF and L2-normalised; the model is one linear scorer per
/// label trained as an L2-regularised squared-hinge SVM by dual coordinate
/// descent (one-vs-rest, the liblinear method). Scores become probabilities by
/// a softmax with a temperature fitted on validation data. A label named by
/// ClassifierTrainOptions::oos_label is the "none of these" class; a
/// confidence threshold picked on validation data also marks low-confidence
/// texts out of scope. Optionally (ClassifierTrainOptions::dense_view), a
/// compact encoder learned from the labels adds a nearest-centroid view whose
/// probabilities are averaged with the linear model's. The dense view can
/// instead use a frozen encoder the caller gives (ClassifierTrainOptions::
/// encoder, e.g. an embed::TransformerEncoder): the model file then records
/// that encoder's fingerprint, not its weights, and is loaded with the same
/// encoder (load(path, kind, encoder)).
///
/// \code
///   using namespace supportnlp::models;
///   auto train = read_labeled_file("train.tsv", nullptr);
///   ClassifierTrainOptions opt;
///   opt.threads = 2;
///   auto model = TextClassifier::train(train.value(), {}, opt, "intent");
///   if (!model) { /* model.error().message */ }
///   auto p = model->predict("where is my card?", 3);
///   std::cout << model->labels()[p.label] << ' ' << p.confidence << '\n';
///   if (auto r = model->save("intent.snlp"); !r) { /* ... */ }
/// \endcode
///
/// Thread safety: a TextClassifier is immutable once trained or loaded; all
/// const methods (predict, probabilities, explain) never throw, never fail
/// and may be called from any number of threads at once. Copies share the
/// same model.

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/features/ngrams.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/models/linear/classifier_data.hpp"
#include "supportnlp/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models {

/// Progress of training, reported once per epoch.
struct TrainProgress {
  int epoch = 0;                  ///< 1-based epoch just finished
  int max_epochs = 0;             ///< ClassifierTrainOptions::max_epochs
  double validation_accuracy = 0; ///< accuracy on the validation split after this epoch
  double max_violation = 0;       ///< largest optimality violation seen (0 = converged)
  double seconds = 0;             ///< wall time since training started
};

/// How to train. Defaults were chosen on the BANKING77 and CLINC150
/// training/validation splits.
struct ClassifierTrainOptions {
  /// Feature extraction (stored in the model). Default: word 1-2 grams, char
  /// 1-5 grams within words, 2^20 buckets.
  features::NgramOptions features = default_features();
  /// Weight features by smoothed IDF computed on the training data.
  bool idf = true;
  /// How the word and character views are combined. Negative (default): the
  /// whole vector is L2-normalised at once, so the many character n-grams
  /// dominate. In [0, 1]: each view is L2-normalised on its own and scaled
  /// by this weight (word view) and 1 - weight (character view), then the
  /// whole vector is normalised again (scikit-learn's FeatureUnion of two
  /// TF-IDF vectorisers, with weights).
  double word_view_weight = -1;
  /// SVM cost C (larger = less regularisation), > 0.
  double c = 1.0;
  /// Maximum passes over the training data.
  int max_epochs = 40;
  /// Early stopping: stop after this many epochs without a better validation
  /// accuracy, keeping the best epoch's weights.
  int patience = 4;
  /// Stop when the largest projected-gradient violation falls below this.
  double tolerance = 0.05;
  /// Without validation data, this fraction of each label's training
  /// examples is held out (stratified) for early stopping and calibration.
  double validation_fraction = 0.1;
  /// Worker threads (>= 1). Results do not depend on it.
  int threads = 1;
  /// Seed for shuffling and splitting; equal seeds give equal models.
  std::uint64_t seed = 42;
  /// Label meaning "out of scope" (e.g. CLINC150's "oos"); empty: none.
  std::string oos_label = "oos";
  /// ISO 639-1 codes of the languages the training data covers (stored in
  /// the model; TextClassifier::languages()). Empty: not recorded, and
  /// callers treat the model as covering any language.
  std::vector<std::string> languages;
  /// Train a scorer for the out-of-scope label (true), or not (false): its
  /// examples then only serve as negatives for every in-scope label, the oos
  /// label is never the argmax, and out-of-scope is decided by the
  /// confidence threshold alone.
  bool oos_as_class = true;
  /// Weight of out-of-scope recall against in-scope accuracy when choosing
  /// the confidence threshold on validation data (0.5 = balanced; the
  /// default favours in-scope accuracy, chosen on CLINC150 valid). Used
  /// only when oos_min_recall is 0.
  double oos_recall_weight = 0.25;
  /// When > 0: the threshold is the one with the best validation in-scope
  /// accuracy among those flagging at least this share of validation
  /// out-of-scope examples (an operating point, e.g. 0.7).
  double oos_min_recall = 0;
  /// When in (0, 1]: the threshold is the highest one whose validation
  /// in-scope accuracy stays at least this share of the accuracy without a
  /// threshold (e.g. 0.98: give up at most 2% of it to flag more texts out
  /// of scope). Takes precedence over oos_min_recall and oos_recall_weight.
  double oos_keep_accuracy = 0;
  /// After early stopping, train again on training plus validation data for
  /// the chosen number of epochs and keep those weights; temperature and
  /// out-of-scope threshold still come from the first model's validation
  /// scores. Off by default.
  bool refit = false;
  /// Store weights as int8 with a per-row scale (else float32).
  bool quantize = true;
  /// Dense view (off here; on in IntentClassifier::default_options()). Also
  /// learn a compact sentence encoder (embed::StaticEncoder, contrastive on
  /// the training texts grouped by label; out-of-scope texts only add
  /// vocabulary) and score each label by the cosine of a text to the mean
  /// vector of that label's training texts. The two views' calibrated
  /// probabilities are averaged, (1 - m) x sparse + m x dense, with the dense
  /// softmax temperature fitted on validation data and m per dense_weight.
  /// When `features` can be hashed by the encoder (word 1- or 1-2-grams,
  /// in-word char n-grams, entity tokens, punctuation, sublinear tf, no
  /// across-word n-grams: the defaults), the encoder uses exactly those
  /// n-grams and prediction pools the features it has already extracted;
  /// otherwise the encoder uses its own n-grams and encodes the text again.
  /// The encoder and centroids are stored in the model file (about 0.7-1.2
  /// MB more at dense_dim 64). With refit, the encoder is trained again on
  /// training plus validation data.
  bool dense_view = false;
  /// Mixing weight m of the dense view in [0, 1]; negative (default): chosen
  /// on validation data among 0, 0.1, ..., 0.8 by validation accuracy (ties:
  /// lower log loss). Used only with dense_view.
  double dense_weight = -1;
  /// Vector dimension of the dense view's encoder (8..4096). Default 64:
  /// as accurate as 128 or 256 on BANKING77 dev splits, and the cheapest to
  /// encode (the encoder sums one vector per n-gram of the text).
  int dense_dim = 64;
  /// A frozen sentence encoder for the dense view instead of one learned
  /// from the labels (null: learn one when dense_view is set), e.g. an
  /// embed::TransformerEncoder. Every training and validation text is
  /// encoded once, in batches (Encoder::encode_batch), and each label is
  /// scored by the cosine of a text to the unit mean vector of its training
  /// texts, mixed with the n-gram model as above (dense_weight). Implies the
  /// dense view; dense_view and dense_dim are then ignored. The file stores
  /// the label centroids and the encoder's fingerprint, not the encoder:
  /// TextClassifier::load needs the same encoder again. Prediction encodes
  /// each text once more with it (for a transformer, milliseconds a text).
  std::shared_ptr<const embed::Encoder> encoder;
  /// Called after each epoch (optional).
  std::function<void(const TrainProgress&)> progress;

  /// The default feature options of a classifier.
  static features::NgramOptions default_features() {
    features::NgramOptions f;
    f.buckets = 1u << 20;
    f.word_min_n = 1;
    f.word_max_n = 2;
    f.char_min_n = 1;
    f.char_max_n = 5;
    return f;
  }
};

/// Quality measured on the validation split during training (stored in the
/// model's metadata).
struct ClassifierMetrics {
  double validation_accuracy = 0; ///< accuracy on validation (argmax, no threshold)
  double validation_ece = 0;      ///< expected calibration error (15 bins) after scaling
  double temperature = 1;         ///< softmax temperature fitted on validation, in [0.05, 5]
  double oos_threshold = 0;       ///< confidence below which a text is out of scope
  int epochs = 0;                 ///< epochs run (best epoch's weights kept)
  int best_epoch = 0;             ///< epoch whose weights were kept
  std::uint64_t train_examples = 0;
  std::uint64_t validation_examples = 0;
  double train_seconds = 0; ///< wall time of training (not stored in the file: 0 after load, unless
                            ///< an older file recorded it)
  double dense_weight = 0;  ///< mixing weight of the dense view (0: none)
  double dense_temperature = 1; ///< softmax temperature of the dense view's cosines
};

/// A label and its calibrated probability.
struct LabelProbability {
  std::uint32_t label = 0; ///< index into TextClassifier::labels()
  float probability = 0;
};

/// The answer for one text.
struct Prediction {
  std::uint32_t label = 0; ///< most probable label (index into labels())
  float confidence = 0;    ///< its calibrated probability
  /// True when the most probable label is the out-of-scope label or the
  /// confidence is below the threshold chosen on validation data.
  bool out_of_scope = false;
  std::vector<LabelProbability> top; ///< the k most probable labels, best first
  /// Every label's calibrated probability, in label order (sums to 1).
  std::vector<float> probabilities;
  bool repaired_utf8 = false; ///< the input held invalid UTF-8
};

/// A span of the input that moved a label's score.
struct Evidence {
  std::uint32_t begin = 0; ///< byte offset into the caller's text
  std::uint32_t end = 0;   ///< byte offset (exclusive)
  float weight = 0;        ///< contribution to the label's score relative to the average label
};

/// Why a text got (or did not get) a label.
struct Explanation {
  std::uint32_t label = 0;
  std::vector<Evidence> toward;  ///< strongest positive contributions, largest first
  std::vector<Evidence> against; ///< strongest negative contributions, most negative first
};

/// Work on one text that a caller sharing it between several models has
/// already done (pipeline::Analyzer): the model uses it instead of doing it
/// again, and answers exactly as from the tokens alone. Each field is
/// optional (null: the model computes that part itself); both are only
/// read, during the call, so one PreparedText can serve several models.
struct PreparedText {
  /// The tokens' n-grams: what features::NgramExtractor(feature_options())
  /// .extract(tokens, *ngrams, with_origins) gives, with origins when an
  /// explanation is asked (e.g. from features::extract_pair).
  const features::SparseFeatures* ngrams = nullptr;
  /// The tokens' vector by the frozen encoder of a model that has one
  /// (encoder_fingerprint() not empty): what that encoder's encode_tokens()
  /// writes, dimension floats, read during the call. Ignored by a model
  /// without a frozen encoder.
  const float* encoder_vector = nullptr;
};

/// A trained text classifier.
class TextClassifier {
public:
  /// Trains on `train`. `valid` (may be empty) is used for early stopping,
  /// calibration and the out-of-scope threshold; when empty, a stratified
  /// part of `train` is held out instead. `kind` is written into saved files
  /// ("intent", "sentiment", ...). Errors: invalid_argument (bad options),
  /// invalid_data (fewer than two labels, empty data), not_found (a
  /// validation label that is not among the training labels).
  [[nodiscard]] static Result<TextClassifier> train(const std::vector<LabeledText>& train,
                                                    const std::vector<LabeledText>& valid,
                                                    const ClassifierTrainOptions& options,
                                                    std::string kind);

  /// Loads a model saved by save(); a file of another kind than `kind` is
  /// rejected with ErrorCode::wrong_kind. The weights stay memory-mapped.
  /// `encoder` is the frozen encoder of a model trained with
  /// ClassifierTrainOptions::encoder: such a model loads only with an
  /// encoder of the fingerprint it records (invalid_argument naming the
  /// fingerprint needed, and the one given, when `encoder` is null or
  /// another). A model without a frozen encoder ignores `encoder`.
  [[nodiscard]] static Result<TextClassifier>
  load(const std::string& path, std::string_view kind,
       std::shared_ptr<const embed::Encoder> encoder = nullptr);
  /// The same from a file already opened (and so already validated, e.g. to
  /// read its kind): no second pass over its checksums. The classifier
  /// shares the file's mapping.
  [[nodiscard]] static Result<TextClassifier>
  load(io::ModelFile file, std::string_view kind,
       std::shared_ptr<const embed::Encoder> encoder = nullptr);
  /// The fingerprint (embed::Encoder::fingerprint) of the frozen encoder a
  /// classifier file needs, "" when it needs none; read from the metadata
  /// of an opened file without loading the model (for callers that hold
  /// several encoders and must pick one, such as pipeline::Analyzer).
  /// corrupt if the metadata does not parse.
  [[nodiscard]] static Result<std::string> required_encoder(const io::ModelFile& file);

  /// Writes the model (labels, options and metrics in the metadata).
  [[nodiscard]] Result<void> save(const std::string& path) const;

  /// The labels, in index order.
  const std::vector<std::string>& labels() const noexcept;
  /// Index of `label`, or -1.
  int label_index(std::string_view label) const noexcept;
  /// Index of the out-of-scope label, or -1 if the model has none.
  int oos_label() const noexcept;
  /// The kind given at training.
  const std::string& kind() const noexcept;
  /// ISO 639-1 codes of the languages the training data covered, as given
  /// in ClassifierTrainOptions::languages (empty: not recorded).
  const std::vector<std::string>& languages() const noexcept;
  /// Validation metrics recorded at training.
  const ClassifierMetrics& metrics() const noexcept;
  /// The feature options in use.
  const features::NgramOptions& feature_options() const noexcept;
  /// Bytes of weights held (as stored in the file).
  std::size_t weight_bytes() const noexcept;
  /// Fingerprint of the frozen encoder of the dense view ("" for a model
  /// without one: no dense view, or one learned from the labels and stored
  /// in the file).
  const std::string& encoder_fingerprint() const noexcept;

  /// Predicts `text`, filling `top` with the `top_k` most probable labels
  /// (top_k is clamped to [0, labels().size()]).
  Prediction predict(std::string_view text, std::size_t top_k = 1) const;
  /// Same, writing into `out` (its buffers are reused).
  void predict(std::string_view text, std::size_t top_k, Prediction& out) const;
  /// Writes the calibrated probability of every label into `out`
  /// (labels().size() floats). Returns whether the input needed UTF-8 repair.
  bool probabilities(std::string_view text, float* out) const;
  /// The spans of `text` that pushed most towards and against `label`
  /// (at most `max_spans` each). An out-of-range label gives an empty answer.
  Explanation explain(std::string_view text, std::uint32_t label, std::size_t max_spans = 5) const;
  /// Predicts `text` and explains the predicted label in one pass (the text
  /// is tokenized and featurized once): the same answers as predict()
  /// followed by explain(text, out.label, max_spans), at little more than the
  /// cost of predict(). Both outputs' buffers are reused.
  void predict_explain(std::string_view text, std::size_t top_k, std::size_t max_spans,
                       Prediction& out, Explanation& why) const;

  /// predict() of a text already tokenized by a text::Tokenizer with default
  /// TokenizerOptions (the tokenizer every model of this library uses), for a
  /// caller that shares one token stream between several models: the same
  /// answer as predict(tokens.source, top_k, out), without tokenizing again.
  /// `tokens.source` must still be alive. Tokens of other options give
  /// another (meaningless) answer.
  void predict(const text::TokenizedText& tokens, std::size_t top_k, Prediction& out) const;
  /// predict_explain() of a tokenized text (as predict(tokens, ...) above);
  /// evidence offsets are those of the tokens, i.e. into tokens.source.
  void predict_explain(const text::TokenizedText& tokens, std::size_t top_k, std::size_t max_spans,
                       Prediction& out, Explanation& why) const;
  /// predict() and predict_explain() of a tokenized text with part of the
  /// work already done (PreparedText, e.g. n-grams extracted together with
  /// another model's): the same answers as predict(tokens, top_k, out) and
  /// predict_explain(tokens, top_k, max_spans, out, why).
  void predict(const text::TokenizedText& tokens, const PreparedText& prepared, std::size_t top_k,
               Prediction& out) const;
  void predict_explain(const text::TokenizedText& tokens, const PreparedText& prepared,
                       std::size_t top_k, std::size_t max_spans, Prediction& out,
                       Explanation& why) const;

  /// Model state (private to the implementation).
  struct Impl;
  /// Per-thread inference buffers (private to the implementation).
  struct Scratch;

private:
  explicit TextClassifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  void decide(const text::TokenizedText& tokens, const features::SparseFeatures& f, Scratch& s,
              std::size_t top_k, Prediction& out) const;
  std::shared_ptr<const Impl> impl_;
};

/// Scores of a classifier on labelled test data.
struct ClassifierEvaluation {
  std::uint64_t n = 0;              ///< examples scored
  double accuracy = 0;              ///< final decision (out-of-scope counts as the oos label)
  double macro_f1 = 0;              ///< macro F1 over the gold labels present
  double in_scope_accuracy = 0;     ///< accuracy on examples whose gold label is not oos
  double oos_recall = 0;            ///< share of oos examples flagged out of scope
  double oos_precision = 0;         ///< share of flagged examples that are oos
  double ece = 0;                   ///< expected calibration error (15 bins)
  std::uint64_t unknown_labels = 0; ///< examples whose gold label the model lacks (counted wrong)
  std::uint64_t oos_examples = 0;   ///< examples with the oos gold label
};

/// Evaluates `model` on `test`. A gold label unknown to the model counts as
/// an error (and in unknown_labels); it never stops the evaluation.
ClassifierEvaluation evaluate(const TextClassifier& model, const std::vector<LabeledText>& test);

} // namespace supportnlp::models
