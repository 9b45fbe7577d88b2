// SentimentModel: TextClassifier over the rewritten text plus lexicon marker
// tokens, optionally followed by a stacking regression over the classifier's
// probabilities and the lexicon's signals.
//
// File layout: the classifier's own file (kind "sentiment"), with one more
// metadata object, "sentiment", holding the input options and the stacker
// or the NB-LR view (its options, bias, weight, temperature and calibration
// record; its weights are tensors). Files written before stacking lack it
// and load as a plain classifier with the old input (no rewriting); NB-LR
// views written before calibration have no temperature and load at 1.
#include "supportnlp/models/sentiment/sentiment_model.hpp"

#include "models/linear/classifier_impl.hpp"
#include "models/sentiment/sentiment_input.hpp"
#include "models/sentiment/sentiment_nb.hpp"
#include "models/sentiment/sentiment_stacker.hpp"

#include "io/checked_fields.hpp"
#include "supportnlp/io/model_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

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

  // Classifier probabilities by SentimentLabel, and the lexicon signals.
  bool classify(std::string_view text, std::array<float, 3>& p, detail::LexiconSignals& signals,
                std::vector<SentimentEvidence>* evidence) const;
};

namespace {

constexpr const char* kKind = "sentiment";

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

Result<std::array<int, 3>> label_columns(const TextClassifier& c, const std::string& where) {
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

// Probabilities of `c` for an already built input, by SentimentLabel.
bool classifier_probabilities(const TextClassifier& c, const std::array<int, 3>& column,
                              std::string_view input, std::vector<float>& buffer,
                              std::array<float, 3>& p) {
  buffer.resize(c.labels().size());
  const bool repaired = c.probabilities(input, buffer.data());
  for (int k = 0; k < 3; ++k)
    p[k] = column[k] >= 0 ? buffer[column[k]] : 0.0f;
  return repaired;
}

// Stratified fold of each example (0 .. folds-1), deterministic for a seed.
std::vector<int> assign_folds(const std::vector<int>& labels, int folds, std::uint64_t seed) {
  std::vector<int> fold(labels.size(), 0);
  for (int c = 0; c < 3; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == c) members.push_back(i);
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(c) + 1);
    std::shuffle(members.begin(), members.end(), rng);
    for (std::size_t j = 0; j < members.size(); ++j)
      fold[members[j]] = static_cast<int>(j % static_cast<std::size_t>(folds));
  }
  return fold;
}

// Fits the NB-LR view's temperature on held-out classifier inputs `texts`
// (labels `y`), scored by `view` (which must not have been trained on them).
SentimentNbCalibration calibrate_nb(const detail::NbView& view,
                                    const std::vector<std::string>& texts,
                                    const std::vector<int>& y) {
  SentimentNbCalibration cal;
  if (texts.empty()) return cal;
  const std::size_t n = texts.size();
  std::vector<float> logits(n * 3);
  std::vector<std::uint32_t> gold(n);
  detail::NbScratch scratch;
  for (std::size_t i = 0; i < n; ++i) {
    view.logits(texts[i], scratch, logits.data() + i * 3);
    gold[i] = static_cast<std::uint32_t>(y[i]);
  }
  // The same bounds as the classifier's temperature.
  cal.temperature = fit_temperature(logits, gold, 3, 0.05, 5.0);
  cal.held_out = n;
  // Confidence and correctness at temperature t (the argmax does not move).
  auto ece_at = [&](double t, std::size_t* correct_count) {
    std::vector<float> conf(n);
    std::vector<char> correct(n);
    for (std::size_t i = 0; i < n; ++i) {
      const float* z = logits.data() + i * 3;
      int best = 0;
      for (int c = 1; c < 3; ++c)
        if (z[c] > z[best]) best = c;
      double total = 0;
      for (int c = 0; c < 3; ++c)
        total += std::exp((double(z[c]) - z[best]) / t);
      conf[i] = static_cast<float>(1.0 / total);
      correct[i] = best == y[i];
      if (correct_count) *correct_count += correct[i];
    }
    return expected_calibration_error(conf, correct);
  };
  std::size_t ok = 0;
  cal.ece_uncalibrated = ece_at(1.0, &ok);
  cal.accuracy = double(ok) / double(n);
  cal.ece = ece_at(cal.temperature, nullptr);
  return cal;
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

bool SentimentModel::Impl::classify(std::string_view text, std::array<float, 3>& p,
                                    detail::LexiconSignals& signals,
                                    std::vector<SentimentEvidence>* evidence) const {
  Scratch& s = scratch();
  input.build(text, s.tokens, s.augmented, signals, evidence);
  // With the NB-LR view's share at 1 the SVM view is not scored at all.
  const bool svm = nb.empty() || nb_weight < 1.0f;
  bool repaired = s.tokens.repaired_utf8;
  if (svm) repaired = classifier_probabilities(classifier, column, s.augmented, s.probabilities, p);
  if (!nb.empty()) {
    // The NB-LR view reads the same input: its tokens are the text's,
    // already made for the lexicon, plus the marker words'.
    input.extend_tokens(s.augmented, text.size(), s.tokens, s.tail);
    float q[3];
    nb.probabilities(s.tokens, s.nb_features, q);
    for (int c = 0; c < 3; ++c)
      p[c] = svm ? (1.0f - nb_weight) * p[c] + nb_weight * q[c] : q[c];
  }
  s.tokens.source = {}; // no view of the caller's text outlives the call
  return repaired;
}

Result<SentimentModel> SentimentModel::train(const std::vector<LabeledText>& train,
                                             const std::vector<LabeledText>& valid,
                                             const SentimentTrainOptions& options) {
  if (train.empty()) return make_error(ErrorCode::invalid_data, "no training examples");
  if (!(options.nb.weight >= 0.0 && options.nb.weight <= 1.0))
    return make_error(ErrorCode::invalid_argument, "nb.weight must be in [0, 1]");
  if (options.nb.weight > 0.0 && options.stack_folds >= 2)
    return make_error(ErrorCode::invalid_argument,
                      "the NB-LR view (nb.weight > 0) cannot be combined with stacking");
  detail::SentimentInput input;
  input.lexicon = options.lexicon;
  input.input = options.input;
  text::TokenizedText tokens;
  std::vector<detail::LexiconSignals> train_signals;
  std::vector<int> train_labels, valid_labels;
  auto prepare = [&](const std::vector<LabeledText>& in, const char* name,
                     std::vector<LabeledText>& out, std::vector<int>& labels,
                     std::vector<detail::LexiconSignals>* signals) -> Result<void> {
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto label = parse_sentiment_label(in[i].label);
      if (!label)
        return make_error(ErrorCode::invalid_data,
                          std::string(name) + " example " + std::to_string(i + 1) + ": label '" +
                              in[i].label + "' is not negative, neutral or positive");
      LabeledText t;
      detail::LexiconSignals sig;
      input.build(in[i].text, tokens, t.text, sig, nullptr);
      t.label = to_string(*label);
      out.push_back(std::move(t));
      labels.push_back(static_cast<int>(*label));
      if (signals) signals->push_back(sig);
    }
    return {};
  };
  std::vector<LabeledText> train_aug, valid_aug;
  if (auto r = prepare(train, "training", train_aug, train_labels, &train_signals); !r)
    return r.error();
  if (auto r = prepare(valid, "validation", valid_aug, valid_labels, nullptr); !r) return r.error();

  // Out-of-fold classifier probabilities for the stacker.
  detail::Stacker stacker;
  if (options.stack_folds >= 2) {
    const int folds = options.stack_folds;
    const auto fold = assign_folds(train_labels, folds, options.classifier.seed);
    std::vector<float> x(train_aug.size() * detail::kStackFeatures);
    ClassifierTrainOptions fold_options = options.classifier;
    fold_options.progress = nullptr;
    std::vector<float> buffer;
    for (int f = 0; f < folds; ++f) {
      std::vector<LabeledText> part;
      for (std::size_t i = 0; i < train_aug.size(); ++i)
        if (fold[i] != f) part.push_back(train_aug[i]);
      auto c = TextClassifier::train(part, {}, fold_options, kKind);
      if (!c) return c.error();
      auto columns = label_columns(c.value(), "training data");
      if (!columns) return columns.error();
      std::array<float, 3> p{};
      for (std::size_t i = 0; i < train_aug.size(); ++i) {
        if (fold[i] != f) continue;
        classifier_probabilities(c.value(), columns.value(), train_aug[i].text, buffer, p);
        detail::stack_features(p, train_signals[i], input.squash(train_signals[i].sum),
                               input.lexicon, x.data() + i * detail::kStackFeatures);
      }
    }
    detail::StackerOptions so;
    so.l2 = options.stack_l2;
    so.class_balance = options.stack_class_balance;
    stacker = detail::fit_stacker(x, train_labels, so);
  }

  auto classifier = TextClassifier::train(train_aug, valid_aug, options.classifier, kKind);
  if (!classifier) return classifier.error();
  auto columns = label_columns(classifier.value(), "training data");
  if (!columns) return columns.error();
  auto done = std::make_shared<Impl>(std::move(classifier.value()), options.lexicon, options.input);
  done->column = columns.value();
  done->stacker = std::move(stacker);
  if (options.nb.weight > 0.0) {
    std::vector<std::string> texts;
    texts.reserve(train_aug.size());
    for (const auto& t : train_aug)
      texts.push_back(t.text);
    done->nb = detail::fit_nb_view(texts, train_labels, options.nb, options.classifier.seed);
    done->nb_weight = static_cast<float>(options.nb.weight);
    if (options.nb.calibrate) {
      SentimentNbCalibration cal;
      if (!valid_aug.empty()) {
        // The stored view never saw the validation texts: fit on its logits.
        std::vector<std::string> held;
        held.reserve(valid_aug.size());
        for (const auto& t : valid_aug)
          held.push_back(t.text);
        cal = calibrate_nb(done->nb, held, valid_labels);
        cal.from_validation = true;
      } else if (options.classifier.validation_fraction > 0) {
        // The classifier's own held-out split (same fraction and seed): a
        // view trained on the rest scores it. The stored view above stays
        // the one trained on everything.
        std::vector<LabeledText> rest, held;
        stratified_split(train_aug, options.classifier.validation_fraction, options.classifier.seed,
                         rest, held);
        auto texts_labels = [](const std::vector<LabeledText>& part, std::vector<std::string>& t,
                               std::vector<int>& y) {
          for (const auto& e : part) {
            t.push_back(e.text);
            y.push_back(static_cast<int>(*parse_sentiment_label(e.label)));
          }
        };
        std::vector<std::string> rest_texts, held_texts;
        std::vector<int> rest_y, held_y;
        texts_labels(rest, rest_texts, rest_y);
        texts_labels(held, held_texts, held_y);
        if (!rest_texts.empty() && !held_texts.empty()) {
          rest.clear();
          held.clear();
          const auto part_view =
              detail::fit_nb_view(rest_texts, rest_y, options.nb, options.classifier.seed);
          cal = calibrate_nb(part_view, held_texts, held_y);
        }
      }
      done->nb.temperature = static_cast<float>(cal.temperature);
      cal.temperature = done->nb.temperature; // as stored
      done->nb_calibration = cal;
    }
  }
  SentimentModel model(done);
  if (!valid.empty()) {
    std::size_t ok = 0;
    SentimentResult r;
    for (std::size_t i = 0; i < valid.size(); ++i) {
      model.analyze(valid[i].text, r);
      ok += static_cast<int>(r.label) == valid_labels[i];
    }
    done->validation_accuracy = double(ok) / double(valid.size());
  }
  return model;
}

Result<SentimentModel> SentimentModel::load(const std::string& path) {
  auto classifier = TextClassifier::load(path, kKind);
  if (!classifier) return classifier.error();
  auto columns = label_columns(classifier.value(), path);
  if (!columns) return columns.error();
  auto file = io::ModelFile::open(path, kKind);
  if (!file) return file.error();
  auto parsed = io::detail::parse_metadata(file.value());
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
      auto v = detail::NbView::load(sj["nb"], file.value(), path);
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

SentimentResult SentimentModel::analyze(std::string_view text) const {
  SentimentResult out;
  analyze(text, out);
  return out;
}

void SentimentModel::analyze(std::string_view text, SentimentResult& out) const {
  const Impl& impl = *impl_;
  detail::LexiconSignals signals;
  const bool explain = impl.input.lexicon.explain;
  std::array<float, 3> p{};
  out.repaired_utf8 = impl.classify(text, p, signals, explain ? &out.evidence : nullptr);
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
