// supportnlp kb search: queries (text lines or JSON Lines with "text") ->
// one JSON line per query with its hits. Malformed records produce an error
// record with their line number; the run goes on and exits 1 at the end.
#include "cmd_kb_common.hpp"
#include "command.hpp"
#include "options.hpp"

namespace {

int run(const supportnlp::cli::Args& raw) {
  std::string kb_path, encoder_name, input = "-", format = "auto", mode = "hybrid",
                                     fusion = "linear";
  supportnlp::search::SearchOptions so;
  int top_k = so.top_k;
  double dense_weight = so.dense_weight, lexical_weight = so.lexical_weight;
  supportnlp::cli::Options opts(
      "kb search", "supportnlp kb search --kb KB [-k K] [--mode dense|lexical|hybrid] [FILE]");
  opts.add("--kb", &kb_path, "knowledge-base file")
      .add("--encoder", &encoder_name, "encoder the KB was built with (default: bundled)")
      .add("--input", &input, "queries: text lines or JSON Lines (default stdin)")
      .add("--format", &format, "auto, text or jsonl (default auto)")
      .add("--top-k", &top_k, "hits per query (-k; default 5)")
      .add("--mode", &mode, "dense, lexical or hybrid (default hybrid)")
      .add("--fusion", &fusion, "hybrid fusion: linear or rrf (default linear)")
      .add("--dense-weight", &dense_weight, "weight of the dense score")
      .add("--lexical-weight", &lexical_weight, "weight of the BM25 score");
  if (int rc = opts.parse(supportnlp::cli::kb::expand_short(raw)); rc >= 0) return rc;
  if (!opts.positional().empty()) input = opts.positional()[0];
  if (kb_path.empty()) {
    std::cerr << "supportnlp kb search: --kb is required\n";
    return 2;
  }
  auto fmt = supportnlp::cli::parse_input_format(format);
  if (!fmt) {
    std::cerr << "supportnlp kb search: unknown --format '" << format << "'\n";
    return 2;
  }
  if (!supportnlp::cli::kb::parse_mode(mode, fusion, so, "kb search")) return 2;
  so.top_k = top_k;
  so.dense_weight = static_cast<float>(dense_weight);
  so.lexical_weight = static_cast<float>(lexical_weight);
  auto kb = supportnlp::cli::kb::load_kb(kb_path, encoder_name, "kb search");
  if (!kb) return 2;
  std::uint64_t bad = 0;
  const int rc = supportnlp::cli::with_input(input, [&](std::istream& in) {
    bad = supportnlp::cli::read_records(
        in, *fmt,
        [&](supportnlp::cli::Record& r) {
          nlohmann::json hits = nlohmann::json::array();
          for (const auto& h : kb->search(r.text, so))
            hits.push_back(supportnlp::cli::kb::hit_json(h));
          supportnlp::cli::write_json_line(
              std::cout, {{"line", r.line}, {"id", r.id}, {"query", r.text}, {"hits", hits}});
        },
        [&](std::uint64_t line, const std::string& msg) {
          supportnlp::cli::write_json_line(std::cout, supportnlp::cli::error_record(line, msg));
        });
    return 0;
  });
  if (rc) return rc;
  return bad ? 1 : 0;
}

supportnlp::cli::CommandRegistration reg{"kb search", "search a knowledge base (JSONL hits)", run};

} // namespace
