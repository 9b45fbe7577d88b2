#pragma once
/// \file
/// Line-oriented text input: the one reader behind every tool that takes
/// records, so every tool judges a line alike.
///
/// - JSON Lines of text records: `{"id":…, "text":…, …}`, or plain-text lines
///   (RecordReader, parse_text_record).
/// - TSV tables: `col<TAB>col…`, an optional header, a minimum column count
///   (read_tsv, split_tsv).
/// - Labelled examples: TSV `text<TAB>label` or JSON Lines `{"text","label"}`
///   (read_labeled).
///
/// The policy, the same for all of them: lines end at '\n' and a trailing
/// '\r' is dropped; a malformed line is reported as a RecordIssue with its
/// 1-based line number and skipped, and reading goes on, so every good line
/// of a file is kept. docs/cli.md lists the messages.
///
/// \code
///   std::istringstream in("{\"id\":7,\"text\":\"my parcel is late\"}\nplain text\n");
///   supportnlp::io::RecordReader reader(in, supportnlp::io::RecordFormat::auto_detect);
///   supportnlp::io::TextRecord r;
///   std::string error;
///   while (reader.next(r, error))
///     if (error.empty()) use(r.id, r.text); else report(r.line, error);
/// \endcode
///
/// Thread safety: a reader is used by one thread at a time; the free
/// functions have no shared state.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::io {

/// How the lines of a record input are read.
enum class RecordFormat {
  auto_detect, ///< a line starting with '{' (after spaces) is JSON, any other is plain text
  text,        ///< every line is the text itself
  jsonl,       ///< every non-blank line is a JSON object with a string "text"
};

/// JSON records nested deeper than this are malformed ("JSON nested deeper
/// than 64 levels"), so no later step recurses through a hostile document.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// A line that was skipped, and why.
struct RecordIssue {
  std::uint64_t line = 0; ///< 1-based line number
  std::string message;    ///< e.g. "malformed JSON", "expected 3 columns, got 2"
};

/// The lines of a stream, one at a time, without their "\n" or "\r\n".
class LineReader {
public:
  /// Reads from `in`, which must outlive the reader.
  explicit LineReader(std::istream& in) : in_(in) {}
  /// The next line in `line` (valid until the next call); false at the end.
  bool next(std::string& line);
  /// 1-based number of the line last returned (0 before the first).
  std::uint64_t line_number() const noexcept { return line_; }
  /// Bytes read up to the end of the line last returned, newlines included.
  std::uint64_t bytes_read() const noexcept { return bytes_; }
  /// True if the stream failed for another reason than its end (a read error).
  bool read_error() const;

private:
  std::istream& in_;
  std::uint64_t line_ = 0, bytes_ = 0;
};

/// True if `line` holds nothing but spaces and tabs.
bool is_blank(std::string_view line) noexcept;

/// The tab-separated columns of `line`, views into it. A trailing tab gives
/// a trailing empty column; an empty line gives one empty column.
void split_tsv(std::string_view line, std::vector<std::string_view>& columns);

/// One text record.
struct TextRecord {
  std::uint64_t line = 0; ///< 1-based line number
  std::string text;       ///< the text to analyse (empty for a blank line)
  /// The "id" field as text: a string's value, any other JSON value as JSON
  /// (`42`, `[1,2]`); the line number when the record has no "id".
  std::string id;
  /// The "id" field as JSON text (`"a-1"`, `42`), empty when there is none.
  std::string id_json_text;
  bool blank = false; ///< the line held nothing but spaces and tabs
  bool json = false;  ///< the line was read as a JSON object
};

/// Judges one line (without its newline) as a text record and fills
/// `record` (whose `line` the caller sets). Returns empty, or the message of
/// a malformed record: "invalid UTF-8 in a JSON record", "JSON nested deeper
/// than 64 levels", "malformed JSON", "expected a JSON object with a string
/// field \"text\"". A malformed object still fills `id` and `id_json_text`, so an
/// error report can name the record.
std::string parse_text_record(std::string_view line, RecordFormat format, TextRecord& record);

/// Text records of a stream: every line is one record (a blank line is a
/// record with `blank` set and empty text), so outputs can align with inputs.
class RecordReader {
public:
  /// Reads `in` (which must outlive the reader) as `format`.
  RecordReader(std::istream& in, RecordFormat format) : lines_(in), format_(format) {}
  /// The next record; false at the end. `error` is empty for a good record,
  /// else the message of a malformed one (record.line and, where the line
  /// had one, record.id_json_text still name it).
  bool next(TextRecord& record, std::string& error);
  /// The current line as read (valid until the next call): the JSON object
  /// of a JSON record, for callers that read more fields than "id" and "text".
  const std::string& raw_line() const noexcept { return raw_; }
  /// Bytes read so far (for progress).
  std::uint64_t bytes_read() const noexcept { return lines_.bytes_read(); }
  /// True if the stream failed before its end.
  bool read_error() const { return lines_.read_error(); }

private:
  LineReader lines_;
  RecordFormat format_;
  std::string raw_;
};

/// How read_tsv treats a table.
struct TsvOptions {
  /// Rows with fewer columns are malformed ("expected N columns, got M");
  /// extra columns are kept.
  std::size_t min_columns = 1;
  /// The first line is a header and skipped when its first column is one of
  /// these (e.g. {"qid"}). Empty: see header_always.
  std::vector<std::string> header_names;
  /// Skip the first line whatever it holds (files that always have a header).
  bool header_always = false;
};

/// Called with a row's line number and columns (views into the line, valid
/// during the call). Returns empty to keep the row, or the message that makes
/// it malformed (reported and counted like a short row).
using TsvRowFn =
    std::function<std::string(std::uint64_t line, std::vector<std::string_view>& columns)>;
/// Called for each malformed line.
using IssueFn = std::function<void(const RecordIssue&)>;

/// Reads a TSV table from `in`: blank lines are skipped, a malformed row is
/// passed to `on_issue` and skipped. Returns the number of malformed rows.
std::uint64_t read_tsv(std::istream& in, const TsvOptions& options, const TsvRowFn& on_row,
                       const IssueFn& on_issue);

/// One labelled example.
struct LabeledRecord {
  std::uint64_t line = 0; ///< 1-based line number
  std::string text;       ///< the text (UTF-8 as given; invalid bytes are repaired at use)
  std::string label;      ///< its label, spaces and tabs trimmed
};

/// Reads labelled examples: JSON Lines `{"text":…, "label":…}` when the first
/// non-blank line starts with '{', else TSV `text<TAB>label` (extra columns
/// ignored; a first line "text<TAB>label" is a header). Blank lines are
/// skipped; a line without a string text and label, with an empty text or an
/// empty label, or malformed JSON goes to `on_issue` and is skipped. Returns
/// the number of malformed lines.
std::uint64_t read_labeled(std::istream& in, const std::function<void(LabeledRecord&)>& on_record,
                           const IssueFn& on_issue);

} // namespace supportnlp::io
