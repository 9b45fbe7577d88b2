// supportnlp train intent: trains an intent model from labelled TSV/JSONL,
// prints progress per epoch on stderr and a held-out report (JSON) on stdout.
// Skipped input lines are reported with their line number; the exit code is
// then 1 (the model is still written).
#include "command.hpp"
#include "encoder_option.hpp"
#include "options.hpp"
#include "records.hpp"
#include "training_input.hpp"

#include <supportnlp/models/intent/intent.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string train_path, valid_path, output, oos = "oos", languages, encoder_path;
  int threads = 1, seed = 42, buckets_log2 = 20, max_epochs = 40;
  const auto def = models::IntentClassifier::default_options();
  double c = def.c, oos_weight = def.oos_recall_weight, oos_min_recall = def.oos_min_recall,
         oos_keep_accuracy = def.oos_keep_accuracy;
  double word_view_weight = def.word_view_weight, dense_weight = def.dense_weight;
  int dense_view = def.dense_view ? 1 : 0, dense_dim = def.dense_dim;
  bool quiet = false, no_quantize = false, no_oos_class = false, char_across = false,
       no_refit = !def.refit;
  const auto defaults = models::ClassifierTrainOptions::default_features();
  int word_max = defaults.word_max_n, char_min = defaults.char_min_n,
      char_max = defaults.char_max_n;
  Options opts("train intent",
               "--train F [--valid F] --output M [--encoder DIR] [--threads N] [--seed S]\n"
               "Trains an intent classifier on text<TAB>label lines (header optional, extra\n"
               "columns ignored) or JSON Lines {\"text\",\"label\"}. Without --valid, 10% of\n"
               "each label is held out for early stopping and calibration. A label named\n"
               "by --oos-label is the out-of-scope class. With --encoder, the dense view\n"
               "uses that pretrained encoder's sentence vectors (frozen; docs/encoders.md)\n"
               "instead of learning one, and the model needs the same encoder to load.");
  opts.add("--train", &train_path, "training data (TSV or JSONL)")
      .add("--valid", &valid_path, "validation data (optional)")
      .add("--output", &output, "model file to write")
      .add("--threads", &threads, "training threads")
      .add("--seed", &seed, "random seed")
      .add("--c", &c, "SVM cost C")
      .add("--buckets-log2", &buckets_log2, "hash buckets as a power of two")
      .add("--max-epochs", &max_epochs, "maximum epochs")
      .add("--oos-label", &oos, "out-of-scope label (default oos)")
      .add("--languages", &languages,
           "comma-separated ISO 639-1 codes the training data covers, stored in the model "
           "(e.g. en,es,de); the Analyzer answers unsupported_language for others "
           "(default: not recorded, any language)")
      .add("--oos-recall-weight", &oos_weight,
           "weight of oos recall vs in-scope accuracy for the threshold")
      .add("--oos-min-recall", &oos_min_recall,
           "pick the threshold with the best in-scope accuracy among those reaching this "
           "oos recall on validation data (0: use --oos-recall-weight)")
      .add("--oos-keep-accuracy", &oos_keep_accuracy,
           "pick the highest threshold keeping this share of the validation in-scope "
           "accuracy the model has without one (e.g. 0.98; default 0: off)")
      .flag("--no-oos-class", &no_oos_class,
            "no scorer for the oos label: out of scope by the threshold only")
      .add("--word-max", &word_max, "longest word n-gram")
      .add("--char-min", &char_min, "shortest char n-gram")
      .add("--char-max", &char_max, "longest char n-gram")
      .flag("--char-across", &char_across, "also char n-grams across word boundaries")
      .add("--word-view-weight", &word_view_weight,
           "normalise word and char views separately, word view weighted by this (0..1; "
           "negative: one norm over both)")
      .add("--dense-view", &dense_view,
           "1: add the dense view (an encoder learned from the labels, averaged with the "
           "n-gram model); 0: n-grams only")
      .add("--dense-weight", &dense_weight,
           "weight of the dense view in [0, 1]; negative: chosen on validation data")
      .add("--dense-dim", &dense_dim, "vector dimension of the dense view (8..4096)")
      .add("--encoder", &encoder_path,
           "a pretrained encoder for the dense view instead of a learned one: a Hugging Face / "
           "sentence-transformers folder (or an encoder model file); the model records its "
           "fingerprint and loads only with it")
      .flag("--no-refit", &no_refit,
            "keep the early-stopped model instead of retraining on train + valid for the "
            "chosen epochs")
      .flag("--float32", &no_quantize, "store float32 weights instead of int8")
      .flag("--quiet", &quiet, "no progress output");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (train_path.empty() || output.empty()) {
    std::cerr << "supportnlp train intent: --train and --output are required\n";
    return 2;
  }
  if (buckets_log2 < 4 || buckets_log2 > 30) {
    std::cerr << "supportnlp train intent: --buckets-log2 must be in [4, 30]\n";
    return 2;
  }
  auto input = read_training_input("train intent", train_path, valid_path);
  if (!input) return 1;
  const std::uint64_t skipped = input->skipped;
  models::ClassifierTrainOptions o = def;
  o.threads = threads;
  o.seed = static_cast<std::uint64_t>(seed);
  o.c = c;
  o.max_epochs = max_epochs;
  o.features.buckets = 1u << buckets_log2;
  o.oos_label = oos;
  if (!parse_languages("train intent", languages, o.languages)) return 2;
  o.oos_recall_weight = oos_weight;
  o.oos_min_recall = oos_min_recall;
  o.oos_keep_accuracy = oos_keep_accuracy;
  o.oos_as_class = !no_oos_class;
  o.features.word_max_n = word_max;
  o.features.char_min_n = char_min;
  o.features.char_max_n = char_max;
  o.features.char_across_words = char_across;
  o.word_view_weight = word_view_weight;
  o.refit = !no_refit;
  o.dense_view = dense_view != 0;
  o.dense_weight = dense_weight;
  o.dense_dim = dense_dim;
  o.quantize = !no_quantize;
  if (!quiet) o.progress = print_epoch;
  if (!encoder_path.empty()) {
    if (dense_view == 0) {
      std::cerr << "supportnlp train intent: --encoder is the dense view; drop --dense-view 0\n";
      return 2;
    }
    o.encoder = load_encoder_path(encoder_path, "train intent", threads);
    if (!o.encoder) return 1;
  }
  auto model = models::IntentClassifier::train(input->train, input->valid, o);
  if (!model) {
    std::cerr << "supportnlp train intent: " << model.error().message << '\n';
    return 1;
  }
  if (auto r = model->save(output); !r) {
    std::cerr << "supportnlp train intent: " << r.error().message << '\n';
    return 1;
  }
  const auto& m = model->classifier().metrics();
  nlohmann::json report{{"model", output},
                        {"labels", model->labels().size()},
                        {"languages", model->languages()},
                        {"train_examples", m.train_examples},
                        {"validation_examples", m.validation_examples},
                        {"validation_accuracy", m.validation_accuracy},
                        {"validation_ece", m.validation_ece},
                        {"temperature", m.temperature},
                        {"oos_threshold", m.oos_threshold},
                        {"dense_weight", m.dense_weight},
                        {"dense_temperature", m.dense_temperature},
                        {"encoder", model->encoder_fingerprint()},
                        {"epochs", m.epochs},
                        {"best_epoch", m.best_epoch},
                        {"train_seconds", m.train_seconds},
                        {"weight_bytes", model->classifier().weight_bytes()},
                        {"skipped_lines", skipped}};
  write_json_line(std::cout, report);
  return skipped ? 1 : 0;
}

CommandRegistration reg{"train intent", "train an intent classifier from labelled TSV/JSONL", run};

} // namespace
} // namespace supportnlp::cli
