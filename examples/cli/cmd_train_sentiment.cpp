// supportnlp train sentiment: trains a sentiment model (classifier plus
// lexicon features) from labelled TSV/JSONL with labels negative, neutral,
// positive; prints progress on stderr and a held-out report (JSON) on stdout.
// Skipped input lines are reported with their line number; the exit code is
// then 1 (the model is still written).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"
#include "training_input.hpp"

#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string train_path, valid_path, output, languages;
  models::SentimentTrainOptions o;
  int threads = 1, seed = 42, buckets_log2 = 20, max_epochs = o.classifier.max_epochs;
  double c = o.classifier.c;
  bool quiet = false, no_quantize = false, across = false;
  bool no_mention_names = false, no_negation_words = false, no_nb_calibration = false;
  int word_max_n = o.classifier.features.word_max_n;
  int char_min_n = o.classifier.features.char_min_n;
  int char_max_n = o.classifier.features.char_max_n;
  Options opts("train sentiment",
               "--train F [--valid F] --output M [--threads N] [--c C]\n"
               "Trains a sentiment model on text<TAB>label lines (labels negative, neutral,\n"
               "positive; header optional) or JSON Lines {\"text\",\"label\"}. Without\n"
               "--valid, 10% of each label is held out for early stopping and calibration.");
  opts.add("--train", &train_path, "training data (TSV or JSONL)")
      .add("--valid", &valid_path, "validation data (optional)")
      .add("--output", &output, "model file to write")
      .add("--threads", &threads, "training threads")
      .add("--seed", &seed, "random seed")
      .add("--c", &c, "SVM cost C")
      .add("--buckets-log2", &buckets_log2, "hash buckets as a power of two")
      .add("--max-epochs", &max_epochs, "maximum epochs")
      .add("--languages", &languages,
           "comma-separated ISO 639-1 codes the training data covers, stored in the model "
           "(e.g. en,es); the Analyzer answers sentiment for other languages with "
           "unsupported_language (default: not recorded: the lexicon's languages)")
      .add("--stack-folds", &o.stack_folds,
           "folds for the stacking regression (default 0 = none; needs --nb-weight 0)")
      .add("--stack-l2", &o.stack_l2, "L2 penalty of the stacking regression")
      .add("--stack-balance", &o.stack_class_balance,
           "class weighting of the stacking regression, 0..1")
      .add("--word-max-n", &word_max_n, "longest word n-gram")
      .add("--word-view-weight", &o.classifier.word_view_weight,
           "weight of the word view against the character view, 0..1 (default: one "
           "vector)")
      .add("--char-min-n", &char_min_n, "shortest character n-gram")
      .add("--char-max-n", &char_max_n, "longest character n-gram")
      .flag("--char-across-words", &across, "character n-grams also across word boundaries")
      .flag("--hashtag-words", &o.input.hashtag_words, "add the words of each hashtag")
      .flag("--mention-names", &o.input.mention_names,
            "one word per @mention naming whom (default)")
      .flag("--no-mention-names", &no_mention_names, "every @mention is the same token")
      .flag("--emoji-names", &o.input.emoji_names, "one word per emoji naming which")
      .flag("--negation-words", &o.input.negation_words,
            "negated copies of the words after a negator (default)")
      .flag("--no-negation-words", &no_negation_words, "no negated copies of words")
      .flag("--short-markers", &o.input.short_markers,
            "four- or five-letter marker words (fewer character n-grams to hash)")
      .flag("--refit", &o.classifier.refit,
            "after early stopping, retrain the classifier on all the data")
      .add("--nb-weight", &o.nb.weight,
           "share of the NB-LR view in the averaged probabilities, 0..1 (default 1: it alone; "
           "0 = off)")
      .add("--nb-word-max-n", &o.nb.features.word_max_n, "NB-LR view: longest word n-gram (3)")
      .add("--nb-char-min-n", &o.nb.features.char_min_n,
           "NB-LR view: shortest character n-gram (2)")
      .add("--nb-char-max-n", &o.nb.features.char_max_n,
           "NB-LR view: longest character n-gram (5; below the shortest: none)")
      .flag("--nb-char-across-words", &o.nb.features.char_across_words,
            "NB-LR view: character n-grams also across word boundaries")
      .add("--nb-l2", &o.nb.l2, "NB-LR view: L2 penalty (0.0001)")
      .add("--nb-epochs", &o.nb.epochs, "NB-LR view: epochs (3)")
      .add("--nb-lr", &o.nb.learning_rate, "NB-LR view: AdaGrad learning rate (0.1)")
      .add("--nb-alpha", &o.nb.alpha, "NB-LR view: smoothing of the ratios (1)")
      .add("--nb-balance", &o.nb.class_balance, "NB-LR view: class weighting, 0..1 (0.3)")
      .add("--nb-bags", &o.nb.bags, "NB-LR view: fits averaged (5)")
      .flag("--no-nb-calibration", &no_nb_calibration,
            "NB-LR view: no temperature scaling (saves one fit of the view without --valid)")
      .flag("--float32", &no_quantize, "store float32 weights instead of int8")
      .flag("--quiet", &quiet, "no progress output");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (train_path.empty() || output.empty()) {
    std::cerr << "supportnlp train sentiment: --train and --output are required\n";
    return 2;
  }
  if (buckets_log2 < 4 || buckets_log2 > 30) {
    std::cerr << "supportnlp train sentiment: --buckets-log2 must be in [4, 30]\n";
    return 2;
  }
  if (!parse_languages("train sentiment", languages, o.classifier.languages)) return 2;
  auto input = read_training_input("train sentiment", train_path, valid_path);
  if (!input) return 1;
  const std::uint64_t skipped = input->skipped;
  if (no_mention_names) o.input.mention_names = false;
  if (no_negation_words) o.input.negation_words = false;
  if (no_nb_calibration) o.nb.calibrate = false;
  o.classifier.threads = threads;
  o.classifier.seed = static_cast<std::uint64_t>(seed);
  o.classifier.c = c;
  o.classifier.max_epochs = max_epochs;
  o.classifier.features.buckets = 1u << buckets_log2;
  o.classifier.quantize = !no_quantize;
  o.classifier.features.word_max_n = word_max_n;
  o.classifier.features.char_min_n = char_min_n;
  o.classifier.features.char_max_n = char_max_n;
  o.classifier.features.char_across_words = across;
  if (!quiet) o.classifier.progress = print_epoch;
  auto model = models::SentimentModel::train(input->train, input->valid, o);
  if (!model) {
    std::cerr << "supportnlp train sentiment: " << model.error().message << '\n';
    return 1;
  }
  if (auto r = model->save(output); !r) {
    std::cerr << "supportnlp train sentiment: " << r.error().message << '\n';
    return 1;
  }
  const auto& m = model->metrics();
  const double share = model->nb_weight();
  const char* decides = model->stacked() ? "stacked"
                        : share >= 1.0   ? "nb"
                        : share > 0.0    ? "average"
                                         : "svm";
  const auto& cal = model->nb_calibration();
  nlohmann::json report{{"model", output},
                        {"decides", decides},
                        {"train_examples", m.train_examples},
                        {"validation_examples", m.validation_examples},
                        {"validation_accuracy", m.validation_accuracy},
                        {"stacked", model->stacked()},
                        {"nb_weight", model->nb_weight()},
                        {"model_validation_accuracy", model->validation_accuracy()},
                        {"validation_ece", m.validation_ece},
                        {"temperature", m.temperature},
                        {"epochs", m.epochs},
                        {"best_epoch", m.best_epoch},
                        {"train_seconds", m.train_seconds},
                        {"weight_bytes", model->classifier().weight_bytes()},
                        {"nb_heldout_from", share <= 0.0          ? "none"
                                            : cal.held_out == 0   ? "none"
                                            : cal.from_validation ? "validation"
                                                                  : "train_split"},
                        {"nb_heldout_examples", cal.held_out},
                        {"nb_heldout_accuracy", cal.accuracy},
                        {"nb_heldout_ece_uncalibrated", cal.ece_uncalibrated},
                        {"nb_heldout_ece", cal.ece},
                        {"nb_temperature", cal.temperature},
                        {"skipped_lines", skipped}};
  write_json_line(std::cout, report);
  return skipped ? 1 : 0;
}

CommandRegistration reg{"train sentiment",
                        "train a sentiment model (classifier + lexicon features) from TSV/JSONL",
                        run};

} // namespace
} // namespace supportnlp::cli
