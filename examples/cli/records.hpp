#pragma once
// Line-oriented input shared by the CLI's sub-commands: plain-text lines or
// JSON Lines objects with a "text" field, from a file or stdin. A bad record
// is reported as an error record and the run goes on.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace supportnlp::cli {

enum class InputFormat { auto_detect, text, jsonl };

/// Parses "auto", "text" or "jsonl".
std::optional<InputFormat> parse_input_format(const std::string& name);

/// One input record.
struct Record {
  std::uint64_t line = 0; ///< 1-based line number in the input
  std::string id;         ///< "id" field of a JSON object, or the line number
  std::string text;       ///< the text to analyse
  nlohmann::json source;  ///< the whole JSON object (null for text input)
};

/// Calls `on_record` for each good record and `on_error(line, message)` for
/// each malformed one (bad JSON, no string "text" field). In auto mode a line
/// is JSON when it starts with '{'. Empty lines are skipped. Returns the
/// number of malformed records.
std::uint64_t read_records(std::istream& in, InputFormat format,
                           const std::function<void(Record&)>& on_record,
                           const std::function<void(std::uint64_t, const std::string&)>& on_error);

/// The error record written for a malformed input line:
/// {"line":N,"error":"message"}.
nlohmann::json error_record(std::uint64_t line, const std::string& message);

/// Writes `value` as one JSON line; invalid UTF-8 in strings is replaced, never fatal.
void write_json_line(std::ostream& out, const nlohmann::json& value);

/// Opens `path` for reading ("-" or empty: stdin) and runs `body` on it.
/// Returns 2 with a message on stderr if the file cannot be opened.
int with_input(const std::string& path, const std::function<int(std::istream&)>& body);

/// Rows of a tab-separated file with at least `columns` columns, appended to
/// `rows`. The first line is a header and skipped: always when
/// `header_first_column` is empty, else only when its first column equals
/// it. A row with too few columns is reported on stderr with its line number
/// and counted in `bad`. Returns false (with "supportnlp <command>: ..." on
/// stderr) if the file cannot be opened.
bool read_tsv_rows(const std::string& command, const std::string& path, std::size_t columns,
                   std::vector<std::vector<std::string>>& rows, std::uint64_t& bad,
                   const std::string& header_first_column = {});

/// Directory holding the bundled default models: $SUPPORTNLP_DATA, else the
/// source tree's data/ if present, else the installed share/supportnlp.
std::string default_data_dir();

} // namespace supportnlp::cli
