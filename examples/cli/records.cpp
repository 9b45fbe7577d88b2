#include "records.hpp"

#include <supportnlp/text/utf8.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace supportnlp::cli {

std::optional<InputFormat> parse_input_format(const std::string& name) {
  if (name == "auto") return InputFormat::auto_detect;
  if (name == "text") return InputFormat::text;
  if (name == "jsonl" || name == "json") return InputFormat::jsonl;
  return std::nullopt;
}

namespace {

// True if `line`'s brackets nest deeper than `limit` (outside strings). A
// linear scan, so a 100,000-deep document is refused before it is parsed.
bool nested_deeper_than(const std::string& line, std::size_t limit) {
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

// Fills `record` from one input line (without its newline). Returns the
// message of a malformed record, or empty. `record.source` keeps a JSON
// object even when it is malformed, so its "id" can go into the error record.
std::string parse_line(const std::string& line, InputFormat format, Record& record) {
  record.id = std::to_string(record.line);
  record.source = nullptr;
  record.text.clear();
  const auto first = line.find_first_not_of(" \t");
  record.blank = first == std::string::npos;
  if (record.blank) return {};
  const bool as_json =
      format == InputFormat::jsonl || (format == InputFormat::auto_detect && line[first] == '{');
  if (!as_json) {
    record.text = line;
    return {};
  }
  if (!text::is_valid_utf8(line)) return "invalid UTF-8 in a JSON record";
  if (nested_deeper_than(line, kMaxJsonDepth))
    return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return "malformed JSON";
  if (!parsed.is_object()) return "expected a JSON object with a string field \"text\"";
  record.source = std::move(parsed);
  if (const auto id = record.source.find("id"); id != record.source.end())
    record.id = id->is_string() ? id->get<std::string>() : id->dump();
  const auto text = record.source.find("text");
  if (text == record.source.end() || !text->is_string())
    return "expected a JSON object with a string field \"text\"";
  record.text = text->get<std::string>();
  return {};
}

const nlohmann::json kNull;

} // namespace

const nlohmann::json& Record::id_json() const {
  if (!source.is_object()) return kNull;
  const auto it = source.find("id");
  return it == source.end() ? kNull : *it;
}

void InputOptions::add_to(Options& options, bool with_format) {
  options.add("--input", &path, "input file, '-' for stdin (default); or give it as FILE");
  if (with_format) options.add("--format", &format, "input format: auto (default), text or jsonl");
  options.flag("--strict", &strict, "exit 3 if any record was malformed (default: exit 0)");
  options.positionals(1);
}

int InputOptions::finish(const Options& options) {
  if (!options.positional().empty()) {
    if (!path.empty()) return options.usage_error("give the input once, as --input F or as F");
    path = options.positional()[0];
  }
  const auto parsed = parse_input_format(format);
  if (!parsed)
    return options.usage_error("--format must be auto, text or jsonl, not '" + format + "'");
  parsed_format = *parsed;
  return -1;
}

int run_records(const std::string& command, const InputOptions& input, const RecordFn& on_record,
                const std::function<void(std::uint64_t)>& on_end) {
  std::uint64_t malformed = 0;
  const int rc = with_input(input.path, [&](std::istream& in) {
    std::string line;
    Record record;
    while (std::getline(in, line)) {
      ++record.line;
      record.offset += line.size() + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string error = parse_line(line, input.parsed_format, record);
      if (error.empty()) error = on_record(record);
      if (error.empty()) continue;
      ++malformed;
      write_json_line(std::cout, error_record(record.line, error, record.id_json()));
      std::cerr << "supportnlp " << command << ": line " << record.line << ": " << error << '\n';
    }
    if (in.bad()) {
      std::cerr << "supportnlp " << command << ": read error after line " << record.line << '\n';
      return int(exit_runtime);
    }
    if (on_end) on_end(malformed);
    return int(exit_ok);
  });
  std::cout.flush();
  if (rc != exit_ok) return rc;
  if (!std::cout) {
    std::cerr << "supportnlp " << command << ": write error\n";
    return exit_runtime;
  }
  if (malformed > 0) {
    std::cerr << "supportnlp " << command << ": " << malformed << " malformed record"
              << (malformed == 1 ? "" : "s") << '\n';
    if (input.strict) return exit_malformed;
  }
  return exit_ok;
}

std::uint64_t read_records(std::istream& in, InputFormat format,
                           const std::function<void(Record&)>& on_record,
                           const std::function<void(std::uint64_t, const std::string&)>& on_error) {
  // The same line parser as run_records, so both readers judge a record alike.
  std::string line;
  std::uint64_t errors = 0;
  Record record;
  while (std::getline(in, line)) {
    ++record.line;
    record.offset += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string error = parse_line(line, format, record);
    if (!error.empty()) {
      ++errors;
      on_error(record.line, error);
    } else if (!record.blank) {
      on_record(record);
    }
  }
  return errors;
}

nlohmann::ordered_json error_record(std::uint64_t line, const std::string& message,
                                    const nlohmann::json& id) {
  nlohmann::ordered_json out;
  if (!id.is_null()) out["id"] = id;
  out["line"] = line;
  out["error"] = message;
  return out;
}

void write_json_line(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_json_line(std::ostream& out, const nlohmann::ordered_json& value) {
  out << value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

int with_input(const std::string& path, const std::function<int(std::istream&)>& body) {
  if (path.empty() || path == "-") return body(std::cin);
  std::error_code ec;
  std::ifstream file;
  if (!std::filesystem::is_directory(path, ec)) file.open(path, std::ios::binary);
  if (!file.is_open()) {
    std::cerr << "supportnlp: cannot open input file '" << path << "'\n";
    return exit_runtime;
  }
  return body(file);
}

std::string default_data_dir() {
  if (const char* env = std::getenv("SUPPORTNLP_DATA"); env && *env) return env;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(SUPPORTNLP_DATA_DIR, ec)) return SUPPORTNLP_DATA_DIR;
  return SUPPORTNLP_INSTALLED_DATA_DIR;
}

bool read_tsv_rows(const std::string& command, const std::string& path, std::size_t columns,
                   std::vector<std::vector<std::string>>& rows, std::uint64_t& bad,
                   const std::string& header_first_column) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "supportnlp " << command << ": cannot open '" << path << "'\n";
    return false;
  }
  std::string line;
  std::uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1 && header_first_column.empty()) continue;
    if (line.empty()) continue;
    std::vector<std::string> cols;
    std::string item;
    std::istringstream s(line);
    while (std::getline(s, item, '\t'))
      cols.push_back(item);
    if (line_no == 1 && !cols.empty() && cols[0] == header_first_column) continue;
    if (cols.size() < columns) {
      std::cerr << path << ':' << line_no << ": expected " << columns << " columns; skipped\n";
      ++bad;
      continue;
    }
    rows.push_back(std::move(cols));
  }
  return true;
}

} // namespace supportnlp::cli
