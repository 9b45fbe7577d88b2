#pragma once
// Ticket files for the period commands (drift, report): JSON Lines of raw
// tickets ({"text":..}) or of `supportnlp analyze` output, mixed freely.
// Raw tickets are analysed with the bundle, opened on the first one.
// Malformed lines are kept as error objects with their line number.
#include "records.hpp"

#include <nlohmann/json.hpp>

#include <supportnlp/insights/ticket_facts.hpp>
#include <supportnlp/io/records.hpp>

#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace supportnlp::cli::tickets {

/// A malformed line of a ticket file.
struct BadLine {
  std::string file;
  std::uint64_t line = 0;
  std::string message;
};

/// Opens the bundle on first use; remembers a failure.
class LazyAnalyzer {
public:
  explicit LazyAnalyzer(std::string bundle) : bundle_(std::move(bundle)) {}
  /// The analyzer, or null (with the error in error()) if it cannot open.
  const pipeline::Analyzer* get() {
    if (!tried_) {
      tried_ = true;
      pipeline::AnalyzerOptions options;
      options.kb_top_k = 0; // period statistics need no KB hits
      options.intent_evidence = 0;
      auto a = pipeline::Analyzer::open_directory(bundle_, options);
      if (a)
        analyzer_.emplace(std::move(a.value()));
      else
        error_ = a.error().message;
    }
    return analyzer_ ? &*analyzer_ : nullptr;
  }
  const std::string& error() const { return error_; }
  bool opened() const { return analyzer_.has_value(); }

private:
  std::string bundle_;
  bool tried_ = false;
  std::optional<pipeline::Analyzer> analyzer_;
  std::string error_;
};

/// Reads `path` ("-": stdin), reporting each malformed line on stderr as
/// "supportnlp <command>: FILE: line N: message". Returns false (message on
/// stderr; the caller exits 1) if the file cannot be opened or the bundle is
/// needed and cannot be opened.
inline bool read_ticket_file(const std::string& command, const std::string& path,
                             LazyAnalyzer& analyzer, std::vector<insights::TicketFacts>& out,
                             std::vector<BadLine>& bad) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::cerr << "supportnlp " << command << ": cannot open " << path << '\n';
      return false;
    }
    in = &file;
  }
  io::LineReader lines(*in);
  std::string line;
  while (lines.next(line)) {
    const std::uint64_t number = lines.line_number();
    if (io::is_blank(line)) continue;
    const pipeline::Analyzer* a = nullptr;
    if (insights::is_raw_ticket_line(line)) {
      a = analyzer.get();
      if (!a) {
        std::cerr << "supportnlp " << command << ": " << analyzer.error() << '\n';
        return false;
      }
    }
    auto facts = insights::read_ticket_line(line, a);
    if (facts)
      out.push_back(std::move(facts.value()));
    else {
      std::cerr << "supportnlp " << command << ": " << path << ": line " << number << ": "
                << facts.error().message << '\n';
      bad.push_back({path, number, facts.error().message});
    }
  }
  return true;
}

/// The bad lines as error objects {"file","line","error"}.
inline nlohmann::ordered_json bad_lines_json(const std::vector<BadLine>& bad) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& b : bad)
    out.push_back({{"file", b.file}, {"line", b.line}, {"error", b.message}});
  return out;
}

} // namespace supportnlp::cli::tickets
