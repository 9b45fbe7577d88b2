// render_report_html: the voice-of-the-customer page. Each section states in
// its heading what it shows and gives numbers with their unit; charts come
// from report_svg.cpp.
#include "supportnlp/insights/report.hpp"

#include "report_svg.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace supportnlp::insights {

namespace {

using report_detail::Bar;
using report_detail::escape;
using report_detail::Series;

constexpr const char* kAccent = "#3b6ea8";
constexpr const char* kNegative = "#c8553d";
constexpr const char* kNeutral = "#a7adb5";
constexpr const char* kPositive = "#4c956c";

constexpr const char* kStyle = R"(
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;color:#1f2933;background:#f4f6f8;margin:0}
main{max-width:900px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:0 0 6px;color:#1f2933}
.sub{color:#52606d;margin:0 0 18px;font-size:14px}
section{border-top:1px solid #d9dee3;padding:18px 0 12px}
p.note{color:#52606d;font-size:14px;margin:4px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 130px;box-sizing:border-box;border:1px solid #d9dee3;border-radius:6px;padding:10px 12px}
.card .big{font-size:24px;font-weight:bold}
.card .what{font-size:13px;color:#52606d}
.card.alert{border-color:#c8553d;background:#fdf1ee}
.card.ok{border-color:#4c956c;background:#eff7f2}
svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}
svg .label,svg .value{font-size:13px;fill:#1f2933}
svg .axis{font-size:12px;fill:#52606d}
svg .small{font-size:11px;fill:#1f2933}
svg .grid{stroke:#e4e7eb;stroke-width:1}
svg .baseline{stroke:#7b8794;stroke-width:1}
.legend{font-size:13px;color:#3e4c59;margin:2px 0}
.legend span{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 4px 0 12px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #e4e7eb}
th{background:#f4f6f8;font-weight:bold}
td.num{text-align:right;white-space:nowrap}
td.id{white-space:nowrap}
td.text{overflow-wrap:anywhere}
.chip{display:inline-block;background:#e8eef6;border-radius:10px;padding:1px 8px;margin:2px 3px 2px 0;font-size:13px}
.topic{border:1px solid #d9dee3;border-radius:6px;padding:10px 12px;margin:10px 0}
.topic h3{font-size:16px;margin:0 0 4px}
.badge{display:inline-block;font-size:12px;font-weight:bold;border-radius:4px;padding:1px 6px;margin-left:6px;color:#fff;background:#c8553d}
ul.examples{margin:6px 0 0 0;padding-left:20px;font-size:13.5px}
ul.examples li{margin:3px 0;overflow-wrap:anywhere}
.verdict{font-size:18px;font-weight:bold;padding:10px 12px;border-radius:6px}
.verdict.drift{background:#fdf1ee;border:1px solid #c8553d}
.verdict.none{background:#eff7f2;border:1px solid #4c956c}
footer{font-size:12px;color:#7b8794;margin-top:24px}
)";

std::string percent(double share, int digits = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", digits, 100 * share);
  return buf;
}

std::string num(double x, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string section(const char* id, const std::string& heading, const std::string& body) {
  return std::string("<section id=\"") + id + "\"><h2>" + escape(heading) + "</h2>" + body +
         "</section>\n";
}

std::string note(const std::string& text) {
  return "<p class=\"note\">" + escape(text) + "</p>";
}

std::string legend(const std::vector<Series>& series) {
  std::string s = "<div class=\"legend\">";
  for (const auto& se : series)
    s += "<span style=\"background:" + se.color + "\"></span>" + escape(se.name);
  return s + "</div>";
}

const char* language_name(const std::string& code) {
  static const std::map<std::string, const char*> names = {
      {"en", "English"},      {"es", "Spanish"},   {"de", "German"},    {"fr", "French"},
      {"pt", "Portuguese"},   {"it", "Italian"},   {"nl", "Dutch"},     {"ja", "Japanese"},
      {"zh", "Chinese"},      {"ko", "Korean"},    {"ru", "Russian"},   {"uk", "Ukrainian"},
      {"ar", "Arabic"},       {"he", "Hebrew"},    {"tr", "Turkish"},   {"pl", "Polish"},
      {"cs", "Czech"},        {"sk", "Slovak"},    {"hu", "Hungarian"}, {"ro", "Romanian"},
      {"sv", "Swedish"},      {"da", "Danish"},    {"no", "Norwegian"}, {"nb", "Norwegian"},
      {"fi", "Finnish"},      {"et", "Estonian"},  {"lv", "Latvian"},   {"lt", "Lithuanian"},
      {"el", "Greek"},        {"bg", "Bulgarian"}, {"hr", "Croatian"},  {"sr", "Serbian"},
      {"sl", "Slovenian"},    {"ca", "Catalan"},   {"eu", "Basque"},    {"gl", "Galician"},
      {"hi", "Hindi"},        {"bn", "Bengali"},   {"th", "Thai"},      {"vi", "Vietnamese"},
      {"id", "Indonesian"},   {"ms", "Malay"},     {"tl", "Tagalog"},   {"sw", "Swahili"},
      {"fa", "Persian"},      {"ur", "Urdu"},      {"af", "Afrikaans"}, {"la", "Latin"},
      {"und", "undetermined"}};
  const auto it = names.find(code);
  return it == names.end() ? nullptr : it->second;
}

// Counts of a field, largest first (ties by name).
std::vector<std::pair<std::string, std::size_t>>
counts_of(const std::vector<TicketFacts>& tickets, std::string (*field)(const TicketFacts&)) {
  std::map<std::string, std::size_t> m;
  for (const auto& t : tickets)
    if (auto v = field(t); !v.empty()) ++m[v];
  std::vector<std::pair<std::string, std::size_t>> rows(m.begin(), m.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return rows;
}

std::string share_text(std::size_t n, std::size_t total) {
  return count(n, "ticket", "tickets") + " (" + percent(total ? double(n) / double(total) : 0) +
         ")";
}

// Time buckets: days for a range up to five weeks, else weeks from Monday.
struct Buckets {
  bool weekly = false;
  std::int64_t start = 0; // Unix seconds of the first bucket
  std::vector<std::string> labels;
  std::size_t index(std::int64_t t) const {
    const std::int64_t width = weekly ? 7 * 86400 : 86400;
    return std::size_t((t - start) / width);
  }
};

Buckets make_buckets(std::int64_t first, std::int64_t last) {
  Buckets b;
  const std::int64_t day0 = (first >= 0 ? first : first - 86399) / 86400;
  const std::int64_t day1 = (last >= 0 ? last : last - 86399) / 86400;
  b.weekly = day1 - day0 > 35;
  if (b.weekly) {
    const std::int64_t weekday = ((day0 % 7) + 7 + 3) % 7; // 0 = Monday (1970-01-01 was a Thursday)
    const std::int64_t monday = day0 - weekday;
    b.start = monday * 86400;
    for (std::int64_t d = monday; d <= day1; d += 7)
      b.labels.push_back(format_date(d * 86400).substr(5)); // "MM-DD" of the Monday
  } else {
    b.start = day0 * 86400;
    for (std::int64_t d = day0; d <= day1; ++d)
      b.labels.push_back(format_date(d * 86400).substr(5));
  }
  return b;
}

std::string summary_section(const ReportData& d, std::size_t critical, std::size_t negative,
                            std::size_t oos, std::size_t routed, const std::string& period) {
  const std::size_t n = d.tickets.size();
  std::string s =
      n ? "<div class=\"cards\">"
        : note("No ticket was read, so there is nothing to report.") + "<div class=\"cards\">";
  const auto card = [&](const std::string& big, const std::string& what, const char* cls = "") {
    s += std::string("<div class=\"card ") + cls + "\"><div class=\"big\">" + escape(big) +
         "</div><div class=\"what\">" + escape(what) + "</div></div>";
  };
  card(std::to_string(n), "tickets received");
  card(std::to_string(critical), "critical tickets (" + percent(n ? double(critical) / n : 0) + ")",
       critical ? "alert" : "");
  card(percent(n ? double(negative) / n : 0), "of tickets negative in tone");
  if (routed) card(percent(double(oos) / routed), "out of scope for the routing model");
  if (d.drift)
    card(d.drift->drift ? "drift" : "no drift", "against " + d.reference_name,
         d.drift->drift ? "alert" : "ok");
  return section("summary", "At a glance", s + "</div>");
}

std::string volume_and_sentiment(const ReportData& d, std::string& sentiment_html) {
  std::int64_t first = 0, last = 0;
  std::size_t timed = 0;
  for (const auto& t : d.tickets)
    if (t.time) {
      first = timed ? std::min(first, *t.time) : *t.time;
      last = timed ? std::max(last, *t.time) : *t.time;
      ++timed;
    }
  if (!timed) {
    const std::string why = "The tickets carry no time (a \"created_at\" or \"timestamp\" field), "
                            "so there is no trend to show.";
    sentiment_html = section("sentiment", "Sentiment over time", note(why));
    return section("volume", "Ticket volume over time", note(why));
  }
  const auto b = make_buckets(first, last);
  const std::size_t k = b.labels.size();
  std::vector<double> volume(k, 0.0), neg(k, 0.0), neu(k, 0.0), pos(k, 0.0);
  for (const auto& t : d.tickets) {
    if (!t.time) continue;
    const std::size_t i = std::min(k - 1, b.index(*t.time));
    volume[i] += 1;
    (t.sentiment == "negative" ? neg : t.sentiment == "positive" ? pos : neu)[i] += 1;
  }
  const std::string unit = b.weekly ? "week" : "day";
  const std::string range = format_date(first) + " to " + format_date(last);
  std::string v =
      note(count(timed, "ticket", "tickets") + " from " + range + ", counted per " + unit +
           (b.weekly ? " (weeks start on Monday; labels are the Monday's date)" : "") + ".");
  if (timed < d.tickets.size())
    v += note(count(d.tickets.size() - timed, "ticket has", "tickets have") +
              " no time and are not counted here.");
  v += report_detail::column_chart(b.labels, {{"tickets", kAccent, volume}}, "tickets per " + unit,
                                   false, true, "Tickets per " + unit);

  std::vector<Series> shares = {
      {"negative", kNegative, {}}, {"neutral", kNeutral, {}}, {"positive", kPositive, {}}};
  for (std::size_t i = 0; i < k; ++i) {
    const double tot = volume[i] > 0 ? volume[i] : 1;
    shares[0].values.push_back(volume[i] > 0 ? 100 * neg[i] / tot : 0);
    shares[1].values.push_back(volume[i] > 0 ? 100 * neu[i] / tot : 0);
    shares[2].values.push_back(volume[i] > 0 ? 100 * pos[i] / tot : 0);
  }
  std::string s =
      note("Share of each " + unit + "'s tickets by tone (lexicon sentiment), " + range + ".");
  s += legend(shares);
  s += report_detail::column_chart(b.labels, shares, "% of the " + unit + "'s tickets", true, false,
                                   "Sentiment share per " + unit);
  sentiment_html = section(
      "sentiment",
      "Sentiment over time: share of negative, neutral and positive tickets per " + unit, s);
  return section("volume", "Ticket volume: tickets received per " + unit, v);
}

std::string mix_bars(const std::vector<std::pair<std::string, std::size_t>>& rows,
                     std::size_t total, const char* color, const std::string& title,
                     std::size_t limit, const char* other_label) {
  std::vector<Bar> bars;
  std::size_t other = 0, other_kinds = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i < limit) {
      bars.push_back(
          {rows[i].first, double(rows[i].second), share_text(rows[i].second, total), color});
    } else {
      other += rows[i].second;
      ++other_kinds;
    }
  }
  if (other)
    bars.push_back({std::string(other_label) + " (" + std::to_string(other_kinds) + ")",
                    double(other), share_text(other, total), kNeutral});
  return report_detail::horizontal_bars(bars, title);
}

std::string critical_section(const ReportData& d, const ReportOptions& o) {
  std::vector<const TicketFacts*> rows;
  for (const auto& t : d.tickets)
    if (t.urgency == "critical") rows.push_back(&t);
  std::stable_sort(rows.begin(), rows.end(), [](const TicketFacts* a, const TicketFacts* b) {
    return a->time.value_or(0) > b->time.value_or(0);
  });
  if (rows.empty())
    return section("critical", "Critical tickets", note("No ticket was rated critical."));
  std::string s = note(count(rows.size(), "ticket was", "tickets were") +
                       " rated critical (security incident, outage for everyone, or several "
                       "urgent signals together), newest first; personal data is redacted.");
  s += "<table><thead><tr><th>Ticket</th><th>Received</th><th>Queue</th><th>Text</th></tr></"
       "thead><tbody>";
  for (std::size_t i = 0; i < rows.size() && i < o.critical_tickets; ++i) {
    const auto& t = *rows[i];
    s += "<tr><td class=\"id\">" + escape(t.id) + "</td><td class=\"num\">" +
         (t.time ? format_date(*t.time) : std::string("&mdash;")) + "</td><td>" +
         escape(t.queue.empty() ? "\xE2\x80\x94" : t.queue) + "</td><td class=\"text\">" +
         escape(t.redacted) + "</td></tr>";
  }
  s += "</tbody></table>";
  if (rows.size() > o.critical_tickets)
    s += note(
        "... and " +
        count(rows.size() - o.critical_tickets, "more critical ticket", "more critical tickets") +
        " not listed.");
  return section("critical", "Critical tickets (" + std::to_string(rows.size()) + ")", s);
}

std::string topics_section(const ReportData& d, const ReportOptions& o) {
  const std::string heading = "Emerging topics: what customers write about, newest trends first";
  if (!d.topics)
    return section("topics", heading,
                   note(d.topics_note.empty() ? "Topic discovery did not run." : d.topics_note));
  const auto& r = *d.topics;
  const auto ticket_of = [&](std::size_t i) -> const TicketFacts* {
    const std::size_t k = d.topic_tickets.empty() ? i
                                                  : (i < d.topic_tickets.size() ? d.topic_tickets[i]
                                                                                : d.tickets.size());
    return k < d.tickets.size() ? &d.tickets[k] : nullptr;
  };
  std::string s;
  if (!d.topics_note.empty()) s += note(d.topics_note);
  if (r.topics.empty())
    return section("topics", heading,
                   s + note("No group of similar tickets was large enough to call a topic."));
  std::vector<const search::Topic*> order;
  for (const auto& t : r.topics)
    order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](const search::Topic* a, const search::Topic* b) {
    if (a->emerging != b->emerging) return a->emerging;
    if (a->emerging) return a->growth > b->growth;
    return a->size > b->size;
  });
  std::size_t emerging = 0;
  for (const auto& t : r.topics)
    emerging += t.emerging;
  s += note(count(r.topics.size(), "topic", "topics") + " found among " +
            count(r.assignment.size(), "ticket", "tickets") + " (" +
            count(r.outliers.size(), "ticket", "tickets") + " fit no topic)" +
            (r.has_timestamps ? "; " + count(emerging, "is", "are") +
                                    " emerging: new, or growing fastest between the first and "
                                    "second half of the period (split at " +
                                    format_date(r.split_time) + ")."
                              : "; the tickets carry no time, so growth is not known."));
  for (std::size_t i = 0; i < order.size() && i < o.topics; ++i) {
    const auto& t = *order[i];
    std::string title = t.keywords.empty() ? "Topic " + std::to_string(t.id + 1) : "";
    for (std::size_t k = 0; k < t.keywords.size() && k < 3; ++k)
      title += (k ? ", " : "") + t.keywords[k];
    s += "<div class=\"topic\"><h3>" + escape(title) +
         (t.emerging ? "<span class=\"badge\">emerging</span>" : "") + "</h3>";
    std::string line = count(t.size, "ticket", "tickets");
    if (r.has_timestamps) {
      line += "; " + std::to_string(t.earlier) + " in the first half, " + std::to_string(t.recent) +
              " in the second half (share grew " + num(t.growth, 1) + "x)";
    }
    s += "<p class=\"note\">" + escape(line) + "</p><div>";
    for (const auto& k : t.keywords)
      s += "<span class=\"chip\">" + escape(k) + "</span>";
    for (const auto& p : t.phrases)
      s += "<span class=\"chip\">&ldquo;" + escape(p) + "&rdquo;</span>";
    s += "</div><ul class=\"examples\">";
    std::vector<const std::string*> shown;
    for (const auto e : t.examples)
      if (const auto* tk = ticket_of(e);
          tk &&
          std::none_of(shown.begin(), shown.end(),
                       [&](const std::string* x) { return *x == tk->redacted; }) &&
          (shown.push_back(&tk->redacted), true))
        s += "<li>" + escape(tk->redacted) +
             (tk->time ? " <span class=\"note\">(" + escape(tk->id) + ", " +
                             format_date(*tk->time) + ")</span>"
                       : "") +
             "</li>";
    s += "</ul></div>";
  }
  if (order.size() > o.topics)
    s += note("... and " + count(order.size() - o.topics, "smaller topic", "smaller topics") +
              " not shown.");
  return section("topics", heading, s);
}

std::string gaps_section(const ReportData& d, const ReportOptions& o) {
  const std::string heading = "Knowledge-base gaps: questions no help article answers well";
  if (!d.gaps)
    return section("kb-gaps", heading,
                   note(d.gaps_note.empty() ? "The gap report did not run." : d.gaps_note));
  const auto& g = *d.gaps;
  std::string s =
      note(std::to_string(g.gaps) + " of " + count(g.queries, "ticket", "tickets") + " (" +
           percent(g.queries ? double(g.gaps) / g.queries : 0) +
           ") have no good article: the best match scores below " + num(d.gaps_threshold, 2) +
           " (" + d.gaps_scored_by + "). Grouped by topic, largest first.");
  if (!d.gaps_note.empty()) s += note(d.gaps_note);
  if (g.groups.empty()) return section("kb-gaps", heading, s);
  s += "<table><thead><tr><th>Tickets</th><th>Example questions</th><th>Nearest article (mean "
       "score)</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < g.groups.size() && i < o.gap_groups; ++i) {
    const auto& grp = g.groups[i];
    s += "<tr><td class=\"num\">" + std::to_string(grp.queries.size()) +
         "</td><td class=\"text\"><ul class=\"examples\">";
    // Distinct examples: the same question asked again adds nothing here.
    std::vector<const std::string*> shown;
    for (std::size_t q = 0; q < grp.queries.size() && shown.size() < 3; ++q) {
      const auto& text = grp.queries[q].text;
      if (std::none_of(shown.begin(), shown.end(),
                       [&](const std::string* x) { return *x == text; }))
        shown.push_back(&text);
    }
    for (const auto* text : shown)
      s += "<li>" + escape(*text) + "</li>";
    const auto& best = grp.queries.front();
    s += "</ul></td><td>" + escape(best.best_article_id.empty() ? "none" : best.best_article_id) +
         " (" + num(grp.mean_best_score, 2) + ")</td></tr>";
  }
  s += "</tbody></table>";
  if (g.groups.size() > o.gap_groups)
    s +=
        note("... and " + count(g.groups.size() - o.gap_groups, "smaller group", "smaller groups") +
             " not shown.");
  return section("kb-gaps", heading, s);
}

const char* test_title(const std::string& name) {
  if (name == "queue_mix") return "Queue mix";
  if (name == "intent_mix") return "Intent mix";
  if (name == "language_mix") return "Language mix";
  if (name == "sentiment_mix") return "Sentiment mix";
  if (name == "confidence") return "Routing confidence";
  if (name == "out_of_scope_rate") return "Out-of-scope rate";
  if (name == "text_domain") return "Wording of the tickets";
  if (name == "text_novel_share") return "Tickets worded unlike the reference";
  return "Test";
}

std::string drift_section(const ReportData& d) {
  const std::string heading = "Drift: has the traffic changed since the reference period?";
  if (!d.drift)
    return section("drift", heading,
                   note(d.drift_note.empty() ? "No reference file was given (report --reference "
                                               "FILE), so there is nothing to compare with."
                                             : d.drift_note));
  const auto& r = *d.drift;
  std::string s = std::string("<div class=\"verdict ") + (r.drift ? "drift" : "none") + "\">" +
                  (r.drift ? "Drift: the tickets differ from the reference period"
                           : "No drift: the tickets look like the reference period") +
                  "</div>";
  std::string current_name = d.drift_current_name.empty() ? "This period" : d.drift_current_name;
  current_name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(current_name[0])));
  s += note(current_name + ": " + count(r.current_tickets, "ticket", "tickets") + "; reference (" +
            d.reference_name + "): " + count(r.reference_tickets, "ticket", "tickets") +
            ". A test fires when its effect reaches the threshold and its p-value, adjusted for "
            "the number of tests (Holm), is below " +
            num(r.options.p_threshold, 2) + ".");
  if (!r.reasons.empty()) {
    s += "<ul class=\"examples\">";
    for (const auto& reason : r.reasons)
      s += "<li>" + escape(reason) + "</li>";
    s += "</ul>";
  }
  s += "<table><thead><tr><th>What was "
       "compared</th><th>Measure</th><th>Value</th><th>Threshold</th><th>Adjusted "
       "p</th><th>Fired</th></tr></thead><tbody>";
  for (const auto& t : r.tests) {
    const char* measure =
        t.method == "jensen_shannon"       ? "JS distance"
        : t.method == "kolmogorov_smirnov" ? "KS statistic D"
        : t.method == "domain_classifier_tail"
            ? "extra share of tickets in the reference's top 5% of classifier scores"
            : "classifier AUC";
    s += "<tr><td>" + std::string(test_title(t.name)) + "</td><td>" + measure + "</td>";
    if (!t.ran) {
      s += "<td colspan=\"4\">skipped: " + escape(t.skipped_because) + "</td></tr>";
      continue;
    }
    std::string value = num(t.effect, 3);
    if (t.method == "jensen_shannon") value += " (PSI " + num(t.psi, 2) + ")";
    char p[32];
    std::snprintf(p, sizeof p, t.adjusted_p_value < 0.001 ? "%.1e" : "%.3f", t.adjusted_p_value);
    s += "<td class=\"num\">" + value + "</td><td class=\"num\">" + num(t.threshold, 2) +
         "</td><td class=\"num\">" + p + "</td><td>" + (t.fired ? "<b>yes</b>" : "no") +
         "</td></tr>";
  }
  return section("drift", heading, s + "</tbody></table>");
}

} // namespace

std::string render_report_html(const ReportData& d, const ReportOptions& o) {
  const std::size_t n = d.tickets.size();
  std::size_t critical = 0, negative = 0, oos = 0, routed = 0;
  std::int64_t first = 0, last = 0;
  bool timed = false;
  for (const auto& t : d.tickets) {
    critical += t.urgency == "critical";
    negative += t.sentiment == "negative";
    if (!t.queue.empty()) {
      ++routed;
      oos += t.out_of_scope;
    }
    if (t.time) {
      first = timed ? std::min(first, *t.time) : *t.time;
      last = timed ? std::max(last, *t.time) : *t.time;
      timed = true;
    }
  }
  const std::string period = timed ? format_date(first) + " to " + format_date(last) : "";

  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                  "<title>" +
                  escape(o.title) + "</title><style>" + kStyle + "</style></head><body><main>\n";
  h += "<h1>" + escape(o.title) + "</h1><p class=\"sub\">" +
       escape(count(n, "ticket", "tickets") + (period.empty() ? "" : ", " + period) +
              (d.source_name.empty() ? "" : " \xE2\x80\x94 " + d.source_name)) +
       "</p>\n";
  h += summary_section(d, critical, negative, oos, routed, period);

  std::string sentiment;
  h += volume_and_sentiment(d, sentiment);

  const auto queues = counts_of(d.tickets, [](const TicketFacts& t) { return t.queue; });
  h += section("queues", "Queue mix: where the tickets are routed",
               queues.empty()
                   ? note("The bundle has no routing model, so no queues.")
                   : note("Tickets per queue of the routing model; out_of_scope holds tickets it "
                          "does not route (unsupported language, unclear, or off-topic).") +
                         mix_bars(queues, n, kAccent, "Tickets per queue", 20, "other queues"));
  const auto intents = counts_of(d.tickets, [](const TicketFacts& t) { return t.intent; });
  h += section("intents",
               "Intent mix: the " + std::to_string(std::min(o.intents, intents.size())) +
                   " most frequent requests",
               intents.empty() ? note("The bundle has no routing model, so no intents.")
                               : note("Tickets per intent (queue.intent), most frequent first.") +
                                     mix_bars(intents, n, "#5a8fc2", "Tickets per intent",
                                              o.intents, "other intents"));
  h += sentiment;

  static const char* levels[] = {"critical", "high", "normal", "low"};
  static const char* level_colors[] = {kNegative, "#e09f3e", kAccent, kNeutral};
  std::vector<Bar> urgency;
  for (int i = 0; i < 4; ++i) {
    std::size_t c = 0;
    for (const auto& t : d.tickets)
      c += t.urgency == levels[i];
    urgency.push_back({levels[i], double(c), share_text(c, n), level_colors[i]});
  }
  h += section(
      "urgency", "Urgency: tickets per level, most urgent first",
      note("Critical: security incident, outage for everyone, or several urgent signals; high: one "
           "strong signal (payment failure, outage, legal threat, repeated contact).") +
          report_detail::horizontal_bars(urgency, "Tickets per urgency level"));

  const auto langs = counts_of(d.tickets, [](const TicketFacts& t) {
    if (t.language.empty()) return std::string();
    const char* name = language_name(t.language);
    return name ? std::string(name) + " (" + t.language + ")" : t.language;
  });
  h += section("languages", "Language mix: tickets per language",
               langs.empty() ? note("The bundle has no language identifier.")
                             : note("Language of each ticket as identified; the routing model "
                                    "covers English, Spanish, German, French and Portuguese.") +
                                   mix_bars(langs, n, "#7a6fb0", "Tickets per language", 12,
                                            "other languages"));
  h += critical_section(d, o);
  h += topics_section(d, o);
  h += gaps_section(d, o);
  h += drift_section(d);
  h += "<footer>";
  if (!d.problems.empty()) {
    h += "<p>" + escape(count(d.problems.size(), "input line", "input lines")) +
         " could not be read and " + (d.problems.size() == 1 ? "is" : "are") +
         " not counted:</p><ul>";
    for (std::size_t i = 0; i < d.problems.size() && i < 20; ++i)
      h += "<li>" + escape(d.problems[i]) + "</li>";
    h += "</ul>";
  }
  h += "<p>Made by supportnlp from the tickets alone: no data left this "
       "machine.</p></footer>\n</main></body></html>\n";
  return h;
}

} // namespace supportnlp::insights
