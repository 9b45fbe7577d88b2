// The HTML report: well-formed, self-contained (nothing fetched from
// anywhere), every section present and saying something, ticket text
// escaped, and the parts given (topics, gaps, drift) shown.
#include "supportnlp/insights/report.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

using namespace supportnlp::insights;
using namespace supportnlp::pipeline;

namespace {

const char* const kSections[] = {"summary",   "volume",  "queues",    "intents",
                                 "sentiment", "urgency", "languages", "critical",
                                 "topics",    "kb-gaps", "drift"};

// Checks that every element is closed in order (HTML void elements and
// self-closing SVG elements excepted); returns the first problem or "".
std::string nesting_problem(const std::string& html) {
  static const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>)");
  std::vector<std::string> open;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[2];
    if ((*it)[3] == "/" || name == "meta" || name == "br" || name == "hr") continue;
    if ((*it)[1] == "/") {
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">");
      open.pop_back();
    } else {
      open.push_back(name);
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

// The text of section `id`, or "" if absent.
std::string section_body(const std::string& html, const std::string& id) {
  const auto start = html.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  const auto end = html.find("</section>", start);
  return html.substr(start, end - start);
}

void check_self_contained(const std::string& html) {
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<iframe") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find(" href=") == std::string::npos);
  CHECK(nesting_problem(html) == "");
}

TicketFacts ticket(const std::string& id, std::int64_t time, const std::string& queue,
                   const std::string& language, const std::string& sentiment,
                   const std::string& urgency, const std::string& text) {
  TicketFacts f;
  f.id = id;
  f.time = time;
  f.queue = queue;
  f.intent = queue + ".general";
  f.classified = true;
  f.confidence = 0.8f;
  f.language = language;
  f.sentiment = sentiment;
  f.urgency = urgency;
  f.text = text;
  f.redacted = text;
  return f;
}

} // namespace

TEST_CASE("The report is self-contained and has every section", "[pipeline][report]") {
  ReportData d;
  d.source_name = "stream.jsonl";
  const std::int64_t t0 = 1790553600; // 2026-09-28
  for (int i = 0; i < 120; ++i)
    d.tickets.push_back(ticket("S-" + std::to_string(i), t0 + i * 40000,
                               i % 3 ? "billing" : "privacy_security.compromised_account_queue",
                               i % 4 ? "en" : "es", i % 2 ? "negative" : "neutral",
                               i % 10 ? "normal" : "critical",
                               "ticket number " + std::to_string(i) + " about a refund"));
  d.tickets[10].redacted = "<script>alert('x')</script> & my card [CARD]";

  supportnlp::search::TopicReport topics;
  topics.has_timestamps = true;
  topics.split_time = t0 + 60 * 40000;
  topics.assignment.assign(d.tickets.size(), -1);
  supportnlp::search::Topic topic;
  topic.size = 12;
  topic.keywords = {"sync", "e-601", "loading"};
  topic.phrases = {"sync failed"};
  topic.examples = {3, 5, 7};
  topic.earlier = 1;
  topic.recent = 11;
  topic.growth = 5.5;
  topic.emerging = true;
  topics.topics.push_back(topic);
  d.topics = &topics;

  supportnlp::search::GapReport gaps;
  gaps.queries = 120;
  gaps.gaps = 2;
  gaps.groups.push_back({{{"how do I export invoices to my ERP?", 0.31f, "invoices"},
                          {"ERP export of invoices", 0.29f, "invoices"}},
                         0.30f});
  d.gaps = &gaps;
  d.gaps_scored_by = "cosine";
  d.gaps_threshold = 0.5f;

  DriftReport drift;
  drift.drift = true;
  drift.reference_tickets = 240;
  drift.current_tickets = 120;
  drift.reasons = {"queue_mix: JS distance 0.31 >= 0.10"};
  DriftTest t;
  t.name = "queue_mix";
  t.method = "jensen_shannon";
  t.ran = true;
  t.effect = 0.31;
  t.threshold = 0.1;
  t.adjusted_p_value = 0.001;
  t.fired = true;
  drift.tests.push_back(t);
  d.drift = &drift;
  d.reference_name = "before.jsonl";
  d.problems = {"stream.jsonl: line 4: not valid JSON"};

  const auto html = render_report_html(d);
  check_self_contained(html);
  for (const char* id : kSections) {
    INFO(id);
    const auto body = section_body(html, id);
    REQUIRE_FALSE(body.empty());
    CHECK(body.find("<h2>") != std::string::npos);
    CHECK(body.size() > 200); // a heading and something under it
  }
  // Charts are inline SVG with accessible titles.
  CHECK(section_body(html, "volume").find("<svg") != std::string::npos);
  CHECK(section_body(html, "sentiment").find("<svg") != std::string::npos);
  CHECK(section_body(html, "queues").find("<svg") != std::string::npos);
  CHECK(html.find("<title>Tickets per week</title>") != std::string::npos);
  // The long queue name is drawn whole, not cut.
  CHECK(html.find(">privacy_security.compromised_account_queue</text>") != std::string::npos);
  // Ticket text is escaped.
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; my card [CARD]") !=
        std::string::npos);
  // Numbers carry units.
  CHECK(html.find("120 tickets") != std::string::npos);
  CHECK(html.find("tickets (") != std::string::npos);
  // The parts given are shown.
  CHECK(section_body(html, "topics").find("emerging") != std::string::npos);
  CHECK(section_body(html, "topics").find("e-601") != std::string::npos);
  CHECK(section_body(html, "kb-gaps").find("ERP export of invoices") != std::string::npos);
  CHECK(section_body(html, "drift").find("Drift: the tickets differ") != std::string::npos);
  CHECK(section_body(html, "critical").find("S-0") != std::string::npos);
  CHECK(html.find("line 4: not valid JSON") != std::string::npos);
}

TEST_CASE("An empty report still has every section, each saying why", "[pipeline][report]") {
  const auto html = render_report_html({});
  check_self_contained(html);
  for (const char* id : kSections) {
    INFO(id);
    const auto body = section_body(html, id);
    REQUIRE_FALSE(body.empty());
    CHECK(body.find("<p") != std::string::npos);
  }
  CHECK(section_body(html, "drift").find("No reference file") != std::string::npos);
}

TEST_CASE("Daily buckets for a short period, weekly for a long one", "[pipeline][report]") {
  ReportData d;
  const std::int64_t t0 = 1790553600;
  for (int i = 0; i < 10; ++i)
    d.tickets.push_back(ticket("a", t0 + i * 86400, "billing", "en", "neutral", "normal", "x"));
  CHECK(render_report_html(d).find("<title>Tickets per day</title>") != std::string::npos);
  d.tickets.push_back(ticket("b", t0 + 60 * 86400, "billing", "en", "neutral", "normal", "x"));
  CHECK(render_report_html(d).find("<title>Tickets per week</title>") != std::string::npos);
}
