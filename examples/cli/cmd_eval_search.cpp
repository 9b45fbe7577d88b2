// supportnlp eval search: retrieval quality of a KB on a query set with
// relevance judgements, as JSON: ndcg@10, mrr@10, recall@10, map (over the
// top 100), n (queries with at least one relevant article). The metrics are
// the library's (search/ranking_metrics.hpp), shared with eval encoder.
//   --queries TSV qid<TAB>text (header), --qrels TSV qid<TAB>docid<TAB>relevance (header)
#include "cmd_kb_common.hpp"
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/search/ranking_metrics.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace {

using Rows = std::vector<std::vector<std::string>>;

bool read_tsv(const std::string& path, std::size_t columns, Rows& rows, std::uint64_t& bad) {
  return supportnlp::cli::read_tsv_rows("eval search", path, columns, rows, bad, "qid");
}

int run(const supportnlp::cli::Args& args) {
  std::string kb_path, encoder_name, queries_path, qrels_path, mode = "hybrid", fusion = "linear",
                                                               run_path;
  supportnlp::search::SearchOptions so;
  double dense_weight = so.dense_weight, lexical_weight = so.lexical_weight,
         saturation = so.lexical_saturation, rrf_k = so.rrf_k;
  supportnlp::cli::Options opts("eval search",
                                "supportnlp eval search --kb KB --queries Q.tsv --qrels R.tsv "
                                "[--mode dense|lexical|hybrid]");
  opts.add("--kb", &kb_path, "knowledge-base file")
      .add("--encoder", &encoder_name, "encoder the KB was built with (default: bundled)")
      .add("--queries", &queries_path, "TSV qid<TAB>text")
      .add("--qrels", &qrels_path, "TSV qid<TAB>docid<TAB>relevance")
      .add("--mode", &mode, "dense, lexical or hybrid (default hybrid)")
      .add("--fusion", &fusion, "hybrid fusion: linear or rrf (default linear)")
      .add("--dense-weight", &dense_weight, "weight of the dense score")
      .add("--lexical-weight", &lexical_weight, "weight of the BM25 score")
      .add("--lexical-saturation", &saturation, "BM25 score mapped to 0.5 by linear fusion")
      .add("--rrf-k", &rrf_k, "rank offset of reciprocal rank fusion")
      .add("--run", &run_path, "also write the ranking as a TREC run file");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (kb_path.empty() || queries_path.empty() || qrels_path.empty()) {
    std::cerr << "supportnlp eval search: --kb, --queries and --qrels are required\n";
    return 2;
  }
  if (!supportnlp::cli::kb::parse_mode(mode, fusion, so, "eval search")) return 2;
  so.top_k = 100;
  so.candidates = 200;
  so.highlight = false;
  so.dense_weight = static_cast<float>(dense_weight);
  so.lexical_weight = static_cast<float>(lexical_weight);
  so.lexical_saturation = static_cast<float>(saturation);
  so.rrf_k = static_cast<float>(rrf_k);

  Rows queries;
  std::uint64_t bad = 0;
  if (!read_tsv(queries_path, 2, queries, bad)) return 2;
  supportnlp::search::QueryJudgements judged;
  const int rc = supportnlp::cli::with_input(qrels_path, [&](std::istream& in) {
    bad += supportnlp::search::read_qrels(in, judged, [&](const supportnlp::io::RecordIssue& i) {
      std::cerr << qrels_path << ':' << i.line << ": " << i.message << "; skipped\n";
    });
    return 0;
  });
  if (rc) return 2;
  auto kb = supportnlp::cli::kb::load_kb(kb_path, encoder_name, "eval search");
  if (!kb) return 2;
  std::ofstream run_file;
  if (!run_path.empty()) run_file.open(run_path);

  supportnlp::search::RankingEvaluation eval(10);
  std::size_t unjudged = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& q : queries) {
    auto it = judged.find(q[0]);
    if (it == judged.end()) {
      ++unjudged;
      continue;
    }
    std::vector<std::string> ranked;
    for (const auto& h : kb->search(q[1], so))
      ranked.push_back(h.article_id);
    if (run_file)
      for (std::size_t i = 0; i < ranked.size(); ++i)
        run_file << q[0] << " Q0 " << ranked[i] << ' ' << i + 1 << ' ' << 100 - i << " snlp\n";
    if (!eval.add(ranked, it->second)) ++unjudged; // judged, but nothing relevant
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t n = eval.queries();
  const auto mean = eval.mean();
  auto four_places = [](double v) { return std::round(v * 10000.0) / 10000.0; };
  nlohmann::json out = {{"mode", kb->encoder() ? mode : std::string("lexical")},
                        {"fusion", fusion},
                        {"ndcg@10", four_places(mean.ndcg)},
                        {"mrr@10", four_places(mean.mrr)},
                        {"recall@10", four_places(mean.recall)},
                        {"map", four_places(mean.average_precision)},
                        {"n", n},
                        {"unjudged_queries", unjudged},
                        {"bad_records", bad},
                        {"queries_per_second", secs > 0 ? std::round(n / secs) : 0.0}};
  std::cout << out.dump() << '\n';
  return bad ? 1 : 0;
}

supportnlp::cli::CommandRegistration reg{
    "eval search", "KB retrieval quality: ndcg@10, mrr@10, recall@10, map", run};

} // namespace
