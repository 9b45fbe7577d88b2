#pragma once
/// \file
/// StaticEncoder: the compact default encoder. A text's vector is the
/// L2-normalised, smooth-inverse-frequency weighted sum of learned vectors of
/// its hashed word unigrams, word bigrams and character n-grams, optionally
/// with the corpus's first principal component removed (as SIF does). Vectors
/// are learned by the library with a contrastive objective (InfoNCE with
/// in-batch negatives) on paraphrase groups and text pairs.
///
/// \code
///   auto enc = supportnlp::embed::StaticEncoder::load("data/models/encoder.snlp");
///   if (!enc) { std::cerr << enc.error().message << '\n'; return 1; }
///   std::vector<float> a = enc->encode("I can't log in");
///   std::vector<float> b = enc->encode("how do I reset my password");
///   float cosine = std::inner_product(a.begin(), a.end(), b.begin(), 0.0f);
/// \endcode
///
/// Thread safety: a StaticEncoder is immutable once trained or loaded; every
/// const method may be called from any number of threads at once. Copies are
/// cheap and share the same weights (and file mapping).

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/features/ngrams.hpp"
#include "supportnlp/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::embed {

/// One training text and its paraphrase group: texts with the same `group`
/// (e.g. the same intent label) are treated as paraphrases of one another.
struct ParaphraseExample {
  std::string text;
  std::string group;
};

/// Two texts that should encode close together (e.g. an article title and
/// one of its passages). Pairs with the same `first` text form one group.
struct TextPair {
  std::string first;
  std::string second;
};

/// Progress of StaticEncoder::train, reported once per epoch.
struct EncoderTrainingProgress {
  int epoch = 0;        ///< 1-based epoch just finished
  int epochs = 0;       ///< total epochs
  double loss = 0.0;    ///< mean contrastive loss over the epoch's batches
  double seconds = 0.0; ///< wall time since training started
};

/// Training options; the defaults are those of the shipped encoder.
struct StaticEncoderTrainOptions {
  /// Paraphrase groups (groups with a single text only contribute vocabulary).
  std::vector<ParaphraseExample> examples;
  /// Text pairs (title <-> passage); may be empty.
  std::vector<TextPair> pairs;
  /// Unlabelled texts that only contribute vocabulary and word frequencies.
  std::vector<std::string> corpus;

  int dim = 256;            ///< vector dimension (8..4096)
  int max_features = 16000; ///< most frequent features kept (rows of the table)
  int min_count = 2;        ///< features seen fewer times are dropped
  int word_ngrams = 2;      ///< 1: unigrams only, 2: unigrams and bigrams
  int char_ngram_min = 3;   ///< shortest character n-gram (0: no char n-grams)
  int char_ngram_max = 5;   ///< longest character n-gram
  /// Hash buckets of the n-gram features (>= 1). A model that also extracts
  /// n-grams with the same settings (see StaticEncoder::feature_options) can
  /// hand its features to StaticEncoder::encode_features instead of having
  /// the text tokenized and featurized a second time.
  std::uint32_t hash_buckets = 1u << 24;
  std::uint32_t hash_seed = 0x5eed;       ///< seed of the n-gram hashes
  int epochs = 8;                         ///< passes over the training texts
  int batch_size = 128;                   ///< pairs per batch (in-batch negatives: 2*batch-2)
  float temperature = 0.05f;              ///< InfoNCE softmax temperature
  float learning_rate = 0.05f;            ///< AdaGrad step size
  float sif_a = 1e-3f;                    ///< SIF weight a/(a + p(feature))
  bool remove_principal_component = true; ///< subtract the first principal component
  int threads = 1;                        ///< worker threads (results do not depend on it)
  std::uint64_t seed = 1;                 ///< random seed; same seed and data give the same model
  /// Called after each epoch; may be empty.
  std::function<void(const EncoderTrainingProgress&)> on_progress;
};

/// How weights are stored by StaticEncoder::save.
enum class WeightStorage : std::uint8_t {
  i8 = 0,  ///< signed 8-bit with a per-row scale (4x smaller; cosine error < 1e-2)
  f32 = 1, ///< full precision
};

/// The compact static encoder. See the file comment for an example.
class StaticEncoder final : public Encoder {
public:
  /// Trains an encoder. Fails with invalid_argument for out-of-range options
  /// and invalid_data when there is nothing to learn from (no text, or no
  /// group or pair with two texts).
  [[nodiscard]] static Result<StaticEncoder> train(const StaticEncoderTrainOptions& options);

  /// Loads a model file of kind "encoder" (memory-mapped; weights are used in
  /// place). Errors name the file: io_error, truncated, bad_magic,
  /// checksum_mismatch, wrong_kind, unsupported_version, corrupt.
  [[nodiscard]] static Result<StaticEncoder> load(const std::string& path);
  /// Same, from the bytes of a model file; `name` is used in error messages.
  [[nodiscard]] static Result<StaticEncoder> from_bytes(std::string_view bytes,
                                                        std::string_view name = "<memory>");

  /// The model file's bytes.
  [[nodiscard]] Result<std::string> serialize(WeightStorage storage = WeightStorage::i8) const;
  /// Writes the model file atomically.
  [[nodiscard]] Result<void> save(const std::string& path,
                                  WeightStorage storage = WeightStorage::i8) const;

  /// Vector dimension.
  int dim() const noexcept override;
  /// "static-encoder/<dim>/<hash of weights and feature settings>".
  std::string fingerprint() const override;
  /// Writes the unit vector of `text` to out[0..dim()). Never fails and
  /// never throws: invalid UTF-8 is repaired; empty text, or text with no
  /// known feature, gives the zero vector. Allocates nothing per token (each
  /// thread reuses its own scratch buffers).
  void encode(std::string_view text, float* out) const override;
  using Encoder::encode;
  /// The same vector as encode(tokens.source, out), from the tokens of a
  /// default text::Tokenizer (see Encoder::encode_tokens): the n-grams are
  /// extracted from them, so the text is not tokenized again.
  void encode_tokens(const text::TokenizedText& tokens, float* out) const override;
  /// The n-gram options the encoder extracts a text's features with.
  features::NgramOptions feature_options() const noexcept;
  /// Encodes features already extracted from a text by an
  /// features::NgramExtractor with exactly feature_options() (values as
  /// extract() returns them), into out[0..dim()): the same unit vector as
  /// encode() of that text, up to float rounding (and encode() only reads a
  /// text's first MiB). Lets a model that extracts the same n-grams for its
  /// own use skip a second tokenization. Features of other settings give a
  /// meaningless vector. Never fails; no known feature gives the zero vector.
  void encode_features(const features::SparseFeatures& features, float* out) const noexcept;
  /// Row of the encoder's table that holds feature `bucket` (a bucket index
  /// as extracted with feature_options()), or -1 if the encoder has none.
  int feature_row(std::uint32_t bucket) const noexcept;
  /// Same as encode_features, with each of the `n` features given by its
  /// table row (feature_row; negative rows are skipped) and its value: for a
  /// model that looks its features up once and keeps their rows.
  void encode_rows(const std::int32_t* rows, const float* values, std::size_t n,
                   float* out) const noexcept;
  /// Encodes many texts into a row-major texts.size() x dim() matrix.
  void encode_batch(const std::vector<std::string_view>& texts, float* out) const override;

  /// Number of feature rows in the table.
  int features() const noexcept;
  /// Metadata JSON: feature settings, training data hash and options.
  const std::string& metadata() const noexcept;

  /// Internal state; opaque to users.
  struct Impl;

private:
  explicit StaticEncoder(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::embed
