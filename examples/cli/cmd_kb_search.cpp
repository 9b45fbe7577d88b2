// supportnlp kb search: queries (text lines or JSON Lines with "text") ->
// one JSON line per query with its hits. Malformed records produce an error
// record with their line number; the run goes on (docs/cli.md). A query is
// cut at --max-query-bytes: a search engine's query is a few words, and a
// pasted 10 MB "query" would otherwise cost seconds per line.
#include "cmd_kb_common.hpp"
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/pipeline/json.hpp>

namespace {

constexpr int kMaxQueryBytes = 4096;

int run(const supportnlp::cli::Args& raw) {
  namespace cli = supportnlp::cli;
  std::string kb_path, encoder_name, mode = "hybrid", fusion = "linear";
  cli::InputOptions input;
  supportnlp::search::SearchOptions so;
  int top_k = so.top_k, max_query_bytes = kMaxQueryBytes;
  double dense_weight = so.dense_weight, lexical_weight = so.lexical_weight;
  cli::Options opts("kb search", "--kb KB [-k K] [--mode dense|lexical|hybrid] [--input F | F]\n"
                                 "Prints {\"line\",\"id\",\"query\",\"hits\"} per input line "
                                 "(queries as text\nlines or JSON Lines), blank lines included.");
  opts.add("--kb", &kb_path, "knowledge-base file")
      .add("--encoder", &encoder_name, "encoder the KB was built with (default: bundled)")
      .add("--top-k", &top_k, "hits per query (-k)")
      .add("--mode", &mode, "dense, lexical or hybrid (default hybrid)")
      .add("--fusion", &fusion, "hybrid fusion: linear or rrf (default linear)")
      .add("--dense-weight", &dense_weight, "weight of the dense score")
      .add("--lexical-weight", &lexical_weight, "weight of the BM25 score")
      .add("--max-query-bytes", &max_query_bytes,
           "bytes of a query searched; longer ones are cut and marked");
  input.add_to(opts);
  if (int rc = opts.parse(cli::kb::expand_short(raw)); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (kb_path.empty()) return opts.usage_error("--kb is required");
  if (top_k < 0) return opts.usage_error("--top-k must be 0 or more");
  if (max_query_bytes <= 0) return opts.usage_error("--max-query-bytes must be at least 1");
  if (!cli::kb::parse_mode(mode, fusion, so, "kb search")) return cli::exit_usage;
  so.top_k = top_k;
  so.dense_weight = static_cast<float>(dense_weight);
  so.lexical_weight = static_cast<float>(lexical_weight);
  auto kb = cli::kb::load_kb(kb_path, encoder_name, "kb search");
  if (!kb) return cli::exit_runtime;
  return cli::run_records("kb search", input, [&](cli::Record& r) -> std::string {
    const auto query = cli::utf8_prefix(r.text, std::size_t(max_query_bytes));
    std::cout << supportnlp::pipeline::search_json(kb->search(query, so), {r.id, r.line}, query,
                                                   query.size() < r.text.size())
              << '\n';
    return {};
  });
}

supportnlp::cli::CommandRegistration reg{"kb search", "search a knowledge base (JSONL hits)", run};

} // namespace
