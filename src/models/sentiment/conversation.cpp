// ConversationTracker: moving average of the customer's turn scores and the
// escalation rule documented in supportnlp/models/sentiment/conversation.hpp.
#include "supportnlp/models/sentiment/conversation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace supportnlp::models {

const char* to_string(Role role) noexcept {
  return role == Role::agent ? "agent" : "customer";
}

std::optional<Role> parse_role(std::string_view name) noexcept {
  char lower[16];
  if (name.size() >= sizeof(lower)) return std::nullopt;
  for (std::size_t i = 0; i < name.size(); ++i)
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  const std::string_view n(lower, name.size());
  if (n == "customer" || n == "user" || n == "client") return Role::customer;
  if (n == "agent" || n == "support" || n == "operator") return Role::agent;
  return std::nullopt;
}

const char* to_string(EscalationReason reason) noexcept {
  switch (reason) {
  case EscalationReason::strongly_negative:
    return "strongly_negative";
  case EscalationReason::stayed_negative:
    return "stayed_negative";
  case EscalationReason::turned_negative:
    return "turned_negative";
  }
  return "stayed_negative";
}

namespace {

TurnScorer lexicon_scorer() {
  auto analyzer = std::make_shared<const LexiconSentiment>();
  return [analyzer](std::string_view text) {
    SentimentResult r;
    analyzer->analyze(text, r);
    return r.score;
  };
}

} // namespace

TurnScorer turn_scorer(std::shared_ptr<const SentimentScorer> model) {
  if (!model) return {};
  return [model](std::string_view text) { return model->analyze(text).score; };
}

ConversationTracker::ConversationTracker(EscalationOptions options)
    : ConversationTracker(options, nullptr) {}

ConversationTracker::ConversationTracker(EscalationOptions options, TurnScorer scorer)
    : options_(options), scorer_(scorer ? std::move(scorer) : lexicon_scorer()) {
  options_.smoothing = std::clamp(options_.smoothing, 1e-3f, 1.0f);
  options_.sustained_turns = std::max(1, options_.sustained_turns);
  options_.drop_window = std::max(1, options_.drop_window);
}

void ConversationTracker::reset() {
  turns_.clear();
  events_.clear();
  customer_smoothed_.clear();
  smoothed_ = 0.0f;
  armed_ = true;
  negative_run_ = 0;
  negative_since_.reset();
  last_timestamp_.reset();
}

TurnUpdate ConversationTracker::add_turn(Role role, std::string_view text,
                                         std::optional<double> timestamp) {
  return add_scored_turn(role, scorer_(text), timestamp);
}

TurnUpdate ConversationTracker::add_scored_turn(Role role, float score,
                                                std::optional<double> timestamp) {
  if (!std::isfinite(score)) score = 0.0f;
  score = std::clamp(score, -1.0f, 1.0f);
  if (timestamp && !std::isfinite(*timestamp)) timestamp.reset();
  if (timestamp && last_timestamp_ && *timestamp < *last_timestamp_) timestamp = last_timestamp_;
  if (timestamp) last_timestamp_ = timestamp;

  TurnUpdate update;
  update.turn = turns_.size();
  update.role = role;
  update.score = score;
  update.timestamp = timestamp;

  if (role == Role::customer) {
    const float previous_best = [&] {
      float best = -2.0f;
      const std::size_t n = customer_smoothed_.size();
      const std::size_t window = static_cast<std::size_t>(options_.drop_window);
      for (std::size_t i = n > window ? n - window : 0; i < n; ++i)
        best = std::max(best, customer_smoothed_[i]);
      return best;
    }();
    smoothed_ = customer_smoothed_.empty()
                    ? score
                    : options_.smoothing * score + (1.0f - options_.smoothing) * smoothed_;
    customer_smoothed_.push_back(smoothed_);

    if (smoothed_ <= options_.negative_level) {
      ++negative_run_;
      if (!negative_since_ && timestamp) negative_since_ = timestamp;
    } else {
      negative_run_ = 0;
      negative_since_.reset();
    }

    if (!armed_ && smoothed_ >= options_.rearm_level) armed_ = true;
    if (armed_) {
      std::optional<EscalationReason> reason;
      if (score <= options_.strong_negative) {
        reason = EscalationReason::strongly_negative;
      } else if (negative_run_ >= options_.sustained_turns ||
                 (negative_run_ > 0 && options_.sustained_seconds > 0 && negative_since_ &&
                  timestamp && *timestamp - *negative_since_ >= options_.sustained_seconds)) {
        reason = EscalationReason::stayed_negative;
      } else if (previous_best > -2.0f && smoothed_ < 0.0f &&
                 previous_best - smoothed_ >= options_.drop) {
        reason = EscalationReason::turned_negative;
      }
      if (reason) {
        armed_ = false;
        EscalationEvent event{update.turn, *reason, score, smoothed_};
        events_.push_back(event);
        update.event = event;
      }
    }
  }
  update.smoothed = smoothed_;
  update.escalated = !armed_;
  turns_.push_back(update);
  return update;
}

} // namespace supportnlp::models
