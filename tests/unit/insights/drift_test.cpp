// Drift: the statistics against values computed by hand (or with the
// textbook formula written out separately), then the verdict logic on
// synthetic periods whose answer is known.
#include "supportnlp/insights/drift.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace supportnlp::insights;
using namespace supportnlp::pipeline;

TEST_CASE("Jensen-Shannon distance and PSI match hand-computed values", "[pipeline][drift]") {
  CHECK(js_distance({1, 1}, {1, 1}) == Approx(0.0).margin(1e-12));
  CHECK(js_distance({1, 0}, {0, 1}) == Approx(1.0));
  // p = (1/2, 1/2), q = (1, 0), m = (3/4, 1/4):
  // JSD = 1/2 (1/2 log2(2/3) + 1/2 log2 2) + 1/2 log2(4/3) = 0.311278 bits.
  CHECK(js_distance({2, 2}, {3, 0}) == Approx(0.5579230453).epsilon(1e-9));
  CHECK(js_distance({0.5, 0.5}, {1, 0}) == Approx(0.5579230453).epsilon(1e-9));
  // Symmetric, and counts or shares give the same answer.
  CHECK(js_distance({3, 0}, {2, 2}) == Approx(js_distance({2, 2}, {3, 0})));
  CHECK(js_distance({0, 0}, {1, 2}) == 0.0);

  // (0.25 - 0.5) ln 0.5 + (0.75 - 0.5) ln 1.5
  CHECK(population_stability_index({1, 1}, {1, 3}) == Approx(0.2746530722).epsilon(1e-9));
  CHECK(population_stability_index({5, 5}, {1, 1}) == Approx(0.0).margin(1e-12));
  // An empty category stays finite thanks to the floor.
  const double psi = population_stability_index({1, 0}, {1, 1});
  CHECK(std::isfinite(psi));
  CHECK(psi > 1.0);
}

TEST_CASE("Two-sample KS statistic and p-value", "[pipeline][drift]") {
  const auto r = ks_two_sample({1, 2, 3, 4}, {3, 4, 5, 6});
  CHECK(r.statistic == Approx(0.5));
  // Kolmogorov Q at (sqrt(2) + 0.12 + 0.11 / sqrt(2)) * 0.5
  CHECK(r.p_value == Approx(0.5344157192).epsilon(1e-6));
  // Ties are stepped over together: F_a(0) = 2/3, F_b(0) = 1/3.
  CHECK(ks_two_sample({0, 0, 1}, {0, 1, 1}).statistic == Approx(1.0 / 3));
  CHECK(ks_two_sample({1, 2, 3}, {1, 2, 3}).statistic == 0.0);
  CHECK(ks_two_sample({1, 2, 3}, {1, 2, 3}).p_value == Approx(1.0));
  CHECK(ks_two_sample({}, {1.0}).p_value == 1.0);
  CHECK(kolmogorov_q(1.0) == Approx(0.2699996717).epsilon(1e-8));
  CHECK(kolmogorov_q(0.0) == 1.0);
  CHECK(kolmogorov_q(3.0) < 1e-6);
}

TEST_CASE("ROC AUC, its Mann-Whitney p-value and Holm's adjustment", "[pipeline][drift]") {
  // Positives 0.35, 0.8 against negatives 0.1, 0.4: 3 of 4 pairs ordered.
  CHECK(roc_auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}) == Approx(0.75));
  CHECK(roc_auc({0.5, 0.5}, {0, 1}) == Approx(0.5)); // a tie counts half
  CHECK(roc_auc({0.9, 0.1}, {0, 1}) == Approx(0.0));
  CHECK(roc_auc({0.9, 0.1}, {1, 1}) == 0.5); // one class only

  // Perfect separation of 5 and 5: U = 25, mean 12.5, variance 25 / 12 * 11,
  // z = (25 - 12.5 - 0.5) / sd.
  const std::vector<double> s{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<std::uint8_t> y{0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  CHECK(auc_p_value(s, y) == Approx(0.0060928902).epsilon(1e-6));
  const std::vector<std::uint8_t> reversed{1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
  CHECK(auc_p_value(s, reversed) > 0.99); // one-sided: below 0.5 is no evidence

  const auto adj = holm_adjust({0.01, 0.04, 0.03});
  REQUIRE(adj.size() == 3);
  CHECK(adj[0] == Approx(0.03));
  CHECK(adj[1] == Approx(0.06)); // step-down stays monotone: max(0.06, 0.04)
  CHECK(adj[2] == Approx(0.06));
  CHECK(holm_adjust({0.9, 0.8})[0] == Approx(1.0));
}

namespace {

TicketFacts facts(const std::string& queue, const std::string& language,
                  const std::string& sentiment, float confidence, const std::string& text) {
  TicketFacts f;
  f.queue = queue;
  f.intent = queue + ".general";
  f.out_of_scope = queue == "out_of_scope";
  f.classified = true;
  f.confidence = confidence;
  f.language = language;
  f.sentiment = sentiment;
  f.urgency = "normal";
  f.text = text;
  f.redacted = text;
  return f;
}

const char* const kQueues[] = {"billing", "account", "orders_delivery", "returns_refunds"};
const char* const kSentiments[] = {"negative", "neutral", "positive"};
const char* const kTexts[] = {
    "i was charged twice for my order",    "cannot log in to my account",
    "where is my parcel, it is late",      "i want to return the shoes",
    "please refund the duplicate payment", "password reset link does not work",
    "tracking has not updated for a week", "the jacket is the wrong size"};

// A period drawn from one fixed mix: ticket i gets the i-th entry of each
// cycle, so two periods of the same size have the same mix exactly.
std::vector<TicketFacts> steady_period(std::size_t n, std::size_t offset) {
  std::vector<TicketFacts> out;
  for (std::size_t i = offset; i < offset + n; ++i)
    out.push_back(facts(kQueues[i % 4], i % 5 == 0 ? "es" : "en", kSentiments[i % 3],
                        0.5f + 0.05f * float(i % 9), kTexts[i % 8]));
  return out;
}

} // namespace

TEST_CASE("Periods from the same mix give no drift; every test runs", "[pipeline][drift]") {
  const auto report = compare_periods(steady_period(240, 0), steady_period(120, 240));
  CHECK_FALSE(report.drift);
  CHECK(report.reasons.empty());
  REQUIRE(report.tests.size() == 8);
  for (const auto& t : report.tests) {
    INFO(t.name);
    CHECK(t.ran);
    CHECK_FALSE(t.fired);
  }
  CHECK(report.reference_tickets == 240);
  CHECK(report.current_tickets == 120);
}

TEST_CASE("An injected issue fires the queue mix, confidence and text tests", "[pipeline][drift]") {
  auto current = steady_period(80, 240);
  for (int i = 0; i < 60; ++i)
    current.push_back(facts("technical_issue", "en", "negative", 0.35f,
                            i % 2 ? "app 6.0 stuck on loading screen sync failed e-601"
                                  : "since the update to 6.0 the app says sync failed"));
  const auto report = compare_periods(steady_period(240, 0), current);
  CHECK(report.drift);
  CHECK_FALSE(report.reasons.empty());
  const auto find = [&](const std::string& name) {
    for (const auto& t : report.tests)
      if (t.name == name) return t;
    FAIL("no test " << name);
    return DriftTest{};
  };
  const auto queue = find("queue_mix");
  CHECK(queue.fired);
  CHECK(queue.effect >= 0.1);
  CHECK(queue.adjusted_p_value < 0.05);
  REQUIRE_FALSE(queue.shifts.empty());
  CHECK(queue.shifts.front().category == "technical_issue");
  CHECK(queue.shifts.front().reference_share == 0.0);
  CHECK(queue.shifts.front().current_share == Approx(60.0 / 140));
  CHECK(find("confidence").fired);
  const auto text = find("text_domain");
  CHECK(text.fired);
  // 60 of the 140 current tickets are new text and 80 look like the
  // reference, so the best reachable AUC is about 60/140 + 80/140 / 2 = 0.71.
  CHECK(text.effect > 0.6);
}

TEST_CASE("A new issue at a few percent of the traffic fires text_novel_share, not the AUC",
          "[pipeline][drift]") {
  // 60 tickets about something new among 1,000 ordinary ones (5.7%): however
  // well a classifier tells them apart, the AUC stays near 0.5 + 0.057 / 2,
  // under 0.55, but the new tickets land in the reference's top 5%.
  const char* const places[] = {"at the shop", "in the supermarket",    "on the bus",
                                "at a cafe",   "at the petrol station", "in a restaurant"};
  const char* const what[] = {"contactless payment declined", "tap to pay not working",
                              "contactless refused", "card tap does nothing",
                              "contactless terminal rejected my card"};
  const auto reference = steady_period(1000, 0);
  auto current = steady_period(1000, 1000);
  auto quiet = current;
  for (int i = 0; i < 60; ++i)
    current.push_back(facts(kQueues[i % 4], "en", kSentiments[i % 3], 0.5f + 0.05f * float(i % 9),
                            std::string(what[i % 5]) + " " + places[i % 6] + " again, ticket " +
                                std::to_string(i)));
  const auto find = [](const DriftReport& r, const std::string& name) {
    for (const auto& t : r.tests)
      if (t.name == name) return t;
    FAIL("no test " << name);
    return DriftTest{};
  };
  const auto report = compare_periods(reference, current);
  const auto auc = find(report, "text_domain");
  const auto novel = find(report, "text_novel_share");
  CHECK(auc.ran);
  CHECK(auc.effect < 0.55);
  CHECK_FALSE(auc.fired);
  REQUIRE(novel.ran);
  CHECK(novel.method == "domain_classifier_tail");
  REQUIRE(novel.shifts.size() == 1);
  CHECK(novel.shifts[0].reference_share <= 0.05 + 1e-9);
  // Most of the 60 new tickets are in the tail: the excess is close to
  // their 5.7% share.
  CHECK(novel.effect == Approx(novel.shifts[0].current_share - novel.shifts[0].reference_share));
  CHECK(novel.effect > 0.04);
  CHECK(novel.effect < 60.0 / 1060 + 0.01);
  CHECK(novel.adjusted_p_value < 0.05);
  CHECK(novel.fired);
  CHECK(report.drift);
  REQUIRE_FALSE(report.reasons.empty());
  CHECK(report.reasons.back().rfind("text_novel_share: ", 0) == 0);

  // The same current period without the new tickets: nothing in the tail.
  const auto calm = compare_periods(reference, quiet);
  CHECK_FALSE(find(calm, "text_novel_share").fired);
  CHECK(find(calm, "text_novel_share").effect < 0.02);
  CHECK_FALSE(calm.drift);

  // A threshold above the new share keeps it quiet (the effect gate).
  DriftOptions high;
  high.novel_share_threshold = 0.2;
  CHECK_FALSE(find(compare_periods(reference, current, high), "text_novel_share").fired);
  // So does asking for more extra tickets than the 60 new ones.
  DriftOptions many;
  many.novel_min_tickets = 100;
  const auto few = find(compare_periods(reference, current, many), "text_novel_share");
  CHECK(few.effect == Approx(novel.effect));
  CHECK(few.adjusted_p_value < 0.05);
  CHECK_FALSE(few.fired);
}

TEST_CASE("The effect gate: a significant but small shift does not fire", "[pipeline][drift]") {
  // 20,000 tickets a period; billing 50% -> 54%: the permutation test finds
  // it (p < 0.001) but the JS distance stays near 0.03.
  std::vector<TicketFacts> ref, cur;
  for (int i = 0; i < 20000; ++i) {
    ref.push_back(facts(i % 100 < 50 ? "billing" : "account", "en", "neutral", 0.8f, ""));
    cur.push_back(facts(i % 100 < 54 ? "billing" : "account", "en", "neutral", 0.8f, ""));
  }
  DriftOptions o;
  o.text_test = false;
  o.permutations = 199;
  const auto report = compare_periods(ref, cur, o);
  const auto& queue = report.tests[0];
  REQUIRE(queue.name == "queue_mix");
  CHECK(queue.p_value < 0.01);
  CHECK(queue.effect < 0.1);
  CHECK_FALSE(queue.fired);
  CHECK_FALSE(report.drift);

  // With PSI switched on as a trigger at a low threshold, the same shift fires.
  o.psi_threshold = 0.001;
  CHECK(compare_periods(ref, cur, o).tests[0].fired);
}

TEST_CASE("Too few tickets: tests are skipped and the verdict is no drift", "[pipeline][drift]") {
  const auto report = compare_periods(steady_period(10, 0), steady_period(5, 10));
  CHECK_FALSE(report.drift);
  for (const auto& t : report.tests) {
    CHECK_FALSE(t.ran);
    CHECK_FALSE(t.skipped_because.empty());
  }
  // No intent model: the routing tests say why they did not run.
  auto a = steady_period(50, 0), b = steady_period(50, 50);
  for (auto* period : {&a, &b})
    for (auto& f : *period) {
      f.queue.clear();
      f.intent.clear();
      f.classified = false;
    }
  const auto r2 = compare_periods(a, b);
  CHECK_FALSE(r2.tests[0].ran);
  CHECK(r2.tests[2].ran); // language mix still runs
}

TEST_CASE("Drift reports are deterministic and serialise to JSON", "[pipeline][drift]") {
  auto current = steady_period(100, 240);
  for (int i = 0; i < 30; ++i)
    current.push_back(facts("technical_issue", "de", "negative", 0.3f, "app absturz nach update"));
  const auto a = to_json(compare_periods(steady_period(240, 0), current));
  const auto b = to_json(compare_periods(steady_period(240, 0), current));
  CHECK(a == b);
  const auto j = nlohmann::json::parse(a);
  CHECK(j["verdict"] == "drift");
  CHECK(j["drift"] == true);
  CHECK(j["tests"].size() == 8);
  CHECK(j["tests"][0]["name"] == "queue_mix");
  CHECK(j["options"]["distance_threshold"] == 0.1);
  CHECK(j["options"]["auc_threshold"] == 0.55);
  CHECK(j["options"]["novel_share_threshold"] == DriftOptions{}.novel_share_threshold);
  CHECK(j["tests"][7]["name"] == "text_novel_share");
  CHECK(j["options"]["novel_min_tickets"] == DriftOptions{}.novel_min_tickets);
  CHECK(j["options"]["p_threshold"] == 0.05);
  CHECK_FALSE(j["reasons"].empty());
}
