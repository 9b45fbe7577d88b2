#pragma once
// The JSON value of each result type: one builder per type, used by the
// analysis writer (analyzer_json.cpp), the per-command writers of
// supportnlp/pipeline/json.hpp and the C API, so a field has one name and one
// form everywhere. docs/output-schema.md documents them and
// docs/output-schema.json is their JSON Schema. Private to the library.
//
// Conventions (the schema's): objects are nlohmann::json, so their keys are
// written in alphabetical order; numbers that are scores, probabilities,
// weights or contributions are rounded to four decimal places (rounded()).

#include "supportnlp/models/intent/intent.hpp"
#include "supportnlp/models/linear/classifier.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/rules/pii.hpp"
#include "supportnlp/rules/urgency.hpp"
#include "supportnlp/search/knowledge_base.hpp"
#include "supportnlp/text/language_identifier.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::pipeline::json {

/// Four decimals keep lines short and are plenty for people and routing;
/// a non-finite number is written as 0.
double rounded(double x);

/// Appends `s` as a JSON string literal (invalid UTF-8 replaced by U+FFFD).
void append_string(std::string& out, std::string_view s);

/// Appends the token array: [{"text","begin","end","kind"[,"normalized"]}],
/// "text" being the token's original bytes (repaired if invalid). Written by
/// hand: a JSON object per token cost more than tokenizing (measured).
void append_tokens(std::string& out, const text::TokenizedText& tokens, bool normalized);

/// {"label","score","evidence":[{"begin","end","kind","contribution"}]}; with
/// `full` also "probabilities" {"negative","neutral","positive"} and
/// "repaired_utf8" (when true), and each span's "text" (from `text`) and
/// "negated" (when true). `evidence` false leaves the evidence out.
nlohmann::json sentiment(const models::SentimentResult& r, bool full, bool evidence,
                         std::string_view text);

/// One classifier evidence span {"begin","end","weight"}, with "text" (from
/// `text`) when `with_text`.
nlohmann::json evidence_span(const models::Evidence& e, bool with_text, std::string_view text);

/// {"label","confidence","out_of_scope"[,"reason"],"top":[{"label","confidence"}]}.
nlohmann::json intent(const models::IntentResult& r);

/// {"label","confidence"} of the queue of `r`, in that order when `Json` is
/// nlohmann::ordered_json (the analysis line), sorted in a nlohmann::json.
template <class Json> Json queue(const models::IntentResult& r) {
  return Json{{"label", r.queue}, {"confidence", rounded(r.queue_confidence)}};
}

/// {"code","confidence"} of a language answer ("und", 0 when undetermined);
/// with `full` also "script", "undetermined" and "top":[{"code","confidence"}].
nlohmann::json language(const text::LanguageResult& r, bool full);

/// {"level","points","evidence":[{"signal","rule","points"[,"begin","end"]}]}:
/// begin/end only for a signal with a text span.
nlohmann::json urgency(const rules::UrgencyAssessment& u);

/// {"redacted","spans":[{"begin","end","kind"[,"redacted_begin","redacted_end"]}]}.
nlohmann::json pii(const rules::RedactedText& r, bool redacted_offsets);

/// {"article_id","title","score","passage"[,"url"]}; with `full` also
/// "dense_score", "lexical_score", "passage_begin", "passage_end",
/// "highlights" and "title_highlights" ([[begin,end],...]).
nlohmann::json hit(const search::SearchHit& h, bool full);

/// The compact text of a JSON value (invalid UTF-8 replaced).
std::string dump(const nlohmann::json& value);
std::string dump(const nlohmann::ordered_json& value);

} // namespace supportnlp::pipeline::json
