#include "training_input.hpp"

#include "records.hpp"

#include <cstdio>
#include <iostream>

namespace supportnlp::cli {

std::optional<TrainingInput> read_training_input(const std::string& command,
                                                 const std::string& train_path,
                                                 const std::string& valid_path) {
  TrainingInput in;
  const auto read = [&](const std::string& path, std::vector<models::LabeledText>& out) {
    std::vector<models::DataIssue> issues;
    auto data = models::read_labeled_file(path, &issues);
    for (const auto& i : issues) {
      auto rec = error_record(i.line, i.message);
      rec["file"] = path;
      write_json_line(std::cerr, rec);
    }
    in.skipped += issues.size();
    if (!data) {
      std::cerr << "supportnlp " << command << ": " << data.error().message << '\n';
      return false;
    }
    out = std::move(data.value());
    return true;
  };
  if (!read(train_path, in.train)) return std::nullopt;
  if (!valid_path.empty() && !read(valid_path, in.valid)) return std::nullopt;
  return in;
}

void print_epoch(const models::TrainProgress& p) {
  std::fprintf(stderr, "epoch %d/%d  valid accuracy %.4f  violation %.3f  %.1fs\n", p.epoch,
               p.max_epochs, p.validation_accuracy, p.max_violation, p.seconds);
}

bool parse_languages(const std::string& command, const std::string& list,
                     std::vector<std::string>& out) {
  for (std::size_t begin = 0; begin < list.size();) {
    std::size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    const std::string code = list.substr(begin, end - begin);
    if (code.empty() || code.size() > 3 ||
        code.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
      std::cerr << "supportnlp " << command
                << ": --languages takes lowercase ISO 639-1 codes separated by commas, got '"
                << list << "'\n";
      return false;
    }
    out.push_back(code);
    begin = end + 1;
  }
  return true;
}

} // namespace supportnlp::cli
