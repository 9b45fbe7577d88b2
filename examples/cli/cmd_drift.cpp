// supportnlp drift: has the traffic changed between two periods? Compares a
// reference and a current file of tickets (raw, or `analyze` output) by
// their queue, intent, language and sentiment mixes, the routing model's
// confidence and out-of-scope rate, and their texts; prints one JSON object
// with the verdict and the reasons (pipeline/drift.hpp, docs/report.md).
#include "cmd_tickets_common.hpp"
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/insights/drift.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string reference, current, bundle;
  insights::DriftOptions o;
  double distance = o.distance_threshold, auc = o.auc_threshold, p = o.p_threshold,
         psi = o.psi_threshold, novel_share = o.novel_share_threshold;
  int novel_min_tickets = int(o.novel_min_tickets);
  int permutations = o.permutations, folds = o.folds, max_texts = int(o.max_texts),
      seed = int(o.seed);
  bool no_text = false, strict = false;
  Options opts("drift",
               "--reference A.jsonl --current B.jsonl [options]\n"
               "Compares two periods of tickets (JSON Lines: raw tickets with \"text\", or\n"
               "`supportnlp analyze` output; raw tickets are analysed with the bundle) and\n"
               "prints one JSON object: \"verdict\" (drift / no drift), the reasons, and every\n"
               "test with its effect, threshold and p-value. Malformed lines are listed under\n"
               "\"errors\" with their line numbers. Exit 0 (either verdict), 1 unreadable input\n"
               "or bundle, 2 usage, 3 with --strict and a malformed line.");
  opts.add("--reference", &reference, "tickets of the reference period (required)")
      .add("--current", &current, "tickets of the current period (required)")
      .add("--bundle", &bundle, "model bundle for raw tickets (default: the bundled data/)")
      .add("--distance", &distance, "JS distance / KS D that counts as a shift")
      .add("--auc", &auc, "domain-classifier AUC that counts as a shift")
      .add("--novel-share", &novel_share,
           "extra share of current tickets in the reference's top 5% of domain-classifier "
           "scores that counts as new wording")
      .add("--novel-min-tickets", &novel_min_tickets,
           "...and the fewest such extra tickets that count")
      .add("--p", &p, "family-wise significance level, Holm-adjusted")
      .add("--psi", &psi, "PSI that also counts as a mix shift (default 0: report only)")
      .add("--permutations", &permutations, "permutation rounds per mix test")
      .add("--folds", &folds, "cross-validation folds of the text test")
      .add("--max-texts", &max_texts, "texts per period for the text test")
      .add("--seed", &seed, "seed of permutations, folds and samples")
      .flag("--no-text", &no_text, "skip the text (domain classifier) test")
      .flag("--strict", &strict, "exit 3 if any line was malformed");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (!opts.positional().empty()) {
    std::cerr << "supportnlp drift: unexpected argument '" << opts.positional()[0] << "'\n";
    return 2;
  }
  if (reference.empty() || current.empty()) {
    std::cerr << "supportnlp drift: --reference and --current are required\n";
    return 2;
  }
  if (!(distance > 0 && distance <= 1) || !(auc > 0.5 && auc <= 1) || !(p > 0 && p < 1) ||
      !(novel_share > 0 && novel_share <= 1) || novel_min_tickets < 0 || permutations < 99 ||
      folds < 2 || max_texts < 10 || seed < 0) {
    std::cerr << "supportnlp drift: out-of-range option (distance in (0,1], auc in (0.5,1], "
                 "novel-share in (0,1], novel-min-tickets >= 0, "
                 "p in (0,1), permutations >= 99, folds >= 2, max-texts >= 10, seed >= 0)\n";
    return 2;
  }
  o.distance_threshold = distance;
  o.auc_threshold = auc;
  o.novel_share_threshold = novel_share;
  o.novel_min_tickets = std::size_t(novel_min_tickets);
  o.p_threshold = p;
  o.psi_threshold = psi;
  o.permutations = permutations;
  o.folds = folds;
  o.max_texts = std::size_t(max_texts);
  o.seed = std::uint64_t(seed);
  o.text_test = !no_text;

  tickets::LazyAnalyzer analyzer(bundle.empty() ? default_data_dir() : bundle);
  std::vector<insights::TicketFacts> ref, cur;
  std::vector<tickets::BadLine> bad;
  if (!tickets::read_ticket_file("drift", reference, analyzer, ref, bad) ||
      !tickets::read_ticket_file("drift", current, analyzer, cur, bad))
    return 1;
  const auto report = insights::compare_periods(ref, cur, o);
  auto j = nlohmann::ordered_json::parse(insights::to_json(report));
  j["errors"] = tickets::bad_lines_json(bad);
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  std::cout.flush();
  if (!std::cout) return 1;
  return strict && !bad.empty() ? 3 : 0;
}

CommandRegistration reg{"drift", "compare two periods of tickets: verdict and reasons (JSON)", run};

} // namespace
} // namespace supportnlp::cli
