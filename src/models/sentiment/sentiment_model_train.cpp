// SentimentModel, training and calibration: the classifier over the
// rewritten text plus lexicon markers, the optional stacking regression
// over out-of-fold classifier probabilities, and the NB-LR view with its
// temperature fitted on held-out texts. Loading, saving and inference are in
// sentiment_model.cpp; both share SentimentModel::Impl
// (sentiment_model_impl.hpp).
#include "supportnlp/models/sentiment/sentiment_model.hpp"

#include "models/linear/classifier_impl.hpp"
#include "models/sentiment/sentiment_model_impl.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace supportnlp::models {

namespace {

constexpr const char* kKind = detail::kSentimentKind;

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

} // namespace

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
      auto columns = detail::sentiment_label_columns(c.value(), "training data");
      if (!columns) return columns.error();
      std::array<float, 3> p{};
      for (std::size_t i = 0; i < train_aug.size(); ++i) {
        if (fold[i] != f) continue;
        detail::sentiment_classifier_probabilities(c.value(), columns.value(), train_aug[i].text,
                                                   buffer, p);
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
  auto columns = detail::sentiment_label_columns(classifier.value(), "training data");
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

} // namespace supportnlp::models
