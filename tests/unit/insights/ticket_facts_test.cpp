// TicketFacts: ISO 8601 times, and the two kinds of JSON line (raw ticket,
// analyze output) read into the same facts.
#include "supportnlp/insights/ticket_facts.hpp"

#include <catch2/catch.hpp>

using namespace supportnlp::insights;
using namespace supportnlp::pipeline;

TEST_CASE("ISO 8601 times and dates", "[pipeline][report]") {
  CHECK(parse_iso8601("1970-01-01") == 0);
  CHECK(parse_iso8601("2026-10-05T09:14:00Z") == 1791191640);
  CHECK(parse_iso8601("2026-10-05T09:14Z") == 1791191640);
  CHECK(parse_iso8601("2026-10-05 09:14:00") == 1791191640);
  CHECK(parse_iso8601("2026-10-05T09:14:30.250+02:00") == 1791184470);
  CHECK(parse_iso8601("1969-12-31T23:59:59Z") == -1);
  CHECK_FALSE(parse_iso8601("2026-13-01"));
  CHECK_FALSE(parse_iso8601("05/10/2026"));
  CHECK_FALSE(parse_iso8601("2026-10-05T25:00"));
  CHECK_FALSE(parse_iso8601("2026-10-05Tnoon"));
  CHECK_FALSE(parse_iso8601(""));
  CHECK(format_date(1791191640) == "2026-10-05");
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(-1) == "1969-12-31");
}

TEST_CASE("Analyze output lines become facts; bad lines are errors", "[pipeline][report]") {
  const std::string line =
      R"({"id":"T-1","created_at":"2026-10-05T09:14:00Z","language":{"code":"de","confidence":0.99},)"
      R"("normalized":"app stürzt ab","sentiment":{"label":"negative","score":-0.5,"evidence":[]},)"
      R"("queue":{"label":"out_of_scope","confidence":0.6},"intent":{"label":"oos","confidence":0.31,)"
      R"("out_of_scope":true,"reason":"low_confidence","top":[],"evidence":[]},)"
      R"("urgency":{"level":"high","points":2,"evidence":[]},"kb":[],)"
      R"("pii":{"spans":[],"redacted":"App stürzt ab"},"repaired_utf8":false})";
  auto f = read_ticket_line(line, nullptr);
  REQUIRE(f);
  CHECK(f->id == "T-1");
  CHECK(f->time == 1791191640);
  CHECK(f->language == "de");
  CHECK(f->queue == "out_of_scope");
  CHECK(f->intent == "out_of_scope");
  CHECK(f->out_of_scope);
  CHECK(f->out_of_scope_reason == "low_confidence");
  CHECK(f->classified);
  CHECK(f->confidence == Approx(0.31));
  CHECK(f->sentiment == "negative");
  CHECK(f->urgency == "high");
  CHECK(f->text == "app stürzt ab");
  CHECK(f->redacted == "App stürzt ab");
  CHECK_FALSE(is_raw_ticket_line(line));

  CHECK(is_raw_ticket_line(R"({"text":"hello"})"));
  const auto raw = read_ticket_line(R"({"text":"hello"})", nullptr);
  REQUIRE_FALSE(raw);
  CHECK(raw.error().code == supportnlp::ErrorCode::invalid_argument);
  CHECK_FALSE(read_ticket_line("not json", nullptr));
  CHECK_FALSE(read_ticket_line("[1,2]", nullptr));
  CHECK_FALSE(read_ticket_line(R"({"id":"x"})", nullptr));
  CHECK_FALSE(read_ticket_line(R"({"line":3,"error":"bad JSON"})", nullptr));
  CHECK_FALSE(read_ticket_line(R"({"text":"x","created_at":"yesterday"})", nullptr));
  CHECK_FALSE(read_ticket_line(R"({"text":"x","created_at":true})", nullptr));
}

TEST_CASE("Raw tickets are analysed with the default bundle", "[pipeline][report]") {
  auto analyzer = Analyzer::open_directory(std::string(SUPPORTNLP_SOURCE_DIR) + "/data");
  REQUIRE(analyzer);
  auto f = read_ticket_line(
      R"({"id":7,"timestamp":1791191640,"text":"I was charged twice, mail me at bob@example.com"})",
      &analyzer.value());
  REQUIRE(f);
  CHECK(f->id == "7");
  CHECK(f->time == 1791191640);
  CHECK(f->language == "en");
  CHECK(f->queue == "billing");
  CHECK(f->redacted.find("bob@example.com") == std::string::npos);
  CHECK(f->text.find("charged twice") != std::string::npos);
}
