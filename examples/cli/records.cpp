#include "records.hpp"

#include <supportnlp/data_dir.hpp>

#include <supportnlp/text/utf8.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace supportnlp::cli {

std::optional<InputFormat> parse_input_format(const std::string& name) {
  if (name == "auto") return InputFormat::auto_detect;
  if (name == "text") return InputFormat::text;
  if (name == "jsonl" || name == "json") return InputFormat::jsonl;
  return std::nullopt;
}

namespace {
const nlohmann::json kNull;
} // namespace

const nlohmann::json& Record::id_json() const {
  if (id_json_text.empty()) return kNull;
  if (!id_cache_)
    id_cache_ = nlohmann::json::parse(id_json_text, nullptr, /*allow_exceptions=*/false);
  return *id_cache_;
}

const nlohmann::json& Record::source() const {
  if (!json || !raw_) return kNull;
  if (!source_cache_) {
    source_cache_ = nlohmann::json::parse(*raw_, nullptr, /*allow_exceptions=*/false);
    if (!source_cache_->is_object()) source_cache_ = nullptr;
  }
  return *source_cache_;
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
    io::RecordReader reader(in, input.parsed_format);
    Record record;
    std::string error;
    while (reader.next(record, error)) {
      record.offset = reader.bytes_read();
      record.bind(reader.raw_line());
      if (error.empty()) error = on_record(record);
      if (error.empty()) continue;
      ++malformed;
      write_json_line(std::cout, error_record(record.line, error, record.id_json()));
      std::cerr << "supportnlp " << command << ": line " << record.line << ": " << error << '\n';
    }
    if (reader.read_error()) {
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
  // The same reader as run_records, so both judge a record alike.
  io::RecordReader reader(in, format);
  Record record;
  std::string error;
  std::uint64_t errors = 0;
  while (reader.next(record, error)) {
    record.offset = reader.bytes_read();
    record.bind(reader.raw_line());
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

std::string default_data_dir() { return supportnlp::data_dir(); }

bool read_tsv_rows(const std::string& command, const std::string& path, std::size_t columns,
                   std::vector<std::vector<std::string>>& rows, std::uint64_t& bad,
                   const std::string& header_first_column) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "supportnlp " << command << ": cannot open '" << path << "'\n";
    return false;
  }
  io::TsvOptions options;
  options.min_columns = columns;
  options.header_always = header_first_column.empty();
  if (!header_first_column.empty()) options.header_names = {header_first_column};
  bad += io::read_tsv(
      in, options,
      [&](std::uint64_t, std::vector<std::string_view>& cols) {
        rows.emplace_back(cols.begin(), cols.end());
        return std::string();
      },
      [&](const io::RecordIssue& issue) {
        std::cerr << path << ':' << issue.line << ": " << issue.message << "; skipped\n";
      });
  return true;
}

} // namespace supportnlp::cli
