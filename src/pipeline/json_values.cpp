// The JSON value of each result type (pipeline/json_values.hpp).
#include "pipeline/json_values.hpp"

#include "supportnlp/text/utf8.hpp"

#include <cmath>

namespace supportnlp::pipeline::json {

double rounded(double x) {
  return std::isfinite(x) ? std::round(x * 1e4) / 1e4 : 0.0;
}

void append_string(std::string& out, std::string_view s) {
  std::string repaired;
  if (!text::is_valid_utf8(s)) {
    repaired = text::repair_utf8(s);
    s = repaired;
  }
  static const char* const kHex = "0123456789abcdef";
  out.push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 15]);
      }
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void append_tokens(std::string& out, const text::TokenizedText& tokenized, bool normalized) {
  out.push_back('[');
  for (std::size_t i = 0; i < tokenized.tokens.size(); ++i) {
    const auto& t = tokenized.tokens[i];
    if (i > 0) out.push_back(',');
    out += "{\"text\":";
    append_string(out, tokenized.original(t));
    out += ",\"begin\":";
    out += std::to_string(t.begin);
    out += ",\"end\":";
    out += std::to_string(t.end);
    out += ",\"kind\":\"";
    out += text::to_string(t.kind);
    out.push_back('"');
    if (normalized) {
      out += ",\"normalized\":";
      append_string(out, tokenized.normalized(t));
    }
    out.push_back('}');
  }
  out.push_back(']');
}

namespace {

std::string span_text(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  return begin <= end && end <= text.size() ? std::string(text.substr(begin, end - begin))
                                            : std::string();
}

} // namespace

nlohmann::json sentiment(const models::SentimentResult& r, bool full, bool evidence,
                         std::string_view text) {
  nlohmann::json out{{"label", models::to_string(r.label)}, {"score", rounded(r.score)}};
  if (full) {
    out["probabilities"] = {{"negative", rounded(r.probabilities[0])},
                            {"neutral", rounded(r.probabilities[1])},
                            {"positive", rounded(r.probabilities[2])}};
    if (r.repaired_utf8) out["repaired_utf8"] = true;
  }
  if (evidence) {
    nlohmann::json spans = nlohmann::json::array();
    for (const auto& e : r.evidence) {
      nlohmann::json item{{"begin", e.begin},
                          {"end", e.end},
                          {"kind", models::to_string(e.kind)},
                          {"contribution", rounded(e.contribution)}};
      if (full) {
        item["text"] = span_text(text, e.begin, e.end);
        if (e.negated) item["negated"] = true;
      }
      spans.push_back(std::move(item));
    }
    out["evidence"] = std::move(spans);
  }
  return out;
}

nlohmann::json evidence_span(const models::Evidence& e, bool with_text, std::string_view text) {
  nlohmann::json item{{"begin", e.begin}, {"end", e.end}, {"weight", rounded(e.weight)}};
  if (with_text) item["text"] = span_text(text, e.begin, e.end);
  return item;
}

nlohmann::json intent(const models::IntentResult& r) {
  nlohmann::json top = nlohmann::json::array();
  for (const auto& t : r.top)
    top.push_back({{"label", t.label}, {"confidence", rounded(t.confidence)}});
  nlohmann::json out{
      {"label", r.label}, {"confidence", rounded(r.confidence)}, {"out_of_scope", r.out_of_scope}};
  if (r.out_of_scope) out["reason"] = models::to_string(r.reason);
  out["top"] = std::move(top);
  return out;
}

nlohmann::json urgency(const rules::UrgencyAssessment& u) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& e : u.evidence) {
    nlohmann::json item{
        {"signal", rules::to_string(e.signal)}, {"rule", e.rule}, {"points", e.points}};
    if (e.end > e.begin) {
      item["begin"] = e.begin;
      item["end"] = e.end;
    }
    evidence.push_back(std::move(item));
  }
  return {{"level", rules::to_string(u.level)},
          {"points", u.points},
          {"evidence", std::move(evidence)}};
}

nlohmann::json pii(const rules::RedactedText& r, bool redacted_offsets) {
  nlohmann::json spans = nlohmann::json::array();
  for (const auto& s : r.spans) {
    nlohmann::json item{{"begin", s.begin}, {"end", s.end}, {"kind", rules::to_string(s.kind)}};
    if (redacted_offsets) {
      item["redacted_begin"] = s.redacted_begin;
      item["redacted_end"] = s.redacted_end;
    }
    spans.push_back(std::move(item));
  }
  return {{"spans", std::move(spans)}, {"redacted", r.text}};
}

nlohmann::json language(const text::LanguageResult& r, bool full) {
  nlohmann::json out{{"code", r.code}, {"confidence", rounded(r.confidence)}};
  if (full) {
    nlohmann::json top = nlohmann::json::array();
    for (const auto& t : r.top)
      top.push_back({{"code", t.code}, {"confidence", rounded(t.probability)}});
    out["script"] = r.script;
    out["undetermined"] = r.undetermined;
    out["top"] = std::move(top);
  }
  return out;
}

nlohmann::json hit(const search::SearchHit& h, bool full) {
  nlohmann::json out{{"article_id", h.article_id},
                     {"title", h.title},
                     {"score", rounded(h.score)},
                     {"passage", h.passage}};
  if (!h.url.empty()) out["url"] = h.url;
  if (full) {
    nlohmann::json highlights = nlohmann::json::array(), title = nlohmann::json::array();
    for (auto s : h.highlights)
      highlights.push_back({s.begin, s.end});
    for (auto s : h.title_highlights)
      title.push_back({s.begin, s.end});
    out["dense_score"] = rounded(h.dense_score);
    out["lexical_score"] = rounded(h.lexical_score);
    out["passage_begin"] = h.passage_begin;
    out["passage_end"] = h.passage_end;
    out["highlights"] = std::move(highlights);
    out["title_highlights"] = std::move(title);
  }
  return out;
}

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dump(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace supportnlp::pipeline::json
