// Fuzz target: the record readers. models::parse_labeled_text (the TSV /
// JSONL training-data reader behind models::read_labeled_file), and the CLI's
// own readers, compiled in from examples/cli/records.cpp: read_records (text
// and JSON Lines, format chosen by the first byte) and read_tsv_rows.
#include "fuzz_util.hpp"

#include "records.hpp"
#include "supportnlp/models/linear/classifier_data.hpp"

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
