#include "supportnlp/models/linear/classifier_data.hpp"

#include "supportnlp/io/records.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace supportnlp::models {

Result<std::vector<LabeledText>> parse_labeled_text(const std::string& contents,
                                                    const std::string& name,
                                                    std::vector<DataIssue>* issues) {
  // The format rules are io::read_labeled's, shared with every other reader
  // of labelled files.
  std::vector<LabeledText> out;
  std::istringstream in(contents);
  io::read_labeled(
      in,
      [&](io::LabeledRecord& r) {
        out.push_back({std::move(r.text), std::move(r.label)});
      },
      [&](const io::RecordIssue& issue) {
        if (issues != nullptr) issues->push_back({issue.line, issue.message});
      });
  if (out.empty())
    return make_error(ErrorCode::invalid_data, name + ": no labelled example (expected "
                                                      "text<TAB>label lines or JSON Lines)");
  return out;
}

Result<std::vector<LabeledText>> read_labeled_file(const std::string& path,
                                                   std::vector<DataIssue>* issues) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::io_error, path + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return make_error(ErrorCode::io_error, path + ": read error");
  return parse_labeled_text(ss.str(), path, issues);
}

void stratified_split(const std::vector<LabeledText>& data, double fraction, std::uint64_t seed,
                      std::vector<LabeledText>& train, std::vector<LabeledText>& held_out) {
  train.clear();
  held_out.clear();
  std::map<std::string, std::vector<std::size_t>> by_label;
  for (std::size_t i = 0; i < data.size(); ++i)
    by_label[data[i].label].push_back(i);
  std::mt19937_64 rng(seed);
  std::vector<char> held(data.size(), 0);
  for (auto& [label, idx] : by_label) {
    std::shuffle(idx.begin(), idx.end(), rng);
    std::size_t k = static_cast<std::size_t>(fraction * static_cast<double>(idx.size()) + 0.5);
    if (k == 0 && idx.size() >= 2 && fraction > 0) k = 1;
    if (k >= idx.size()) k = idx.size() - 1;
    for (std::size_t i = 0; i < k; ++i)
      held[idx[i]] = 1;
  }
  for (std::size_t i = 0; i < data.size(); ++i)
    (held[i] ? held_out : train).push_back(data[i]);
}

} // namespace supportnlp::models
