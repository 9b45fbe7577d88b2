#pragma once
// Line-oriented input shared by the CLI's sub-commands: plain-text lines or
// JSON Lines objects with a "text" field, from a file or stdin. A bad record
// is reported as an error record and the run goes on. run_records() is the
// one loop behind every record-reading command, so they all keep the contract
// of docs/cli.md: one output record per input line, exit 0 / 1 / 2 / 3.

#include "options.hpp"

#include <supportnlp/io/records.hpp>
#include <supportnlp/text/utf8.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::cli {

/// The input formats of --format (io::RecordFormat).
using InputFormat = io::RecordFormat;

/// Parses "auto", "text" or "jsonl".
std::optional<InputFormat> parse_input_format(const std::string& name);

/// Exit codes of every command (docs/cli.md).
enum ExitCode : int {
  exit_ok = 0,        ///< done; malformed records, if any, were reported
  exit_runtime = 1,   ///< unreadable input, a model that cannot be loaded, a write error
  exit_usage = 2,     ///< unknown option, extra argument, bad value
  exit_malformed = 3, ///< --strict and at least one malformed record
};

using io::kMaxJsonDepth;

/// One input record: the library's io::TextRecord (line, id, text, blank)
/// as the record loop hands it to a command.
struct Record : io::TextRecord {
  std::uint64_t offset = 0; ///< input bytes read up to the end of this line
  /// The "id" field as given, or null when the record has none.
  const nlohmann::json& id_json() const;
  /// The whole JSON object of a JSON record (null for text input, blank
  /// lines and malformed records), for commands reading more fields.
  const nlohmann::json& source() const;
  /// Points the record at the line it was read from (valid until the next
  /// record), forgetting what was parsed from the previous one.
  void bind(const std::string& raw_line) {
    raw_ = &raw_line;
    id_cache_.reset();
    source_cache_.reset();
  }

private:
  const std::string* raw_ = nullptr;
  mutable std::optional<nlohmann::json> id_cache_, source_cache_;
};

/// The options every record-reading command shares: the input (--input F or
/// a positional F, not both), --format and --strict.
struct InputOptions {
  std::string path;            ///< "" or "-": stdin
  std::string format = "auto"; ///< auto, text or jsonl
  bool strict = false;         ///< exit 3 when a record was malformed
  InputFormat parsed_format = InputFormat::auto_detect;

  /// Registers --input, --format (unless `with_format` is false) and
  /// --strict, and one positional argument.
  void add_to(Options& options, bool with_format = true);
  /// After Options::parse: takes the positional input and checks --format.
  /// Returns -1 to go on, or exit_usage after printing the usage text.
  int finish(const Options& options);
};

/// What on_record answers: empty when the record's result was written, or
/// the message that makes it a malformed record (run_records then writes its
/// error record and counts it).
using RecordFn = std::function<std::string(Record&)>;

/// The record loop of a command: opens the input, reads every line as a
/// record (a blank line is a record with empty text, so outputs align with
/// inputs), and calls `on_record` for each well-formed one. A malformed line
/// (bad JSON, invalid UTF-8 in JSON, nesting beyond kMaxJsonDepth, no string
/// "text") or a record `on_record` rejects gets its error record on stdout,
/// {"id"?,"line","error"}, and "supportnlp <command>: line N: message" on
/// stderr; the number of malformed records is printed at the end. `on_end`
/// (optional) runs after the last record with the number of malformed ones,
/// before the output is flushed.
/// Returns exit_runtime if the input cannot be opened or stdout fails,
/// exit_malformed with `strict` and a malformed record, else exit_ok.
int run_records(const std::string& command, const InputOptions& input, const RecordFn& on_record,
                const std::function<void(std::uint64_t)>& on_end = {});

/// Calls `on_record` for each good record and `on_error(line, message)` for
/// each malformed one (judged as by run_records). In auto mode a line is
/// JSON when it starts with '{'. Blank lines are skipped: this reader serves
/// commands that gather records (kb gaps), not ones answering line by line.
/// Returns the number of malformed records.
std::uint64_t read_records(std::istream& in, InputFormat format,
                           const std::function<void(Record&)>& on_record,
                           const std::function<void(std::uint64_t, const std::string&)>& on_error);

/// The error record written for a malformed input line:
/// {"line":N,"error":"message"}, with "id" first when `id` is not null.
nlohmann::ordered_json error_record(std::uint64_t line, const std::string& message,
                                    const nlohmann::json& id = nullptr);

/// Writes `value` as one JSON line; invalid UTF-8 in strings is replaced, never fatal.
void write_json_line(std::ostream& out, const nlohmann::json& value);
void write_json_line(std::ostream& out, const nlohmann::ordered_json& value);

/// Opens `path` for reading ("-" or empty: stdin) and runs `body` on it.
/// Returns exit_runtime with a message on stderr if the file cannot be opened.
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

/// The longest prefix of `text` of at most `max_bytes` bytes that does not
/// cut a UTF-8 sequence in two (the caps of docs/cli.md).
using text::utf8_prefix;

/// Directory holding the bundled default models: supportnlp::data_dir()
/// ($SUPPORTNLP_DATA, else the installation's share/supportnlp, else the
/// build tree's source data/).
std::string default_data_dir();

} // namespace supportnlp::cli
