// The default choice of tickets for topic discovery: out of scope or routed
// with a queue confidence below TopicSelection::max_confidence.
#include "supportnlp/search/topics.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace supportnlp::search;

TEST_CASE("out-of-scope tickets are always selected", "[search][topics]") {
  TopicSelection strict;
  strict.max_confidence = 0.0; // no routed ticket is unsure
  CHECK(select_for_topics(true, 1.0, strict));
  CHECK(select_for_topics(true, 0.0, strict));
  CHECK_FALSE(select_for_topics(false, 0.0, strict));
  CHECK(select_for_topics(true, 0.99));
}

TEST_CASE("routed tickets are selected below the threshold, not at or above it",
          "[search][topics]") {
  const TopicSelection def;
  const double t = def.max_confidence;
  REQUIRE(t > 0.5);
  REQUIRE(t < 1.0);
  CHECK(select_for_topics(false, 0.5));                    // the old default kept this out
  CHECK(select_for_topics(false, std::nextafter(t, 0.0))); // just below
  CHECK_FALSE(select_for_topics(false, t));                // at the threshold
  CHECK_FALSE(select_for_topics(false, 1.0));

  TopicSelection loose;
  loose.max_confidence = 0.5;
  CHECK_FALSE(select_for_topics(false, 0.7, loose));
  CHECK(select_for_topics(false, 0.7));
  TopicSelection everything;
  everything.max_confidence = 1.01; // even a certain routing is "unsure"
  CHECK(select_for_topics(false, 1.0, everything));
}

TEST_CASE("a confidence that is not a number counts as unsure", "[search][topics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(select_for_topics(false, nan));
  TopicSelection strict;
  strict.max_confidence = 0.0;
  CHECK(select_for_topics(false, nan, strict));
}

TEST_CASE("a higher threshold selects a superset of the tickets", "[search][topics]") {
  // Monotone in the threshold: every ticket selected at 0.5 is selected at
  // the default, and the default selects more of a spread of confidences.
  std::vector<double> confidences;
  for (int i = 0; i <= 100; ++i)
    confidences.push_back(i / 100.0);
  TopicSelection low;
  low.max_confidence = 0.5;
  int at_low = 0, at_default = 0;
  for (double c : confidences) {
    const bool a = select_for_topics(false, c, low), b = select_for_topics(false, c);
    CHECK((!a || b));
    at_low += a;
    at_default += b;
  }
  CHECK(at_low == 50);
  CHECK(at_default > at_low);
}
