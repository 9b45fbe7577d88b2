// compare_periods: the eight drift tests, Holm's adjustment, the verdict and
// its reasons, and the report as JSON.
#include "drift_internal.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

namespace supportnlp::insights {

namespace {

using drift_detail::Random;

// Category of a ticket for one mix ("" = not observed).
using CategoryOf = std::function<std::string(const TicketFacts&)>;

std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * share);
  return buf;
}

std::string number(double x, int digits = 3) {
  char buf[32];
  if (x > 0 && x < 0.001)
    std::snprintf(buf, sizeof buf, "%.1e", x);
  else
    std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

DriftTest mix_test(const std::string& name, const std::vector<TicketFacts>& reference,
                   const std::vector<TicketFacts>& current, const CategoryOf& category_of,
                   const DriftOptions& o, Random& rng) {
  DriftTest t;
  t.name = name;
  t.method = "jensen_shannon";
  t.threshold = o.distance_threshold;
  std::map<std::string, int> ids;
  std::vector<int> codes_ref, codes_cur;
  for (int period = 0; period < 2; ++period)
    for (const auto& f : period ? current : reference)
      if (auto c = category_of(f); !c.empty()) ids.emplace(std::move(c), 0);
  // Codes in name order, so the output does not depend on input order.
  int next = 0;
  for (auto& [c, id] : ids)
    id = next++;
  for (int period = 0; period < 2; ++period)
    for (const auto& f : period ? current : reference) {
      const auto c = category_of(f);
      if (!c.empty()) (period ? codes_cur : codes_ref).push_back(ids[c]);
    }
  t.reference_n = codes_ref.size();
  t.current_n = codes_cur.size();
  if (t.reference_n < o.min_tickets || t.current_n < o.min_tickets) {
    t.skipped_because =
        t.reference_n + t.current_n == 0
            ? "no ticket carries this field"
            : "fewer than " + std::to_string(o.min_tickets) + " tickets in a period";
    return t;
  }
  t.ran = true;
  const std::size_t k = ids.size();
  std::vector<double> cr(k, 0.0), cc(k, 0.0);
  for (int c : codes_ref)
    cr[std::size_t(c)] += 1;
  for (int c : codes_cur)
    cc[std::size_t(c)] += 1;
  t.effect = js_distance(cr, cc);
  t.psi = population_stability_index(cr, cc);

  // Permutation test: which tickets are "current" is shuffled; the p-value
  // is the share of shuffles with a distance at least the observed one.
  std::vector<int> pooled(codes_ref);
  pooled.insert(pooled.end(), codes_cur.begin(), codes_cur.end());
  std::vector<double> total(k, 0.0);
  for (int c : pooled)
    total[std::size_t(c)] += 1;
  const std::size_t n_pick = codes_cur.size();
  const int rounds = std::max(99, o.permutations);
  int as_large = 0;
  std::vector<double> pick(k), rest(k);
  for (int r = 0; r < rounds; ++r) {
    std::fill(pick.begin(), pick.end(), 0.0);
    for (std::size_t i = 0; i < n_pick; ++i) {
      std::swap(pooled[i], pooled[i + rng.below(pooled.size() - i)]);
      pick[std::size_t(pooled[i])] += 1;
    }
    for (std::size_t c = 0; c < k; ++c)
      rest[c] = total[c] - pick[c];
    if (js_distance(rest, pick) >= t.effect - 1e-12) ++as_large;
  }
  t.p_value = double(1 + as_large) / double(1 + rounds);

  std::vector<std::string> names(k);
  for (const auto& [c, id] : ids)
    names[std::size_t(id)] = c;
  const double nr = double(t.reference_n), nc = double(t.current_n);
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(cc[a] / nc - cr[a] / nr) > std::fabs(cc[b] / nc - cr[b] / nr);
  });
  for (std::size_t i = 0; i < k && i < 5; ++i)
    t.shifts.push_back({names[order[i]], cr[order[i]] / nr, cc[order[i]] / nc});
  return t;
}

DriftTest ks_test(const std::string& name, const std::vector<double>& a,
                  const std::vector<double>& b, const DriftOptions& o) {
  DriftTest t;
  t.name = name;
  t.method = "kolmogorov_smirnov";
  t.threshold = o.distance_threshold;
  t.reference_n = a.size();
  t.current_n = b.size();
  if (a.size() < o.min_tickets || b.size() < o.min_tickets) {
    t.skipped_because = a.size() + b.size() == 0 ? "no routing model output in the tickets"
                                                 : "fewer than " + std::to_string(o.min_tickets) +
                                                       " tickets in a period";
    return t;
  }
  t.ran = true;
  const auto r = ks_two_sample(a, b);
  t.effect = r.statistic;
  t.p_value = r.p_value;
  double ma = 0, mb = 0;
  for (double x : a)
    ma += x;
  for (double x : b)
    mb += x;
  t.shifts.push_back({"mean", ma / double(a.size()), mb / double(b.size())});
  return t;
}

std::string reason(const DriftTest& t, const DriftOptions& o) {
  std::string s;
  if (t.method == "jensen_shannon") {
    s = t.name + ": JS distance " + number(t.effect) + " >= " + number(o.distance_threshold, 2) +
        " (PSI " + number(t.psi) + ")";
    if (!t.shifts.empty())
      s += "; " + t.shifts.front().category + " " + percent(t.shifts.front().reference_share) +
           " -> " + percent(t.shifts.front().current_share);
  } else if (t.method == "kolmogorov_smirnov") {
    s = t.name + ": KS D " + number(t.effect) + " >= " + number(o.distance_threshold, 2);
    if (!t.shifts.empty())
      s += "; mean " + number(t.shifts.front().reference_share) + " -> " +
           number(t.shifts.front().current_share);
  } else if (t.method == "domain_classifier_tail") {
    s = t.name + ": " + percent(t.shifts.front().current_share) +
        " of current tickets read unlike 95% of the reference (reference " +
        percent(t.shifts.front().reference_share) + "), excess " + number(t.effect) +
        " >= " + number(o.novel_share_threshold, 2) + ", about " +
        std::to_string(static_cast<long long>(std::lround(t.effect * double(t.current_n)))) +
        " tickets";
  } else {
    s = t.name + ": a classifier tells current from reference tickets with cross-validated AUC " +
        number(t.effect) + " >= " + number(o.auc_threshold, 2);
  }
  return s + ", adjusted p " + number(t.adjusted_p_value, 4) + " < " + number(o.p_threshold, 2);
}

} // namespace

DriftReport compare_periods(const std::vector<TicketFacts>& reference,
                            const std::vector<TicketFacts>& current, const DriftOptions& o) {
  DriftReport report;
  report.options = o;
  report.reference_tickets = reference.size();
  report.current_tickets = current.size();
  Random rng(o.seed);

  report.tests.push_back(mix_test(
      "queue_mix", reference, current, [](const TicketFacts& f) { return f.queue; }, o, rng));
  report.tests.push_back(mix_test(
      "intent_mix", reference, current, [](const TicketFacts& f) { return f.intent; }, o, rng));
  report.tests.push_back(mix_test(
      "language_mix", reference, current, [](const TicketFacts& f) { return f.language; }, o, rng));
  report.tests.push_back(mix_test(
      "sentiment_mix", reference, current, [](const TicketFacts& f) { return f.sentiment; }, o,
      rng));

  std::vector<double> conf_ref, conf_cur, oos_ref, oos_cur;
  for (int period = 0; period < 2; ++period)
    for (const auto& f : period ? current : reference) {
      if (f.classified) (period ? conf_cur : conf_ref).push_back(f.confidence);
      if (!f.queue.empty()) (period ? oos_cur : oos_ref).push_back(f.out_of_scope ? 1.0 : 0.0);
    }
  report.tests.push_back(ks_test("confidence", conf_ref, conf_cur, o));
  report.tests.push_back(ks_test("out_of_scope_rate", oos_ref, oos_cur, o));

  DriftTest text, novel;
  novel.name = "text_novel_share";
  novel.method = "domain_classifier_tail";
  novel.threshold = o.novel_share_threshold;
  text.name = "text_domain";
  text.method = "domain_classifier_auc";
  text.threshold = o.auc_threshold;
  std::vector<const std::string*> tr, tc;
  for (const auto& f : reference)
    if (!f.text.empty()) tr.push_back(&f.text);
  for (const auto& f : current)
    if (!f.text.empty()) tc.push_back(&f.text);
  text.reference_n = tr.size();
  text.current_n = tc.size();
  if (!o.text_test) {
    text.skipped_because = "switched off";
  } else if (tr.size() < o.min_tickets || tc.size() < o.min_tickets) {
    text.skipped_because = "fewer than " + std::to_string(o.min_tickets) + " texts in a period";
  } else {
    const auto d = drift_detail::domain_classifier_auc(tr, tc, o);
    text.ran = true;
    text.effect = d.auc;
    text.p_value = d.p_value;
    text.reference_n = d.reference_n;
    text.current_n = d.current_n;
    novel.ran = true;
    novel.effect = d.current_tail - d.reference_tail;
    novel.p_value = d.tail_p_value;
    novel.shifts.push_back({"above_reference_p95", d.reference_tail, d.current_tail});
  }
  novel.reference_n = text.reference_n;
  novel.current_n = text.current_n;
  novel.skipped_because = text.skipped_because;
  report.tests.push_back(std::move(text));
  report.tests.push_back(std::move(novel));

  std::vector<double> ps;
  for (const auto& t : report.tests)
    if (t.ran) ps.push_back(t.p_value);
  const auto adjusted = holm_adjust(ps);
  std::size_t i = 0;
  for (auto& t : report.tests) {
    if (!t.ran) continue;
    t.adjusted_p_value = adjusted[i++];
    const bool psi_gate =
        t.method == "jensen_shannon" && o.psi_threshold > 0 && t.psi >= o.psi_threshold;
    t.fired = (t.effect >= t.threshold || psi_gate) && t.adjusted_p_value < o.p_threshold;
    if (t.method == "domain_classifier_tail")
      t.fired = t.fired && t.effect * double(t.current_n) >= double(o.novel_min_tickets);
    if (t.fired) {
      report.drift = true;
      report.reasons.push_back(reason(t, o));
    }
  }
  return report;
}

std::string to_json(const DriftReport& r, int indent) {
  const auto round4 = [](double x) { return std::isfinite(x) ? std::round(x * 1e4) / 1e4 : 0.0; };
  const auto round_p = [](double x) {
    // Small p-values keep their significant digits.
    if (!std::isfinite(x)) return 1.0;
    if (x > 0 && x < 1e-3) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g", x);
      return std::strtod(buf, nullptr);
    }
    return std::round(x * 1e4) / 1e4;
  };
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& t : r.tests) {
    nlohmann::ordered_json j;
    j["name"] = t.name;
    j["method"] = t.method;
    j["ran"] = t.ran;
    if (!t.ran) j["skipped_because"] = t.skipped_because;
    j["effect"] = round4(t.effect);
    j["threshold"] = t.threshold;
    if (t.method == "jensen_shannon") j["psi"] = round4(t.psi);
    j["p_value"] = round_p(t.p_value);
    j["adjusted_p_value"] = round_p(t.adjusted_p_value);
    j["fired"] = t.fired;
    j["reference_n"] = t.reference_n;
    j["current_n"] = t.current_n;
    nlohmann::ordered_json shifts = nlohmann::ordered_json::array();
    for (const auto& s : t.shifts)
      shifts.push_back({{"category", s.category},
                        {"reference", round4(s.reference_share)},
                        {"current", round4(s.current_share)}});
    j["shifts"] = std::move(shifts);
    tests.push_back(std::move(j));
  }
  nlohmann::ordered_json j;
  j["verdict"] = r.drift ? "drift" : "no drift";
  j["drift"] = r.drift;
  j["reasons"] = r.reasons;
  j["reference_tickets"] = r.reference_tickets;
  j["current_tickets"] = r.current_tickets;
  j["options"] = {{"distance_threshold", r.options.distance_threshold},
                  {"auc_threshold", r.options.auc_threshold},
                  {"novel_share_threshold", r.options.novel_share_threshold},
                  {"novel_min_tickets", r.options.novel_min_tickets},
                  {"p_threshold", r.options.p_threshold},
                  {"psi_threshold", r.options.psi_threshold},
                  {"permutations", r.options.permutations},
                  {"folds", r.options.folds},
                  {"max_texts", r.options.max_texts},
                  {"min_tickets", r.options.min_tickets},
                  {"seed", r.options.seed}};
  j["tests"] = std::move(tests);
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace supportnlp::insights
