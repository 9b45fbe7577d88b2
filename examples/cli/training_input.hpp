// Shared by the `train` commands: reading labelled training files with their
// bad lines reported, and the per-epoch progress line.
#pragma once

#include <supportnlp/models/linear/classifier.hpp>
#include <supportnlp/models/linear/classifier_data.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace supportnlp::cli {

/// Training and (optional) validation examples read for a `train` command.
struct TrainingInput {
  std::vector<models::LabeledText> train, valid;
  /// Lines skipped in both files (each reported on stderr as an error record).
  std::uint64_t skipped = 0;
};

/// Reads `train_path` and, if not empty, `valid_path` (TSV or JSONL). Each
/// skipped line goes to stderr as an error record naming its file; a file
/// that cannot be read is reported as "<command>: <message>" and gives
/// nullopt.
std::optional<TrainingInput> read_training_input(const std::string& command,
                                                 const std::string& train_path,
                                                 const std::string& valid_path);

/// Parses --languages: comma-separated lowercase ISO 639-1 codes (up to
/// three letters each) into `out`. On a bad list prints
/// "supportnlp <command>: --languages takes ..." and returns false.
bool parse_languages(const std::string& command, const std::string& list,
                     std::vector<std::string>& out);

/// Progress callback printing one line per epoch on stderr.
void print_epoch(const models::TrainProgress& p);

} // namespace supportnlp::cli
