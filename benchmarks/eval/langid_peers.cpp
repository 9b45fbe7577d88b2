// The two language-identification peers of benchmarks/eval/langid.sh, run on
// the same texts: CLD2 (Debian's libcld2, with its full 160-language tables)
// and fastText lid.176. Reads one text per line and writes, for each peer,
// one predicted ISO 639-1 code per input line ("und" when the peer gives no
// answer), in input order, so line i of every output file answers line i of
// the input.
//
//   langid_peers --input TEXTS --fasttext-model lid.176.ftz
//                --cld2-out CLD2.txt --fasttext-out FASTTEXT.txt
//   langid_peers --list-cld2     (CLD2's languages: enum, code, ISO 639-1 here, name)
//
// The peers' codes are mapped to ISO 639-1 as benchmarks/langid_peers.hpp
// says (fastText's empty answer is "und" too). One JSON line on stdout reports the tables used and
// each peer's wall time over the whole input (model load excluded).
#include "../langid_peers.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using supportnlp::bench::cld2_iso;

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
    if (a == "--input")
      input = argv[++i];
    else if (a == "--fasttext-model")
      ft_model = argv[++i];
    else if (a == "--cld2-out")
      cld2_out = argv[++i];
    else if (a == "--fasttext-out")
      ft_out = argv[++i];
    else
      return usage();
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
    answers[i] = cld2_iso(supportnlp::bench::cld2_detect(texts[i].data(), texts[i].size()));
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
    answers[i] = supportnlp::bench::fasttext_iso(
        supportnlp::bench::fasttext_detect(model, texts[i], in, predictions));
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
