// supportnlp train encoder: learns a StaticEncoder from paraphrase groups
// (TSV text<TAB>label: texts sharing a label are paraphrases) and optional
// text pairs (TSV whose last two columns are the pair, e.g. title<TAB>body).
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/io/records.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>

namespace {

using supportnlp::embed::ParaphraseExample;
using supportnlp::embed::TextPair;

// The comma-separated file names of --train, --pairs, --corpus.
std::vector<std::string> file_list(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t begin = 0; begin <= s.size();) {
    const auto end = std::min(s.find(',', begin), s.size());
    out.push_back(s.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

using Columns = std::vector<std::string_view>;

// Reads TSV rows of at least two columns by the library's TSV reader,
// skipping a header line whose first column is "text", "id" or "title". A
// row whose last two columns are not both non-empty is reported and counted.
int read_tsv(const std::string& path, const std::function<void(Columns&)>& row,
             std::uint64_t& bad) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "supportnlp train encoder: cannot open '" << path << "'\n";
    return 2;
  }
  supportnlp::io::TsvOptions options;
  options.min_columns = 2;
  options.header_names = {"text", "id", "title"};
  bad += supportnlp::io::read_tsv(
      in, options,
      [&](std::uint64_t, Columns& c) {
        if (c[c.size() - 1].empty() || c[c.size() - 2].empty())
          return std::string("expected at least two non-empty tab-separated columns");
        row(c);
        return std::string();
      },
      [&](const supportnlp::io::RecordIssue& issue) {
        std::cerr << path << ':' << issue.line << ": " << issue.message << "; line skipped\n";
      });
  return 0;
}

int run(const supportnlp::cli::Args& args) {
  std::string train, pairs, corpus, output;
  const supportnlp::embed::StaticEncoderTrainOptions def; // --help shows these defaults
  int threads = 1, seed = 1, dim = 256, epochs = def.epochs, max_features = def.max_features,
      batch = def.batch_size;
  double temperature = def.temperature, learning_rate = def.learning_rate;
  bool keep_pc = true, f32 = false, quiet = false;
  supportnlp::cli::Options opts("train encoder", "--train F[,F...] --output M [options]");
  opts.add("--train", &train,
           "TSV text<TAB>label files (comma-separated); labels group paraphrases")
      .add("--pairs", &pairs, "TSV files whose last two columns are a text pair (title<TAB>body)")
      .add("--corpus", &corpus, "TSV files whose last two columns add vocabulary only")
      .add("--output", &output, "model file to write")
      .add("--threads", &threads, "training threads")
      .add("--seed", &seed, "random seed")
      .add("--dim", &dim, "vector dimension")
      .add("--epochs", &epochs, "passes over the data")
      .add("--max-features", &max_features, "feature rows kept")
      .add("--batch", &batch, "pairs per batch")
      .add("--temperature", &temperature, "InfoNCE temperature")
      .add("--lr", &learning_rate, "AdaGrad learning rate")
      .flag("--f32", &f32, "store f32 weights instead of i8")
      .flag("--quiet", &quiet, "no progress on stderr");
  bool no_pc = false;
  opts.flag("--no-pc", &no_pc, "do not remove the first principal component");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  keep_pc = !no_pc;
  if ((train.empty() && pairs.empty()) || output.empty()) {
    std::cerr << "supportnlp train encoder: --train or --pairs, and --output, are required\n";
    return 2;
  }
  supportnlp::embed::StaticEncoderTrainOptions o;
  o.dim = dim;
  o.threads = threads;
  o.seed = static_cast<std::uint64_t>(seed);
  if (epochs >= 0) o.epochs = epochs;
  if (max_features > 0) o.max_features = max_features;
  if (batch > 0) o.batch_size = batch;
  if (temperature > 0) o.temperature = static_cast<float>(temperature);
  if (learning_rate > 0) o.learning_rate = static_cast<float>(learning_rate);
  o.remove_principal_component = keep_pc;
  std::uint64_t bad = 0;
  if (!train.empty())
    for (const auto& f : file_list(train))
      if (int rc = read_tsv(
              f,
              [&](Columns& c) {
                o.examples.push_back({std::string(c[0]), std::string(c[1])});
              },
              bad))
        return rc;
  if (!pairs.empty())
    for (const auto& f : file_list(pairs))
      if (int rc = read_tsv(
              f,
              [&](Columns& c) {
                o.pairs.push_back({std::string(c[c.size() - 2]), std::string(c[c.size() - 1])});
              },
              bad))
        return rc;
  if (!corpus.empty())
    for (const auto& f : file_list(corpus))
      if (int rc = read_tsv(
              f,
              [&](Columns& c) {
                o.corpus.push_back(std::string(c[c.size() - 2]) + " " +
                                   std::string(c[c.size() - 1]));
              },
              bad))
        return rc;
  if (!quiet) {
    std::cerr << "training on " << o.examples.size() << " labelled texts, " << o.pairs.size()
              << " pairs, " << o.corpus.size() << " corpus texts\n";
    o.on_progress = [](const supportnlp::embed::EncoderTrainingProgress& p) {
      std::cerr << "epoch " << p.epoch << '/' << p.epochs << "  loss " << p.loss << "  "
                << p.seconds << " s\n";
    };
  }
  auto encoder = supportnlp::embed::StaticEncoder::train(o);
  if (!encoder) {
    std::cerr << "supportnlp train encoder: " << encoder.error().message << '\n';
    return 1;
  }
  auto saved = encoder->save(output, f32 ? supportnlp::embed::WeightStorage::f32
                                         : supportnlp::embed::WeightStorage::i8);
  if (!saved) {
    std::cerr << "supportnlp train encoder: " << saved.error().message << '\n';
    return 1;
  }
  if (!quiet)
    std::cerr << "wrote " << output << " (" << encoder->features() << " features x "
              << encoder->dim() << ", " << encoder->fingerprint() << ")\n";
  if (bad) {
    std::cerr << "supportnlp train encoder: " << bad << " malformed line(s) skipped\n";
    return 1;
  }
  return 0;
}

supportnlp::cli::CommandRegistration reg{
    "train encoder", "train a compact text encoder on paraphrase groups and text pairs", run};

} // namespace
