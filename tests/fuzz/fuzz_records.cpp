// Fuzz target: the record readers. The library's io/records.hpp readers
// through models::parse_labeled_text (labelled TSV / JSONL) and the CLI's
// wrappers compiled in from examples/cli/records.cpp: read_records (text and
// JSON Lines, format chosen by the first byte) and read_tsv_rows; and the
// article reader (search/articles.hpp) in both formats.
#include "fuzz_util.hpp"

#include "records.hpp"
#include "supportnlp/models/linear/classifier_data.hpp"
#include "supportnlp/search/articles.hpp"

#include <set>

#include <sstream>

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, rest] = fuzz::select(data, size);
  const std::string in(rest);

  std::vector<models::DataIssue> issues;
  auto labeled = models::parse_labeled_text(in, "fuzz.tsv", &issues);
  if (labeled)
    for (const auto& e : labeled.value())
      SUPPORTNLP_FUZZ_CHECK(!e.label.empty());

  const cli::InputFormat formats[] = {cli::InputFormat::auto_detect, cli::InputFormat::text,
                                      cli::InputFormat::jsonl};
  std::istringstream stream(in);
  std::uint64_t records = 0, errors = 0, last_line = 0;
  cli::read_records(
      stream, formats[selector % 3],
      [&](cli::Record& r) {
        SUPPORTNLP_FUZZ_CHECK(r.line > last_line);
        last_line = r.line;
        ++records;
      },
      [&](std::uint64_t line, const std::string&) {
        SUPPORTNLP_FUZZ_CHECK(line > last_line);
        last_line = line;
        ++errors;
      });

  // Articles: every kept one has a non-empty id, no id twice; kept + bad
  // never exceeds the lines read.
  std::istringstream articles_in(in);
  std::vector<search::Article> articles;
  std::uint64_t issues_seen = 0;
  const auto bad_articles = search::read_articles(
      articles_in, (selector & 2) ? search::ArticleFormat::tsv : search::ArticleFormat::jsonl,
      articles, [&](const io::RecordIssue&) { ++issues_seen; });
  SUPPORTNLP_FUZZ_CHECK(bad_articles == issues_seen);
  std::set<std::string> ids;
  for (const auto& a : articles)
    SUPPORTNLP_FUZZ_CHECK(!a.id.empty() && ids.insert(a.id).second);

  if (selector & 4) { // the TSV reader of eval encoder / eval search reads a path
    std::vector<std::vector<std::string>> rows;
    std::uint64_t bad = 0;
    const std::string& path = fuzz::write_scratch("records", in);
    if (cli::read_tsv_rows("fuzz", path, 2 + (selector >> 3) % 2, rows, bad))
      for (const auto& row : rows)
        SUPPORTNLP_FUZZ_CHECK(row.size() >= 2 + (selector >> 3) % 2u); // extra columns are kept
  }
  return 0;
}
