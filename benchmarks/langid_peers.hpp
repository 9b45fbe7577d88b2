// The two language-identification peers, called the same way by the
// accuracy tool (benchmarks/eval/langid_peers.cpp) and the throughput
// benchmark (bench_langid.cpp): CLD2 as pycld2's detect() calls it, and
// fastText lid.176 top-1, each answer mapped to an ISO 639-1 code.
//
// Codes are mapped only where the peer and lingua's test set name the same
// language; a peer's label for another language or variety stays as it is
// and is scored wrong.
#pragma once

// compact_lang_det.h uses FILE without including <cstdio>.
#include <cstdio>

#include <cld2/public/compact_lang_det.h>

#include <fasttext/fasttext.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace supportnlp::bench {

/// CLD2's language as ISO 639-1. LanguageCode() is ISO 639-1 where one
/// exists, with Google's older codes for a few; the extended results add
/// script-only "xx-Xxxx" pseudo-languages and a few jokes (Klingon, Pig
/// Latin), which are no answer here.
inline std::string cld2_iso(CLD2::Language lang) {
  const std::string code = CLD2::LanguageCode(lang);
  if (code == "un" || code == "xxx" || code.empty() || code.rfind("xx-", 0) == 0 ||
      code.rfind("zz", 0) == 0 || code == "tlh")
    return "und";
  if (code == "iw") return "he";      // HEBREW, Google's pre-1989 code
  if (code == "no") return "nb";      // NORWEGIAN is Bokmål; NORWEGIAN_N is "nn"
  if (code == "zh-Hant") return "zh"; // ChineseT: the test's zh is Simplified; both are Chinese
  if (code == "sr-ME") return "sr";   // MONTENEGRIN, scored as Serbian
  if (code == "jw") return "jv";      // JAVANESE (not in the test set)
  return code;
}

/// lid.176's "__label__xx" as ISO 639-1. "no" is the Norwegian (Bokmål)
/// Wikipedia. "sh" (the Serbo-Croatian Wikipedia, Latin script) names none
/// of bs/hr/sr alone and stays "sh"; so do wuu and yue, which are not zh.
inline std::string fasttext_iso(const std::string& label) {
  std::string code = label.rfind("__label__", 0) == 0 ? label.substr(9) : label;
  if (code.empty()) return "und";
  if (code == "no") return "nb";
  return code;
}

/// CLD2's answer for a plain-text buffer: no hints, no flags (so
/// UNKNOWN_LANGUAGE when CLD2 finds the text too short or unreliable), the
/// summary language. Invalid UTF-8 gives UNKNOWN_LANGUAGE.
inline CLD2::Language cld2_detect(const char* text, std::size_t size) {
  CLD2::Language top3[3];
  int percent3[3];
  double score3[3];
  int text_bytes = 0, valid_prefix = 0;
  bool reliable = false;
  return CLD2::ExtDetectLanguageSummaryCheckUTF8(text, static_cast<int>(size),
                                                 /*is_plain_text=*/true, nullptr, 0, top3, percent3,
                                                 score3, nullptr, &text_bytes, &reliable,
                                                 &valid_prefix);
}

/// fastText's top-1 label for a text, through predictLine (its own
/// tokenization), as `fasttext predict` does for one line. `in` and `out` are scratch
/// reused across calls. Returns an empty string when there is no prediction.
inline const std::string&
fasttext_detect(const fasttext::FastText& model, const std::string& text, std::istringstream& in,
                std::vector<std::pair<fasttext::real, std::string>>& out) {
  static const std::string none;
  // predictLine stops at the first newline (fastText's Python predict()
  // refuses such text), so line breaks inside the text become spaces and one
  // "\n" ends it.
  std::string line = text;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  line += '\n';
  in.clear();
  in.str(std::move(line));
  out.clear();
  model.predictLine(in, out, 1, 0.0);
  return out.empty() ? none : out.front().second;
}

} // namespace supportnlp::bench
