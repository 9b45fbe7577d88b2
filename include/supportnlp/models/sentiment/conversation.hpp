#pragma once
/// \file
/// Sentiment over a support conversation: feed the turns in order and get a
/// smoothed trajectory of the customer's sentiment and an escalation event
/// when it turns or stays negative, so a supervisor can step in mid-way.
///
/// The rule (thresholds in EscalationOptions):
/// - Only customer turns move the trajectory. The smoothed value is an
///   exponential moving average, s_k = a * x_k + (1 - a) * s_{k-1}, of the
///   customer turns' scores x_k in [-1, 1], starting at the first one.
/// - After a customer turn, while the tracker is armed, an escalation fires if
///   1. *strongly negative*: this turn's score <= strong_negative; or
///   2. *stayed negative*: the smoothed value has been <= negative_level for
///      sustained_turns consecutive customer turns, or (with timestamps) for
///      at least sustained_seconds; or
///   3. *turned negative*: the smoothed value is below 0 and has fallen by at
///      least drop from its highest value over the previous drop_window
///      customer turns.
/// - After an escalation the tracker is disarmed (no repeated alerts) until
///   the smoothed value climbs back to rearm_level or above.
/// Agent turns are scored and recorded (useful context) but never move the
/// trajectory or fire an escalation.
///
/// \code
///   supportnlp::models::ConversationTracker tracker;   // lexicon analyzer
///   using supportnlp::models::Role;
///   tracker.add_turn(Role::customer, "My order never arrived.");
///   tracker.add_turn(Role::agent, "Sorry to hear that, checking now.");
///   auto u = tracker.add_turn(Role::customer, "Still waiting, third time asking!!");
///   if (u.event) alert_supervisor(u.event->reason, u.smoothed);
/// \endcode
///
/// Thread safety: a ConversationTracker is a mutable per-conversation object;
/// use one per conversation and do not share it between threads without a
/// lock. The scorer it calls must be thread-safe if trackers on several
/// threads share it (LexiconSentiment and SentimentModel are).

#include "supportnlp/models/sentiment/scorer.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace supportnlp::models {

/// Who wrote a turn.
enum class Role : std::uint8_t {
  customer = 0,
  agent = 1,
};

/// Name of a role: "customer" or "agent".
const char* to_string(Role role) noexcept;
/// The role named `name` ("customer"/"user"/"client" or "agent"/"support"/
/// "operator", case-insensitive), or nothing.
std::optional<Role> parse_role(std::string_view name) noexcept;

/// Why an escalation fired (see the rule in this file's description).
enum class EscalationReason : std::uint8_t {
  strongly_negative = 0, ///< one customer turn was very negative
  stayed_negative = 1,   ///< the smoothed sentiment stayed negative
  turned_negative = 2,   ///< the smoothed sentiment dropped sharply into negative
};

/// Name of a reason, e.g. "stayed_negative".
const char* to_string(EscalationReason reason) noexcept;

/// Thresholds of the escalation rule. Scores are on the [-1, 1] scale of
/// SentimentResult::score.
struct EscalationOptions {
  /// Weight `a` of the newest customer turn in the moving average, in (0, 1].
  float smoothing = 0.5f;
  /// Smoothed value at or below which the customer counts as negative.
  float negative_level = -0.3f;
  /// Consecutive negative customer turns that fire *stayed negative*.
  int sustained_turns = 2;
  /// Conversation time (seconds, from timestamps) of continuous negativity
  /// that fires *stayed negative*; <= 0 disables the time criterion.
  double sustained_seconds = 600.0;
  /// A single customer turn at or below this fires *strongly negative*.
  float strong_negative = -0.85f;
  /// Fall of the smoothed value that fires *turned negative*.
  float drop = 0.6f;
  /// Customer turns looked back over for the *turned negative* fall.
  int drop_window = 3;
  /// Smoothed value at or above which a disarmed tracker re-arms.
  float rearm_level = 0.0f;
};

/// An escalation signal.
struct EscalationEvent {
  std::size_t turn = 0; ///< index of the turn that fired it (0-based, all roles)
  EscalationReason reason = EscalationReason::stayed_negative;
  float score = 0.0f;    ///< that turn's score
  float smoothed = 0.0f; ///< the smoothed value after that turn
};

/// The state after one turn.
struct TurnUpdate {
  std::size_t turn = 0; ///< index of this turn (0-based, all roles)
  Role role = Role::customer;
  float score = 0.0f; ///< this turn's own score
  /// Smoothed customer sentiment after this turn (unchanged by agent turns;
  /// 0 before the first customer turn).
  float smoothed = 0.0f;
  std::optional<double> timestamp;      ///< as given, seconds
  bool escalated = false;               ///< an escalation is active (tracker disarmed)
  std::optional<EscalationEvent> event; ///< set on the turn that fired an escalation
};

/// Scores one turn's text in [-1, 1]; must not throw.
using TurnScorer = std::function<float(std::string_view)>;

/// The TurnScorer of a sentiment model behind the one interface (the lexicon
/// analyzer or a learned model, as load_sentiment() returns it): a turn's
/// score is the model's score of its text. The scorer shares `model`; a null
/// `model` gives a null TurnScorer, which the tracker reads as the lexicon
/// analyzer.
/// \code
///   auto model = supportnlp::models::load_sentiment("sentiment.snlp");
///   supportnlp::models::ConversationTracker tracker({}, turn_scorer(model.value()));
/// \endcode
TurnScorer turn_scorer(std::shared_ptr<const SentimentScorer> model);

/// Tracks one conversation. Cheap to create; one per conversation.
class ConversationTracker {
public:
  /// Uses a default LexiconSentiment to score turns.
  explicit ConversationTracker(EscalationOptions options = {});
  /// Uses `scorer` (e.g. a learned model's score) to score turns. A null
  /// scorer falls back to the lexicon analyzer.
  ConversationTracker(EscalationOptions options, TurnScorer scorer);


  /// Scores `text` and adds it as the next turn. Never fails. Timestamps are
  /// optional; one earlier than the previous turn's is treated as equal to it.
  TurnUpdate add_turn(Role role, std::string_view text,
                      std::optional<double> timestamp = std::nullopt);
  /// Adds a turn whose score the caller computed (clamped to [-1, 1]).
  TurnUpdate add_scored_turn(Role role, float score,
                             std::optional<double> timestamp = std::nullopt);

  /// Every turn so far, in order.
  const std::vector<TurnUpdate>& turns() const noexcept { return turns_; }
  /// Every escalation so far, in order.
  const std::vector<EscalationEvent>& events() const noexcept { return events_; }
  /// Current smoothed customer sentiment (0 before any customer turn).
  float smoothed() const noexcept { return smoothed_; }
  /// True while an escalation is active.
  bool escalated() const noexcept { return !armed_; }
  /// The options in effect.
  const EscalationOptions& options() const noexcept { return options_; }
  /// Forgets all turns (a new conversation with the same options and scorer).
  void reset();

private:
  EscalationOptions options_;
  TurnScorer scorer_;
  std::vector<TurnUpdate> turns_;
  std::vector<EscalationEvent> events_;
  std::vector<float> customer_smoothed_; ///< smoothed value after each customer turn
  float smoothed_ = 0.0f;
  bool armed_ = true;
  int negative_run_ = 0;
  std::optional<double> negative_since_;
  std::optional<double> last_timestamp_;
};

} // namespace supportnlp::models
