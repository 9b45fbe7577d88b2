// Throughput of sentiment analysis, single thread, on the airline test
// tweets (short support texts): the lexicon analyzer with and without
// evidence, and the tokenizer alone (the share of the time it takes).
#include <benchmark/benchmark.h>

#include <supportnlp/models/sentiment.hpp>
#include <supportnlp/text/tokenizer.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace {

// Texts of a text<TAB>label file (header skipped); a fixed set of support
// sentences if the shared data is missing, so the benchmark always runs.
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
