// The per-command JSON writers of supportnlp/pipeline/json.hpp, built from
// the one builder per result type in json_values.hpp.
#include "supportnlp/pipeline/json.hpp"

#include "pipeline/json_values.hpp"

namespace supportnlp::pipeline {

std::string tokens_json(const text::TokenizedText& tokens, const RecordRef& record, bool normalized,
                        const std::vector<int>* subwords) {
  std::string out = "{\"id\":";
  json::append_string(out, record.id);
  out += ",\"line\":";
  out += std::to_string(record.line);
  out += ",\"tokens\":";
  json::append_tokens(out, tokens, normalized);
  if (tokens.repaired_utf8) out += ",\"repaired_utf8\":true";
  if (subwords) {
    out += ",\"subwords\":[";
    for (std::size_t i = 0; i < subwords->size(); ++i) {
      if (i > 0) out.push_back(',');
      out += std::to_string((*subwords)[i]);
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

std::string sentiment_json(const models::SentimentResult& result, const RecordRef& record,
                           std::string_view text, bool explain) {
  nlohmann::json out = json::sentiment(result, /*full=*/true, explain, text);
  out["id"] = std::string(record.id);
  out["line"] = record.line;
  return json::dump(out);
}

std::string intent_json(const models::IntentResult& result, const RecordRef& record,
                        std::string_view text, const models::Explanation* explanation) {
  nlohmann::json out = json::intent(result);
  out["id"] = std::string(record.id);
  out["line"] = record.line;
  out["queue"] = json::queue<nlohmann::json>(result);
  if (result.repaired_utf8) out["repaired_utf8"] = true;
  if (explanation) {
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& e : explanation->toward)
      evidence.push_back(json::evidence_span(e, true, text));
    for (const auto& e : explanation->against)
      evidence.push_back(json::evidence_span(e, true, text));
    out["evidence"] = std::move(evidence);
  }
  return json::dump(out);
}

namespace {

nlohmann::json language_line(const text::LanguageResult& result) {
  nlohmann::json out{{"language", json::language(result, /*full=*/true)}};
  if (result.repaired_utf8) out["repaired_utf8"] = true;
  return out;
}

} // namespace

std::string language_json(const text::LanguageResult& result, const RecordRef& record) {
  nlohmann::json out = language_line(result);
  out["id"] = std::string(record.id);
  out["line"] = record.line;
  return json::dump(out);
}

std::string language_json(const text::LanguageResult& result) {
  return json::dump(language_line(result));
}

std::string search_json(const std::vector<search::SearchHit>& hits, const RecordRef& record,
                        std::string_view query, bool truncated) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& h : hits)
    array.push_back(json::hit(h, /*full=*/true));
  nlohmann::ordered_json out{{"line", record.line},
                             {"id", std::string(record.id)},
                             {"query", std::string(query)},
                             {"hits", std::move(array)}};
  if (truncated) out["truncated"] = true;
  return json::dump(out);
}

} // namespace supportnlp::pipeline
