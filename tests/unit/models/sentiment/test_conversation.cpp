// The escalation rule of ConversationTracker, case by case.
#include <catch2/catch.hpp>

#include <supportnlp/models/sentiment/conversation.hpp>

using namespace supportnlp::models;

TEST_CASE("calm conversations do not escalate", "[models][conversation]") {
  ConversationTracker t;
  t.add_turn(Role::customer, "Hi, how do I change my delivery address?");
  t.add_turn(Role::agent, "You can do it under Settings > Addresses.");
  const auto u = t.add_turn(Role::customer, "Great, that worked, thanks!");
  CHECK_FALSE(u.event);
  CHECK(t.events().empty());
  CHECK(t.smoothed() > 0);
  CHECK(t.turns().size() == 3);
}

TEST_CASE("smoothing is an exponential moving average of customer turns",
          "[models][conversation]") {
  EscalationOptions o;
  o.smoothing = 0.25f;
  ConversationTracker t(o);
  CHECK(t.add_scored_turn(Role::customer, 0.8f).smoothed == Approx(0.8f));
  CHECK(t.add_scored_turn(Role::agent, -1.0f).smoothed == Approx(0.8f)); // agents do not count
  CHECK(t.add_scored_turn(Role::customer, 0.0f).smoothed == Approx(0.6f));
  CHECK(t.add_scored_turn(Role::customer, 5.0f).score == 1.0f); // clamped
}

TEST_CASE("a strongly negative turn escalates at once", "[models][conversation]") {
  ConversationTracker t;
  t.add_scored_turn(Role::customer, 0.3f);
  const auto u = t.add_scored_turn(Role::customer, -0.9f);
  REQUIRE(u.event);
  CHECK(u.event->reason == EscalationReason::strongly_negative);
  CHECK(u.event->turn == 1);
  CHECK(u.escalated);
}

TEST_CASE("sustained negativity escalates after the configured turns", "[models][conversation]") {
  EscalationOptions o;
  o.sustained_turns = 3;
  ConversationTracker t(o);
  CHECK_FALSE(t.add_scored_turn(Role::customer, -0.5f).event);
  CHECK_FALSE(t.add_scored_turn(Role::agent, 0.5f).event);
  CHECK_FALSE(t.add_scored_turn(Role::customer, -0.5f).event);
  const auto u = t.add_scored_turn(Role::customer, -0.5f);
  REQUIRE(u.event);
  CHECK(u.event->reason == EscalationReason::stayed_negative);
  CHECK(u.event->turn == 3);
  // No repeated alert while it stays negative.
  CHECK_FALSE(t.add_scored_turn(Role::customer, -0.6f).event);
  CHECK(t.events().size() == 1);
}

TEST_CASE("sustained negativity by conversation time", "[models][conversation]") {
  EscalationOptions o;
  o.sustained_turns = 10;
  o.sustained_seconds = 300;
  ConversationTracker t(o);
  CHECK_FALSE(t.add_scored_turn(Role::customer, -0.5f, 0.0).event);
  CHECK_FALSE(t.add_scored_turn(Role::customer, -0.5f, 120.0).event);
  const auto u = t.add_scored_turn(Role::customer, -0.5f, 400.0);
  REQUIRE(u.event);
  CHECK(u.event->reason == EscalationReason::stayed_negative);
  // A timestamp going backwards is treated as the previous one.
  CHECK(t.add_scored_turn(Role::agent, 0.0f, 10.0).timestamp == Approx(400.0));
}

TEST_CASE("a sharp drop into negative escalates", "[models][conversation]") {
  EscalationOptions o;
  o.smoothing = 0.8f;
  ConversationTracker t(o);
  t.add_scored_turn(Role::customer, 0.8f);
  t.add_scored_turn(Role::customer, 0.8f);
  const auto u = t.add_scored_turn(Role::customer, -0.8f);
  REQUIRE(u.event);
  CHECK(u.event->reason == EscalationReason::turned_negative);
  CHECK(u.smoothed < 0);
}

TEST_CASE("alerts re-arm after the customer recovers", "[models][conversation]") {
  ConversationTracker t;
  REQUIRE(t.add_scored_turn(Role::customer, -0.9f).event);
  t.add_scored_turn(Role::customer, 0.9f);
  const auto recovered = t.add_scored_turn(Role::customer, 0.9f);
  CHECK_FALSE(recovered.escalated);
  REQUIRE(t.add_scored_turn(Role::customer, -0.95f).event);
  CHECK(t.events().size() == 2);
  t.reset();
  CHECK(t.turns().empty());
  CHECK(t.events().empty());
  CHECK_FALSE(t.escalated());
}

TEST_CASE("agent turns never escalate", "[models][conversation]") {
  ConversationTracker t;
  for (int i = 0; i < 5; ++i)
    CHECK_FALSE(t.add_scored_turn(Role::agent, -1.0f).event);
  CHECK(t.smoothed() == 0.0f);
}

TEST_CASE("real text escalates a deteriorating chat", "[models][conversation]") {
  ConversationTracker t;
  t.add_turn(Role::customer, "Hello, I have a question about my bill.");
  t.add_turn(Role::agent, "Sure, what is the question?");
  t.add_turn(Role::customer, "I was charged twice this month.");
  t.add_turn(Role::agent, "Let me look into it.");
  t.add_turn(Role::customer, "Still waiting... this is the third time I ask. Unacceptable!!");
  REQUIRE_FALSE(t.events().empty());
  CHECK(t.events().front().turn >= 2);
  CHECK(t.escalated());
}

TEST_CASE("roles parse", "[models][conversation]") {
  CHECK(parse_role("Customer") == Role::customer);
  CHECK(parse_role("agent") == Role::agent);
  CHECK_FALSE(parse_role("bot").has_value());
  CHECK_FALSE(parse_role("a-very-long-role-name").has_value());
}
