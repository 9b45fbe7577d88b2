// supportnlp analyze: the main job. One JSON object per ticket (language,
// sentiment, queue and intent, urgency, knowledge-base articles, PII with a
// redacted copy), a
// progress bar on a terminal for large files, and a summary table on stderr
// at the end. Malformed records become error records with their line
// number; the run goes on and exits 1 at the end.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/pipeline/analyzer.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

namespace supportnlp::cli {
namespace {

struct Summary {
  std::uint64_t tickets = 0, errors = 0;
  std::map<std::string, std::uint64_t> languages, queues, intents, sentiments, urgency;
  std::vector<std::string> urgent; // ids of critical tickets
};

void print_summary(const Summary& s, bool has_intent, bool has_language) {
  auto& out = std::cerr;
  out << "\n" << s.tickets << " tickets analysed, " << s.errors << " malformed records\n";
  const auto table = [&](const char* title, const std::map<std::string, std::uint64_t>& counts) {
    std::vector<std::pair<std::string, std::uint64_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    int width = 28; // the widest name, so the counts line up
    for (const auto& row : rows)
      width = std::max(width, static_cast<int>(row.first.size()));
    out << "\n" << title << '\n';
    for (const auto& [name, n] : rows) {
      char line[64];
      std::snprintf(line, sizeof line, " %8llu  %5.1f%%\n", static_cast<unsigned long long>(n),
                    s.tickets ? 100.0 * double(n) / double(s.tickets) : 0.0);
      out << "  " << name << std::string(std::size_t(width) - name.size(), ' ') << line;
    }
  };
  if (has_language) table("language", s.languages);
  if (has_intent) {
    table("queue", s.queues);
    table("intent", s.intents);
  }
  table("sentiment", s.sentiments);
  table("urgency", s.urgency);
  if (!s.urgent.empty()) {
    out << "\ncritical tickets:";
    for (std::size_t i = 0; i < s.urgent.size() && i < 20; ++i)
      out << ' ' << s.urgent[i];
    if (s.urgent.size() > 20) out << " ... (" << s.urgent.size() - 20 << " more)";
    out << '\n';
  }
}

int run(const Args& args) {
  std::string input, format = "auto", bundle;
  int top_k = 3;
  bool quiet = false;
  Options opts("analyze",
               "[--input F | F] [--format auto|text|jsonl] [--bundle DIR] [--top-k N] [--quiet]\n"
               "Analyses each ticket (plain text lines or JSON Lines with a \"text\" field)\n"
               "and prints one JSON object per ticket: language, normalized text, sentiment,\n"
               "queue and intent, urgency, knowledge-base articles and PII with a redacted\n"
               "copy. A summary table goes to stderr at the end.");
  opts.add("--input", &input, "input file (default: stdin)")
      .add("--format", &format, "input format: auto (default), text or jsonl")
      .add("--bundle", &bundle, "model bundle directory (default: the bundled data/)")
      .add("--top-k", &top_k, "knowledge-base articles per ticket (default 3, 0: none)")
      .flag("--quiet", &quiet, "no progress bar and no summary");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (!opts.positional().empty()) {
    if (opts.positional().size() > 1 || !input.empty()) {
      std::cerr << "supportnlp analyze: give one input file, as --input F or as F\n";
      return 2;
    }
    input = opts.positional()[0];
  }
  const auto input_format = parse_input_format(format);
  if (!input_format) {
    std::cerr << "supportnlp analyze: unknown --format '" << format << "'\n";
    return 2;
  }
  if (bundle.empty()) bundle = default_data_dir();
  pipeline::AnalyzerOptions options;
  options.kb_top_k = top_k;
  auto analyzer = pipeline::Analyzer::open_directory(bundle, options);
  if (!analyzer) {
    std::cerr << "supportnlp analyze: " << analyzer.error().message << '\n';
    return 2;
  }

  // A progress bar only when a person is watching a large file.
  std::uintmax_t total = 0;
  std::error_code ec;
  if (!quiet && !input.empty() && input != "-" && isatty(STDERR_FILENO))
    total = std::filesystem::file_size(input, ec);
  const bool progress = !ec && total > (std::uintmax_t{4} << 20);

  Summary summary;
  const int rc = with_input(input, [&](std::istream& in) {
    pipeline::TicketAnalysis a;
    int shown = -1;
    summary.errors = read_records(
        in, *input_format,
        [&](Record& record) {
          analyzer->analyze(record.text, a);
          std::cout << pipeline::to_json(a, record.id) << '\n';
          ++summary.tickets;
          if (a.language) ++summary.languages[a.language->code];
          if (a.intent) {
            ++summary.queues[a.intent->queue];
            ++summary.intents[a.intent->out_of_scope
                                  ? "(out of scope: " +
                                        std::string(models::to_string(a.intent->reason)) + ")"
                                  : a.intent->label];
          }
          ++summary.sentiments[models::to_string(a.sentiment.label)];
          ++summary.urgency[to_string(a.urgency.level)];
          if (a.urgency.level == pipeline::Urgency::critical) summary.urgent.push_back(record.id);
          if (progress) {
            const auto pos = in.tellg();
            const int pct = pos < 0 ? shown : int(100.0 * double(pos) / double(total));
            if (pct != shown) {
              shown = pct;
              const int bar = pct * 40 / 100;
              std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %llu tickets", bar,
                           "========================================", 40 - bar, "", pct,
                           static_cast<unsigned long long>(summary.tickets));
            }
          }
        },
        [&](std::uint64_t line, const std::string& message) {
          write_json_line(std::cout, error_record(line, message));
        });
    if (progress) std::fputc('\n', stderr);
    return summary.errors ? 1 : 0;
  });
  std::cout.flush();
  if (!quiet && rc != 2) print_summary(summary, analyzer->has_intent(), analyzer->has_language());
  return rc;
}

CommandRegistration reg{"analyze",
                        "one call per ticket: sentiment, intent, urgency, KB, PII (JSONL)", run};

} // namespace
} // namespace supportnlp::cli
