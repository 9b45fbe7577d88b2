// The line-oriented readers of supportnlp/io/records.hpp: text records, TSV
// tables and labelled examples share one line loop and one judgement of a
// JSON line, so no tool accepts what another refuses.
#include "supportnlp/io/records.hpp"

#include "io/format_layout.hpp"
#include "io/json_line.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <istream>

namespace supportnlp::io {

namespace {

// True if `line`'s brackets nest deeper than `limit` (outside strings). A
// linear scan, so a 100,000-deep document is refused before it is parsed.
bool nested_deeper_than(std::string_view line, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : line) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

} // namespace

std::string detail::parse_json_line(std::string_view line, nlohmann::json& out) {
  if (!format::valid_utf8(line.data(), line.size())) return "invalid UTF-8 in a JSON record";
  if (nested_deeper_than(line, kMaxJsonDepth))
    return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  out = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) return "malformed JSON";
  return {};
}

bool LineReader::next(std::string& line) {
  if (!std::getline(in_, line)) return false;
  ++line_;
  bytes_ += line.size() + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

bool LineReader::read_error() const {
  return in_.bad();
}

bool is_blank(std::string_view line) noexcept {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

void split_tsv(std::string_view line, std::vector<std::string_view>& columns) {
  columns.clear();
  for (;;) {
    const auto tab = line.find('\t');
    columns.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return;
    line.remove_prefix(tab + 1);
  }
}

std::string parse_text_record(std::string_view line, RecordFormat format, TextRecord& record) {
  record.id = std::to_string(record.line);
  record.id_json_text.clear();
  record.text.clear();
  record.json = false;
  const auto first = line.find_first_not_of(" \t");
  record.blank = first == std::string_view::npos;
  if (record.blank) return {};
  record.json =
      format == RecordFormat::jsonl || (format == RecordFormat::auto_detect && line[first] == '{');
  if (!record.json) {
    record.text = std::string(line);
    return {};
  }
  nlohmann::json j;
  if (auto error = detail::parse_json_line(line, j); !error.empty()) return error;
  const char* const no_text = "expected a JSON object with a string field \"text\"";
  if (!j.is_object()) return no_text;
  if (const auto id = j.find("id"); id != j.end()) {
    record.id_json_text = id->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    record.id = id->is_string() ? id->get<std::string>() : record.id_json_text;
  }
  const auto text = j.find("text");
  if (text == j.end() || !text->is_string()) return no_text;
  record.text = text->get<std::string>();
  return {};
}

bool RecordReader::next(TextRecord& record, std::string& error) {
  if (!lines_.next(raw_)) return false;
  record.line = lines_.line_number();
  error = parse_text_record(raw_, format_, record);
  return true;
}

std::uint64_t read_tsv(std::istream& in, const TsvOptions& options, const TsvRowFn& on_row,
                       const IssueFn& on_issue) {
  LineReader lines(in);
  std::string line;
  std::vector<std::string_view> columns;
  std::uint64_t bad = 0;
  while (lines.next(line)) {
    const std::uint64_t number = lines.line_number();
    if (number == 1 && options.header_always) continue;
    if (is_blank(line)) continue;
    split_tsv(line, columns);
    if (number == 1)
      if (std::find(options.header_names.begin(), options.header_names.end(), columns[0]) !=
          options.header_names.end())
        continue;
    std::string error;
    if (columns.size() < options.min_columns)
      error = "expected " + std::to_string(options.min_columns) + " tab-separated columns, got " +
              std::to_string(columns.size());
    else
      error = on_row(number, columns);
    if (!error.empty()) {
      ++bad;
      on_issue({number, std::move(error)});
    }
  }
  return bad;
}

std::uint64_t read_labeled(std::istream& in, const std::function<void(LabeledRecord&)>& on_record,
                           const IssueFn& on_issue) {
  LineReader lines(in);
  std::string line;
  std::vector<std::string_view> columns;
  std::uint64_t bad = 0;
  bool decided = false, jsonl = false;
  LabeledRecord record;
  while (lines.next(line)) {
    record.line = lines.line_number();
    if (is_blank(line)) continue;
    const auto report = [&](std::string message) {
      ++bad;
      on_issue({record.line, std::move(message)});
    };
    if (!decided) {
      decided = true;
      jsonl = trim(line).front() == '{';
      if (!jsonl) {
        split_tsv(line, columns);
        if (columns.size() >= 2 && trim(columns[0]) == "text" && trim(columns[1]) == "label")
          continue; // header
      }
    }
    if (jsonl) {
      nlohmann::json j;
      if (auto error = detail::parse_json_line(line, j); !error.empty()) {
        report(error);
        continue;
      }
      if (!j.is_object()) {
        report("malformed JSON");
        continue;
      }
      const auto t = j.find("text");
      const auto l = j.find("label");
      if (t == j.end() || !t->is_string()) {
        report("no string \"text\" field");
        continue;
      }
      if (l == j.end() || !l->is_string()) {
        report("no string \"label\" field");
        continue;
      }
      record.text = t->get<std::string>();
      record.label = l->get<std::string>();
    } else {
      split_tsv(line, columns);
      if (columns.size() < 2) {
        report("no label (expected text<TAB>label)");
        continue;
      }
      record.text = std::string(columns[0]);
      record.label = std::string(trim(columns[1]));
    }
    if (trim(record.text).empty()) {
      report("empty text");
      continue;
    }
    if (record.label.empty()) {
      report("empty label");
      continue;
    }
    on_record(record);
  }
  return bad;
}

} // namespace supportnlp::io
