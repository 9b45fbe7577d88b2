// The texts of data/samples/tickets.jsonl, for tests that run every stage
// over realistic tickets (records without a string "text" are skipped).
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace sample_tickets {

/// The sample tickets' texts, in file order.
inline std::vector<std::string> texts() {
  std::vector<std::string> out;
  std::ifstream in(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/samples/tickets.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("text") && j["text"].is_string())
      out.push_back(j["text"].get<std::string>());
  }
  return out;
}

} // namespace sample_tickets
