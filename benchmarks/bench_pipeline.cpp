// Pipeline benchmarks: PII detection and urgency rules on the sample tickets
// (data/samples/tickets.jsonl), reported as tickets/s and bytes/s, and PII
// detection on adversarial input. Peer, in the same binary: the usual regex
// approach — ICU RegexMatcher (already a dependency) with one pattern per
// kind, plus the same Luhn and mod-97 checks on its matches.
#include <supportnlp/pipeline/analyzer.hpp>
#include <supportnlp/pipeline/pii.hpp>
#include <supportnlp/pipeline/urgency.hpp>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

using supportnlp::pipeline::PiiDetector;
using supportnlp::pipeline::PiiSpan;
using supportnlp::pipeline::UrgencyRules;

const std::vector<std::string>& tickets() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    std::ifstream in(SUPPORTNLP_SOURCE_DIR "/data/samples/tickets.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("text") && j["text"].is_string())
        out.push_back(j["text"].get<std::string>());
    }
    return out;
  }();
  return texts;
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
          if (k == 3 ? !supportnlp::pipeline::iban_valid(s) : !supportnlp::pipeline::luhn_valid(s))
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
  // 300-byte tickets: each sample ticket extended with the next until 300 bytes.
  std::vector<std::string> texts;
  const auto& all = tickets();
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::string t = all[i];
    for (std::size_t k = i + 1; t.size() < 300; ++k)
      t += " " + all[k % all.size()];
    std::size_t cut = 300;
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80)
      --cut;
    texts.push_back(t.substr(0, cut));
  }
  if (texts.empty()) return state.SkipWithError("no sample tickets");
  supportnlp::pipeline::TicketAnalysis out;
  std::vector<double> micros;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    analyzer->analyze(texts[i], out);
    const auto t1 = std::chrono::steady_clock::now();
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    benchmark::DoNotOptimize(out.urgency.points);
    i = (i + 1) % texts.size();
  }
  std::sort(micros.begin(), micros.end());
  const auto pct = [&](double p) { return micros[std::size_t(p * double(micros.size() - 1))]; };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
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

} // namespace
