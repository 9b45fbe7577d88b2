#pragma once
/// \file
/// Labelled training and test data for text classifiers: reading TSV
/// (`text<TAB>label`, optional header, extra columns ignored) or JSON Lines
/// (`{"text": ..., "label": ...}`), and stratified splitting.
///
/// \code
///   std::vector<supportnlp::models::DataIssue> issues;
///   auto data = supportnlp::models::read_labeled_file("train.tsv", &issues);
///   if (!data) { /* data.error().message */ }
///   for (const auto& issue : issues) report(issue.line, issue.message);  // skipped lines
/// \endcode
///
/// Thread safety: these are free functions without shared state.

#include "supportnlp/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace supportnlp::models {

/// One labelled text.
struct LabeledText {
  std::string text;  ///< the text (UTF-8; invalid bytes are kept and repaired at use)
  std::string label; ///< its label, e.g. "card_arrival"
};

/// A line of a data file that was skipped, and why.
struct DataIssue {
  std::uint64_t line = 0; ///< 1-based line number
  std::string message;    ///< e.g. "no label (expected text<TAB>label)"
};

/// Reads labelled examples from `path`. The format is JSON Lines when the
/// first non-empty line starts with '{', else TSV. A TSV first line whose
/// first two fields are "text" and "label" is a header and skipped. Lines
/// without a text or a label, or malformed JSON, are skipped and listed in
/// `issues` (when not null). Empty lines are ignored. Errors: io_error (cannot
/// read), invalid_data (no usable example at all).
[[nodiscard]] Result<std::vector<LabeledText>> read_labeled_file(const std::string& path,
                                                                 std::vector<DataIssue>* issues);

/// Same, from the file's contents; `name` is used in messages.
[[nodiscard]] Result<std::vector<LabeledText>> parse_labeled_text(const std::string& contents,
                                                                  const std::string& name,
                                                                  std::vector<DataIssue>* issues);

/// Splits `data` into (train, held-out) with about `fraction` of each label's
/// examples held out (at least one when a label has two or more examples),
/// chosen at random with `seed`. Deterministic for a given seed.
void stratified_split(const std::vector<LabeledText>& data, double fraction, std::uint64_t seed,
                      std::vector<LabeledText>& train, std::vector<LabeledText>& held_out);

} // namespace supportnlp::models
