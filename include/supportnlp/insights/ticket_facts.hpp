#pragma once
/// \file
/// TicketFacts: one analysed ticket reduced to what statistics over many
/// tickets need (drift between periods, the HTML report): its time,
/// language, queue and intent with confidence, sentiment, urgency and text.
///
/// Facts come from a pipeline::TicketAnalysis (raw tickets analysed in the process) or
/// from a line of `supportnlp analyze` output (pipeline::to_json), so a
/// batch analysed once can be compared and reported on without analysing
/// it again.
///
/// \code
///   auto analyzer = supportnlp::pipeline::Analyzer::open_directory("data");
///   auto facts = supportnlp::insights::read_ticket_line(line, &analyzer.value());
///   if (!facts) std::cerr << facts.error().message << '\n';
/// \endcode
///
/// Thread safety: pure functions of their arguments; safe from any number of
/// threads (the pipeline::Analyzer is used through its const methods).

#include "supportnlp/pipeline/analyzer.hpp"
#include "supportnlp/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace supportnlp::insights {

/// What period statistics need to know about one ticket.
struct TicketFacts {
  std::string id; ///< the record's "id" (may be empty)
  /// When the ticket was created, in Unix seconds (UTC), from the record's
  /// "created_at" or "timestamp" field; absent if it has neither.
  std::optional<std::int64_t> time;
  std::string language;            ///< ISO 639-1 code, "und", or "" without a language identifier
  std::string queue;               ///< queue label, "out_of_scope", or "" without an intent model
  std::string intent;              ///< intent label ("out_of_scope" when out of scope), or ""
  bool out_of_scope = false;       ///< the routing model answered out of scope
  std::string out_of_scope_reason; ///< e.g. "low_confidence" ("" when in scope)
  /// The routing model's calibrated probability of its best intent, in
  /// [0, 1]; meaningful only when `classified`.
  float confidence = 0;
  /// The routing model read the text (false without an intent model, and
  /// for text in an unsupported language or with no words: no guess made).
  bool classified = false;
  std::string sentiment;     ///< "negative", "neutral" or "positive"
  float sentiment_score = 0; ///< in [-1, 1]
  std::string urgency;       ///< "low", "normal", "high" or "critical"
  std::string text;          ///< the normalized text (NFKC, case-folded)
  std::string redacted;      ///< the original text with personal data replaced, for display
};

/// The facts of one analysis. `time` is the ticket's creation time if known.
TicketFacts ticket_facts(const pipeline::TicketAnalysis& analysis, std::string id,
                         std::optional<std::int64_t> time = std::nullopt);

/// The facts of one JSON line, which is either a raw ticket (an object with
/// a string "text": analysed with `analyzer`) or a line of `supportnlp
/// analyze` output (an object with "normalized" and "sentiment"). The time
/// comes from "created_at" or "timestamp" (ISO 8601 text or Unix seconds).
/// Errors (parse_error, with a message for people): not a JSON object,
/// neither kind of record, a raw ticket without an analyzer
/// (invalid_argument), a time that cannot be read, an error record of
/// analyze ({"line":..,"error":..}).
[[nodiscard]] Result<TicketFacts> read_ticket_line(std::string_view line, const pipeline::Analyzer* analyzer);

/// True if `line` (a JSON object) is a raw ticket needing a pipeline::Analyzer, i.e.
/// it has a string "text" field. False for analyze output or non-JSON.
bool is_raw_ticket_line(std::string_view line);

/// Unix seconds (UTC) of an ISO 8601 date or date-time: "2026-10-05",
/// "2026-10-05T09:14:00Z", "2026-10-05 09:14", with optional fractional
/// seconds and a "Z" or "+hh:mm"/"-hh:mm" offset (none: UTC). Nullopt if
/// the text is not such a time.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

/// "2026-10-05" for a time in Unix seconds (UTC).
std::string format_date(std::int64_t unix_seconds);

} // namespace supportnlp::insights
