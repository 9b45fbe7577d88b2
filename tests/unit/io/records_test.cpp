// The record readers of io/records.hpp: each rule of the policy, and bad
// lines reported with their number while every good line is kept.
#include "supportnlp/io/records.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace supportnlp::io;

namespace {

struct Read {
  std::vector<TextRecord> records;
  std::vector<RecordIssue> issues;
};

Read read_text_records(const std::string& input, RecordFormat format) {
  std::istringstream in(input);
  RecordReader reader(in, format);
  Read out;
  TextRecord r;
  std::string error;
  while (reader.next(r, error)) {
    if (error.empty())
      out.records.push_back(r);
    else
      out.issues.push_back({r.line, error});
  }
  return out;
}

} // namespace

TEST_CASE("records: one record per line, bad ones reported with their line", "[io][records]") {
  const auto r = read_text_records("{\"id\":\"T-1\",\"text\":\"late parcel\"}\n"
                                   "\n"
                                   "{\"id\":7,\"text\":\"refund\"}\r\n"
                                   "{bad json\n"
                                   "{\"id\":\"T-5\",\"body\":\"no text\"}\n"
                                   "plain words\n",
                                   RecordFormat::auto_detect);
  REQUIRE(r.records.size() + r.issues.size() == 6); // record count in = out
  REQUIRE(r.records.size() == 4);
  CHECK(r.records[0].id == "T-1");
  CHECK(r.records[0].id_json_text == "\"T-1\"");
  CHECK(r.records[0].text == "late parcel");
  CHECK(r.records[0].json);
  CHECK(r.records[1].blank);
  CHECK(r.records[1].line == 2);
  CHECK(r.records[1].id == "2"); // no id: the line number
  CHECK(r.records[2].id == "7"); // a numeric id as its JSON text
  CHECK(r.records[2].id_json_text == "7");
  CHECK(r.records[2].text == "refund"); // "\r\n" endings read like "\n"
  CHECK(r.records[3].text == "plain words");
  CHECK_FALSE(r.records[3].json);
  REQUIRE(r.issues.size() == 2);
  CHECK(r.issues[0].line == 4);
  CHECK(r.issues[0].message == "malformed JSON");
  CHECK(r.issues[1].line == 5);
  CHECK(r.issues[1].message == "expected a JSON object with a string field \"text\"");
}

TEST_CASE("records: a malformed record still names its id", "[io][records]") {
  TextRecord r;
  r.line = 9;
  CHECK(!parse_text_record("{\"id\":\"T-7\",\"text\":3}", RecordFormat::jsonl, r).empty());
  CHECK(r.id == "T-7");
  CHECK(r.id_json_text == "\"T-7\"");
}

TEST_CASE("records: the JSON judgement (UTF-8, depth, format)", "[io][records]") {
  TextRecord r;
  CHECK(parse_text_record("{\"text\":\"a\xff\"}", RecordFormat::auto_detect, r) ==
        "invalid UTF-8 in a JSON record");
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  CHECK(parse_text_record("{\"text\":" + deep + "}", RecordFormat::jsonl, r) ==
        "JSON nested deeper than 64 levels");
  // text format: a JSON-looking line is text
  CHECK(parse_text_record("{\"text\":1}", RecordFormat::text, r).empty());
  CHECK(r.text == "{\"text\":1}");
  // jsonl format: a plain line is malformed
  CHECK(parse_text_record("hello", RecordFormat::jsonl, r) == "malformed JSON");
  CHECK(parse_text_record("[1,2]", RecordFormat::jsonl, r) ==
        "expected a JSON object with a string field \"text\"");
}

TEST_CASE("tsv: columns, header, short rows reported and skipped", "[io][tsv]") {
  std::vector<std::string_view> cols;
  split_tsv("a\t\tb\t", cols);
  CHECK(cols == std::vector<std::string_view>{"a", "", "b", ""});
  split_tsv("", cols);
  CHECK(cols.size() == 1);

  std::istringstream in("qid\ttext\nq1\tforgot password\n\nq2\nq3\tx\textra\r\n");
  TsvOptions options;
  options.min_columns = 2;
  options.header_names = {"qid"};
  std::vector<std::vector<std::string>> rows;
  std::vector<RecordIssue> issues;
  const auto bad = read_tsv(
      in, options,
      [&](std::uint64_t, std::vector<std::string_view>& c) {
        rows.emplace_back(c.begin(), c.end());
        return std::string();
      },
      [&](const RecordIssue& i) { issues.push_back(i); });
  CHECK(bad == 1);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"q1", "forgot password"});
  CHECK(rows[1] == std::vector<std::string>{"q3", "x", "extra"}); // extra columns kept
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].line == 4);
  CHECK(issues[0].message == "expected 2 tab-separated columns, got 1");
}

TEST_CASE("tsv: a header is skipped only where the options say", "[io][tsv]") {
  const auto rows_of = [](const std::string& text, const TsvOptions& o) {
    std::istringstream in(text);
    std::vector<std::string> first;
    read_tsv(
        in, o,
        [&](std::uint64_t, std::vector<std::string_view>& c) {
          first.emplace_back(c[0]);
          return std::string();
        },
        [](const RecordIssue&) {});
    return first;
  };
  TsvOptions always;
  always.header_always = true;
  CHECK(rows_of("anything\tx\na\tb\n", always) == std::vector<std::string>{"a"});
  TsvOptions named;
  named.header_names = {"id"};
  CHECK(rows_of("d1\tx\nid\tb\n", named) == std::vector<std::string>{"d1", "id"});
  // a row the caller rejects is reported like a short one
  std::istringstream in("a\tb\nc\td\n");
  std::vector<RecordIssue> issues;
  CHECK(read_tsv(
            in, {},
            [](std::uint64_t line, std::vector<std::string_view>&) {
              return line == 2 ? std::string("no") : std::string();
            },
            [&](const RecordIssue& i) { issues.push_back(i); }) == 1);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].line == 2);
}

TEST_CASE("labeled: TSV and JSON Lines, each bad line reported", "[io][labeled]") {
  const auto read = [](const std::string& text, std::vector<LabeledRecord>& out,
                       std::vector<RecordIssue>& issues) {
    std::istringstream in(text);
    return read_labeled(
        in, [&](LabeledRecord& r) { out.push_back(r); },
        [&](const RecordIssue& i) { issues.push_back(i); });
  };
  std::vector<LabeledRecord> tsv;
  std::vector<RecordIssue> tsv_issues;
  CHECK(read("text\tlabel\nwhere is my card\tcard_arrival \textra\nno label here\n"
             "\t \ttopic\n\nrefund please\trefund\n",
             tsv, tsv_issues) == 2);
  REQUIRE(tsv.size() == 2);
  CHECK(tsv[0].text == "where is my card");
  CHECK(tsv[0].label == "card_arrival"); // trimmed; extra columns ignored
  CHECK(tsv[1].line == 6);
  REQUIRE(tsv_issues.size() == 2);
  CHECK(tsv_issues[0].line == 3);
  CHECK(tsv_issues[0].message == "no label (expected text<TAB>label)");
  CHECK(tsv_issues[1].message == "empty text");

  std::vector<LabeledRecord> jsonl;
  std::vector<RecordIssue> json_issues;
  CHECK(read("{\"text\":\"hi\",\"label\":\"greet\"}\n{\"text\":\"x\"}\n{oops\n"
             "{\"text\":\"y\",\"label\":\"\"}\n{\"text\":\"bye\",\"label\":\"leave\"}\n",
             jsonl, json_issues) == 3);
  REQUIRE(jsonl.size() == 2);
  CHECK(jsonl[1].label == "leave");
  REQUIRE(json_issues.size() == 3);
  CHECK(json_issues[0].message == "no string \"label\" field");
  CHECK(json_issues[1].message == "malformed JSON");
  CHECK(json_issues[2].message == "empty label");
}

TEST_CASE("line reader: numbers, bytes and CRLF", "[io][records]") {
  std::istringstream in("ab\r\n\ncd");
  LineReader lines(in);
  std::string line;
  REQUIRE(lines.next(line));
  CHECK(line == "ab");
  CHECK(lines.bytes_read() == 4);
  REQUIRE(lines.next(line));
  CHECK(line.empty());
  REQUIRE(lines.next(line));
  CHECK(line == "cd");
  CHECK(lines.line_number() == 3);
  CHECK_FALSE(lines.next(line));
  CHECK_FALSE(lines.read_error());
}
