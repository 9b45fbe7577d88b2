// Urgency rules case by case: each signal, negation, clause boundaries,
// combination with sentiment, evidence offsets, and bad input.
#include "urgency_helpers.hpp"

#include <supportnlp/rules/urgency.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

using supportnlp::rules::Urgency;
using supportnlp::rules::UrgencyRules;
using supportnlp::rules::UrgencySignal;

using urgency_test::has;
using urgency_test::rules;
using urgency_test::level;

TEST_CASE("urgency: each signal fires on its phrases", "[pipeline]") {
  struct Case {
    const char* text;
    UrgencySignal signal;
    Urgency level; // at neutral sentiment
  };
  const Case cases[] = {
      {"I think my account was hacked last night", UrgencySignal::security, Urgency::critical},
      {"There is unauthorized access to our admin panel", UrgencySignal::security,
       Urgency::critical},
      {"Someone logged into my account from Brazil", UrgencySignal::security, Urgency::critical},
      {"The dashboard is down for everyone in our office", UrgencySignal::widespread_outage,
       Urgency::critical},
      {"Production is down since 9am", UrgencySignal::widespread_outage, Urgency::critical},
      {"Nobody can log in at the moment", UrgencySignal::widespread_outage, Urgency::critical},
      {"If this is not refunded I will contact my lawyer", UrgencySignal::legal, Urgency::high},
      {"I'm filing a chargeback with my bank", UrgencySignal::legal, Urgency::high},
      {"Your website is down again", UrgencySignal::outage, Urgency::high},
      {"The app keeps crashing on start", UrgencySignal::outage, Urgency::high},
      {"I was charged twice for order 1234", UrgencySignal::payment_failure, Urgency::high},
      {"My card was declined but the money was taken", UrgencySignal::payment_failure,
       Urgency::high},
      {"I got double-charged for the annual plan", UrgencySignal::payment_failure, Urgency::high},
      {"This is the third time I'm writing about this", UrgencySignal::repeated_contact,
       Urgency::high},
      {"Still no answer to my previous email", UrgencySignal::repeated_contact, Urgency::high},
      {"I have contacted you 4 times about the delivery", UrgencySignal::repeated_contact,
       Urgency::high},
      {"URGENT: please update the shipping address", UrgencySignal::explicit_urgency,
       Urgency::high},
      {"We need it by Friday for the launch", UrgencySignal::deadline, Urgency::normal},
      {"Please fix this within 24 hours", UrgencySignal::deadline, Urgency::normal},
      {"No rush, but could you add dark mode?", UrgencySignal::low_priority, Urgency::low},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto a = rules().assess(c.text, 0.0);
    CHECK(has(a, c.signal));
    CHECK(a.level == c.level);
  }
}

TEST_CASE("urgency: ordinary tickets stay normal", "[pipeline]") {
  for (const char* text : {
           "How do I change the email address on my account?",
           "Where can I download the invoice for March?",
           "The calm down feature is great",
           "My order hasn't arrived yet, can you check?",
           "Can I pay with a different card next month?",
           "What does the error code E42 mean?",
           "",
       }) {
    INFO(text);
    const auto a = rules().assess(text, 0.0);
    CHECK(a.level == Urgency::normal);
    CHECK(a.evidence.empty());
  }
}

TEST_CASE("urgency: negation in the same clause cancels a rule", "[pipeline]") {
  CHECK(level("I was not hacked, I just forgot my password") == Urgency::normal);
  CHECK(level("There is no outage on your side") == Urgency::normal);
  CHECK(level("I haven't been charged twice, just once") == Urgency::normal);
  CHECK(level("This is not urgent at all") == Urgency::low);
  // A negator in an earlier clause does not reach across punctuation.
  CHECK(level("Not sure why. We were hacked yesterday") == Urgency::critical);
  CHECK(level("It never arrived. Third time asking") == Urgency::high);
  CHECK(level("Nothing works, no. Hacked!") == Urgency::critical);
  // Negators inside a pattern are part of it.
  CHECK(has(rules().assess("I haven't received my refund", 0), UrgencySignal::payment_failure));
  // Patterns do not span clauses.
  CHECK(level("It is charged. Twice a year we review it") == Urgency::normal);
}

TEST_CASE("urgency: signals add up, sentiment contributes", "[pipeline]") {
  // Two strong signals: critical.
  auto a = rules().assess("Third time asking: I was charged twice!", 0.0);
  CHECK(a.level == Urgency::critical);
  CHECK(a.points == 4);
  // A signal counts once however many of its phrases fire.
  a = rules().assess("charged twice, double charged, overcharged", 0.0);
  CHECK(a.points == 2);
  CHECK(a.evidence.size() == 3);
  // Sentiment alone is tone, not a reason: it does not escalate by default.
  CHECK(level("This product is a joke", 0.0) == Urgency::normal);
  CHECK(level("This product is a joke", -0.9) == Urgency::normal);
  CHECK(rules().assess("This product is a joke", -0.9).evidence.empty());
  supportnlp::rules::UrgencyOptions tone;
  tone.sentiment_needs_signal = false;
  CHECK(UrgencyRules(tone).assess("This product is a joke", -0.4).level == Urgency::normal);
  CHECK(UrgencyRules(tone).assess("This product is a joke", -0.9).level == Urgency::high);
  // low_priority is not a reason for urgency either.
  CHECK(level("No rush, but this is a joke", -0.9) == Urgency::low);
  // Sentiment tips a signal over the edge.
  CHECK(level("We need it by Friday", -0.4) == Urgency::high);
  CHECK(level("I will talk to my lawyer", 0.0) == Urgency::high);
  CHECK(level("I will talk to my lawyer", -0.5) == Urgency::critical);
  // Positive tone without signals is low; with a signal it is not.
  CHECK(level("Thanks, love the new release!", 0.8) == Urgency::low);
  CHECK(level("Thanks! But the site is down", 0.8) == Urgency::high);
  // No rush lowers one point.
  CHECK(level("No rush, but I was charged twice", 0.0) == Urgency::normal);
}

TEST_CASE("urgency: evidence carries byte offsets into the original", "[pipeline]") {
  const std::string text =
      "Hi \xe2\x80\x94 I\xe2\x80\x99ve been WAITING for 3 days, still no answer!";
  const auto a = rules().assess(text, -0.8);
  REQUIRE(a.evidence.size() == 3);
  CHECK(a.evidence[0].signal == UrgencySignal::repeated_contact);
  CHECK(text.substr(a.evidence[0].begin, a.evidence[0].end - a.evidence[0].begin) ==
        "been WAITING");
  CHECK(a.evidence[1].rule == "still no answer");
  CHECK(text.substr(a.evidence[1].begin, a.evidence[1].end - a.evidence[1].begin) ==
        "still no answer");
  CHECK(a.evidence[2].signal == UrgencySignal::negative_sentiment);
  CHECK(a.evidence[2].points == 2);
  CHECK(a.level == Urgency::critical);
  // Curly apostrophes match straight-apostrophe patterns.
  CHECK(has(rules().assess("I didn\xe2\x80\x99t authorize this payment", 0),
            UrgencySignal::security));
}

TEST_CASE("urgency: options, bad sentiment values and bad text", "[pipeline]") {
  CHECK(level("whatever", std::numeric_limits<double>::quiet_NaN()) == Urgency::normal);
  CHECK(level("whatever", -7.0) == Urgency::normal);        // clamped to -1, no signal
  CHECK(level("charged twice", -7.0) == Urgency::critical); // clamped to -1: +2
  CHECK(level("whatever", 42.0) == Urgency::low);           // clamped to 1

  supportnlp::rules::UrgencyOptions strict;
  strict.high_points = 3;
  strict.critical_points = 5;
  const UrgencyRules r(strict);
  CHECK(r.assess("I was charged twice", 0).level == Urgency::normal);
  CHECK(r.assess("I was charged twice, third time I ask", 0).level == Urgency::high);

  for (auto s : {UrgencySignal::security, UrgencySignal::legal, UrgencySignal::deadline})
    CHECK(rules().rule_count(s) > 5);

  const std::string bad = "\xff\xfe hacked \xc3 \xe2\x80";
  const auto a = rules().assess(bad, 0);
  CHECK(a.level == Urgency::critical);
  REQUIRE(a.evidence.size() == 1);
  CHECK(bad.substr(a.evidence[0].begin, a.evidence[0].end - a.evidence[0].begin) == "hacked");

  std::string huge;
  while (huge.size() < (1u << 20))
    huge += "still ";
  const auto h = rules().assess(huge + "no answer", 0);
  CHECK(h.evidence.size() == 1);
  CHECK(rules().assess(std::string(1 << 20, 'x'), 0).evidence.empty());
}

TEST_CASE("urgency: the documented table in docs/urgency.md", "[pipeline]") {
  CHECK(level("My account was hacked") == Urgency::critical);
  CHECK(rules().assess("The site is down for everyone", 0).points == 6);
  CHECK(level("The site is down for everyone") == Urgency::critical);
  CHECK(level("I'll contact my lawyer") == Urgency::high);
  CHECK(level("I'll contact my lawyer", -0.5) == Urgency::critical);
  CHECK(level("I was charged twice") == Urgency::high);
  CHECK(level("Third time asking: I was charged twice!") == Urgency::critical);
  CHECK(level("We need it by Friday") == Urgency::normal);
  CHECK(level("We need it by Friday", -0.4) == Urgency::high);
  CHECK(level("This product is a joke", -0.9) == Urgency::normal);
  CHECK(level("No rush, but could you add dark mode?") == Urgency::low);
  CHECK(level("Thanks, love the new release!", 0.8) == Urgency::low);
}
