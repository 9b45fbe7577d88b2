#pragma once
// Private state of a TextClassifier, shared by training, loading and
// inference. The weights live in a ModelFile (memory-mapped on load, or the
// freshly serialised file after training), so a trained model and the same
// model reloaded from disk behave identically.

#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/models/linear/classifier.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace supportnlp::models {

struct TextClassifier::Impl {
  std::string kind;
  std::vector<std::string> labels;
  std::vector<std::string> languages; // ISO 639-1 codes the training data covered
  int oos = -1;
  features::NgramOptions feature_options;
  features::NgramExtractor extractor;
  text::Tokenizer tokenizer;
  bool use_idf = true;
  float default_idf = 1.0f;    // IDF of a bucket never seen in training
  float word_view_weight = -1; // < 0: one L2 norm over both views
  double c = 0;                // training cost, kept for the metadata
  ClassifierMetrics metrics;

  io::ModelFile file;
  std::size_t k = 0;    // labels
  std::size_t rows = 0; // buckets seen in training
  const std::uint32_t* row_buckets = nullptr;
  const float* idf = nullptr;  // per row (null without IDF)
  const float* w32 = nullptr;  // rows x k float32 (the file's), or null with int8
  const float* bias = nullptr; // k
  // int8 weights (rows x k, row r scaled by w8_scale[r]) are kept as int8:
  // scoring widens them in registers, and the rows a text touches take a
  // quarter of the cache they would as floats. Copied from the file with
  // cpu::kInt8Padding bytes of padding for the SIMD loads.
  std::vector<std::int8_t> w8_owned;
  const std::int8_t* w8 = nullptr;
  const float* w8_scale = nullptr;
  float weight(std::size_t row, std::size_t label) const noexcept {
    return w32 != nullptr ? w32[row * k + label]
                          : w8_scale[row] * static_cast<float>(w8[row * k + label]);
  }
  bool quantized = false;      // as stored in the file
  bool refit = false;          // weights refitted on train + validation
  std::vector<float> row_mean; // per row: mean weight over the labels

  // Open-addressing table bucket -> row, built at load. A slot also holds
  // what featurization reads of its row (the IDF and the dense view's row),
  // so that a feature costs one cache line, not three: the per-row arrays
  // are larger than L2, and their misses were most of featurize_tokens.
  struct Slot {
    std::uint32_t key; // bucket + 1; 0 = empty
    std::uint32_t row;
    float idf;              // idf[row] (unused without IDF)
    std::int32_t dense_row; // the dense view's row of `row`, or -1 (none, or not shared)
  };
  std::vector<Slot> table;
  std::uint32_t table_shift = 32;

  // Optional dense view (ClassifierTrainOptions::dense_view): an encoder
  // and one unit centroid per label (k x dense_dim); mixing weight and
  // temperature live in metrics.
  std::optional<embed::StaticEncoder> dense_encoder;
  const float* dense_centroids = nullptr;
  std::size_t dense_dim = 0;
  // When the encoder hashes the same n-grams as `extractor`: each slot of
  // the table holds the encoder's row of its classifier row, so featurize()
  // hands the encoder the raw values of the rows it looked up instead of it
  // featurizing again.
  bool dense_rows_shared = false;
  // Or a frozen encoder given at training (ClassifierTrainOptions::encoder)
  // and again at load: not in the file, which records its fingerprint.
  std::shared_ptr<const embed::Encoder> frozen_encoder;
  std::string frozen_fingerprint;
  // The dense view's encoder, learned or frozen (null: no dense view).
  const embed::Encoder* view_encoder() const noexcept {
    if (dense_encoder) return &*dense_encoder;
    return frozen_encoder.get();
  }

  Impl() : extractor(features::NgramOptions{}) {}

  std::uint32_t home_slot(std::uint32_t bucket) const noexcept {
    const auto mask = static_cast<std::uint32_t>(table.size() - 1);
    return static_cast<std::uint32_t>((bucket * 0x9E3779B1u) >> table_shift) & mask;
  }
  // The slot of `bucket`, or null for a bucket unseen in training.
  const Slot* slot_of(std::uint32_t bucket) const noexcept {
    if (table.empty()) return nullptr;
    const auto mask = static_cast<std::uint32_t>(table.size() - 1);
    for (std::uint32_t h = home_slot(bucket);; h = (h + 1) & mask) {
      const Slot& slot = table[h];
      if (slot.key == bucket + 1) return &slot;
      if (slot.key == 0) return nullptr;
    }
  }

  // Tokenizes and extracts features, weights them by IDF and normalises;
  // afterwards f.index holds rows (entries of unseen buckets are removed).
  // With `dense` and `encoded`, also writes the dense view's vector of the
  // text to (*dense)[0..dense_dim) from the same features when the view is
  // used and shares them (dense_rows_shared), and says so in *encoded. Returns whether the text
  // needed UTF-8 repair.
  bool featurize(std::string_view text, text::TokenizedText& tokens, features::SparseFeatures& f,
                 bool origins, std::vector<float>* dense = nullptr, bool* encoded = nullptr) const;
  // The same from tokens already made by a default text::Tokenizer (the
  // tokenizer above): what featurize() does after tokenizing.
  void featurize_tokens(const text::TokenizedText& tokens, features::SparseFeatures& f,
                        bool origins, std::vector<float>* dense = nullptr,
                        bool* encoded = nullptr) const;
  // What featurize_tokens() does after extracting the n-grams into `f`.
  void featurize_extracted(features::SparseFeatures& f, bool origins, std::vector<float>* dense,
                           bool* encoded) const;
  // What featurize_tokens() does, with what the caller has prepared (the
  // n-grams, copied into s.features and featurized there; the frozen
  // encoder's vector, copied into s.dense): returns s.features.
  features::SparseFeatures& featurize_prepared(const text::TokenizedText& tokens,
                                               const PreparedText& prepared, bool origins,
                                               Scratch& s) const;
  // Explanation of `label` from features featurized with origins.
  void explain_features(const text::TokenizedText& tokens, const features::SparseFeatures& f,
                        std::uint32_t label, std::size_t max_spans, Explanation& out) const;
  // Raw linear scores (k floats) of featurized rows.
  void raw_scores(const features::SparseFeatures& f, float* out) const noexcept;
  // Softmax of scores / temperature, in place.
  void calibrate(float* scores, double temperature) const noexcept;
  // Mixes the dense view's probabilities into calibrated `probs` (k floats)
  // per metrics.dense_weight; `buf` is scratch whose first dense_dim floats
  // already hold the text's vector if `encoded`, else the text is encoded
  // from its tokens.
  // No-op without a dense view.
  void mix_dense(const text::TokenizedText& tokens, bool encoded, float* probs,
                 std::vector<float>& buf) const noexcept;
  // The centroid of a diverse out-of-scope label says little: the dense view
  // only redistributes the in-scope share, keeping the sparse view's oos
  // probability (k floats each; no-op without an oos label).
  void keep_oos_share(float* dense, const float* sparse) const noexcept;

  // Builds lookup structures from `file`; metadata parsed into the fields.
  // `encoder` must be the frozen encoder the file records, if it records
  // one (ignored otherwise).
  static Result<std::shared_ptr<Impl>> from_file(io::ModelFile file, std::string_view kind,
                                                 std::shared_ptr<const embed::Encoder> encoder);
  // Metadata JSON text describing this model.
  std::string metadata_json() const;
};

// Scales IDF-weighted `value` in place to unit length, either as a whole
// (word_view_weight < 0) or view by view (entries [0, word_entries) are the
// word view) with weights word_view_weight and 1 - word_view_weight, then as a
// whole. Shared by training and inference so both see the same vectors.
void normalize_views(float* value, std::size_t n, std::size_t word_entries,
                     float word_view_weight) noexcept;

// Sparse rows (compact column ids, normalised values) of a set of texts.
struct SparseRows {
  std::vector<std::size_t> offset{0};
  std::vector<std::uint32_t> col;
  std::vector<float> val;
  std::vector<std::uint32_t> label;
  std::size_t size() const { return label.size(); }
};

// Class-major weights k x (d + 1) (last column: bias) and the epochs run.
struct SvmFit {
  std::vector<float> w;
  int epochs = 0;
  int best_epoch = 0;
};

// One-vs-rest squared-hinge SVMs by dual coordinate descent. With
// fixed_epochs > 0: exactly that many epochs, no early stopping (`valid` is
// ignored, no progress reports); else up to opt.max_epochs with early
// stopping on `valid`, keeping the best epoch's weights. Label skip_label
// (if >= 0) gets no scorer: zero weights, bias -20.
SvmFit fit_ovr_svm(const SparseRows& train, const SparseRows& valid, std::size_t k, std::size_t d,
                   const ClassifierTrainOptions& opt, int skip_label, int fixed_epochs,
                   const std::function<double()>& elapsed);
// Scores (rows x k) of rows under class-major weights.
void score_rows(const SparseRows& rows, const std::vector<float>& w, std::size_t k, std::size_t d,
                std::vector<float>& out);
// Argmax accuracy of scores against rows' labels.
double accuracy_of(const std::vector<float>& scores, const SparseRows& rows, std::size_t k);

// Whether a StaticEncoder can hash exactly the n-grams of `f` (word
// 1..1-2-grams, in-word char n-grams, entity tokens, punctuation, sublinear tf).
bool encoder_shares_features(const features::NgramOptions& f) noexcept;
// Field-by-field equality of two n-gram settings.
bool same_features(const features::NgramOptions& a, const features::NgramOptions& b) noexcept;
// Dense view training (classifier_dense.cpp). The encoder learns from
// `data` grouped by label (texts of `oos_label` only add vocabulary). It
// hashes the classifier's n-grams `features` when it can
// (encoder_shares_features), else the shipped encoder's.
Result<embed::StaticEncoder> train_dense_encoder(const std::vector<LabeledText>& data,
                                                 const std::string& oos_label,
                                                 const features::NgramOptions& features, int dim,
                                                 int threads, std::uint64_t seed);
// Unit mean vector of each label's texts, k x encoder.dim() (zero row for a
// label without texts); `label_of` gives each text's label index.
std::vector<float> label_centroids(const embed::StaticEncoder& encoder,
                                   const std::vector<LabeledText>& data,
                                   const std::vector<std::uint32_t>& label_of, std::size_t k,
                                   int threads);
// The same from the texts' vectors (n x dim, row-major), already encoded.
std::vector<float> centroids_of(const float* vectors, std::size_t n, std::size_t dim,
                                const std::vector<std::uint32_t>& label_of, std::size_t k);
// The texts' vectors (texts.size() x encoder.dim()) by encode_batch, in
// chunks so that progress is bounded in memory by the batch, not the data.
std::vector<float> encode_all(const embed::Encoder& encoder, const std::vector<LabeledText>& data);
// out[j] = <centroid j, v> for k centroids of `dim` floats (row-major).
void centroid_scores(const float* centroids, std::size_t k, std::size_t dim, const float* v,
                     float* out) noexcept;
// Cosines (n x k) of each text to each centroid.
std::vector<float> centroid_cosines(const embed::StaticEncoder& encoder, const float* centroids,
                                    std::size_t k, const std::vector<LabeledText>& data,
                                    int threads);
// Temperature in [0.01, 5] minimising the mean negative log-likelihood of
// softmax(scores / T) (n x k) for labels `gold`; golden-section search on log T.
double fit_temperature(const std::vector<float>& scores, const std::vector<std::uint32_t>& gold,
                       std::size_t k, double lo, double hi);

// Expected calibration error of (confidence, correct) pairs, 15 equal bins.
double expected_calibration_error(const std::vector<float>& confidence,
                                  const std::vector<char>& correct);

} // namespace supportnlp::models
