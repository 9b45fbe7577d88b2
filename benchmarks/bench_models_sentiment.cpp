// Throughput of sentiment analysis, single thread, on the airline test
// tweets (short support texts): the lexicon analyzer with and without
// evidence, the tokenizer alone (the share of the time it takes), and the
// learned model against fastText (the peer), both trained here on the airline
// training split; their test accuracy is reported as a counter. Learned
// variants: 0 = defaults (the NB-LR view alone decides), 1 = opt-in stacking,
// 2 = the SVM view alone on the plain input, 3 = SVM and NB-LR views averaged
// (the defaults before this release).
#include <benchmark/benchmark.h>

#include <supportnlp/models/sentiment/sentiment.hpp>
#include <supportnlp/models/sentiment/sentiment_model.hpp>
#include <supportnlp/text/tokenizer.hpp>

#include <fasttext/fasttext.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

// Texts of a text<TAB>label file (header skipped); a fixed set of support
// sentences if the shared data is missing, so the benchmark always runs.
std::string airline(const char* split) {
  return std::string(SUPPORTNLP_SHARED_DIR) + "/datasets/twitter_airline_sentiment/" + split;
}

const std::vector<std::string>& texts() {
  static const std::vector<std::string> cached = [] {
    std::vector<std::string> out;
    std::ifstream in(std::string(SUPPORTNLP_SHARED_DIR) +
                     "/datasets/twitter_airline_sentiment/test.tsv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line))
      out.push_back(line.substr(0, line.rfind('\t')));
    if (out.empty())
      out = {"Still waiting for my refund, third time asking!",
             "No problems at all, thanks for the quick fix :)",
             "The app crashes every time I open it", "where is my order ORD-99812?"};
    return out;
  }();
  return cached;
}

std::size_t total_bytes() {
  std::size_t n = 0;
  for (const auto& t : texts())
    n += t.size();
  return n;
}

void report(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts().size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes()));
}

void BM_LexiconSentiment(benchmark::State& state) {
  supportnlp::models::LexiconOptions options;
  options.explain = state.range(0) != 0;
  const supportnlp::models::LexiconSentiment analyzer(options);
  supportnlp::models::SentimentResult result;
  for (auto _ : state) {
    for (const auto& t : texts()) {
      analyzer.analyze(t, result);
      benchmark::DoNotOptimize(result.score);
    }
  }
  report(state);
}
BENCHMARK(BM_LexiconSentiment)->Arg(1)->Arg(0)->ArgName("explain")->Unit(benchmark::kMillisecond);

// The lexicon rules alone, on texts tokenized beforehand.
void BM_LexiconSentimentPretokenized(benchmark::State& state) {
  const supportnlp::text::Tokenizer tokenizer;
  std::vector<supportnlp::text::TokenizedText> tokenized(texts().size());
  for (std::size_t i = 0; i < texts().size(); ++i)
    tokenizer.tokenize(texts()[i], tokenized[i]);
  const supportnlp::models::LexiconSentiment analyzer;
  supportnlp::models::SentimentResult result;
  for (auto _ : state) {
    for (const auto& t : tokenized) {
      analyzer.analyze(t, result);
      benchmark::DoNotOptimize(result.score);
    }
  }
  report(state);
}
BENCHMARK(BM_LexiconSentimentPretokenized)->Unit(benchmark::kMillisecond);

void BM_TokenizerOnly(benchmark::State& state) {
  supportnlp::text::TokenizerOptions options;
  options.entities = state.range(0) != 0;
  const supportnlp::text::Tokenizer tokenizer(options);
  supportnlp::text::TokenizedText tokens;
  for (auto _ : state) {
    for (const auto& t : texts()) {
      tokenizer.tokenize(t, tokens);
      benchmark::DoNotOptimize(tokens.tokens.data());
    }
  }
  report(state);
}
BENCHMARK(BM_TokenizerOnly)->Arg(1)->Arg(0)->ArgName("entities")->Unit(benchmark::kMillisecond);

} // namespace

namespace {

// Gold labels of the airline test split, parallel to texts().
const std::vector<std::string>& test_labels() {
  static const std::vector<std::string> cached = [] {
    std::vector<std::string> out;
    std::ifstream in(airline("test.tsv"));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line))
      out.push_back(line.substr(line.rfind('\t') + 1));
    return out;
  }();
  return cached;
}

// Variants of the learned model (argument of BM_SentimentModel).
enum Variant : int {
  kDefaults = 0, // the NB-LR view alone decides; mention names, negated words
  kStacked = 1,  // opt-in: all input rewriting, views weighted apart, stacking
  kSvmAlone = 2, // the SVM view alone on the plain input (the defaults before the NB-LR view)
  kTwoViews = 3, // SVM and NB-LR views averaged 50/50 (the previous defaults)
};

std::optional<supportnlp::models::SentimentModel> train_learned(Variant variant) {
  auto data = supportnlp::models::read_labeled_file(airline("train.tsv"), nullptr);
  if (!data) return std::nullopt;
  supportnlp::models::SentimentTrainOptions o;
  o.classifier.threads = 2;
  if (variant == kStacked) {
    o.stack_folds = 5;
    o.input = {true, true, true, true};
    o.nb.weight = 0;
    o.classifier.word_view_weight = 0.5;
  } else if (variant == kSvmAlone) {
    o.input = {false, false, false, false};
    o.nb.weight = 0;
  } else if (variant == kTwoViews) {
    o.nb.weight = 0.5;
  }
  auto m = supportnlp::models::SentimentModel::train(data.value(), {}, o);
  if (!m) return std::nullopt;
  return std::move(m.value());
}

// The learned model of a variant, trained once.
const supportnlp::models::SentimentModel* learned_model(Variant variant) {
  static const auto defaults = train_learned(kDefaults);
  static const auto stacked = train_learned(kStacked);
  static const auto svm_alone = train_learned(kSvmAlone);
  static const auto two_views = train_learned(kTwoViews);
  const auto& m = variant == kStacked    ? stacked
                  : variant == kSvmAlone ? svm_alone
                  : variant == kTwoViews ? two_views
                                         : defaults;
  return m ? &*m : nullptr;
}

// fastText supervised (softmax, word bigrams, 10 epochs) on the same
// training split, as the peer.
const fasttext::FastText* fasttext_model() {
  static const std::unique_ptr<fasttext::FastText> model = []() {
    std::ifstream in(airline("train.tsv"));
    if (!in) return std::unique_ptr<fasttext::FastText>();
    char path[] = "/tmp/snlp_bench_sentiment_XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return std::unique_ptr<fasttext::FastText>();
    close(fd);
    {
      std::ofstream out(path);
      std::string line;
      std::getline(in, line);
      while (std::getline(in, line)) {
        const auto tab = line.rfind('\t');
        out << "__label__" << line.substr(tab + 1) << ' ' << line.substr(0, tab) << '\n';
      }
    }
    fasttext::Args args;
    args.input = path;
    args.model = fasttext::model_name::sup;
    args.loss = fasttext::loss_name::softmax;
    args.epoch = 10;
    args.lr = 0.5;
    args.wordNgrams = 2;
    // fasttext::Args() starts from the unsupervised defaults (char n-grams
    // 3-6); `fasttext supervised` resets them to 0, and that is the peer.
    args.minn = 0;
    args.maxn = 0;
    args.minCount = 1;
    args.thread = 2;
    args.verbose = 0;
    auto ft = std::make_unique<fasttext::FastText>();
    ft->train(args);
    std::remove(path);
    return ft;
  }();
  return model.get();
}

void BM_SentimentModel(benchmark::State& state) {
  const auto* model = learned_model(static_cast<Variant>(state.range(0)));
  if (model == nullptr) {
    state.SkipWithError("airline training split not found");
    return;
  }
  supportnlp::models::SentimentResult result;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < texts().size(); ++i) {
    model->analyze(texts()[i], result);
    correct += i < test_labels().size() && test_labels()[i] == to_string(result.label);
  }
  for (auto _ : state) {
    for (const auto& t : texts()) {
      model->analyze(t, result);
      benchmark::DoNotOptimize(result.score);
    }
  }
  report(state);
  state.counters["test_accuracy"] = double(correct) / double(texts().size());
}
BENCHMARK(BM_SentimentModel)
    ->Arg(kDefaults)
    ->Arg(kStacked)
    ->Arg(kSvmAlone)
    ->Arg(kTwoViews)
    ->ArgName("variant")
    ->Unit(benchmark::kMillisecond);

void BM_FastTextPeer(benchmark::State& state) {
  const auto* ft = fasttext_model();
  if (ft == nullptr) {
    state.SkipWithError("airline training split not found");
    return;
  }
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < texts().size(); ++i) {
    std::istringstream in(texts()[i] + "\n");
    ft->predictLine(in, predictions, 1, 0.0);
    correct += !predictions.empty() && i < test_labels().size() &&
               predictions[0].second == "__label__" + test_labels()[i];
  }
  for (auto _ : state) {
    for (const auto& t : texts()) {
      std::istringstream in(t);
      ft->predictLine(in, predictions, 1, 0.0);
      benchmark::DoNotOptimize(predictions.data());
    }
  }
  report(state);
  state.counters["test_accuracy"] = double(correct) / double(texts().size());
}
BENCHMARK(BM_FastTextPeer)->Unit(benchmark::kMillisecond);

} // namespace
