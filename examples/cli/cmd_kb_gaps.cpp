// supportnlp kb gaps: from a log of queries (text lines or JSON Lines), the
// ones the KB answers badly, grouped by topic, as one JSON report.
#include "cmd_kb_common.hpp"
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/search/gap_report.hpp>

namespace {

int run(const supportnlp::cli::Args& args) {
  std::string kb_path, encoder_name, queries, format = "auto";
  supportnlp::search::GapReportOptions go;
  double min_score = go.min_dense_score, min_coverage = go.min_term_coverage,
         similarity = go.cluster_similarity;
  int max_groups = static_cast<int>(go.max_groups);
  supportnlp::cli::Options opts("kb gaps", "supportnlp kb gaps --kb KB --queries F");
  opts.add("--kb", &kb_path, "knowledge-base file")
      .add("--encoder", &encoder_name, "encoder the KB was built with (default: bundled)")
      .add("--queries", &queries, "query log: text lines or JSON Lines with \"text\"")
      .add("--format", &format, "auto, text or jsonl (default auto)")
      .add("--min-score", &min_score, "cosine below which a query is a gap")
      .add("--min-coverage", &min_coverage, "BM25-only KB: share of query terms needed (0.5)")
      .add("--cluster-similarity", &similarity, "cosine to join a group")
      .add("--max-groups", &max_groups, "largest groups reported (0: all)");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (kb_path.empty() || queries.empty()) {
    std::cerr << "supportnlp kb gaps: --kb and --queries are required\n";
    return 2;
  }
  auto fmt = supportnlp::cli::parse_input_format(format);
  if (!fmt) {
    std::cerr << "supportnlp kb gaps: unknown --format '" << format << "'\n";
    return 2;
  }
  go.min_dense_score = static_cast<float>(min_score);
  go.min_term_coverage = static_cast<float>(min_coverage);
  go.cluster_similarity = static_cast<float>(similarity);
  go.max_groups = static_cast<std::size_t>(std::max(0, max_groups));
  auto kb = supportnlp::cli::kb::load_kb(kb_path, encoder_name, "kb gaps");
  if (!kb) return 2;
  std::vector<std::string> texts;
  std::uint64_t bad = 0;
  const int rc = supportnlp::cli::with_input(queries, [&](std::istream& in) {
    bad = supportnlp::cli::read_records(
        in, *fmt, [&](supportnlp::cli::Record& r) { texts.push_back(r.text); },
        [&](std::uint64_t line, const std::string& msg) {
          std::cerr << queries << ':' << line << ": " << msg << "; skipped\n";
        });
    return 0;
  });
  if (rc) return rc;
  const auto report = supportnlp::search::find_gaps(*kb, texts, go);
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : report.groups) {
    nlohmann::json qs = nlohmann::json::array();
    for (const auto& q : g.queries)
      qs.push_back(
          {{"text", q.text}, {"best_score", q.best_score}, {"best_article", q.best_article_id}});
    groups.push_back({{"size", g.queries.size()},
                      {"example", g.queries.front().text},
                      {"mean_best_score", g.mean_best_score},
                      {"queries", qs}});
  }
  nlohmann::json out = {{"queries", report.queries},
                        {"gaps", report.gaps},
                        {"bad_records", bad},
                        {"scored_by", kb->encoder() ? "dense cosine" : "term coverage"},
                        {"groups", groups}};
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return bad ? 1 : 0;
}

supportnlp::cli::CommandRegistration reg{"kb gaps", "queries the KB answers badly, grouped", run};

} // namespace
