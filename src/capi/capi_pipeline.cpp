// C API: PII detector and urgency rules handles.
#include "capi_common.hpp"

#include "pipeline/json_values.hpp"

#include "supportnlp/rules/pii.hpp"
#include "supportnlp/rules/urgency.hpp"
#include "supportnlp/text/utf8.hpp"

struct snlp_pii_detector {
  supportnlp::rules::PiiDetector detector;
};

struct snlp_urgency_rules {
  supportnlp::rules::UrgencyRules rules;
};

using namespace supportnlp;

extern "C" {

snlp_status snlp_pii_open(const char* options_json, snlp_pii_detector** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    nlohmann::json j;
    rules::PiiOptions o;
    snlp_status s = capi::parse_options(options_json, j);
    if (s == SNLP_OK) s = capi::take_bool(j, "emails", o.emails);
    if (s == SNLP_OK) s = capi::take_bool(j, "phones", o.phones);
    if (s == SNLP_OK) s = capi::take_bool(j, "cards", o.cards);
    if (s == SNLP_OK) s = capi::take_bool(j, "ibans", o.ibans);
    if (s == SNLP_OK) s = capi::take_bool(j, "ip_addresses", o.ip_addresses);
    if (s == SNLP_OK) s = capi::take_bool(j, "phone_context", o.phone_context);
    if (s == SNLP_OK) s = capi::reject_unknown(j, "PII");
    if (s != SNLP_OK) return s;
    *out = new snlp_pii_detector{rules::PiiDetector(o)};
    return SNLP_OK;
  });
}

snlp_status snlp_pii_detect(const snlp_pii_detector* detector, const char* text, size_t len,
                            char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (auto s = capi::check_call(detector, text, len, json_out); s != SNLP_OK) return s;
    const std::string_view input(text ? text : "", len);
    const auto spans = detector->detector.detect(input);
    // JSON strings must be valid UTF-8, so the redacted copy is built here
    // with invalid sequences repaired segment by segment (spans are ASCII,
    // so this equals repairing the whole text) and tag offsets recomputed.
    rules::RedactedText redacted;
    redacted.text.reserve(input.size());
    std::size_t pos = 0;
    for (const auto& span : spans) {
      redacted.text += text::repair_utf8(input.substr(pos, span.begin - pos));
      const auto rb = static_cast<std::uint32_t>(redacted.text.size());
      redacted.text += rules::redaction_tag(span.kind);
      redacted.spans.push_back(
          {span.begin, span.end, rb, static_cast<std::uint32_t>(redacted.text.size()), span.kind});
      pos = span.end;
    }
    redacted.text += text::repair_utf8(input.substr(pos));
    // The library's PII writer (as in analyze), with the tags' offsets.
    nlohmann::json out = pipeline::json::pii(redacted, /*redacted_offsets=*/true);
    out["repaired_utf8"] = !text::is_valid_utf8(input);
    return capi::emit(out, json_out);
  });
}

void snlp_pii_close(snlp_pii_detector* detector) {
  delete detector;
}

snlp_status snlp_urgency_open(const char* options_json, snlp_urgency_rules** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    nlohmann::json j;
    rules::UrgencyOptions o;
    snlp_status s = capi::parse_options(options_json, j);
    if (s == SNLP_OK) s = capi::take_int(j, "critical_points", o.critical_points);
    if (s == SNLP_OK) s = capi::take_int(j, "high_points", o.high_points);
    if (s == SNLP_OK) s = capi::take_int(j, "negation_window", o.negation_window);
    if (s == SNLP_OK) s = capi::take_double(j, "negative_sentiment", o.negative_sentiment);
    if (s == SNLP_OK)
      s = capi::take_double(j, "very_negative_sentiment", o.very_negative_sentiment);
    if (s == SNLP_OK) s = capi::take_double(j, "positive_sentiment", o.positive_sentiment);
    if (s == SNLP_OK) s = capi::reject_unknown(j, "urgency");
    if (s != SNLP_OK) return s;
    if (o.negation_window < 0 || o.negation_window > 20)
      return capi::fail(SNLP_INVALID_ARGUMENT, "negation_window must be within 0..20");
    *out = new snlp_urgency_rules{rules::UrgencyRules(o)};
    return SNLP_OK;
  });
}

snlp_status snlp_urgency_assess(const snlp_urgency_rules* rules, const char* text, size_t len,
                                double sentiment, char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (auto s = capi::check_call(rules, text, len, json_out); s != SNLP_OK) return s;
    const auto a = rules->rules.assess(std::string_view(text ? text : "", len), sentiment);
    // The library's urgency writer, the same as analyze's.
    return capi::emit(pipeline::json::urgency(a), json_out);
  });
}

void snlp_urgency_close(snlp_urgency_rules* rules) {
  delete rules;
}

} // extern "C"
