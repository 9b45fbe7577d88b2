// The two language-identification peers of benchmarks/eval/langid.sh, run on
// the same texts: CLD2 (Debian's libcld2, with its full 160-language tables)
// and fastText lid.176. Reads one text per line and writes, for each peer,
// one predicted ISO 639-1 code per input line ("und" when the peer gives no
// answer), in input order, so line i of every output file answers line i of
// the input.
//
//   langid_peers --input TEXTS --fasttext-model lid.176.ftz
//                --cld2-out CLD2.txt --fasttext-out FASTTEXT.txt
//   langid_peers --list-cld2     (CLD2's language table: enum, code, name)
//
// The peers' codes are mapped to the ISO 639-1 codes of lingua's test set
// only where both name the same language (see cld2_iso / fasttext_iso); a
// peer's label for a different language or variety stays as it is and is
// scored wrong. One JSON line on stdout reports the tables used and each
// peer's wall time over the whole input (model load excluded).
#include <cstdio> // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>

#include <fasttext/fasttext.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

// CLD2's LanguageCode() is ISO 639-1 where one exists, with Google's older
// codes for a few; its extended results (ExtDetectLanguageSummary) add
// script-only "xx-Xxxx" pseudo-languages and a few jokes (Klingon, Pig Latin).
std::string cld2_iso(CLD2::Language lang) {
  const std::string code = CLD2::LanguageCode(lang);
  if (code == "un" || code == "xxx" || code.empty() || code.rfind("xx-", 0) == 0 ||
      code.rfind("zz", 0) == 0 || code == "tlh")
    return "und";
  if (code == "iw") return "he";      // HEBREW, Google's pre-1989 code
  if (code == "no") return "nb";      // NORWEGIAN is Bokmål; NORWEGIAN_N is "nn"
  if (code == "zh-Hant") return "zh"; // ChineseT: the test's zh is Simplified, but both are Chinese
  if (code == "sr-ME") return "sr";   // MONTENEGRIN, scored as Serbian
  if (code == "jw") return "jv";      // JAVANESE (not in the test set)
  return code;
}

// lid.176 labels are "__label__xx", mostly ISO 639-1 (Wikipedia language
// codes). "no" is the Norwegian (Bokmål) Wikipedia. "sh" (Serbo-Croatian
// Wikipedia, Latin script) is not mapped: it names none of bs/hr/sr alone,
// so it is scored wrong; langid_report.py counts how often it is said.
std::string fasttext_iso(const std::string& label) {
  std::string code = label.rfind("__label__", 0) == 0 ? label.substr(9) : label;
  if (code.empty()) return "und";
  if (code == "no") return "nb";
  return code;
}

std::string cld2_predict(const std::string& text) {
  CLD2::Language top3[3];
  int percent3[3];
  double score3[3];
  int text_bytes = 0, valid_prefix = 0;
  bool reliable = false;
  // pycld2's detect() makes the same call (no hints, no flags): CLD2's own
  // answer, UNKNOWN_LANGUAGE when it is not reliable enough to say.
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, nullptr, 0, top3,
      percent3, score3, nullptr, &text_bytes, &reliable, &valid_prefix);
  return cld2_iso(lang);
}

std::string fasttext_predict(const fasttext::FastText& model, const std::string& text,
                             std::istringstream& in,
                             std::vector<std::pair<fasttext::real, std::string>>& out) {
  // predictLine reads up to the first newline; the texts have none (they are
  // lines), and the trailing "\n" is what fastText's own predict adds.
  in.clear();
  in.str(text + "\n");
  out.clear();
  model.predictLine(in, out, 1, 0.0);
  return out.empty() ? "und" : fasttext_iso(out.front().second);
}

int usage() {
  std::cerr << "usage: langid_peers --input TEXTS --fasttext-model MODEL --cld2-out FILE "
               "--fasttext-out FILE\n       langid_peers --list-cld2\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  std::string input, ft_model, cld2_out, ft_out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--list-cld2") {
      for (int l = 0; l < CLD2::NUM_LANGUAGES; ++l) {
        const auto lang = static_cast<CLD2::Language>(l);
        const std::string code = CLD2::LanguageCode(lang);
        if (!code.empty())
          std::cout << l << '\t' << code << '\t' << cld2_iso(lang) << '\t'
                    << CLD2::LanguageName(lang) << '\n';
      }
      std::cout << "# " << CLD2::DetectLanguageVersion() << '\n';
      return 0;
    }
    if (i + 1 >= argc) return usage();
    if (a == "--input") input = argv[++i];
    else if (a == "--fasttext-model") ft_model = argv[++i];
    else if (a == "--cld2-out") cld2_out = argv[++i];
    else if (a == "--fasttext-out") ft_out = argv[++i];
    else return usage();
  }
  if (input.empty() || ft_model.empty() || cld2_out.empty() || ft_out.empty()) return usage();

  std::vector<std::string> texts;
  {
    std::ifstream in(input, std::ios::binary);
    if (!in) {
      std::cerr << "langid_peers: cannot read " << input << '\n';
      return 1;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      texts.push_back(std::move(line));
    }
  }

  using Clock = std::chrono::steady_clock;
  std::vector<std::string> answers(texts.size());
  auto write = [&](const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    for (const auto& a : answers)
      out << a << '\n';
    return static_cast<bool>(out);
  };

  auto t0 = Clock::now();
  for (std::size_t i = 0; i < texts.size(); ++i)
    answers[i] = cld2_predict(texts[i]);
  const double cld2_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!write(cld2_out)) {
    std::cerr << "langid_peers: cannot write " << cld2_out << '\n';
    return 1;
  }

  fasttext::FastText model;
  try {
    model.loadModel(ft_model);
  } catch (const std::exception& e) {
    std::cerr << "langid_peers: cannot load " << ft_model << ": " << e.what() << '\n';
    return 1;
  }
  std::istringstream in;
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  t0 = Clock::now();
  for (std::size_t i = 0; i < texts.size(); ++i)
    answers[i] = fasttext_predict(model, texts[i], in, predictions);
  const double ft_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!write(ft_out)) {
    std::cerr << "langid_peers: cannot write " << ft_out << '\n';
    return 1;
  }

  std::cout << "{\"texts\": " << texts.size() << ", \"cld2_version\": \""
            << CLD2::DetectLanguageVersion() << "\", \"cld2_seconds\": " << cld2_seconds
            << ", \"fasttext_seconds\": " << ft_seconds << "}\n";
  return 0;
}
