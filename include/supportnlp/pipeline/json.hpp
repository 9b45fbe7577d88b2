#pragma once
/// \file
/// The JSON output of supportnlp: one writer per result type, used by the
/// `supportnlp` command and the C API, so a field has one name and one form
/// everywhere. docs/output-schema.md describes every field and
/// docs/output-schema.json is the JSON Schema the tests validate against.
/// (The analysis of a whole ticket is pipeline::to_json in analyzer.hpp.)
///
/// Each function returns one JSON object as compact text without a newline.
/// Objects other than the token and search lines list their keys in
/// alphabetical order; scores, probabilities, weights and contributions are
/// rounded to four decimal places; invalid UTF-8 in strings is written as
/// U+FFFD.
///
/// \code
///   supportnlp::models::SentimentResult r;
///   lexicon.analyze(text, r);
///   std::cout << supportnlp::pipeline::sentiment_json(r, {"T-1", 1}, text, false) << '\n';
/// \endcode
///
/// Thread safety: free functions without shared state.

#include "supportnlp/models/intent/intent.hpp"
#include "supportnlp/models/linear/classifier.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/search/knowledge_base.hpp"
#include "supportnlp/text/language_identifier.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::pipeline {

/// The input record an output line answers, written as "id" (always a
/// string: the record's id, or its line number when it has none) and "line".
struct RecordRef {
  std::string_view id;    ///< the record's id as text
  std::uint64_t line = 0; ///< 1-based input line
};

/// `supportnlp tokenize`: {"id","line","tokens":[{"text","begin","end","kind"
/// [,"normalized"]}][,"repaired_utf8":true][,"subwords":[ids]]}.
std::string tokens_json(const text::TokenizedText& tokens, const RecordRef& record, bool normalized,
                        const std::vector<int>* subwords = nullptr);

/// `supportnlp sentiment`: {"id","line","label","score","probabilities"
/// [,"repaired_utf8"]}, and with `explain` the "evidence" spans with their
/// "text" (from `text`, the analysed text) and "negated".
std::string sentiment_json(const models::SentimentResult& result, const RecordRef& record,
                           std::string_view text, bool explain);

/// `supportnlp intent`: {"id","line","label","confidence","out_of_scope"
/// [,"reason"],"queue":{"label","confidence"},"top":[...][,"repaired_utf8"]}
/// and, when `explanation` is not null, "evidence": the spans that pushed
/// towards the label (positive "weight"), then those that pushed against it
/// (negative "weight"), each with its "text" from `text`: the form of
/// `analyze`'s intent.evidence, plus the text.
std::string intent_json(const models::IntentResult& result, const RecordRef& record,
                        std::string_view text, const models::Explanation* explanation = nullptr);

/// `supportnlp langid`: {"id","line","language":{"code","confidence",
/// "script","undetermined","top":[{"code","confidence"}]}[,"repaired_utf8"]}.
std::string language_json(const text::LanguageResult& result, const RecordRef& record);

/// The same without "id" and "line": the C API's snlp_langid_identify.
std::string language_json(const text::LanguageResult& result);

/// `supportnlp kb search`: {"line","id","query","hits":[hit...][,"truncated":true]},
/// each hit {"article_id","title","score","passage"[,"url"],"dense_score",
/// "lexical_score","passage_begin","passage_end","highlights",
/// "title_highlights"}.
std::string search_json(const std::vector<search::SearchHit>& hits, const RecordRef& record,
                        std::string_view query, bool truncated);

} // namespace supportnlp::pipeline
