// SentimentModel: TextClassifier over the text plus lexicon marker tokens.
#include "supportnlp/models/sentiment_model.hpp"

#include "models/lexicon_scorer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace supportnlp::models {

namespace {

// What turns a text into the classifier's input: the lexicon rules whose
// signals become marker tokens.
struct LexiconMarkers {
  LexiconOptions lexicon;
  detail::LexiconScorer scorer;
  text::Tokenizer tokenizer;
};

} // namespace

struct SentimentModel::Impl {
  TextClassifier classifier;
  LexiconMarkers markers;
  std::array<int, 3> column{{-1, -1, -1}}; ///< classifier label index of each SentimentLabel

  Impl(TextClassifier c, const LexiconOptions& lexicon) : classifier(std::move(c)) {
    markers.lexicon = lexicon;
  }
};

namespace {

constexpr const char* kKind = "sentiment";

struct Scratch {
  text::TokenizedText tokens;
  std::string augmented;
  std::vector<float> probabilities;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

void append_bucket(std::string& out, const char* name, int value) {
  out += ' ';
  out += name;
  if (value < 0) {
    out += 'n';
    value = -value;
  }
  out += static_cast<char>('0' + std::min(value, 9));
}

// Appends the lexicon marker tokens of `signals` to `out`. The marker words
// are lower-case ASCII letters and digits so the tokenizer keeps each whole.
void append_markers(const detail::LexiconSignals& s, float score, std::string& out) {
  append_bucket(out, "zzlexscore", static_cast<int>(std::lround(score * 5.0f)));
  append_bucket(out, "zzlexsum", static_cast<int>(std::lround(std::clamp(s.sum, -9.0f, 9.0f))));
  append_bucket(out, "zzlexpos", std::min(s.positive_hits, 3));
  append_bucket(out, "zzlexneg", std::min(s.negative_hits, 3));
  if (s.negated_hits > 0) out += " zzlexnegated";
  if (s.exclamations > 0) out += " zzlexbang";
  if (s.questions > 0) out += " zzlexquestion";
}

// The text followed by its lexicon markers, in `out`; fills `signals` and
// (if not null) the evidence.
void augment(const LexiconMarkers& m, std::string_view text, text::TokenizedText& tokens,
             std::string& out, detail::LexiconSignals& signals,
             std::vector<SentimentEvidence>* evidence) {
  thread_local std::vector<SentimentEvidence> own;
  std::vector<SentimentEvidence>& ev = evidence ? *evidence : own;
  m.tokenizer.tokenize(text, tokens);
  m.scorer.score(tokens, m.lexicon, signals, &ev);
  const float score = signals.sum / std::sqrt(signals.sum * signals.sum + m.lexicon.alpha);
  out.assign(text.data(), text.size());
  append_markers(signals, score, out);
  // One marker per piece of evidence: its strength, and whether it was negated.
  for (const auto& e : ev)
    append_bucket(out, e.negated ? "zzlexevneg" : "zzlexev",
                  static_cast<int>(std::lround(std::clamp(e.contribution, -9.0f, 9.0f))));
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

} // namespace

Result<SentimentModel> SentimentModel::train(const std::vector<LabeledText>& train,
                                             const std::vector<LabeledText>& valid,
                                             const SentimentTrainOptions& options) {
  if (train.empty()) return make_error(ErrorCode::invalid_data, "no training examples");
  LexiconMarkers markers;
  markers.lexicon = options.lexicon;
  detail::LexiconSignals signals;
  text::TokenizedText tokens;
  auto prepare = [&](const std::vector<LabeledText>& in, const char* name,
                     std::vector<LabeledText>& out) -> Result<void> {
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto label = parse_sentiment_label(in[i].label);
      if (!label)
        return make_error(ErrorCode::invalid_data,
                          std::string(name) + " example " + std::to_string(i + 1) + ": label '" +
                              in[i].label + "' is not negative, neutral or positive");
      LabeledText t;
      augment(markers, in[i].text, tokens, t.text, signals, nullptr);
      t.label = to_string(*label);
      out.push_back(std::move(t));
    }
    return {};
  };
  std::vector<LabeledText> train_aug, valid_aug;
  if (auto r = prepare(train, "training", train_aug); !r) return r.error();
  if (auto r = prepare(valid, "validation", valid_aug); !r) return r.error();

  auto classifier = TextClassifier::train(train_aug, valid_aug, options.classifier, kKind);
  if (!classifier) return classifier.error();
  auto columns = label_columns(classifier.value(), "training data");
  if (!columns) return columns.error();
  auto done = std::make_shared<Impl>(std::move(classifier.value()), options.lexicon);
  done->column = columns.value();
  return SentimentModel(std::move(done));
}

Result<SentimentModel> SentimentModel::load(const std::string& path) {
  auto classifier = TextClassifier::load(path, kKind);
  if (!classifier) return classifier.error();
  auto columns = label_columns(classifier.value(), path);
  if (!columns) return columns.error();
  auto impl = std::make_shared<Impl>(std::move(classifier.value()), LexiconOptions{});
  impl->column = columns.value();
  return SentimentModel(std::move(impl));
}

Result<void> SentimentModel::save(const std::string& path) const {
  return impl_->classifier.save(path);
}

const ClassifierMetrics& SentimentModel::metrics() const noexcept {
  return impl_->classifier.metrics();
}

const TextClassifier& SentimentModel::classifier() const noexcept {
  return impl_->classifier;
}

SentimentResult SentimentModel::analyze(std::string_view text) const {
  SentimentResult out;
  analyze(text, out);
  return out;
}

void SentimentModel::analyze(std::string_view text, SentimentResult& out) const {
  const Impl& impl = *impl_;
  Scratch& s = scratch();
  detail::LexiconSignals signals;
  const bool explain = impl.markers.lexicon.explain;
  augment(impl.markers, text, s.tokens, s.augmented, signals, explain ? &out.evidence : nullptr);
  if (!explain) out.evidence.clear();
  s.tokens.source = {};
  s.probabilities.resize(impl.classifier.labels().size());
  out.repaired_utf8 = impl.classifier.probabilities(s.augmented, s.probabilities.data());
  int best = 1;
  float best_p = -1.0f;
  for (int c = 0; c < 3; ++c) {
    const int col = impl.column[c];
    out.probabilities[c] = col >= 0 ? s.probabilities[col] : 0.0f;
    if (out.probabilities[c] > best_p) {
      best_p = out.probabilities[c];
      best = c;
    }
  }
  out.label = static_cast<SentimentLabel>(best);
  out.score = std::clamp(out.probabilities[2] - out.probabilities[0], -1.0f, 1.0f);
}

} // namespace supportnlp::models
