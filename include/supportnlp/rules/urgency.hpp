#pragma once
/// \file
/// Ticket urgency (low / normal / high / critical) from explicit signals in
/// the text — outages, security incidents, legal threats, payment failures,
/// repeated contact, deadlines — combined with a sentiment score the caller
/// supplies. The rules and their points are listed in docs/urgency.md; every
/// rule that fired is returned as evidence with byte offsets, so an agent can
/// see why a ticket was escalated.
///
/// \code
///   supportnlp::rules::UrgencyRules rules;
///   auto u = rules.assess("Third time asking: I was charged twice!", -0.6);
///   // u.level == Urgency::critical (repeated contact 2 + payment 2 + sentiment 1)
///   for (const auto& e : u.evidence)
///     std::cout << to_string(e.signal) << " '" << e.rule << "' +" << e.points << '\n';
/// \endcode
///
/// The sentiment score is a plain number in [-1, 1] (negative = unhappy), so
/// any sentiment model, or none (pass 0), can feed it.
///
/// Thread safety: UrgencyRules is immutable after construction; assess() may
/// be called from any number of threads at once. It never fails on any input
/// (invalid UTF-8, empty or huge text) and runs in time linear in the text.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::rules {

/// How soon a ticket needs a human. Values are stable and ordered.
enum class Urgency : std::uint8_t {
  low = 0,      ///< no signal and a positive or explicitly relaxed tone ("no rush")
  normal = 1,   ///< the default
  high = 2,     ///< one strong signal (payment failure, outage, legal threat, ...)
  critical = 3, ///< security incident, outage for everyone, or several signals together
};

/// Name of a level, e.g. "critical".
const char* to_string(Urgency level) noexcept;

/// What kind of evidence a rule looks for. Values are stable.
enum class UrgencySignal : std::uint8_t {
  security = 0,           ///< hacked, breach, unauthorized access, fraud, phishing (+4)
  widespread_outage = 1,  ///< down for everyone, production down, nobody can log in (+4)
  legal = 2,              ///< lawyer, legal action, lawsuit, chargeback, regulator (+3)
  outage = 3,             ///< site is down, outage, keeps crashing, 503 (+2)
  payment_failure = 4,    ///< charged twice, payment declined, overcharged (+2)
  repeated_contact = 5,   ///< third time, still no answer, waiting for days (+2)
  explicit_urgency = 6,   ///< urgent, asap, emergency, immediately (+2)
  deadline = 7,           ///< by tomorrow, end of day, within 24 hours (+1)
  low_priority = 8,       ///< no rush, not urgent, whenever you can (-1)
  negative_sentiment = 9, ///< the sentiment score passed in is low (+1 or +2)
};

/// Name of a signal, e.g. "payment_failure".
const char* to_string(UrgencySignal signal) noexcept;

/// One rule that fired.
struct UrgencyEvidence {
  UrgencySignal signal = UrgencySignal::outage;
  /// Byte range of the matched words in the caller's original text;
  /// begin == end == 0 for negative_sentiment, which has no text span.
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  /// The rule's pattern, e.g. "charged twice", or "sentiment <= -0.7".
  std::string rule;
  /// Points of the signal (see UrgencySignal); a signal counts once towards
  /// the total however many of its rules fire.
  int points = 0;
};

/// The verdict and why.
struct UrgencyAssessment {
  Urgency level = Urgency::normal;
  int points = 0;                        ///< sum over distinct signals
  std::vector<UrgencyEvidence> evidence; ///< in order of position; sentiment last
};

/// Thresholds; the defaults are the rule set documented in docs/urgency.md.
struct UrgencyOptions {
  int critical_points = 4;               ///< total points for `critical`
  int high_points = 2;                   ///< total points for `high`
  double negative_sentiment = -0.3;      ///< at or below: +1 point
  double very_negative_sentiment = -0.7; ///< at or below: +2 points instead
  double positive_sentiment = 0.3;       ///< at or above, with no points: `low`
  /// Sentiment adds points only to a ticket with at least one explicit
  /// signal: an angry tone amplifies a reason for urgency but is not one
  /// (support text leans negative; see docs/urgency.md). False: sentiment
  /// alone can make a ticket `high`.
  bool sentiment_needs_signal = true;
  /// Words before a match that cancel it ("not hacked", "no outage"): the
  /// rule looks this many words back, within the same clause.
  int negation_window = 3;
};

/// The urgency rule set. See the file comment for an example.
class UrgencyRules {
public:
  /// Builds the rule set (a few hundred patterns; cheap, do it once).
  explicit UrgencyRules(UrgencyOptions options = {});

  /// The options the rules were built with.
  const UrgencyOptions& options() const noexcept;

  /// Assesses `text` given `sentiment` in [-1, 1] (values outside are
  /// clamped; NaN counts as 0). Matching is case-insensitive on words, with
  /// curly apostrophes treated as straight ones.
  UrgencyAssessment assess(std::string_view text, double sentiment) const;
  /// Same, writing into `out` (its evidence buffer is reused). Uses
  /// per-thread scratch buffers, so it allocates nothing per word.
  void assess(std::string_view text, double sentiment, UrgencyAssessment& out) const;

  /// Number of patterns per signal, for documentation and tests.
  std::size_t rule_count(UrgencySignal signal) const noexcept;

private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// Points a signal is worth in the default rule set (negative_sentiment: the
/// +2 of a very negative score).
int signal_points(UrgencySignal signal) noexcept;

} // namespace supportnlp::rules
