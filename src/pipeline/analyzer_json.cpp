// The JSON form of a TicketAnalysis, shared by the CLI (`supportnlp analyze`)
// and the C API (snlp_analyze), built from the one writer per result type
// (json_values.hpp) that `intent`, `sentiment`, `kb search` and the C API
// use too. docs/output-schema.md documents it.
#include "supportnlp/pipeline/analyzer.hpp"

#include "pipeline/json_values.hpp"

namespace supportnlp::pipeline {

std::string to_json(const TicketAnalysis& a, std::string_view id) {
  // nlohmann's ordered_json keeps the top-level fields in the documented order.
  nlohmann::ordered_json j;
  if (!id.empty()) j["id"] = std::string(id);
  if (a.language)
    j["language"] = json::language(*a.language, /*full=*/false);
  j["normalized"] = a.normalized_text;
  nlohmann::json sentiment = json::sentiment(a.sentiment, /*full=*/false, /*evidence=*/true, {});
  if (a.sentiment_unsupported_language) sentiment["reason"] = "unsupported_language";
  j["sentiment"] = std::move(sentiment);
  if (a.intent) {
    j["queue"] = json::queue<nlohmann::ordered_json>(*a.intent);
    nlohmann::json intent = json::intent(*a.intent);
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& e : a.intent_evidence)
      evidence.push_back(json::evidence_span(e, false, {}));
    intent["evidence"] = std::move(evidence);
    j["intent"] = std::move(intent);
  }
  j["urgency"] = json::urgency(a.urgency);
  nlohmann::json kb = nlohmann::json::array();
  for (const auto& h : a.kb_hits)
    kb.push_back(json::hit(h, /*full=*/false));
  j["kb"] = std::move(kb);
  j["pii"] = json::pii(a.pii, /*redacted_offsets=*/false);
  j["repaired_utf8"] = a.repaired_utf8;
  if (a.truncated) {
    j["truncated"] = true;
    j["analyzed_bytes"] = a.analyzed_bytes;
  }
  return json::dump(j);
}

} // namespace supportnlp::pipeline
