// PiiDetector: runs the rules of the enabled kinds, resolves overlaps by
// specificity, and builds the redacted copy.
#include "pii_rules.hpp"

#include <limits>

namespace supportnlp::rules {

const char* to_string(PiiKind kind) noexcept {
  switch (kind) {
  case PiiKind::email:
    return "email";
  case PiiKind::phone:
    return "phone";
  case PiiKind::card:
    return "card";
  case PiiKind::iban:
    return "iban";
  case PiiKind::ipv4:
    return "ipv4";
  case PiiKind::ipv6:
    return "ipv6";
  }
  return "unknown";
}

const char* redaction_tag(PiiKind kind) noexcept {
  switch (kind) {
  case PiiKind::email:
    return "[EMAIL]";
  case PiiKind::phone:
    return "[PHONE]";
  case PiiKind::card:
    return "[CARD]";
  case PiiKind::iban:
    return "[IBAN]";
  case PiiKind::ipv4:
  case PiiKind::ipv6:
    return "[IP]";
  }
  return "[PII]";
}

PiiDetector::PiiDetector(PiiOptions options) : options_(options) {}

namespace {

// Adds the spans of `more` that overlap nothing in `accepted` (both sorted by
// position), keeping the result sorted: a linear merge.
void merge_without_overlap(std::vector<PiiSpan>& accepted, const std::vector<PiiSpan>& more,
                           std::vector<PiiSpan>& scratch) {
  if (more.empty()) return;
  scratch.clear();
  scratch.reserve(accepted.size() + more.size());
  std::size_t a = 0;
  for (const PiiSpan& s : more) {
    while (a < accepted.size() && accepted[a].end <= s.begin)
      scratch.push_back(accepted[a++]);
    const bool overlaps = a < accepted.size() && accepted[a].begin < s.end;
    if (!overlaps) scratch.push_back(s);
  }
  while (a < accepted.size())
    scratch.push_back(accepted[a++]);
  accepted.swap(scratch);
}

// What one pass over the bytes tells every rule: a rule whose shape needs
// characters the text does not have is not run. Each bound is the least
// any match of that rule holds (an email its '@', an IPv6 address a ':', an
// IPv4 address 4 digits and 3 dots, an IBAN its 2 check digits, a card 13
// digits, a phone 7), so skipping never loses a span.
struct TextShape {
  std::size_t digits = 0;
  std::size_t dots = 0;
  bool at_sign = false;
  bool colon = false;
};

TextShape shape_of(std::string_view text) noexcept {
  TextShape s;
  std::size_t at = 0, colon = 0;
  for (const char c : text) {
    s.digits += static_cast<unsigned char>(c - '0') <= 9;
    s.dots += c == '.';
    at += c == '@';
    colon += c == ':';
  }
  s.at_sign = at > 0;
  s.colon = colon > 0;
  return s;
}

} // namespace

void PiiDetector::detect(std::string_view text, std::vector<PiiSpan>& out) const {
  out.clear();
  if (text.size() > std::numeric_limits<std::uint32_t>::max())
    text = text.substr(0, std::numeric_limits<std::uint32_t>::max());
  // Per-thread buffers: detect() is const and called from many threads.
  thread_local std::vector<PiiSpan> found, scratch;
  // Most specific first: an email may contain digits and dots, an IBAN digit
  // groups, a card number a phone-like shape.
  const auto run = [&](bool enabled, auto&& finder) {
    if (!enabled) return;
    found.clear();
    finder(found);
    merge_without_overlap(out, found, scratch);
  };
  const TextShape shape = shape_of(text);
  run(options_.emails && shape.at_sign, [&](auto& v) { detail::find_emails(text, v); });
  run(options_.ip_addresses && shape.colon, [&](auto& v) { detail::find_ipv6(text, v); });
  run(options_.ip_addresses && shape.digits >= 4 && shape.dots >= 3,
      [&](auto& v) { detail::find_ipv4(text, v); });
  run(options_.ibans && shape.digits >= 2, [&](auto& v) { detail::find_ibans(text, v); });
  run(options_.cards && shape.digits >= 13, [&](auto& v) { detail::find_cards(text, v); });
  run(options_.phones && shape.digits >= 7,
      [&](auto& v) { detail::find_phones(text, options_.phone_context, v); });
  if (found.capacity() > 4096 || scratch.capacity() > 4096) {
    std::vector<PiiSpan>().swap(found);
    std::vector<PiiSpan>().swap(scratch);
  }
}

std::vector<PiiSpan> PiiDetector::detect(std::string_view text) const {
  std::vector<PiiSpan> out;
  detect(text, out);
  return out;
}

void redact_spans(std::string_view text, const std::vector<PiiSpan>& spans, RedactedText& r) {
  r.text.clear();
  r.spans.clear();
  r.text.reserve(text.size());
  r.spans.reserve(spans.size());
  std::size_t pos = 0;
  for (const PiiSpan& s : spans) {
    if (s.begin < pos || s.end < s.begin || s.end > text.size()) continue; // not sorted/in range
    r.text.append(text.substr(pos, s.begin - pos));
    const std::string_view tag = redaction_tag(s.kind);
    RedactedSpan rs;
    rs.begin = s.begin;
    rs.end = s.end;
    rs.kind = s.kind;
    rs.redacted_begin = std::uint32_t(r.text.size());
    r.text.append(tag);
    rs.redacted_end = std::uint32_t(r.text.size());
    r.spans.push_back(rs);
    pos = s.end;
  }
  r.text.append(text.substr(pos));
}

RedactedText redact_spans(std::string_view text, const std::vector<PiiSpan>& spans) {
  RedactedText r;
  redact_spans(text, spans, r);
  return r;
}

RedactedText PiiDetector::redact(std::string_view text) const {
  RedactedText r;
  redact(text, r);
  return r;
}

void PiiDetector::redact(std::string_view text, RedactedText& out) const {
  thread_local std::vector<PiiSpan> spans;
  detect(text, spans);
  redact_spans(text, spans, out);
  if (spans.capacity() > 4096) std::vector<PiiSpan>().swap(spans);
}

} // namespace supportnlp::rules
