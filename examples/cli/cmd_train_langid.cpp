// supportnlp train langid: trains the language identifier on a directory of
// <code>.txt files (one sentence per line; the file stem is the language
// code), prints progress on stderr and the held-out calibration figures
// (JSON) on stdout.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/io/records.hpp>
#include <supportnlp/text/language_identifier.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string train_dir, output, ngram_weights;
  int threads = 1, min_order = 1, max_order = 4, max_word = 24, max_langs = 12, min_count = 2;
  double max_features = 160000, alpha = 1.0, prior_weight = 1.0, word_weight = 1.0;
  int refine_epochs = 0;
  double refine_rate = 0, refine_margin = 0;
  bool quiet = false, unbalanced = false;
  const text::LanguageTrainOptions def;
  min_order = def.min_order;
  max_order = def.max_order;
  max_word = def.max_word_length;
  max_langs = def.max_languages_per_feature;
  min_count = def.min_count;
  max_features = static_cast<double>(def.max_features);
  alpha = def.alpha;
  prior_weight = def.prior_weight;
  word_weight = def.word_weight;
  refine_epochs = def.refine_epochs;
  refine_rate = def.refine_rate;
  refine_margin = def.refine_margin;
  Options opts("train langid",
               "--train-dir DIR [--output F] [--threads N]\n"
               "Trains the language identifier on DIR/<code>.txt (one sentence per line; the\n"
               "file stem is the language code). Prints held-out figures as JSON.");
  opts.add("--train-dir", &train_dir, "directory of <code>.txt files")
      .add("--output", &output, "model file to write (default: langid.snlp)")
      .add("--threads", &threads, "training threads; the file is the same for any")
      .add("--min-order", &min_order, "shortest character n-gram")
      .add("--max-order", &max_order, "longest character n-gram (min-order..5)")
      .add("--max-word-length", &max_word, "whole words up to this many letters are features")
      .add("--max-features", &max_features, "features kept in the table")
      .add("--max-languages", &max_langs, "languages stored per feature")
      .add("--min-count", &min_count, "drop (feature, language) pairs seen fewer times")
      .add("--alpha", &alpha, "additive smoothing")
      .add("--prior-weight", &prior_weight, "weight of the training-size prior")
      .add("--ngram-weights", &ngram_weights,
           "weights of char n-grams of length 1..5, comma-separated (default 0.3,0.6,1,1.5,1.5)")
      .add("--word-weight", &word_weight, "weight of whole-word features")
      .add("--refine-epochs", &refine_epochs,
           "epochs of discriminative refinement of the gains (0: none)")
      .add("--refine-rate", &refine_rate, "refinement step, in gain steps per unit of weight")
      .add("--refine-margin", &refine_margin, "refinement margin (natural log)")
      .flag("--unbalanced", &unbalanced,
            "plain naive-Bayes counts (default: balanced per language)")
      .flag("--quiet", &quiet, "no progress output");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (train_dir.empty()) {
    std::cerr << "supportnlp train langid: --train-dir is required\n";
    return 2;
  }
  if (output.empty()) output = "langid.snlp";
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(train_dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  if (ec || files.empty()) {
    std::cerr << "supportnlp train langid: no <code>.txt files in '" << train_dir << "'\n";
    return exit_runtime;
  }
  std::sort(files.begin(), files.end());
  std::vector<text::LanguageSample> samples;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << "supportnlp train langid: cannot read '" << f.string() << "'\n";
      return exit_runtime;
    }
    const std::string code = f.stem().string();
    // One sentence per line, read by the library's line reader (a trailing
    // '\r' dropped); blank lines are skipped.
    io::LineReader lines(in);
    std::string line;
    while (lines.next(line))
      if (!io::is_blank(line)) samples.push_back({line, code});
  }
  text::LanguageTrainOptions o;
  o.threads = threads;
  o.min_order = min_order;
  o.max_order = max_order;
  o.max_word_length = max_word;
  o.max_features = static_cast<std::size_t>(std::max(1.0, max_features));
  o.max_languages_per_feature = max_langs;
  o.min_count = min_count;
  o.alpha = alpha;
  o.prior_weight = prior_weight;
  o.balanced = !unbalanced;
  o.word_weight = word_weight;
  o.refine_epochs = refine_epochs;
  o.refine_rate = refine_rate;
  o.refine_margin = refine_margin;
  if (!ngram_weights.empty()) {
    std::size_t i = 0, begin = 0;
    for (; i < o.ngram_weights.size() && begin <= ngram_weights.size(); ++i) {
      std::size_t end = ngram_weights.find(',', begin);
      if (end == std::string::npos) end = ngram_weights.size();
      try {
        o.ngram_weights[i] = std::stod(ngram_weights.substr(begin, end - begin));
      } catch (const std::exception&) {
        std::cerr << "supportnlp train langid: bad --ngram-weights '" << ngram_weights << "'\n";
        return 2;
      }
      begin = end + 1;
    }
  }
  if (!quiet)
    o.progress = [](const text::LanguageTrainProgress& p) {
      std::cerr << "train langid: " << p.stage << " done at " << p.seconds << " s\n";
    };
  auto model = text::LanguageIdentifier::train(samples, o);
  if (!model) {
    std::cerr << "supportnlp train langid: " << model.error().message << '\n';
    return 1;
  }
  if (auto r = model->save(output); !r) {
    std::cerr << "supportnlp train langid: " << r.error().message << '\n';
    return 1;
  }
  auto meta = nlohmann::json::parse(model->metadata());
  nlohmann::json report = {{"model", output},
                           {"languages", model->languages().size()},
                           {"samples", samples.size()},
                           {"bytes", std::filesystem::file_size(output, ec)},
                           {"temperature", meta["temperature"]},
                           {"length_exponent", meta["length_exponent"]},
                           {"calibration_holdout", meta["calibration_holdout"]}};
  std::cout << report.dump(2) << '\n';
  return 0;
}

CommandRegistration reg{"train langid", "train the language identifier on <code>.txt files", run};

} // namespace
} // namespace supportnlp::cli
