#pragma once
/// \file
/// The voice-of-the-customer report: one self-contained HTML page for
/// people who run a help desk. Sections (each a `<section id=...>`):
/// summary, volume (tickets over time), queues, intents, sentiment
/// (over time), urgency, languages, critical (the critical tickets),
/// topics (emerging topics with keywords and examples), kb-gaps, drift.
///
/// The page needs nothing but itself: styles inline, charts as inline SVG
/// drawn by this library (no script, no font, no image fetched), so it can
/// be mailed, archived or opened offline. Ticket text is shown with
/// personal data redacted (TicketFacts::redacted) and HTML-escaped.
///
/// Why in the library rather than the CLI: the report is a format the
/// library owns, like analyze's JSON; programs embedding supportnlp (or the
/// C API) produce the same page, and the unit tests check it without a
/// process.
///
/// \code
///   supportnlp::insights::ReportData data;
///   data.tickets = facts;                      // from read_ticket_line()
///   data.drift = &drift_report;                // optional
///   std::ofstream("report.html") << supportnlp::insights::render_report_html(data);
/// \endcode
///
/// Thread safety: a pure function of its arguments; safe from any number of
/// threads.

#include "supportnlp/insights/drift.hpp"
#include "supportnlp/insights/ticket_facts.hpp"
#include "supportnlp/search/gap_report.hpp"
#include "supportnlp/search/topics.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace supportnlp::insights {

/// What goes into the report. Pointers are optional parts (null: the
/// section says why it is empty, using the matching note).
struct ReportData {
  std::vector<TicketFacts> tickets; ///< the tickets reported on
  std::string source_name;          ///< e.g. the input file name, shown in the header

  /// Topics discovered over some of the tickets; `topic_tickets[i]` is the
  /// index into `tickets` of the topic input's i-th text (empty: the topic
  /// input was `tickets` itself).
  const search::TopicReport* topics = nullptr;
  std::vector<std::size_t> topic_tickets;
  std::string topics_note; ///< shown when topics is null, or above the topics

  const search::GapReport* gaps = nullptr; ///< KB gaps over the tickets' questions
  std::string gaps_scored_by;              ///< e.g. "cosine", "term coverage"
  float gaps_threshold = 0;                ///< the score below which a ticket is a gap
  std::string gaps_note;

  const DriftReport* drift = nullptr; ///< this period against a reference period
  std::string reference_name;         ///< the reference file's name
  std::string drift_current_name;     ///< what the current period is ("" : these tickets)
  std::string drift_note;

  /// Lines that could not be read (file:line: message), listed at the end.
  std::vector<std::string> problems;
};

/// Limits of the report's lists and charts.
struct ReportOptions {
  std::string title = "Customer support report"; ///< page title and heading
  std::size_t intents = 12;          ///< intent bars (the rest are summed as "other intents")
  std::size_t critical_tickets = 12; ///< rows in the critical tickets table
  std::size_t topics = 8;            ///< topics shown (emerging first, then largest)
  std::size_t gap_groups = 8;        ///< KB gap groups shown
};

/// The HTML page (UTF-8, one document, no external resources). Never
/// fails; an empty ticket list gives a page that says so in every section.
std::string render_report_html(const ReportData& data, const ReportOptions& options = {});

} // namespace supportnlp::insights
