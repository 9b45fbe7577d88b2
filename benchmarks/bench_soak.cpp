// Soak and concurrency run of the Analyzer (issue 15). Not a Google
// Benchmark program: it checks two properties and exits non-zero when one
// fails, and scripts/soak.sh runs it.
//
//   bench_soak [--tickets N] [--sample-every N] [--warmup N] [--tolerance F] [--csv FILE]
//     Soak: Analyzer::analyze on N generated tickets (default 1,000,000;
//     bench_soak_tickets.hpp), one thread. Samples the resident set size
//     (/proc/self/statm) every --sample-every tickets and checks that every
//     sample after the warm-up (default: the first 10% of tickets) stays
//     within --tolerance (default 0.10) of the sample taken at the end of the
//     warm-up, and that every ticket in gave one well-formed JSON analysis
//     out carrying its id.
//
//   bench_soak --threads T [--seconds S] [--distinct K]
//     Concurrency: one Analyzer and one each of the C API's analyzer,
//     tokenizer, PII detector, urgency rules and language identifier handles,
//     shared by T threads for S seconds (default 60) over K generated
//     tickets (default 500; one in ten pathological), each thread in its
//     own order. Every
//     output must be byte-equal to the one a single thread produced first.
//     Meant to run under ThreadSanitizer too (scripts/soak.sh --tsan).
#include <supportnlp/pipeline/analyzer.hpp>
#include <supportnlp/supportnlp.h>

#include "bench_soak_tickets.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

using supportnlp::bench::kSoakPathologies;
using supportnlp::bench::soak_pathology;
using supportnlp::bench::soak_ticket;
using supportnlp::pipeline::Analyzer;
using supportnlp::pipeline::TicketAnalysis;
using Clock = std::chrono::steady_clock;

constexpr const char* kData = SUPPORTNLP_SOURCE_DIR "/data";

struct Args {
  std::size_t tickets = 1000000;
  std::size_t sample_every = 10000;
  std::size_t warmup = 0; // 0: tickets / 10
  double tolerance = 0.10;
  std::string csv;
  unsigned threads = 0; // 0: soak mode
  double seconds = 60;
  std::size_t distinct = 500;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_soak: %s\n"
               "usage: bench_soak [--tickets N] [--sample-every N] [--warmup N] "
               "[--tolerance F] [--csv FILE]\n"
               "       bench_soak --threads T [--seconds S] [--distinct K]\n",
               why);
  std::exit(2);
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + k).c_str());
    const char* v = argv[++i];
    char* end = nullptr;
    const double num = std::strtod(v, &end);
    const bool is_num = end && *end == '\0' && end != v && num >= 0;
    if (k == "--csv") {
      a.csv = v;
      continue;
    }
    if (!is_num) usage(("not a non-negative number: " + k + " " + v).c_str());
    if (k == "--tickets")
      a.tickets = std::size_t(num);
    else if (k == "--sample-every")
      a.sample_every = std::max<std::size_t>(1, std::size_t(num));
    else if (k == "--warmup")
      a.warmup = std::size_t(num);
    else if (k == "--tolerance")
      a.tolerance = num;
    else if (k == "--threads")
      a.threads = unsigned(num);
    else if (k == "--seconds")
      a.seconds = num;
    else if (k == "--distinct")
      a.distinct = std::max<std::size_t>(1, std::size_t(num));
    else
      usage(("unknown option " + k).c_str());
  }
  if (a.warmup == 0) a.warmup = a.tickets / 10;
  return a;
}

// Resident set size in bytes (second field of /proc/self/statm, in pages).
double rss_bytes() {
  std::ifstream in("/proc/self/statm");
  unsigned long long size = 0, resident = 0;
  in >> size >> resident;
  return double(resident) * double(sysconf(_SC_PAGESIZE));
}

double mib(double bytes) {
  return bytes / (1024.0 * 1024.0);
}

std::string ticket_id(std::size_t i) {
  return "soak-" + std::to_string(i);
}

// --- soak --------------------------------------------------------------------

int run_soak(const Analyzer& analyzer, const Args& a) {
  std::printf("soak: %zu tickets, RSS sampled every %zu, warm-up %zu tickets, tolerance %.0f%%\n",
              a.tickets, a.sample_every, a.warmup, a.tolerance * 100);
  std::fflush(stdout);
  struct Sample {
    std::size_t tickets;
    double rss;
    double seconds;
  };
  std::vector<Sample> samples;
  std::vector<std::size_t> per_kind(kSoakPathologies.size(), 0);
  std::size_t analyses_out = 0, well_formed = 0, ids_matched = 0, ordinary = 0;
  std::size_t bytes_in = 0, bytes_out = 0;
  double base_rss = 0;
  TicketAnalysis reused;
  const auto t0 = Clock::now();
  const double rss0 = rss_bytes();
  for (std::size_t i = 0; i < a.tickets; ++i) {
    const std::string text = soak_ticket(i);
    const int kind = soak_pathology(i);
    kind < 0 ? ++ordinary : ++per_kind[std::size_t(kind)];
    bytes_in += text.size();
    // Both overloads, as a server would use them: a fresh analysis, or one
    // whose buffers are reused from ticket to ticket.
    std::string json;
    if (i % 2 == 0) {
      json = supportnlp::pipeline::to_json(analyzer.analyze(text), ticket_id(i));
    } else {
      analyzer.analyze(text, reused);
      json = supportnlp::pipeline::to_json(reused, ticket_id(i));
    }
    ++analyses_out;
    bytes_out += json.size();
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_object() && j.contains("urgency") && j.contains("pii")) {
      ++well_formed;
      if (j.value("id", std::string()) == ticket_id(i)) ++ids_matched;
    }
    const std::size_t done = i + 1;
    if (done % a.sample_every == 0 || done == a.tickets) {
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      samples.push_back({done, rss_bytes(), s});
      if (done <= a.warmup) base_rss = samples.back().rss;
      if (done % (a.sample_every * 10) == 0) {
        std::printf("  %9zu tickets  %7.1f s  RSS %7.1f MiB\n", done, s, mib(samples.back().rss));
        std::fflush(stdout);
      }
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  if (!a.csv.empty()) {
    std::ofstream csv(a.csv);
    csv << "tickets,seconds,rss_bytes\n";
    for (const auto& s : samples)
      csv << s.tickets << ',' << s.seconds << ',' << std::size_t(s.rss) << '\n';
  }

  // RSS after warm-up: every sample taken after the warm-up's last sample.
  std::vector<double> after;
  for (const auto& s : samples)
    if (s.tickets > a.warmup) after.push_back(s.rss);
  if (base_rss == 0 && !samples.empty()) base_rss = samples.front().rss;
  bool flat = true;
  double lo = base_rss, hi = base_rss, median = base_rss;
  if (!after.empty()) {
    std::vector<double> sorted = after;
    std::sort(sorted.begin(), sorted.end());
    lo = sorted.front();
    hi = sorted.back();
    median = sorted[sorted.size() / 2];
    flat = hi <= base_rss * (1 + a.tolerance) && lo >= base_rss * (1 - a.tolerance);
  }

  std::printf("\nrecords: %zu tickets in (%zu recombined, %zu pathological), %zu analyses out, "
              "%zu well-formed JSON, %zu with their id, %zu lost\n",
              a.tickets, ordinary, a.tickets - ordinary, analyses_out, well_formed, ids_matched,
              a.tickets - std::min(a.tickets, ids_matched));
  std::printf("pathological:");
  for (std::size_t k = 0; k < per_kind.size(); ++k)
    std::printf(" %s %zu%s", kSoakPathologies[k], per_kind[k],
                k + 1 < per_kind.size() ? "," : "\n");
  std::printf("volume: %.1f MiB in, %.1f MiB of JSON out, %.1f s, %.0f tickets/s\n", mib(bytes_in),
              mib(bytes_out), seconds, seconds > 0 ? double(a.tickets) / seconds : 0.0);
  std::printf("RSS: %.1f MiB at start (models loaded), %.1f MiB at the end of warm-up "
              "(ticket %zu)\n",
              mib(rss0), mib(base_rss), std::min(a.warmup, a.tickets));
  std::printf("RSS after warm-up (%zu samples): min %.1f, median %.1f, max %.1f MiB "
              "(%+.1f%% / %+.1f%% of the warm-up value)\n",
              after.size(), mib(lo), mib(median), mib(hi), (lo / base_rss - 1) * 100,
              (hi / base_rss - 1) * 100);
  std::printf("RSS curve:");
  for (int decile = 1; decile <= 10; ++decile) {
    const std::size_t at = a.tickets * std::size_t(decile) / 10;
    // The sample taken at or just before this point.
    const Sample* s = nullptr;
    for (const auto& x : samples)
      if (x.tickets <= at) s = &x;
    if (s) std::printf(" %d%% %.1f", decile * 10, mib(s->rss));
  }
  std::printf(" MiB\n");

  const bool records_ok =
      analyses_out == a.tickets && well_formed == a.tickets && ids_matched == a.tickets;
  std::printf("result: RSS %s within %.0f%% after warm-up; records %s\n",
              flat ? "flat" : "NOT flat", a.tolerance * 100,
              records_ok ? "all accounted for" : "LOST OR MALFORMED");
  return flat && records_ok ? 0 : 1;
}

// --- concurrency -------------------------------------------------------------

struct Handles {
  snlp_analyzer* analyzer = nullptr;
  snlp_tokenizer* tokenizer = nullptr;
  snlp_pii_detector* pii = nullptr;
  snlp_urgency_rules* urgency = nullptr;
  snlp_langid* langid = nullptr;
  ~Handles() {
    snlp_analyzer_close(analyzer);
    snlp_tokenizer_close(tokenizer);
    snlp_pii_close(pii);
    snlp_urgency_close(urgency);
    snlp_langid_close(langid);
  }
};

// The surfaces every thread calls for each ticket, in this order.
constexpr std::array<const char*, 6> kSurfaces = {"Analyzer::analyze",   "snlp_analyze",
                                                  "snlp_tokenize",       "snlp_pii_detect",
                                                  "snlp_urgency_assess", "snlp_langid_identify"};

// The soak ticket number of the concurrency run's i-th ticket: the soak's
// tickets in order, with one slot in ten given to the next pathological one,
// so that every pathology is among the first 110.
std::size_t thread_ticket_number(std::size_t i) {
  if (i % 10 != 5) return i;
  return 13 + supportnlp::bench::kSoakPathologyPeriod * (i / 10);
}

double urgency_sentiment(std::size_t i) {
  return double(int(i % 5) - 2) / 2.0; // -1, -0.5, 0, 0.5, 1
}

// The C API's JSON for one surface (s >= 1), or "<status name>" on failure.
std::string capi_output(const Handles& h, std::size_t s, std::size_t i, const std::string& t) {
  char* json = nullptr;
  snlp_status st = SNLP_INTERNAL;
  switch (s) {
  case 1:
    st = snlp_analyze(h.analyzer, t.data(), t.size(), &json);
    break;
  case 2:
    st = snlp_tokenize(h.tokenizer, t.data(), t.size(), &json);
    break;
  case 3:
    st = snlp_pii_detect(h.pii, t.data(), t.size(), &json);
    break;
  case 4:
    st = snlp_urgency_assess(h.urgency, t.data(), t.size(), urgency_sentiment(i), &json);
    break;
  case 5:
    st = snlp_langid_identify(h.langid, t.data(), t.size(), &json);
    break;
  default:
    break;
  }
  std::string out =
      st == SNLP_OK && json ? std::string(json) : std::string("<") + snlp_status_name(st) + ">";
  snlp_free_string(json);
  return out;
}

int run_threads(const Analyzer& analyzer, const Args& a) {
  Handles h;
  const std::string langid_path = std::string(kData) + "/models/langid.snlp";
  if (snlp_analyzer_open(kData, &h.analyzer) != SNLP_OK ||
      snlp_tokenizer_open(nullptr, &h.tokenizer) != SNLP_OK ||
      snlp_pii_open(nullptr, &h.pii) != SNLP_OK ||
      snlp_urgency_open(nullptr, &h.urgency) != SNLP_OK ||
      snlp_langid_open(langid_path.c_str(), &h.langid) != SNLP_OK) {
    std::fprintf(stderr, "bench_soak: cannot open the C API handles: %s\n", snlp_last_error());
    return 1;
  }

  // The single-thread reference: every surface on every distinct ticket.
  const std::size_t k = a.distinct;
  std::vector<std::string> texts(k);
  std::size_t pathological = 0;
  std::vector<std::array<std::string, kSurfaces.size()>> expected(k);
  const auto r0 = Clock::now();
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t number = thread_ticket_number(i);
    texts[i] = soak_ticket(number);
    pathological += soak_pathology(number) >= 0;
    expected[i][0] = supportnlp::pipeline::to_json(analyzer.analyze(texts[i]), ticket_id(number));
    for (std::size_t s = 1; s < kSurfaces.size(); ++s)
      expected[i][s] = capi_output(h, s, number, texts[i]);
  }
  const double ref_seconds = std::chrono::duration<double>(Clock::now() - r0).count();
  std::size_t failed_calls = 0;
  for (const auto& e : expected)
    for (const auto& s : e)
      failed_calls += s.front() == '<';
  std::printf("threads: %u threads sharing one Analyzer and 5 C API handles, %zu distinct "
              "tickets (%zu pathological), %zu surfaces each; single-thread reference in %.1f s\n",
              a.threads, k, pathological, kSurfaces.size(), ref_seconds);
  std::fflush(stdout);

  struct Tally {
    std::size_t tickets = 0, calls = 0, mismatches = 0;
    std::size_t first_bad_ticket = 0, first_bad_surface = 0;
  };
  std::vector<Tally> tally(a.threads);
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(a.seconds));
  auto worker = [&](unsigned t) {
    Tally& mine = tally[t];
    TicketAnalysis reused;
    // Each thread walks the tickets in its own order: its own start and a
    // stride coprime with k, so the threads hold different texts at once.
    std::size_t step = 1 + 2 * t;
    while (std::gcd(step, k) != 1)
      ++step;
    std::size_t idx = (t * k) / std::max(1u, a.threads);
    for (std::size_t n = 0;; ++n) {
      // At least one full pass over the tickets, then until the deadline.
      if (n >= k && Clock::now() >= deadline) break;
      const std::string& text = texts[idx];
      const std::size_t number = thread_ticket_number(idx);
      std::string got;
      if (n % 2 == 0) {
        got = supportnlp::pipeline::to_json(analyzer.analyze(text), ticket_id(number));
      } else {
        analyzer.analyze(text, reused);
        got = supportnlp::pipeline::to_json(reused, ticket_id(number));
      }
      for (std::size_t s = 0; s < kSurfaces.size(); ++s) {
        if (s > 0) got = capi_output(h, s, number, text);
        ++mine.calls;
        if (got != expected[idx][s] && mine.mismatches++ == 0) {
          mine.first_bad_ticket = number;
          mine.first_bad_surface = s;
        }
      }
      ++mine.tickets;
      idx = (idx + step) % k;
    }
  };
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < a.threads; ++t)
    pool.emplace_back(worker, t);
  for (auto& th : pool)
    th.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  std::size_t tickets = 0, calls = 0, mismatches = 0;
  for (unsigned t = 0; t < a.threads; ++t) {
    const Tally& x = tally[t];
    tickets += x.tickets;
    calls += x.calls;
    mismatches += x.mismatches;
    if (x.mismatches)
      std::printf("  thread %u: %zu mismatches, first on ticket %zu in %s\n", t, x.mismatches,
                  x.first_bad_ticket, kSurfaces[x.first_bad_surface]);
  }
  std::printf("threads: %.1f s, %zu tickets analysed (%zu calls on %zu surfaces; %zu to %zu per "
              "thread), %zu outputs differ from the single-thread run, %zu reference calls "
              "failed\n",
              seconds, tickets, calls, kSurfaces.size(),
              std::min_element(tally.begin(), tally.end(),
                               [](const Tally& x, const Tally& y) { return x.tickets < y.tickets; })
                  ->tickets,
              std::max_element(tally.begin(), tally.end(),
                               [](const Tally& x, const Tally& y) { return x.tickets < y.tickets; })
                  ->tickets,
              mismatches, failed_calls);
  const bool ok = mismatches == 0 && failed_calls == 0;
  std::printf("result: %s\n", ok ? "every thread's output equals the single-thread output"
                                 : "THREADS DISAGREE WITH THE SINGLE-THREAD RUN");
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  const Args a = parse_args(argc, argv);
  auto analyzer = Analyzer::open_directory(kData);
  if (!analyzer) {
    std::fprintf(stderr, "bench_soak: %s\n", analyzer.error().message.c_str());
    return 1;
  }
  if (supportnlp::bench::sample_tickets().empty()) {
    std::fprintf(stderr, "bench_soak: no sample tickets in %s/samples/tickets.jsonl\n", kData);
    return 1;
  }
  return a.threads > 0 ? run_threads(*analyzer, a) : run_soak(*analyzer, a);
}
