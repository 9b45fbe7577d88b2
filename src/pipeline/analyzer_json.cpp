// The JSON form of a TicketAnalysis, shared by the CLI (`supportnlp analyze`)
// and the C API (snlp_analyze), so both speak the same format.
#include "supportnlp/pipeline/analyzer.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace supportnlp::pipeline {

namespace {

// Four decimals keep lines short and are plenty for people and routing.
double rounded(double x) {
  return std::isfinite(x) ? std::round(x * 1e4) / 1e4 : 0.0;
}

nlohmann::json sentiment_json(const models::SentimentResult& s, bool unsupported_language) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& e : s.evidence)
    evidence.push_back({{"begin", e.begin},
                        {"end", e.end},
                        {"kind", models::to_string(e.kind)},
                        {"contribution", rounded(e.contribution)}});
  nlohmann::json out{{"label", models::to_string(s.label)},
                     {"score", rounded(s.score)},
                     {"evidence", std::move(evidence)}};
  if (unsupported_language) out["reason"] = "unsupported_language";
  return out;
}

nlohmann::json intent_json(const models::IntentResult& r,
                           const std::vector<models::Evidence>& why) {
  nlohmann::json top = nlohmann::json::array();
  for (const auto& t : r.top)
    top.push_back({{"label", t.label}, {"confidence", rounded(t.confidence)}});
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& e : why)
    evidence.push_back({{"begin", e.begin}, {"end", e.end}, {"weight", rounded(e.weight)}});
  nlohmann::json out{
      {"label", r.label}, {"confidence", rounded(r.confidence)}, {"out_of_scope", r.out_of_scope}};
  if (r.out_of_scope) out["reason"] = models::to_string(r.reason);
  out["top"] = std::move(top);
  out["evidence"] = std::move(evidence);
  return out;
}

nlohmann::json urgency_json(const rules::UrgencyAssessment& u) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& e : u.evidence) {
    nlohmann::json item{{"signal", to_string(e.signal)}, {"rule", e.rule}, {"points", e.points}};
    if (e.end > e.begin) {
      item["begin"] = e.begin;
      item["end"] = e.end;
    }
    evidence.push_back(std::move(item));
  }
  return {{"level", to_string(u.level)}, {"points", u.points}, {"evidence", std::move(evidence)}};
}

nlohmann::json kb_json(const std::vector<search::SearchHit>& hits) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hits) {
    nlohmann::json item{{"id", h.article_id},
                        {"title", h.title},
                        {"score", rounded(h.score)},
                        {"passage", h.passage}};
    if (!h.url.empty()) item["url"] = h.url;
    out.push_back(std::move(item));
  }
  return out;
}

nlohmann::json pii_json(const rules::RedactedText& r) {
  nlohmann::json spans = nlohmann::json::array();
  for (const auto& s : r.spans)
    spans.push_back({{"begin", s.begin}, {"end", s.end}, {"kind", to_string(s.kind)}});
  return {{"spans", std::move(spans)}, {"redacted", r.text}};
}

} // namespace

std::string to_json(const TicketAnalysis& a, std::string_view id) {
  // nlohmann's ordered_json keeps fields in the documented order.
  nlohmann::ordered_json j;
  if (!id.empty()) j["id"] = std::string(id);
  if (a.language)
    j["language"] = {{"code", a.language->code}, {"confidence", rounded(a.language->confidence)}};
  j["normalized"] = a.normalized_text;
  j["sentiment"] = sentiment_json(a.sentiment, a.sentiment_unsupported_language);
  if (a.intent) {
    j["queue"] = {{"label", a.intent->queue}, {"confidence", rounded(a.intent->queue_confidence)}};
    j["intent"] = intent_json(*a.intent, a.intent_evidence);
  }
  j["urgency"] = urgency_json(a.urgency);
  j["kb"] = kb_json(a.kb_hits);
  j["pii"] = pii_json(a.pii);
  j["repaired_utf8"] = a.repaired_utf8;
  if (a.truncated) {
    j["truncated"] = true;
    j["analyzed_bytes"] = a.analyzed_bytes;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace supportnlp::pipeline
