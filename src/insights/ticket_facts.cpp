// TicketFacts from an analysis or from a JSON line (raw ticket or analyze
// output), and the ISO 8601 times tickets carry.
#include "supportnlp/insights/ticket_facts.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace supportnlp::insights {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

std::string string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// The record's time, if it has one: Ok(nullopt) without, an error for a
// value that is not a time.
Result<std::optional<std::int64_t>> record_time(const nlohmann::json& j) {
  for (const char* key : {"created_at", "timestamp"}) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (it->is_number()) {
      const double v = it->get<double>();
      if (!std::isfinite(v) || std::fabs(v) > 1e13)
        return make_error(ErrorCode::parse_error, std::string("\"") + key + "\" is out of range");
      return std::optional<std::int64_t>(static_cast<std::int64_t>(std::floor(v)));
    }
    if (it->is_string()) {
      if (auto t = parse_iso8601(it->get_ref<const std::string&>()))
        return std::optional<std::int64_t>(*t);
      return make_error(ErrorCode::parse_error,
                        std::string("\"") + key + "\" is not an ISO 8601 date or time");
    }
    return make_error(ErrorCode::parse_error,
                      std::string("\"") + key + "\" is neither a string nor a number");
  }
  return std::optional<std::int64_t>();
}

} // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view s) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, pos, 4, year) || pos >= s.size() || s[pos++] != '-' ||
      !read_digits(s, pos, 2, month) || pos >= s.size() || s[pos++] != '-' ||
      !read_digits(s, pos, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, hour) || pos >= s.size() || s[pos++] != ':' ||
        !read_digits(s, pos, 2, minute))
      return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_digits(s, pos, 2, second)) return std::nullopt;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
          ++pos;
        if (pos == start) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        const int sign = s[pos++] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!read_digits(s, pos, 2, oh)) return std::nullopt;
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (!read_digits(s, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
        offset = sign * (oh * 3600 + om * 60);
      } else {
        return std::nullopt;
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second - offset;
}

std::string format_date(std::int64_t t) {
  // civil_from_days (Hinnant).
  std::int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

TicketFacts ticket_facts(const pipeline::TicketAnalysis& a, std::string id,
                         std::optional<std::int64_t> time) {
  TicketFacts f;
  f.id = std::move(id);
  f.time = time;
  if (a.language) f.language = a.language->code;
  if (a.intent) {
    f.queue = a.intent->queue;
    f.out_of_scope = a.intent->out_of_scope;
    f.intent = a.intent->out_of_scope ? std::string(models::kOutOfScopeQueue) : a.intent->label;
    if (a.intent->out_of_scope) f.out_of_scope_reason = models::to_string(a.intent->reason);
    f.classified = !a.intent->label.empty();
    f.confidence = a.intent->confidence;
  }
  f.sentiment = models::to_string(a.sentiment.label);
  f.sentiment_score = a.sentiment.score;
  f.urgency = to_string(a.urgency.level);
  f.text = a.normalized_text;
  f.redacted = a.pii.text;
  return f;
}

bool is_raw_ticket_line(std::string_view line) {
  const auto j = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (!j.is_object()) return false;
  const auto it = j.find("text");
  return it != j.end() && it->is_string();
}

Result<TicketFacts> read_ticket_line(std::string_view line, const pipeline::Analyzer* analyzer) {
  const auto j = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_discarded()) return make_error(ErrorCode::parse_error, "not valid JSON");
  if (!j.is_object()) return make_error(ErrorCode::parse_error, "not a JSON object");
  auto time = record_time(j);
  if (!time) return time.error();
  std::string id;
  if (const auto it = j.find("id"); it != j.end()) {
    if (it->is_string())
      id = it->get<std::string>();
    else if (it->is_number_integer())
      id = std::to_string(it->get<long long>());
  }

  if (const auto text = j.find("text"); text != j.end()) {
    if (!text->is_string()) return make_error(ErrorCode::parse_error, "\"text\" is not a string");
    if (!analyzer) return make_error(ErrorCode::invalid_argument, "a raw ticket needs an analyzer");
    return ticket_facts(analyzer->analyze(text->get_ref<const std::string&>()), std::move(id),
                        *time);
  }
  if (j.contains("error") && !j.contains("normalized"))
    return make_error(ErrorCode::parse_error, "an error record: " + j["error"].dump());
  const auto normalized = j.find("normalized");
  const auto sentiment = j.find("sentiment");
  if (normalized == j.end() || !normalized->is_string() || sentiment == j.end() ||
      !sentiment->is_object())
    return make_error(ErrorCode::parse_error,
                      "neither a ticket (no string \"text\") nor analyze output "
                      "(no \"normalized\" and \"sentiment\")");

  TicketFacts f;
  f.id = std::move(id);
  f.time = *time;
  f.text = normalized->get<std::string>();
  if (const auto it = j.find("language"); it != j.end() && it->is_object())
    f.language = string_field(*it, "code");
  f.sentiment = string_field(*sentiment, "label");
  f.sentiment_score = static_cast<float>(number_field(*sentiment, "score"));
  if (const auto it = j.find("urgency"); it != j.end() && it->is_object())
    f.urgency = string_field(*it, "level");
  if (const auto it = j.find("queue"); it != j.end() && it->is_object())
    f.queue = string_field(*it, "label");
  if (const auto it = j.find("intent"); it != j.end() && it->is_object()) {
    const auto oos = it->find("out_of_scope");
    f.out_of_scope = oos != it->end() && oos->is_boolean() && oos->get<bool>();
    const std::string label = string_field(*it, "label");
    f.intent = f.out_of_scope ? std::string(models::kOutOfScopeQueue) : label;
    if (f.out_of_scope) f.out_of_scope_reason = string_field(*it, "reason");
    f.classified = !label.empty();
    f.confidence = static_cast<float>(number_field(*it, "confidence"));
  }
  if (const auto it = j.find("pii"); it != j.end() && it->is_object())
    f.redacted = string_field(*it, "redacted");
  if (f.redacted.empty()) f.redacted = f.text;
  if (f.sentiment.empty() || f.urgency.empty())
    return make_error(ErrorCode::parse_error, "analyze output without sentiment label or urgency");
  return f;
}

} // namespace supportnlp::insights
