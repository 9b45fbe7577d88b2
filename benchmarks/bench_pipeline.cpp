// Pipeline benchmarks: PII detection and urgency rules on the sample tickets
// (data/samples/tickets.jsonl), reported as tickets/s and bytes/s, and PII
// detection on adversarial input. Peer, in the same binary: the usual regex
// approach — ICU RegexMatcher (already a dependency) with one pattern per
// kind, plus the same Luhn and mod-97 checks on its matches.
#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/models/sentiment/sentiment.hpp>
#include <supportnlp/pipeline/analyzer.hpp>
#include <supportnlp/rules/pii.hpp>
#include <supportnlp/rules/urgency.hpp>
#include <supportnlp/search/knowledge_base.hpp>
#include <supportnlp/text/normalizer.hpp>
#include <supportnlp/text/tokenizer.hpp>

#include "sample_tickets.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <time.h>

namespace {

using supportnlp::rules::PiiDetector;
using supportnlp::rules::PiiSpan;
using supportnlp::rules::UrgencyRules;

const std::vector<std::string>& tickets() {
  return supportnlp::bench::sample_tickets();
}

// CPU time of the calling thread, in microseconds.
double thread_cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) * 1e-3;
}

std::int64_t total_bytes(const std::vector<std::string>& texts) {
  std::int64_t n = 0;
  for (const auto& t : texts)
    n += std::int64_t(t.size());
  return n;
}

void BM_PiiDetect_Tickets(benchmark::State& state) {
  const auto& texts = tickets();
  if (texts.empty()) return state.SkipWithError("data/samples/tickets.jsonl not found");
  const PiiDetector detector;
  std::vector<PiiSpan> spans;
  std::size_t found = 0;
  for (auto _ : state) {
    for (const auto& t : texts) {
      detector.detect(t, spans);
      found += spans.size();
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(texts.size()));
  state.SetBytesProcessed(state.iterations() * total_bytes(texts));
  state.counters["spans_per_pass"] = double(found) / double(state.iterations());
}
BENCHMARK(BM_PiiDetect_Tickets);

void BM_PiiRedact_Tickets(benchmark::State& state) {
  const auto& texts = tickets();
  if (texts.empty()) return state.SkipWithError("data/samples/tickets.jsonl not found");
  const PiiDetector detector;
  for (auto _ : state) {
    for (const auto& t : texts)
      benchmark::DoNotOptimize(detector.redact(t));
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(texts.size()));
  state.SetBytesProcessed(state.iterations() * total_bytes(texts));
}
BENCHMARK(BM_PiiRedact_Tickets);

// The peer: one ICU regex per kind, run one after another, as a typical
// regex-based redactor does; card and IBAN matches are checksum-filtered so
// both sides do the same validation work.
class IcuRegexPii {
public:
  IcuRegexPii() {
    const char* patterns[] = {
        R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
        R"(\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b)",
        R"(\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}\b)",
        R"(\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b)",
        R"(\b(?:\d[ -]?){12,18}\d\b)",
        R"((?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}[ .-]\d{2,4}(?:[ .-]\d{2,4})?)",
    };
    for (const char* p : patterns) {
      UErrorCode status = U_ZERO_ERROR;
      matchers_.emplace_back(
          std::make_unique<icu::RegexMatcher>(icu::UnicodeString::fromUTF8(p), 0, status));
      if (U_FAILURE(status)) ok_ = false;
    }
  }
  bool ok() const { return ok_; }

  // Not thread-safe (matchers hold state), like most regex redactors.
  std::size_t detect(const std::string& text) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    std::size_t found = 0;
    for (std::size_t k = 0; k < matchers_.size(); ++k) {
      UErrorCode status = U_ZERO_ERROR;
      auto& m = *matchers_[k];
      m.reset(u);
      while (m.find(status) && U_SUCCESS(status)) {
        if (k == 3 || k == 4) {
          std::string s;
          m.group(status).toUTF8String(s);
          if (k == 3 ? !supportnlp::rules::iban_valid(s) : !supportnlp::rules::luhn_valid(s))
            continue;
        }
        ++found;
      }
    }
    return found;
  }

private:
  std::vector<std::unique_ptr<icu::RegexMatcher>> matchers_;
  bool ok_ = true;
};

void BM_Peer_IcuRegexPii_Tickets(benchmark::State& state) {
  const auto& texts = tickets();
  if (texts.empty()) return state.SkipWithError("data/samples/tickets.jsonl not found");
  IcuRegexPii peer;
  if (!peer.ok()) return state.SkipWithError("ICU regex did not compile");
  std::size_t found = 0;
  for (auto _ : state) {
    for (const auto& t : texts)
      found += peer.detect(t);
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(texts.size()));
  state.SetBytesProcessed(state.iterations() * total_bytes(texts));
  state.counters["spans_per_pass"] = double(found) / double(state.iterations());
}
BENCHMARK(BM_Peer_IcuRegexPii_Tickets);

// Adversarial and bulk input, 1 MiB each: digits, separated digits, a
// PII-dense log, and the tickets concatenated.
std::string make_input(int which) {
  std::string s;
  const std::size_t n = 1 << 20;
  switch (which) {
  case 0:
    s.assign(n, '7');
    break;
  case 1:
    while (s.size() < n)
      s += "12 34-56.78 ";
    break;
  case 2:
    while (s.size() < n)
      s += "user bob@x.com from 10.0.0.1 card 4111 1111 1111 1111 tel +44 20 7946 0958\n";
    break;
  default:
    while (s.size() < n)
      for (const auto& t : tickets())
        s += t + "\n";
    break;
  }
  return s;
}

void BM_PiiDetect_1MiB(benchmark::State& state) {
  const std::string text = make_input(int(state.range(0)));
  const PiiDetector detector;
  std::vector<PiiSpan> spans;
  for (auto _ : state) {
    detector.detect(text, spans);
    benchmark::DoNotOptimize(spans.data());
  }
  state.SetBytesProcessed(state.iterations() * std::int64_t(text.size()));
  state.counters["spans"] = double(spans.size());
}
BENCHMARK(BM_PiiDetect_1MiB)
    ->ArgName("input")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMillisecond);

void BM_Peer_IcuRegexPii_1MiB(benchmark::State& state) {
  const std::string text = make_input(int(state.range(0)));
  IcuRegexPii peer;
  std::size_t found = 0;
  for (auto _ : state)
    found = peer.detect(text);
  state.SetBytesProcessed(state.iterations() * std::int64_t(text.size()));
  state.counters["spans"] = double(found);
}
BENCHMARK(BM_Peer_IcuRegexPii_1MiB)
    ->ArgName("input")
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMillisecond);

void BM_UrgencyAssess_Tickets(benchmark::State& state) {
  const auto& texts = tickets();
  if (texts.empty()) return state.SkipWithError("data/samples/tickets.jsonl not found");
  const UrgencyRules rules;
  for (auto _ : state) {
    for (const auto& t : texts)
      benchmark::DoNotOptimize(rules.assess(t, -0.2));
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(texts.size()));
  state.SetBytesProcessed(state.iterations() * total_bytes(texts));
}
BENCHMARK(BM_UrgencyAssess_Tickets);

const std::vector<std::string>& tickets300() {
  return supportnlp::bench::sample_tickets_300b();
}

// The issue's latency target: one 300-byte ticket through the whole
// Analyzer (bundle from data/), single thread. Each call is timed and the
// p50/p99 of all calls are reported as counters (microseconds).
// Arg mode: 1 = everything (the issue's configuration), 0 = without
// knowledge-base search, 2 = everything but the intent explanation, to show
// what each part costs.
void BM_Analyze_Ticket300B(benchmark::State& state) {
  supportnlp::pipeline::AnalyzerOptions options;
  options.kb_top_k = state.range(0) >= 1 ? 3 : 0;
  options.intent_evidence = state.range(0) == 2 ? 0 : options.intent_evidence;
  auto analyzer =
      supportnlp::pipeline::Analyzer::open_directory(SUPPORTNLP_SOURCE_DIR "/data", options);
  if (!analyzer) return state.SkipWithError(analyzer.error().message.c_str());
  const auto& texts = tickets300();
  if (texts.empty()) return state.SkipWithError("no sample tickets");
  supportnlp::pipeline::TicketAnalysis out;
  std::vector<double> micros, cpu_micros;
  std::vector<double> fastest(texts.size(), 1e300); // per ticket, CPU us
  std::size_t i = 0;
  for (auto _ : state) {
    const double c0 = thread_cpu_micros();
    const auto t0 = std::chrono::steady_clock::now();
    analyzer->analyze(texts[i], out);
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = thread_cpu_micros();
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    cpu_micros.push_back(c1 - c0);
    fastest[i] = std::min(fastest[i], c1 - c0);
    benchmark::DoNotOptimize(out.urgency.points);
    i = (i + 1) % texts.size();
  }
  const auto pct = [](std::vector<double>& v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::size_t(p * double(v.size() - 1))];
  };
  // Wall-clock percentiles are the issue's measure; on a shared machine a
  // call preempted by another process shows up in them, so the thread's own
  // CPU time per call is reported beside them (cpu_p50_us, cpu_p99_us).
  state.counters["p50_us"] = pct(micros, 0.50);
  state.counters["p99_us"] = pct(micros, 0.99);
  state.counters["cpu_p50_us"] = pct(cpu_micros, 0.50);
  state.counters["cpu_p99_us"] = pct(cpu_micros, 0.99);
  // The slowest ticket's fastest call: what the text itself costs at worst,
  // free of preemption and of caches cooled by other processes.
  double worst = 0;
  for (double f : fastest)
    if (f < 1e300) worst = std::max(worst, f);
  state.counters["worst_ticket_min_cpu_us"] = worst;
  state.counters["kb_articles"] = double(analyzer->kb_articles());
  state.counters["kb_dense"] = analyzer->kb_dense() ? 1 : 0;
  state.counters["intent"] = analyzer->has_intent() ? 1 : 0;
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 300);
}
BENCHMARK(BM_Analyze_Ticket300B)
    ->ArgName("mode")
    ->Arg(1)
    ->Arg(0)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond);

// What each stage of the Analyzer costs on the same 300-byte tickets, each
// component called on its own as the Analyzer calls it (thread CPU time per
// ticket in cpu_us). Arg stage: 0 normalize, 1 sentiment, 2 intent with
// explanation, 3 urgency, 4 KB search (hybrid, top 3), 5 PII redaction,
// 6 the ticket's one tokenization. Stages 1, 2 and 4 read the tokens of
// stage 6 (made outside the timed part), as in the Analyzer.
void BM_AnalyzerStage_Ticket300B(benchmark::State& state) {
  const int stage = int(state.range(0));
  const std::string data = SUPPORTNLP_SOURCE_DIR "/data";
  const auto& texts = tickets300();
  if (texts.empty()) return state.SkipWithError("no sample tickets");
  const supportnlp::text::Normalizer normalizer{supportnlp::text::NormalizationForm::nfkc_casefold};
  const supportnlp::models::LexiconSentiment sentiment;
  const UrgencyRules urgency;
  const PiiDetector pii;
  std::optional<supportnlp::models::IntentClassifier> intent;
  std::optional<supportnlp::search::KnowledgeBase> kb;
  if (stage == 2) {
    auto m = supportnlp::models::IntentClassifier::load(data + "/models/intent.snlp");
    if (!m) return state.SkipWithError(m.error().message.c_str());
    intent.emplace(std::move(m).value());
  }
  if (stage == 4) {
    auto enc = supportnlp::embed::StaticEncoder::load(data + "/models/encoder.snlp");
    if (!enc) return state.SkipWithError(enc.error().message.c_str());
    auto k = supportnlp::search::KnowledgeBase::create(
        std::make_shared<supportnlp::embed::StaticEncoder>(std::move(enc).value()));
    if (!k) return state.SkipWithError(k.error().message.c_str());
    std::ifstream in(data + "/kb/articles.jsonl");
    std::string line;
    std::vector<supportnlp::search::Article> articles;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) continue;
      supportnlp::search::Article a;
      a.id = j.value("id", "");
      a.title = j.value("title", "");
      a.body = j.value("body", "");
      a.url = j.value("url", "");
      articles.push_back(std::move(a));
    }
    if (auto added = k->add(articles); !added) return state.SkipWithError("KB articles rejected");
    kb.emplace(std::move(k).value());
  }
  std::string normalized;
  const supportnlp::text::Tokenizer tokenizer;
  supportnlp::text::TokenizedText tokens;
  supportnlp::models::SentimentResult sr;
  supportnlp::models::Explanation why;
  supportnlp::rules::UrgencyAssessment ua;
  supportnlp::rules::RedactedText rt;
  supportnlp::search::SearchOptions so;
  so.top_k = 3;
  so.highlight = false;
  std::size_t i = 0;
  double cpu = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    if (stage != 6) tokenizer.tokenize(t, tokens);
    const double c0 = thread_cpu_micros();
    switch (stage) {
    case 0:
      normalized.clear();
      normalizer.append_normalized(t, normalized);
      break;
    case 1:
      sentiment.analyze(tokens, sr);
      break;
    case 2:
      benchmark::DoNotOptimize(intent->classify_explained(tokens, 3, 3, why));
      break;
    case 3:
      urgency.assess(t, -0.5, ua);
      break;
    case 4:
      benchmark::DoNotOptimize(kb->search(tokens, so));
      break;
    case 5:
      pii.redact(t, rt);
      break;
    default:
      tokenizer.tokenize(t, tokens);
      break;
    }
    cpu += thread_cpu_micros() - c0;
    i = (i + 1) % texts.size();
  }
  state.counters["cpu_us"] = cpu / double(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 300);
}
BENCHMARK(BM_AnalyzerStage_Ticket300B)
    ->ArgName("stage")
    ->DenseRange(0, 6)
    ->Unit(benchmark::kMicrosecond);

} // namespace
