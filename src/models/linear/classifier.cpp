// Loading, saving and inference of TextClassifier.
#include "cpu/kernels.hpp"
#include "io/checked_fields.hpp"
#include "models/linear/classifier_impl.hpp"
#include "models/linear/ngram_options_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace supportnlp::models {
namespace {

constexpr std::uint32_t kUnseen = std::numeric_limits<std::uint32_t>::max();
// Version of this model kind's tensor layout: 2 adds the optional dense view
// (files without one are still written as 1, so older readers load them); 3
// a dense view on a frozen encoder that is not in the file (metadata
// "dense_encoder"), which a reader of version 2 must not load as a plain
// model.
constexpr int kFormat = 3;

} // namespace

// Per-thread buffers so inference allocates nothing in steady state.
struct TextClassifier::Scratch {
  text::TokenizedText tokens;
  features::SparseFeatures features;
  std::vector<float> scores;
  std::vector<std::uint32_t> order;
  std::vector<float> dense; // dense view: text vector and label cosines
  bool encoded = false;     // dense[0..dense_dim) holds the text's vector
};

namespace {

TextClassifier::Scratch& scratch() {
  thread_local TextClassifier::Scratch s;
  return s;
}

} // namespace

bool TextClassifier::Impl::featurize(std::string_view text, text::TokenizedText& tokens,
                                     features::SparseFeatures& f, bool origins,
                                     std::vector<float>* dense, bool* encoded) const {
  tokenizer.tokenize(text, tokens);
  featurize_tokens(tokens, f, origins, dense, encoded);
  return tokens.repaired_utf8;
}

void TextClassifier::Impl::featurize_tokens(const text::TokenizedText& tokens,
                                            features::SparseFeatures& f, bool origins,
                                            std::vector<float>* dense, bool* encoded) const {
  extractor.extract(tokens, f, origins);
  featurize_extracted(f, origins, dense, encoded);
}

void TextClassifier::Impl::featurize_extracted(features::SparseFeatures& f, bool origins,
                                               std::vector<float>* dense, bool* encoded) const {
  // The table is larger than L2: start every feature's first probe before
  // the lookups below need it.
  if (!table.empty())
    for (std::size_t i = 0; i < f.size(); ++i)
      __builtin_prefetch(table.data() + home_slot(f.index[i]));
  // The dense view, when it shares the n-grams, pools the raw values of the
  // rows looked up here (its own row of each classifier row is known).
  const bool shared =
      dense != nullptr && encoded != nullptr && metrics.dense_weight > 0 && dense_rows_shared;
  thread_local std::vector<std::int32_t> dense_rows;
  thread_local std::vector<float> raw_values;
  if (shared) {
    dense_rows.resize(f.size());
    raw_values.assign(f.value.begin(), f.value.end());
  }
  for (std::size_t i = 0; i < f.size(); ++i) {
    const Slot* slot = slot_of(f.index[i]);
    if (slot == nullptr) {
      if (shared) dense_rows[i] = -1;
      if (use_idf) f.value[i] *= default_idf;
      f.index[i] = kUnseen;
      continue;
    }
    if (shared) dense_rows[i] = slot->dense_row;
    if (use_idf) f.value[i] *= slot->idf;
    f.index[i] = slot->row;
    // An explanation reads the row's mean weight (explain_features); the
    // array is larger than L2, so its line is fetched while scoring runs.
    if (origins) __builtin_prefetch(row_mean.data() + slot->row);
  }
  if (encoded != nullptr) *encoded = false;
  if (shared) {
    dense->resize(dense_dim + k);
    dense_encoder->encode_rows(dense_rows.data(), raw_values.data(), f.size(), dense->data());
    *encoded = true;
  }
  normalize_views(f.value.data(), f.size(), f.word_entries, word_view_weight);
}

void normalize_views(float* value, std::size_t n, std::size_t word_entries,
                     float word_view_weight) noexcept {
  auto scale = [&](std::size_t from, std::size_t to, double weight) {
    double sq = 0;
    for (std::size_t i = from; i < to; ++i)
      sq += double(value[i]) * value[i];
    if (sq > 0 && weight > 0) {
      const auto f = static_cast<float>(weight / std::sqrt(sq));
      for (std::size_t i = from; i < to; ++i)
        value[i] *= f;
    } else {
      for (std::size_t i = from; i < to; ++i)
        value[i] = 0;
    }
  };
  if (word_view_weight >= 0) {
    word_entries = std::min(word_entries, n);
    scale(0, word_entries, word_view_weight);
    scale(word_entries, n, 1.0 - word_view_weight);
  }
  double sq = 0;
  for (std::size_t i = 0; i < n; ++i)
    sq += double(value[i]) * value[i];
  if (sq > 0) {
    const auto inv = static_cast<float>(1.0 / std::sqrt(sq));
    for (std::size_t i = 0; i < n; ++i)
      value[i] *= inv;
  }
}

void TextClassifier::Impl::raw_scores(const features::SparseFeatures& f,
                                      float* out) const noexcept {
  const cpu::Kernels& kernels = cpu::kernels();
  if (w32 != nullptr)
    kernels.sparse_scores(f.index.data(), f.value.data(), f.size(), w32, k, bias, kUnseen, out);
  else
    kernels.sparse_scores_i8(f.index.data(), f.value.data(), f.size(), w8, w8_scale, k, bias,
                             kUnseen, out);
}

void TextClassifier::Impl::calibrate(float* s, double temperature) const noexcept {
  const float inv_t = static_cast<float>(1.0 / temperature);
  float mx = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < k; ++j)
    mx = std::max(mx, s[j]);
  float sum = 0;
  for (std::size_t j = 0; j < k; ++j) {
    s[j] = std::exp((s[j] - mx) * inv_t);
    sum += s[j];
  }
  for (std::size_t j = 0; j < k; ++j)
    s[j] /= sum;
}

std::string TextClassifier::Impl::metadata_json() const {
  nlohmann::json m;
  m["model"] = "text_classifier";
  m["layout_version"] = frozen_encoder ? 3 : dense_encoder ? 2 : 1;
  m["labels"] = labels;
  m["oos_label"] = oos >= 0 ? labels[oos] : std::string();
  if (!languages.empty()) m["languages"] = languages;
  m["features"] = detail::ngram_options_json(feature_options);
  m["idf"] = use_idf;
  m["default_idf"] = default_idf;
  m["word_view_weight"] = word_view_weight;
  m["c"] = c;
  m["quantized"] = quantized;
  m["refit"] = refit;
  m["temperature"] = metrics.temperature;
  m["oos_threshold"] = metrics.oos_threshold;
  if (frozen_encoder)
    m["dense_encoder"] = {{"fingerprint", frozen_fingerprint}, {"dim", dense_dim}};
  if (dense_encoder || frozen_encoder) {
    m["dense_weight"] = metrics.dense_weight;
    m["dense_temperature"] = metrics.dense_temperature;
  }
  m["metrics"] = {{"validation_accuracy", metrics.validation_accuracy},
                  {"validation_ece", metrics.validation_ece},
                  {"epochs", metrics.epochs},
                  {"best_epoch", metrics.best_epoch},
                  {"train_examples", metrics.train_examples},
                  {"validation_examples", metrics.validation_examples}};
  // No training time: the same data and options must give the same bytes
  // (scripts/train-default-models.sh rebuilds the shipped models byte for
  // byte). Files written before keep theirs, and load() still reads it.
  return m.dump();
}

Result<std::shared_ptr<TextClassifier::Impl>>
TextClassifier::Impl::from_file(io::ModelFile file, std::string_view kind,
                                std::shared_ptr<const embed::Encoder> encoder) {
  const std::string& name = file.path();
  auto bad = [&](const std::string& what) {
    return make_error(ErrorCode::corrupt, name + ": " + what);
  };
  auto impl = std::make_shared<Impl>();
  impl->kind = file.kind();
  auto parsed = io::detail::parse_metadata(file);
  if (!parsed) return parsed.error();
  const nlohmann::json& m = parsed.value();
  // Every field is checked for type and range (nothing here throws): a
  // wrong value behind a valid checksum is refused, naming the field.
  io::detail::FieldReader r(m, name);
  if (r.string("model", false, "") != "text_classifier")
    return bad("metadata does not describe a text classifier (\"model\" is not "
               "\"text_classifier\")");
  const int layout = r.integer<int>("layout_version", 0, std::numeric_limits<int>::max(), 0);
  if (r.ok() && layout > kFormat)
    return make_error(ErrorCode::unsupported_version,
                      name + ": classifier layout version " + std::to_string(layout) +
                          " is newer than this library's " + std::to_string(kFormat));
  impl->labels = r.string_list("labels", 2);
  impl->feature_options = detail::ngram_options_from_json(r.object("features"));
  impl->use_idf = r.boolean("idf");
  impl->default_idf = static_cast<float>(r.number("default_idf", 0.0, 1e4));
  impl->word_view_weight = static_cast<float>(r.number("word_view_weight", -1.0, 1.0, -1.0));
  impl->c = r.number("c", 0.0, 1e12, 0.0);
  impl->refit = r.boolean("refit", false);
  impl->metrics.temperature = r.number("temperature", 0.05, 5.0);
  impl->metrics.oos_threshold = r.number("oos_threshold", 0.0, 1.0);
  // Present exactly when the file has a dense view (see metadata_json).
  const bool dense_meta = r.has("dense_weight");
  impl->metrics.dense_weight = r.number("dense_weight", 0.0, 1.0, 0.0);
  // Cosines lie in [-1, 1]: training fits the dense view's temperature in
  // [0.01, 5] (choose_dense_mix).
  impl->metrics.dense_temperature = r.number("dense_temperature", 0.01, 5.0, 1.0);
  // A frozen encoder (layout 3): its fingerprint and dimension.
  const bool frozen = r.has("dense_encoder");
  std::string frozen_fingerprint;
  int frozen_dim = 0;
  if (frozen) {
    auto fe = r.object("dense_encoder");
    frozen_fingerprint = fe.string("fingerprint", true);
    frozen_dim = fe.integer<int>("dim", 1, 65536);
  }
  const auto mm = r.object("metrics");
  constexpr auto kBig = std::uint64_t{1} << 53;
  impl->metrics.validation_accuracy = mm.number("validation_accuracy", 0.0, 1.0, 0.0);
  impl->metrics.validation_ece = mm.number("validation_ece", 0.0, 1.0, 0.0);
  impl->metrics.epochs = mm.integer<int>("epochs", 0, 1 << 30, 0);
  impl->metrics.best_epoch = mm.integer<int>("best_epoch", 0, 1 << 30, 0);
  impl->metrics.train_examples = mm.integer<std::uint64_t>("train_examples", 0, kBig, 0);
  impl->metrics.validation_examples = mm.integer<std::uint64_t>("validation_examples", 0, kBig, 0);
  impl->metrics.train_seconds = mm.number("train_seconds", 0.0, 1e12, 0.0);
  if (r.has("languages")) impl->languages = r.string_list("languages", 0);
  const std::string oos = r.string("oos_label", false, "");
  // Informational (training writes it before choosing the storage): the
  // weights' dtype decides; only its type is checked.
  r.boolean("quantized", false);
  if (!r.ok()) return r.error();
  if (!oos.empty()) {
    for (std::size_t i = 0; i < impl->labels.size(); ++i)
      if (impl->labels[i] == oos) impl->oos = static_cast<int>(i);
    if (impl->oos < 0)
      return bad("metadata field 'oos_label' '" + oos + "' is not one of the labels");
  }
  impl->extractor = features::NgramExtractor(impl->feature_options);
  impl->k = impl->labels.size();

  // A tensor of another name is damage (e.g. a renamed idf or dense view,
  // which would otherwise be missed or dropped). The sentiment model adds
  // its NB-LR view's tensors to the same file.
  static const char* const kKnown[] = {"row_buckets",     "idf",        "bias",
                                       "weights",         "row_scale",  "dense_encoder",
                                       "dense_centroids", "nb_weights", "nb_scales"};
  for (const io::Tensor& t : file.tensors())
    if (std::find(std::begin(kKnown), std::end(kKnown), t.name) == std::end(kKnown))
      return bad("unknown tensor '" + t.name + "' in a text classifier file");
  auto rb = file.require("row_buckets", io::DType::u32, 1);
  if (!rb) return rb.error();
  impl->rows = static_cast<std::size_t>(rb.value()->elements());
  impl->row_buckets = rb.value()->as<std::uint32_t>();
  auto bias = file.require("bias", io::DType::f32, 1);
  if (!bias) return bias.error();
  if (static_cast<std::size_t>(bias.value()->elements()) != impl->k)
    return bad("bias has " + std::to_string(bias.value()->elements()) + " entries for " +
               std::to_string(impl->k) + " labels");
  if (auto f = io::detail::check_trained(file, *bias.value()); !f) return f.error();
  impl->bias = bias.value()->as<float>();
  auto check_matrix = [&](const io::Tensor* t) {
    return t->shape.size() == 2 && static_cast<std::size_t>(t->shape[0]) == impl->rows &&
           static_cast<std::size_t>(t->shape[1]) == impl->k;
  };
  if (impl->rows > impl->feature_options.buckets)
    return bad("tensor 'row_buckets' has " + std::to_string(impl->rows) + " rows for " +
               std::to_string(impl->feature_options.buckets) + " buckets");
  if (const auto* w = file.find("weights"); w != nullptr && w->dtype == io::DType::i8) {
    if (!check_matrix(w)) return bad("weights shape does not match rows x labels");
    auto scale = file.require("row_scale", io::DType::f32, 1);
    if (!scale) return scale.error();
    if (static_cast<std::size_t>(scale.value()->elements()) != impl->rows)
      return bad("row_scale size does not match rows");
    if (auto f = io::detail::check_trained(file, *scale.value(), 0.0f, true); !f) return f.error();
    impl->quantized = true;
    const auto* q = w->as<std::int8_t>();
    impl->w8_owned.assign(impl->rows * impl->k + cpu::kInt8Padding, 0);
    std::copy(q, q + impl->rows * impl->k, impl->w8_owned.begin());
    impl->w8 = impl->w8_owned.data();
    impl->w8_scale = scale.value()->as<float>();
  } else {
    auto wf = file.require("weights", io::DType::f32, 2);
    if (!wf) return wf.error();
    if (!check_matrix(wf.value())) return bad("weights shape does not match rows x labels");
    if (auto f = io::detail::check_trained(file, *wf.value()); !f) return f.error();
    impl->w32 = wf.value()->as<float>();
  }

  if (impl->use_idf) {
    auto idf = file.require("idf", io::DType::f32, 1);
    if (!idf) return idf.error();
    if (static_cast<std::size_t>(idf.value()->elements()) != impl->rows)
      return bad("idf size does not match rows");
    if (auto f = io::detail::check_trained(file, *idf.value(), 0.0f); !f) return f.error();
    impl->idf = idf.value()->as<float>();
  }
  // Mean weight of each row over the labels, for explanations (evidence is
  // measured against the average label).
  impl->row_mean.resize(impl->rows);
  for (std::size_t r = 0; r < impl->rows; ++r) {
    float sum = 0;
    for (std::size_t j = 0; j < impl->k; ++j)
      sum += impl->weight(r, j);
    impl->row_mean[r] = sum / static_cast<float>(impl->k);
  }
  // Lookup table, at most half full.
  std::size_t cap = 2;
  int bits = 1;
  while (cap < 2 * impl->rows)
    cap <<= 1, ++bits;
  impl->table.assign(cap, Impl::Slot{0, 0, 0.0f, -1});
  impl->table_shift = static_cast<std::uint32_t>(32 - bits);
  const auto mask = static_cast<std::uint32_t>(cap - 1);
  for (std::size_t r = 0; r < impl->rows; ++r) {
    const std::uint32_t b = impl->row_buckets[r];
    if (b >= impl->feature_options.buckets || b == kUnseen) return bad("row bucket out of range");
    std::uint32_t h = impl->home_slot(b);
    while (impl->table[h].key != 0) {
      if (impl->table[h].key == b + 1) return bad("duplicate row bucket");
      h = (h + 1) & mask;
    }
    impl->table[h] =
        Impl::Slot{b + 1, static_cast<std::uint32_t>(r), impl->use_idf ? impl->idf[r] : 1.0f, -1};
  }
  // Metadata describing a dense view without its tensors would silently
  // change every prediction. (Tensors without the metadata load with weight
  // 0, i.e. as the sparse model the metadata describes: training loads its
  // provisional file that way before it chooses the weight.)
  const bool has_encoder = file.find("dense_encoder") != nullptr;
  if (frozen) {
    // The frozen encoder is not in the file: the caller gives it, and it
    // must be the one the centroids were computed with.
    if (has_encoder)
      return bad("metadata names a frozen encoder (field 'dense_encoder') but the file also "
                 "holds tensor 'dense_encoder'");
    if (layout < 3)
      return bad("metadata field 'dense_encoder' needs layout_version 3, the file says " +
                 std::to_string(layout));
    if (!encoder)
      return make_error(ErrorCode::invalid_argument,
                        name + ": this model was trained with encoder " + frozen_fingerprint +
                            "; load it with that encoder (e.g. --encoder, or the bundle's "
                            "models/transformer)");
    if (encoder->fingerprint() != frozen_fingerprint)
      return make_error(ErrorCode::invalid_argument,
                        name + ": this model was trained with encoder " + frozen_fingerprint +
                            " but the encoder given is " + encoder->fingerprint() +
                            "; train the model again or pass the encoder it was trained with");
    if (encoder->dim() != frozen_dim)
      return bad("metadata field 'dense_encoder.dim' is " + std::to_string(frozen_dim) +
                 " but encoder " + frozen_fingerprint + " has " + std::to_string(encoder->dim()) +
                 " dimensions");
    auto centroids = file.require("dense_centroids", io::DType::f32, 2);
    if (!centroids) return centroids.error();
    const auto& shape = centroids.value()->shape;
    if (static_cast<std::size_t>(shape[0]) != impl->k || shape[1] != frozen_dim)
      return bad("dense_centroids shape does not match labels x encoder dimension");
    if (auto f = io::detail::check_trained(file, *centroids.value()); !f) return f.error();
    impl->dense_dim = static_cast<std::size_t>(frozen_dim);
    impl->dense_centroids = centroids.value()->as<float>();
    impl->frozen_encoder = std::move(encoder);
    impl->frozen_fingerprint = frozen_fingerprint;
    impl->file = std::move(file);
    return impl;
  }
  if (layout >= 3) return bad("layout_version 3 without metadata field 'dense_encoder'");
  if ((dense_meta || layout >= 2) && !has_encoder)
    return make_error(ErrorCode::corrupt, name + ": metadata describes a dense view (field '" +
                                              (dense_meta ? "dense_weight" : "layout_version") +
                                              "') but tensor 'dense_encoder' is missing");
  if (!has_encoder && file.find("dense_centroids") != nullptr)
    return bad("tensor 'dense_centroids' is present without 'dense_encoder'");
  if (const auto* enc = file.find("dense_encoder"); enc != nullptr) {
    if (enc->dtype != io::DType::u8) return bad("dense_encoder must be raw bytes");
    auto encoder = embed::StaticEncoder::from_bytes(
        std::string_view(static_cast<const char*>(enc->data), enc->bytes), name + " (dense view)");
    if (!encoder) return encoder.error();
    auto centroids = file.require("dense_centroids", io::DType::f32, 2);
    if (!centroids) return centroids.error();
    const auto& shape = centroids.value()->shape;
    if (static_cast<std::size_t>(shape[0]) != impl->k ||
        shape[1] != static_cast<std::int64_t>(encoder.value().dim()))
      return bad("dense_centroids shape does not match labels x encoder dimension");
    if (auto f = io::detail::check_trained(file, *centroids.value()); !f) return f.error();
    impl->dense_dim = static_cast<std::size_t>(encoder.value().dim());
    impl->dense_centroids = centroids.value()->as<float>();
    if (same_features(encoder.value().feature_options(), impl->feature_options)) {
      for (Impl::Slot& slot : impl->table)
        if (slot.key != 0)
          slot.dense_row = encoder.value().feature_row(impl->row_buckets[slot.row]);
      impl->dense_rows_shared = true;
    }
    impl->dense_encoder.emplace(std::move(encoder.value()));
  }
  (void)kind;
  impl->file = std::move(file);
  return impl;
}

Result<TextClassifier> TextClassifier::load(const std::string& path, std::string_view kind,
                                            std::shared_ptr<const embed::Encoder> encoder) {
  auto file = io::ModelFile::open(path, kind);
  if (!file) return file.error();
  return load(std::move(file.value()), kind, std::move(encoder));
}

Result<TextClassifier> TextClassifier::load(io::ModelFile file, std::string_view kind,
                                            std::shared_ptr<const embed::Encoder> encoder) {
  if (file.kind() != kind)
    return make_error(ErrorCode::wrong_kind, file.path() + ": is a '" + file.kind() +
                                                 "' model file, expected '" + std::string(kind) +
                                                 "'");
  auto impl = Impl::from_file(std::move(file), kind, std::move(encoder));
  if (!impl) return impl.error();
  return TextClassifier(std::move(impl.value()));
}

Result<void> TextClassifier::save(const std::string& path) const {
  io::ModelWriter w(impl_->kind);
  w.set_metadata(impl_->metadata_json());
  for (const auto& t : impl_->file.tensors())
    w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
  return w.save(path);
}

Result<std::string> TextClassifier::required_encoder(const io::ModelFile& file) {
  auto parsed = io::detail::parse_metadata(file);
  if (!parsed) return parsed.error();
  const nlohmann::json& m = parsed.value();
  const auto it = m.find("dense_encoder");
  if (it == m.end()) return std::string();
  const auto fp = it->is_object() ? it->find("fingerprint") : it->end();
  if (!it->is_object() || fp == it->end() || !fp->is_string())
    return make_error(ErrorCode::corrupt,
                      file.path() + ": metadata field 'dense_encoder.fingerprint' is not a string");
  return fp->get<std::string>();
}

const std::string& TextClassifier::encoder_fingerprint() const noexcept {
  return impl_->frozen_fingerprint;
}

const std::vector<std::string>& TextClassifier::labels() const noexcept {
  return impl_->labels;
}
const std::vector<std::string>& TextClassifier::languages() const noexcept {
  return impl_->languages;
}
int TextClassifier::oos_label() const noexcept {
  return impl_->oos;
}
const std::string& TextClassifier::kind() const noexcept {
  return impl_->kind;
}
const ClassifierMetrics& TextClassifier::metrics() const noexcept {
  return impl_->metrics;
}
const features::NgramOptions& TextClassifier::feature_options() const noexcept {
  return impl_->feature_options;
}
std::size_t TextClassifier::weight_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& t : impl_->file.tensors())
    n += t.bytes;
  return n;
}
int TextClassifier::label_index(std::string_view label) const noexcept {
  for (std::size_t i = 0; i < impl_->labels.size(); ++i)
    if (impl_->labels[i] == label) return static_cast<int>(i);
  return -1;
}

bool TextClassifier::probabilities(std::string_view text, float* out) const {
  Scratch& s = scratch();
  const bool repaired = impl_->featurize(text, s.tokens, s.features, false, &s.dense, &s.encoded);
  impl_->raw_scores(s.features, out);
  impl_->calibrate(out, impl_->metrics.temperature);
  impl_->mix_dense(s.tokens, s.encoded, out, s.dense);
  return repaired;
}

void TextClassifier::predict(std::string_view text, std::size_t top_k, Prediction& out) const {
  Scratch& s = scratch();
  out.repaired_utf8 = impl_->featurize(text, s.tokens, s.features, false, &s.dense, &s.encoded);
  decide(s.tokens, s.features, s, top_k, out);
}

void TextClassifier::predict(const text::TokenizedText& tokens, std::size_t top_k,
                             Prediction& out) const {
  Scratch& s = scratch();
  impl_->featurize_tokens(tokens, s.features, false, &s.dense, &s.encoded);
  out.repaired_utf8 = tokens.repaired_utf8;
  decide(tokens, s.features, s, top_k, out);
}

void TextClassifier::decide(const text::TokenizedText& tokens, const features::SparseFeatures& f,
                            Scratch& s, std::size_t top_k, Prediction& out) const {
  const std::size_t k = impl_->k;
  s.scores.resize(k);
  impl_->raw_scores(f, s.scores.data());
  impl_->calibrate(s.scores.data(), impl_->metrics.temperature);
  impl_->mix_dense(tokens, s.encoded, s.scores.data(), s.dense);
  std::size_t best = 0;
  for (std::size_t j = 1; j < k; ++j)
    if (s.scores[j] > s.scores[best]) best = j;
  out.label = static_cast<std::uint32_t>(best);
  out.confidence = s.scores[best];
  out.out_of_scope = static_cast<int>(best) == impl_->oos ||
                     out.confidence < static_cast<float>(impl_->metrics.oos_threshold);
  out.probabilities.assign(s.scores.begin(), s.scores.end());
  top_k = std::min(top_k, k);
  out.top.clear();
  if (top_k == 0) return;
  s.order.resize(k);
  for (std::size_t j = 0; j < k; ++j)
    s.order[j] = static_cast<std::uint32_t>(j);
  std::partial_sort(s.order.begin(), s.order.begin() + top_k, s.order.end(),
                    [&](std::uint32_t a, std::uint32_t b) {
                      return s.scores[a] > s.scores[b] || (s.scores[a] == s.scores[b] && a < b);
                    });
  for (std::size_t j = 0; j < top_k; ++j)
    out.top.push_back({s.order[j], s.scores[s.order[j]]});
}

Prediction TextClassifier::predict(std::string_view text, std::size_t top_k) const {
  Prediction p;
  predict(text, top_k, p);
  return p;
}

void TextClassifier::Impl::explain_features(const text::TokenizedText& tokens,
                                            const features::SparseFeatures& f, std::uint32_t label,
                                            std::size_t max_spans, Explanation& e) const {
  // Contribution of each entry to (score of label - mean score), split over
  // its occurrences and then over the tokens each occurrence covers.
  e.label = label;
  e.toward.clear();
  e.against.clear();
  if (label >= k) return;
  thread_local std::vector<float> per_token, per_entry;
  thread_local std::vector<std::uint32_t> occurrences, order;
  per_token.assign(tokens.tokens.size(), 0.0f);
  occurrences.assign(f.size(), 0);
  for (const auto& o : f.origins)
    ++occurrences[o.entry];
  // Each entry's contribution per occurrence, computed once per entry
  // rather than once per occurrence (the same float expression, so the same
  // bits); an unseen entry contributes nothing.
  per_entry.resize(f.size());
  for (std::size_t e = 0; e < f.size(); ++e) {
    const std::uint32_t r = f.index[e];
    per_entry[e] = r == kUnseen || occurrences[e] == 0
                       ? 0.0f
                       : f.value[e] * (weight(r, label) - row_mean[r]) / float(occurrences[e]);
  }
  // A word's char n-grams come one after another: their sum is kept in a
  // register (`run`, for token `run_token`) and stored when another token's
  // turn comes. Adding through memory made each occurrence wait for the
  // previous one's store; the additions per token keep their order, so the
  // sums are the same bits.
  constexpr std::uint32_t kNoToken = 0xFFFFFFFFu;
  std::uint32_t run_token = kNoToken;
  float run = 0.0f;
  for (const auto& o : f.origins) {
    if (f.index[o.entry] == kUnseen) continue;
    const float contrib = per_entry[o.entry];
    if (o.token_first == o.token_last) { // a char n-gram or unigram: one token
      if (o.token_first != run_token) {
        if (run_token != kNoToken) per_token[run_token] = run;
        run_token = o.token_first;
        run = per_token[run_token];
      }
      run += contrib;
      continue;
    }
    if (run_token != kNoToken) per_token[run_token] = run;
    run_token = kNoToken;
    const float share = contrib / float(o.token_last - o.token_first + 1);
    for (std::uint32_t t = o.token_first; t <= o.token_last; ++t)
      per_token[t] += share;
  }
  if (run_token != kNoToken) per_token[run_token] = run;
  // Only the strongest max_spans each way are needed: partition out the
  // positive and negative tokens, then partially sort each side.
  order.clear();
  for (std::uint32_t t = 0; t < per_token.size(); ++t)
    if (per_token[t] > 0) order.push_back(t);
  const auto by_weight = [&](std::uint32_t a, std::uint32_t b) {
    return per_token[a] > per_token[b] || (per_token[a] == per_token[b] && a < b);
  };
  std::size_t n = std::min(max_spans, order.size());
  std::partial_sort(order.begin(), order.begin() + n, order.end(), by_weight);
  for (std::size_t i = 0; i < n; ++i)
    e.toward.push_back(
        {tokens.tokens[order[i]].begin, tokens.tokens[order[i]].end, per_token[order[i]]});
  order.clear();
  for (std::uint32_t t = 0; t < per_token.size(); ++t)
    if (per_token[t] < 0) order.push_back(t);
  n = std::min(max_spans, order.size());
  std::partial_sort(order.begin(), order.begin() + n, order.end(),
                    [&](std::uint32_t a, std::uint32_t b) { return by_weight(b, a); });
  for (std::size_t i = 0; i < n; ++i)
    e.against.push_back(
        {tokens.tokens[order[i]].begin, tokens.tokens[order[i]].end, per_token[order[i]]});
}

Explanation TextClassifier::explain(std::string_view text, std::uint32_t label,
                                    std::size_t max_spans) const {
  Explanation e;
  e.label = label;
  const Impl& m = *impl_;
  if (label >= m.k) return e;
  Scratch& s = scratch();
  m.featurize(text, s.tokens, s.features, true);
  m.explain_features(s.tokens, s.features, label, max_spans, e);
  return e;
}

void TextClassifier::predict_explain(std::string_view text, std::size_t top_k,
                                     std::size_t max_spans, Prediction& out,
                                     Explanation& why) const {
  Scratch& s = scratch();
  out.repaired_utf8 = impl_->featurize(text, s.tokens, s.features, true, &s.dense, &s.encoded);
  decide(s.tokens, s.features, s, top_k, out);
  impl_->explain_features(s.tokens, s.features, out.label, max_spans, why);
}

void TextClassifier::predict_explain(const text::TokenizedText& tokens, std::size_t top_k,
                                     std::size_t max_spans, Prediction& out,
                                     Explanation& why) const {
  Scratch& s = scratch();
  impl_->featurize_tokens(tokens, s.features, true, &s.dense, &s.encoded);
  out.repaired_utf8 = tokens.repaired_utf8;
  decide(tokens, s.features, s, top_k, out);
  impl_->explain_features(tokens, s.features, out.label, max_spans, why);
}

// The n-grams of `tokens`, featurized in the scratch buffers: the caller's
// (prepared.ngrams, copied: featurizing rewrites them into the model's
// weighted rows, and the caller's stay n-grams) or extracted there; and the
// frozen encoder's vector, when the caller has it, in the dense view's
// buffer.
features::SparseFeatures&
TextClassifier::Impl::featurize_prepared(const text::TokenizedText& tokens,
                                         const PreparedText& prepared, bool origins,
                                         Scratch& s) const {
  features::SparseFeatures& f = s.features;
  if (const features::SparseFeatures* given = prepared.ngrams) {
    f.index.assign(given->index.begin(), given->index.end());
    f.value.assign(given->value.begin(), given->value.end());
    f.origins.clear();
    if (origins) f.origins.assign(given->origins.begin(), given->origins.end());
    f.word_entries = given->word_entries;
    featurize_extracted(f, origins, &s.dense, &s.encoded);
  } else {
    featurize_tokens(tokens, f, origins, &s.dense, &s.encoded);
  }
  if (prepared.encoder_vector != nullptr && !s.encoded && !dense_encoder && frozen_encoder &&
      dense_centroids != nullptr) {
    try {
      s.dense.resize(dense_dim + k);
      std::copy(prepared.encoder_vector, prepared.encoder_vector + dense_dim, s.dense.begin());
      s.encoded = true;
    } catch (...) {
      // No memory: mix_dense encodes the text itself (or gives up) as before.
    }
  }
  return f;
}

void TextClassifier::predict(const text::TokenizedText& tokens, const PreparedText& prepared,
                             std::size_t top_k, Prediction& out) const {
  Scratch& s = scratch();
  features::SparseFeatures& f = impl_->featurize_prepared(tokens, prepared, false, s);
  out.repaired_utf8 = tokens.repaired_utf8;
  decide(tokens, f, s, top_k, out);
}

void TextClassifier::predict_explain(const text::TokenizedText& tokens,
                                     const PreparedText& prepared, std::size_t top_k,
                                     std::size_t max_spans, Prediction& out,
                                     Explanation& why) const {
  Scratch& s = scratch();
  features::SparseFeatures& f = impl_->featurize_prepared(tokens, prepared, true, s);
  out.repaired_utf8 = tokens.repaired_utf8;
  decide(tokens, f, s, top_k, out);
  impl_->explain_features(tokens, f, out.label, max_spans, why);
}

double expected_calibration_error(const std::vector<float>& confidence,
                                  const std::vector<char>& correct) {
  constexpr int kBins = 15;
  double conf_sum[kBins] = {}, acc_sum[kBins] = {};
  std::size_t count[kBins] = {};
  for (std::size_t i = 0; i < confidence.size(); ++i) {
    int b = std::min(kBins - 1, static_cast<int>(confidence[i] * kBins));
    b = std::max(b, 0);
    conf_sum[b] += confidence[i];
    acc_sum[b] += correct[i] ? 1.0 : 0.0;
    ++count[b];
  }
  double ece = 0;
  for (int b = 0; b < kBins; ++b)
    if (count[b] > 0) ece += std::abs(acc_sum[b] - conf_sum[b]);
  return confidence.empty() ? 0.0 : ece / static_cast<double>(confidence.size());
}

} // namespace supportnlp::models
