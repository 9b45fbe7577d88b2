// Knowledge-base query latency: hybrid search of the bundled sample KB
// (data/kb, 48 articles) with the bundled encoder, for 300-byte tickets (the
// Analyzer's input: each sample ticket extended with the next until 300
// bytes), top 3, single thread. Arg: 0 = without highlights (the Analyzer's
// default), 1 = with highlights. Each call is timed; p50/p99 are counters
// (microseconds of wall time on a shared machine).
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/search/knowledge_base.hpp"

#include "sample_tickets.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>

namespace {

using supportnlp::search::Article;
using supportnlp::search::KnowledgeBase;

const KnowledgeBase* sample_kb(std::string& error) {
  static std::string load_error;
  static const std::unique_ptr<KnowledgeBase> kb = []() -> std::unique_ptr<KnowledgeBase> {
    auto encoder =
        supportnlp::embed::StaticEncoder::load(SUPPORTNLP_SOURCE_DIR "/data/models/encoder.snlp");
    if (!encoder) {
      load_error = encoder.error().message;
      return nullptr;
    }
    auto created = KnowledgeBase::create(
        std::make_shared<supportnlp::embed::StaticEncoder>(std::move(encoder.value())));
    if (!created) {
      load_error = created.error().message;
      return nullptr;
    }
    std::vector<Article> articles;
    std::ifstream in(SUPPORTNLP_SOURCE_DIR "/data/kb/articles.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) continue;
      articles.push_back(Article{
          j.value("id", ""), j.value("title", ""), j.value("body", ""), j.value("url", ""), {}});
    }
    if (auto r = created->add(articles); !r) {
      load_error = r.error().message;
      return nullptr;
    }
    return std::make_unique<KnowledgeBase>(std::move(created.value()));
  }();
  error = load_error;
  return kb.get();
}

void BM_KbSearch_Sample(benchmark::State& state) {
  std::string error;
  const KnowledgeBase* kb = sample_kb(error);
  if (!kb) return state.SkipWithError(("sample KB: " + error).c_str());
  const auto texts = supportnlp::bench::sample_tickets_300b();
  if (texts.empty()) return state.SkipWithError("data/samples/tickets.jsonl not found");
  supportnlp::search::SearchOptions options;
  options.top_k = 3;
  options.highlight = state.range(0) == 1;
  std::vector<double> micros;
  std::int64_t bytes = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto hits = kb->search(texts[i], options);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(hits.data());
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    bytes += static_cast<std::int64_t>(texts[i].size());
    i = (i + 1) % texts.size();
  }
  std::sort(micros.begin(), micros.end());
  const auto pct = [&](double p) { return micros[std::size_t(p * double(micros.size() - 1))]; };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["passages"] = double(kb->passages());
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_KbSearch_Sample)->ArgName("highlight")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

} // namespace
