// SentimentModel, loading and inference: TextClassifier over the rewritten
// text plus lexicon marker tokens, optionally followed by a stacking
// regression over the classifier's probabilities and the lexicon's signals,
// or averaged with the NB-LR view. Training and calibration are in
// sentiment_model_train.cpp.
//
// File layout: the classifier's own file (kind "sentiment"), with one more
// metadata object, "sentiment", holding the input options and the stacker
// or the NB-LR view (its options, bias, weight, temperature and calibration
// record; its weights are tensors). Files written before stacking lack it
// and load as a plain classifier with the old input (no rewriting); NB-LR
// views written before calibration have no temperature and load at 1.
#include "supportnlp/models/sentiment/sentiment_model.hpp"

#include "models/sentiment/sentiment_model_impl.hpp"

#include "io/checked_fields.hpp"
#include "supportnlp/io/model_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <string>

namespace supportnlp::models {

namespace detail {

Result<std::array<int, 3>> sentiment_label_columns(const TextClassifier& c,
                                                   const std::string& where) {
  std::array<int, 3> column{{-1, -1, -1}};
  for (std::size_t i = 0; i < c.labels().size(); ++i) {
    const auto label = parse_sentiment_label(c.labels()[i]);
    if (!label)
      return make_error(ErrorCode::invalid_data, where + ": label '" + c.labels()[i] +
                                                     "' is not negative, neutral or positive");
    column[static_cast<int>(*label)] = static_cast<int>(i);
  }
  return column;
}

bool sentiment_classifier_probabilities(const TextClassifier& c, const std::array<int, 3>& column,
                                        std::string_view input, std::vector<float>& buffer,
                                        std::array<float, 3>& p) {
  buffer.resize(c.labels().size());
  const bool repaired = c.probabilities(input, buffer.data());
  for (int k = 0; k < 3; ++k)
    p[k] = column[k] >= 0 ? buffer[column[k]] : 0.0f;
  return repaired;
}

} // namespace detail

namespace {

constexpr const char* kKind = detail::kSentimentKind;

// Per-thread buffers, so inference allocates nothing in steady state.
struct Scratch {
  text::TokenizedText tokens; ///< the text's, then (NB-LR view) the whole input's
  text::TokenizedText tail;   ///< the marker words'
  std::string augmented;
  std::vector<float> probabilities;
  features::SparseFeatures nb_features;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

nlohmann::json calibration_json(const SentimentNbCalibration& c) {
  return {{"held_out", c.held_out},
          {"from_validation", c.from_validation},
          {"accuracy", c.accuracy},
          {"ece_uncalibrated", c.ece_uncalibrated},
          {"ece", c.ece}};
}

nlohmann::json input_json(const SentimentInputOptions& o) {
  return {{"hashtag_words", o.hashtag_words},
          {"mention_names", o.mention_names},
          {"emoji_names", o.emoji_names},
          {"negation_words", o.negation_words},
          {"short_markers", o.short_markers}};
}

} // namespace

bool SentimentModel::Impl::classify(std::string_view text, const text::TokenizedText* tokens,
                                    std::array<float, 3>& p, detail::LexiconSignals& signals,
                                    std::vector<SentimentEvidence>* evidence) const {
  Scratch& s = scratch();
  if (tokens)
    input.build_from_tokens(text, *tokens, s.augmented, signals, evidence);
  else
    input.build(text, s.tokens, s.augmented, signals, evidence);
  // With the NB-LR view's share at 1 the SVM view is not scored at all.
  const bool svm = nb.empty() || nb_weight < 1.0f;
  bool repaired = tokens ? tokens->repaired_utf8 : s.tokens.repaired_utf8;
  if (svm)
    repaired = detail::sentiment_classifier_probabilities(classifier, column, s.augmented,
                                                          s.probabilities, p);
  if (!nb.empty()) {
    // The NB-LR view reads the same input: its tokens are the text's,
    // already made for the lexicon, plus the marker words'. The caller's
    // tokens are const: they are copied (into buffers reused per thread)
    // before the marker words' are appended.
    if (tokens) {
      s.tokens.tokens.assign(tokens->tokens.begin(), tokens->tokens.end());
      s.tokens.normalized_text.assign(tokens->normalized_text);
      s.tokens.repaired_utf8 = tokens->repaired_utf8;
    }
    input.extend_tokens(s.augmented, text.size(), s.tokens, s.tail);
    float q[3];
    nb.probabilities(s.tokens, s.nb_features, q);
    for (int c = 0; c < 3; ++c)
      p[c] = svm ? (1.0f - nb_weight) * p[c] + nb_weight * q[c] : q[c];
  }
  s.tokens.source = {}; // no view of the caller's text outlives the call
  return repaired;
}

Result<SentimentModel> SentimentModel::load(const std::string& path) {
  auto file = io::ModelFile::open(path, kKind);
  if (!file) return file.error();
  return load(std::move(file.value()));
}

Result<SentimentModel> SentimentModel::load(io::ModelFile opened) {
  // One opened file serves the classifier and the sentiment sections: its
  // checksums were verified once, when it was opened.
  const io::ModelFile file = opened; // copies share the mapping
  const std::string path = opened.path();
  auto classifier = TextClassifier::load(std::move(opened), kKind);
  if (!classifier) return classifier.error();
  auto columns = detail::sentiment_label_columns(classifier.value(), path);
  if (!columns) return columns.error();
  auto parsed = io::detail::parse_metadata(file);
  if (!parsed) return parsed.error();
  const nlohmann::json& meta = parsed.value();
  // Files from before stacking: no rewriting, no stacker.
  SentimentInputOptions in{false, false, false, false, false};
  detail::Stacker stacker;
  detail::NbView nb;
  float nb_weight = 0.0f;
  SentimentNbCalibration nb_calibration;
  io::detail::FieldReader top(meta, path);
  if (top.has("sentiment")) {
    const io::detail::FieldReader s = top.object("sentiment");
    const int version = s.integer<int>("version", 0, std::numeric_limits<int>::max());
    if (!s.ok()) return s.error();
    if (version < 1 || version > 3)
      return make_error(ErrorCode::unsupported_version, path + ": sentiment section version " +
                                                            std::to_string(version) +
                                                            " is not 1, 2 or 3 (this library's)");
    const io::detail::FieldReader j = s.object("input");
    in.hashtag_words = j.boolean("hashtag_words");
    in.mention_names = j.boolean("mention_names");
    in.emoji_names = j.boolean("emoji_names");
    in.negation_words = j.boolean("negation_words", false);
    in.short_markers = j.boolean("short_markers", false) && version >= 3;
    if (!s.ok()) return s.error();
    const nlohmann::json& sj = meta["sentiment"];
    if (sj.contains("stacker")) {
      auto st = detail::Stacker::from_json(sj["stacker"], path);
      if (!st) return st.error();
      stacker = std::move(st.value());
    }
    if (version >= 2 && sj.contains("nb")) {
      auto v = detail::NbView::load(sj["nb"], file, path);
      if (!v) return v.error();
      nb = std::move(v.value());
      const io::detail::FieldReader n = s.object("nb");
      const double wt = n.number("weight", 0.0, 1.0);
      if (!n.ok()) return n.error();
      if (!(wt > 0.0))
        return make_error(ErrorCode::corrupt, path + ": NB-LR view weight is not in (0, 1]");
      nb_weight = static_cast<float>(wt);
      nb_calibration.temperature = nb.temperature;
      if (n.has("calibration")) {
        const io::detail::FieldReader c = n.object("calibration");
        nb_calibration.held_out = c.integer<std::size_t>("held_out", 0, std::size_t{1} << 53);
        nb_calibration.from_validation = c.boolean("from_validation");
        nb_calibration.accuracy = c.number("accuracy", 0.0, 1.0);
        nb_calibration.ece_uncalibrated = c.number("ece_uncalibrated", 0.0, 1.0);
        nb_calibration.ece = c.number("ece", 0.0, 1.0);
        if (!c.ok()) return c.error();
      }
    }
  }
  auto impl = std::make_shared<Impl>(std::move(classifier.value()), LexiconOptions{}, in);
  impl->column = columns.value();
  impl->stacker = std::move(stacker);
  impl->nb = std::move(nb);
  impl->nb_weight = nb_weight;
  impl->nb_calibration = nb_calibration;
  return SentimentModel(std::move(impl));
}

Result<void> SentimentModel::save(const std::string& path) const {
  // The classifier writes its file; it is then rewritten with the sentiment
  // section added to its metadata.
  const std::string part = path + ".classifier.tmp";
  if (auto r = impl_->classifier.save(part); !r) return r;
  Result<void> result;
  {
    auto file = io::ModelFile::open(part, kKind);
    if (!file) {
      std::remove(part.c_str());
      return file.error();
    }
    auto meta = nlohmann::json::parse(file->metadata(), nullptr, false);
    if (!meta.is_object()) meta = nlohmann::json::object();
    // The lowest version the file needs, so it still loads in libraries
    // that know no later one: 2 adds the NB-LR view, 3 short marker names
    // (which an older library would silently read as the long ones).
    const bool with_nb = !impl_->nb.empty();
    const int version = impl_->input.input.short_markers ? 3 : with_nb ? 2 : 1;
    nlohmann::json s{{"version", version}, {"input", input_json(impl_->input.input)}};
    if (!impl_->stacker.empty()) s["stacker"] = impl_->stacker.to_json();
    if (with_nb) {
      s["nb"] = impl_->nb.to_json();
      s["nb"]["weight"] = impl_->nb_weight;
      if (impl_->nb_calibration.held_out > 0)
        s["nb"]["calibration"] = calibration_json(impl_->nb_calibration);
    }
    meta["sentiment"] = std::move(s);
    io::ModelWriter writer(kKind);
    writer.set_metadata(meta.dump());
    for (const auto& t : file->tensors())
      writer.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
    if (with_nb) impl_->nb.add_tensors(writer);
    result = writer.save(path);
  }
  std::remove(part.c_str());
  return result;
}

const ClassifierMetrics& SentimentModel::metrics() const noexcept {
  return impl_->classifier.metrics();
}

const TextClassifier& SentimentModel::classifier() const noexcept {
  return impl_->classifier;
}

bool SentimentModel::stacked() const noexcept {
  return !impl_->stacker.empty();
}

double SentimentModel::nb_weight() const noexcept {
  return impl_->nb.empty() ? 0.0 : static_cast<double>(impl_->nb_weight);
}

const SentimentNbCalibration& SentimentModel::nb_calibration() const noexcept {
  return impl_->nb_calibration;
}

double SentimentModel::validation_accuracy() const noexcept {
  return impl_->validation_accuracy;
}

const char* SentimentModel::kind() const noexcept {
  return kKind;
}

const std::vector<std::string>& SentimentModel::languages() const noexcept {
  const auto& recorded = impl_->classifier.languages();
  return recorded.empty() ? lexicon_languages() : recorded;
}

void SentimentModel::analyze(std::string_view text, const text::TokenizedText& tokens,
                             SentimentResult& out) const {
  // Tokens of other bytes would give evidence offsets into another text.
  if (tokens.source.size() != text.size() ||
      (tokens.source.data() != text.data() && tokens.source != text)) {
    analyze(text, out);
    return;
  }
  analyze_tokens(text, &tokens, out);
}

void SentimentModel::analyze(std::string_view text, SentimentResult& out) const {
  analyze_tokens(text, nullptr, out);
}

void SentimentModel::analyze_tokens(std::string_view text, const text::TokenizedText* tokens,
                                    SentimentResult& out) const {
  const Impl& impl = *impl_;
  detail::LexiconSignals signals;
  const bool explain = impl.input.lexicon.explain;
  std::array<float, 3> p{};
  out.repaired_utf8 = impl.classify(text, tokens, p, signals, explain ? &out.evidence : nullptr);
  if (!explain) out.evidence.clear();
  if (impl.stacker.empty()) {
    out.probabilities = p;
  } else {
    float x[detail::kStackFeatures];
    detail::stack_features(p, signals, impl.input.squash(signals.sum), impl.input.lexicon, x);
    impl.stacker.predict(x, out.probabilities.data());
  }
  // Only a damaged model that passed the loader's checks can give a
  // probability that is not a number in [0, 1]: answer neutral then, never
  // a score outside [-1, 1] (found by fuzz_sentiment_model).
  for (float& v : out.probabilities)
    if (!(v >= 0.0f && v <= 1.0f)) {
      out.probabilities = {0.0f, 1.0f, 0.0f};
      break;
    }
  int best = 1;
  for (int c = 0; c < 3; ++c)
    if (out.probabilities[c] > out.probabilities[best]) best = c;
  out.label = static_cast<SentimentLabel>(best);
  out.score = std::clamp(out.probabilities[2] - out.probabilities[0], -1.0f, 1.0f);
}

} // namespace supportnlp::models
