// supportnlp eval langid: accuracy of a language identifier on a
// text<TAB>lang TSV (header line; split at the LAST tab; no quoting), as
// JSON: overall accuracy, mean per-language accuracy, per-language accuracy,
// the most frequent confusion pairs, and throughput.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/text/language_identifier.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  std::string model_path, test_path;
  int top_pairs = 20;
  Options opts("eval langid", "--model M --test F.tsv\n"
                              "Accuracy on text<TAB>lang lines (first line is a header).");
  opts.add("--model", &model_path, "langid model (default: data/models/langid.snlp)")
      .add("--test", &test_path, "test TSV: text<TAB>lang")
      .add("--confusions", &top_pairs, "number of confusion pairs listed");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (test_path.empty()) {
    std::cerr << "supportnlp eval langid: --test is required\n";
    return 2;
  }
  if (model_path.empty()) model_path = default_data_dir() + "/models/langid.snlp";
  auto model = text::LanguageIdentifier::load(model_path);
  if (!model) {
    std::cerr << "supportnlp eval langid: " << model.error().message << '\n';
    return 1;
  }
  // The library's TSV reader (io::read_tsv): header skipped, blank lines
  // skipped, a row without a TAB reported with its line number. The label is
  // the last column and the text everything before the last TAB, so a text
  // that holds a TAB is kept whole.
  std::ifstream in(test_path, std::ios::binary);
  if (!in) {
    std::cerr << "supportnlp eval langid: cannot open '" << test_path << "'\n";
    return exit_runtime;
  }
  std::vector<std::pair<std::string, std::string>> rows;
  io::TsvOptions tsv;
  tsv.min_columns = 2;
  tsv.header_always = true;
  const std::uint64_t bad = io::read_tsv(
      in, tsv,
      [&](std::uint64_t, std::vector<std::string_view>& cols) {
        const std::string_view label = cols.back();
        const char* begin = cols.front().data();
        rows.emplace_back(std::string(begin, static_cast<std::size_t>(label.data() - 1 - begin)),
                          std::string(label));
        return std::string();
      },
      [&](const io::RecordIssue& issue) {
        std::cerr << "supportnlp eval langid: line " << issue.line << ": " << issue.message
                  << ", skipped\n";
      });
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> per_lang; // right, total
  std::map<std::pair<std::string, std::string>, std::uint64_t> confusions;
  std::uint64_t right = 0, bytes = 0;
  text::LanguageResult res;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& [text, gold] : rows) {
    model->identify(text, 1, res);
    bytes += text.size();
    auto& pl = per_lang[gold];
    ++pl.second;
    if (res.code == gold) {
      ++right;
      ++pl.first;
    } else {
      ++confusions[{gold, res.code}];
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::json langs = nlohmann::json::object();
  double mean = 0;
  for (const auto& [code, c] : per_lang) {
    const double acc = c.second ? double(c.first) / double(c.second) : 0;
    langs[code] = {{"accuracy", acc}, {"n", c.second}};
    mean += acc;
  }
  if (!per_lang.empty()) mean /= double(per_lang.size());
  std::vector<std::pair<std::uint64_t, std::pair<std::string, std::string>>> pairs;
  for (const auto& [k, n] : confusions)
    pairs.push_back({n, k});
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  nlohmann::json conf = nlohmann::json::array();
  for (std::size_t i = 0; i < pairs.size() && i < static_cast<std::size_t>(std::max(0, top_pairs));
       ++i)
    conf.push_back({{"gold", pairs[i].second.first},
                    {"predicted", pairs[i].second.second},
                    {"count", pairs[i].first}});
  nlohmann::json report = {
      {"test", test_path},
      {"items", rows.size()},
      {"skipped_lines", bad},
      {"accuracy", rows.empty() ? 0.0 : double(right) / double(rows.size())},
      {"mean_language_accuracy", mean},
      {"languages", langs},
      {"confusions", conf},
      {"items_per_second", seconds > 0 ? double(rows.size()) / seconds : 0.0},
      {"megabytes_per_second", seconds > 0 ? double(bytes) / seconds / 1e6 : 0.0}};
  std::cout << report.dump(2) << '\n';
  return bad ? 1 : 0;
}

CommandRegistration reg{"eval langid", "accuracy of the language identifier on a TSV", run};

} // namespace
} // namespace supportnlp::cli
