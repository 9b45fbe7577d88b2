// supportnlp report: one self-contained HTML page about a batch of tickets
// (raw, or `analyze` output) for the people who run the help desk: volume,
// queue, intent, sentiment, urgency and language mix, the critical tickets,
// emerging topics, knowledge-base gaps and, given a reference file, the drift
// verdict. The page itself is drawn by the library (pipeline/report.hpp);
// this command gathers its parts.
#include "cmd_tickets_common.hpp"
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/insights/report.hpp>
#include <supportnlp/search/articles.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace supportnlp::cli {
namespace {

// The KB gap report of `kb gaps` read back from its JSON output.
std::optional<search::GapReport> read_gap_json(const std::string& path, std::string& scored_by,
                                               std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("groups") || !j["groups"].is_array()) {
    error = path + ": not the output of `supportnlp kb gaps`";
    return std::nullopt;
  }
  search::GapReport r;
  r.queries = j.value("queries", std::size_t{0});
  r.gaps = j.value("gaps", std::size_t{0});
  scored_by = j.value("scored_by", "score");
  for (const auto& g : j["groups"]) {
    if (!g.is_object() || !g.contains("queries") || !g["queries"].is_array()) continue;
    search::GapGroup group;
    group.mean_best_score = g.value("mean_best_score", 0.0f);
    for (const auto& q : g["queries"])
      if (q.is_object())
        group.queries.push_back(
            {q.value("text", ""), q.value("best_score", 0.0f), q.value("best_article", "")});
    if (!group.queries.empty()) r.groups.push_back(std::move(group));
  }
  return r;
}

int run(const Args& args) {
  std::string input, output, reference, kb_gaps, bundle, split_at,
      title = "Customer support report";
  bool no_topics = false, strict = false;
  Options opts("report",
               "--input F | F --output report.html [--reference A.jsonl] [--kb-gaps G.json]\n"
               "Writes one self-contained HTML page about the tickets of F (JSON Lines: raw\n"
               "tickets with \"text\" and optionally \"created_at\", or `supportnlp analyze`\n"
               "output): volume over time, queue, intent, sentiment, urgency and language mix,\n"
               "the critical tickets, emerging topics, knowledge-base gaps, and the drift\n"
               "verdict against --reference. No network, no script: charts are inline SVG.\n"
               "Exit 0, 1 unreadable input/bundle or unwritable output, 2 usage, 3 with\n"
               "--strict and a malformed line (malformed lines are listed in the page).");
  opts.add("--input", &input, "tickets to report on (or give the file as F)")
      .add("--output", &output, "the HTML file to write (required)")
      .add("--reference", &reference, "tickets of a reference period: adds the drift verdict")
      .add("--split-at", &split_at,
           "instead of --reference: compare the input's tickets from this date (ISO 8601) "
           "on with those before it")
      .add("--kb-gaps", &kb_gaps,
           "`kb gaps` JSON output to show (default: run the gap report on the tickets "
           "against the bundle's KB)")
      .add("--bundle", &bundle, "model bundle directory (default: the bundled data/)")
      .add("--title", &title, "page title (default \"Customer support report\")")
      .flag("--no-topics", &no_topics, "skip topic discovery")
      .flag("--strict", &strict, "exit 3 if any line was malformed");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (!opts.positional().empty()) {
    if (opts.positional().size() > 1 || !input.empty()) {
      std::cerr << "supportnlp report: give one input file, as --input F or as F\n";
      return 2;
    }
    input = opts.positional()[0];
  }
  if (input.empty() || output.empty()) {
    std::cerr << "supportnlp report: --input and --output are required\n";
    return 2;
  }
  std::optional<std::int64_t> split_time;
  if (!split_at.empty()) {
    split_time = insights::parse_iso8601(split_at);
    if (!split_time || !reference.empty()) {
      std::cerr << "supportnlp report: --split-at takes an ISO 8601 date (e.g. 2026-11-09) and "
                   "excludes --reference\n";
      return 2;
    }
  }
  if (bundle.empty()) bundle = default_data_dir();

  tickets::LazyAnalyzer analyzer(bundle);
  insights::ReportData data;
  data.source_name = std::filesystem::path(input).filename().string();
  std::vector<tickets::BadLine> bad;
  if (!tickets::read_ticket_file("report", input, analyzer, data.tickets, bad)) return 1;

  // Drift against the reference period.
  insights::DriftReport drift;
  if (!reference.empty()) {
    std::vector<insights::TicketFacts> ref;
    if (!tickets::read_ticket_file("report", reference, analyzer, ref, bad)) return 1;
    drift = insights::compare_periods(ref, data.tickets);
    data.drift = &drift;
    data.reference_name = std::filesystem::path(reference).filename().string();
  } else if (split_time) {
    std::vector<insights::TicketFacts> before, after;
    for (const auto& t : data.tickets)
      if (t.time) (*t.time < *split_time ? before : after).push_back(t);
    drift = insights::compare_periods(before, after);
    data.drift = &drift;
    data.reference_name = "tickets before " + insights::format_date(*split_time);
    data.drift_current_name = "tickets from " + insights::format_date(*split_time) + " on";
  }

  const auto paths = pipeline::BundlePaths::in_directory(bundle);
  std::shared_ptr<const embed::Encoder> encoder;
  if (!paths.encoder_model.empty()) {
    auto enc = embed::StaticEncoder::load(paths.encoder_model);
    if (!enc) {
      std::cerr << "supportnlp report: " << enc.error().message << '\n';
      return 1;
    }
    encoder = std::make_shared<embed::StaticEncoder>(std::move(enc.value()));
  }

  // Emerging topics over all tickets: an emerging issue may well be routed
  // to an existing queue with confidence (an app update that breaks sync is
  // still a technical issue), so the report does not limit topics to the
  // tickets the routing model leaves out of scope.
  search::TopicReport topics;
  if (no_topics) {
    data.topics_note = "Topic discovery was switched off (--no-topics).";
  } else if (!encoder) {
    data.topics_note = "The bundle has no encoder (models/encoder.snlp), so no topics.";
  } else {
    std::vector<std::string> texts;
    std::vector<std::int64_t> times;
    bool all_timed = true;
    for (const auto& t : data.tickets) {
      texts.push_back(t.redacted);
      all_timed = all_timed && t.time.has_value();
      times.push_back(t.time.value_or(0));
    }
    auto r = search::discover_topics(texts, *encoder, {}, all_timed ? &times : nullptr);
    if (r) {
      topics = std::move(r.value());
      data.topics = &topics;
    } else {
      data.topics_note = "Topic discovery failed: " + r.error().message;
    }
  }

  // Knowledge-base gaps: given, or computed on the tickets against the KB.
  search::GapReport gaps;
  const search::GapReportOptions gap_options;
  if (!kb_gaps.empty()) {
    std::string error;
    auto g = read_gap_json(kb_gaps, data.gaps_scored_by, error);
    if (!g) {
      std::cerr << "supportnlp report: " << error << '\n';
      return 1;
    }
    gaps = std::move(*g);
    data.gaps = &gaps;
    data.gaps_threshold = gap_options.min_dense_score;
    data.gaps_note = "From " + std::filesystem::path(kb_gaps).filename().string() + ".";
  } else if (paths.knowledge_base.empty()) {
    data.gaps_note = "The bundle has no knowledge base (kb/kb.snlp or kb/articles.jsonl).";
  } else {
    // The KB as the Analyzer opens it: a KB file or articles by the
    // library's article policy.
    std::optional<search::KnowledgeBase> kb;
    std::string error;
    if (auto loaded = search::open_knowledge_base(paths.knowledge_base, encoder); loaded)
      kb.emplace(std::move(loaded.value()));
    else
      error = loaded.error().message;
    if (!kb) {
      std::cerr << "supportnlp report: " << error << '\n';
      return 1;
    }
    // Off-topic tickets (weather, jokes) and feedback (thanks, praise) ask
    // the KB nothing.
    std::vector<std::string> questions;
    for (const auto& t : data.tickets)
      if (t.out_of_scope_reason != "out_of_scope_class" && t.queue != "feedback")
        questions.push_back(t.redacted);
    gaps = search::find_gaps(*kb, questions, gap_options);
    data.gaps = &gaps;
    data.gaps_scored_by =
        kb->encoder() ? "cosine of the nearest passage" : "share of the ticket's terms found";
    data.gaps_threshold =
        kb->encoder() ? gap_options.min_dense_score : gap_options.min_term_coverage;
    data.gaps_note =
        "Against the " + std::to_string(kb->size()) +
        " articles of the bundle's knowledge base; off-topic and feedback tickets left out.";
  }

  for (const auto& b : bad)
    data.problems.push_back(b.file + ": line " + std::to_string(b.line) + ": " + b.message);
  insights::ReportOptions ro;
  ro.title = title;
  const std::string html = insights::render_report_html(data, ro);
  {
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    out << html;
    out.close();
    if (!out) {
      std::cerr << "supportnlp report: cannot write " << output << '\n';
      return 1;
    }
  }
  std::cerr << "supportnlp report: " << data.tickets.size() << " tickets -> " << output;
  if (data.drift)
    std::cerr << " (" << (drift.drift ? "drift" : "no drift") << " against " << data.reference_name
              << ")";
  std::cerr << '\n';
  return strict && !bad.empty() ? 3 : 0;
}

CommandRegistration reg{"report", "one self-contained HTML page about a batch of tickets", run};

} // namespace
} // namespace supportnlp::cli
