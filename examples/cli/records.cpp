#include "records.hpp"

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

std::uint64_t read_records(std::istream& in, InputFormat format,
                           const std::function<void(Record&)>& on_record,
                           const std::function<void(std::uint64_t, const std::string&)>& on_error) {
  std::string line;
  std::uint64_t line_no = 0;
  std::uint64_t errors = 0;
  Record record;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    record.line = line_no;
    record.id = std::to_string(line_no);
    record.source = nullptr;
    bool as_json = format == InputFormat::jsonl || (format == InputFormat::auto_detect &&
                                                    line[line.find_first_not_of(" \t")] == '{');
    if (!as_json) {
      record.text = line;
      on_record(record);
      continue;
    }
    auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      ++errors;
      on_error(line_no, "malformed JSON");
      continue;
    }
    if (!parsed.is_object() || !parsed.contains("text") || !parsed["text"].is_string()) {
      ++errors;
      on_error(line_no, "expected a JSON object with a string field \"text\"");
      continue;
    }
    record.text = parsed["text"].get<std::string>();
    if (parsed.contains("id")) {
      const auto& id = parsed["id"];
      record.id = id.is_string() ? id.get<std::string>() : id.dump();
    }
    record.source = std::move(parsed);
    on_record(record);
  }
  return errors;
}

nlohmann::json error_record(std::uint64_t line, const std::string& message) {
  return nlohmann::json{{"line", line}, {"error", message}};
}

void write_json_line(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int with_input(const std::string& path, const std::function<int(std::istream&)>& body) {
  if (path.empty() || path == "-") return body(std::cin);
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << "supportnlp: cannot open input file '" << path << "'\n";
    return 2;
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
