#include "supportnlp/models/linear/classifier_data.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace supportnlp::models {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

} // namespace

Result<std::vector<LabeledText>> parse_labeled_text(const std::string& contents,
                                                    const std::string& name,
                                                    std::vector<DataIssue>* issues) {
  std::vector<LabeledText> out;
  auto issue = [&](std::uint64_t line, std::string message) {
    if (issues != nullptr) issues->push_back({line, std::move(message)});
  };
  bool decided = false, jsonl = false;
  std::uint64_t line_no = 0;
  std::size_t pos = 0;
  while (pos < contents.size()) {
    std::size_t end = contents.find('\n', pos);
    if (end == std::string::npos) end = contents.size();
    std::string_view line(contents.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    if (!decided) {
      decided = true;
      jsonl = trim(line).front() == '{';
      if (!jsonl) {
        auto tab = line.find('\t');
        if (tab != std::string_view::npos && trim(line.substr(0, tab)) == "text") {
          auto rest = line.substr(tab + 1);
          if (trim(rest.substr(0, rest.find('\t'))) == "label") continue; // header
        }
      }
    }
    LabeledText example;
    if (jsonl) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        issue(line_no, "malformed JSON");
        continue;
      }
      auto t = j.find("text");
      auto l = j.find("label");
      if (t == j.end() || !t->is_string()) {
        issue(line_no, "no string \"text\" field");
        continue;
      }
      if (l == j.end() || !l->is_string()) {
        issue(line_no, "no string \"label\" field");
        continue;
      }
      example.text = t->get<std::string>();
      example.label = l->get<std::string>();
    } else {
      auto tab = line.find('\t');
      if (tab == std::string_view::npos) {
        issue(line_no, "no label (expected text<TAB>label)");
        continue;
      }
      auto label = line.substr(tab + 1);
      label = trim(label.substr(0, label.find('\t')));
      example.text = std::string(line.substr(0, tab));
      example.label = std::string(label);
    }
    if (trim(example.text).empty()) {
      issue(line_no, "empty text");
      continue;
    }
    if (example.label.empty()) {
      issue(line_no, "empty label");
      continue;
    }
    out.push_back(std::move(example));
  }
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
