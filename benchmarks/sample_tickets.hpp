// Benchmark input shared by several benchmark programs: the texts of the
// bundled sample tickets (data/samples/tickets.jsonl), and 300-byte tickets
// made from them (the Analyzer latency target's input size).
#pragma once

#include <supportnlp/io/records.hpp>

#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace supportnlp::bench {

/// The "text" field of every well-formed line of data/samples/tickets.jsonl
/// (empty if the file is missing).
inline const std::vector<std::string>& sample_tickets() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    std::ifstream in(SUPPORTNLP_SOURCE_DIR "/data/samples/tickets.jsonl", std::ios::binary);
    io::RecordReader reader(in, io::RecordFormat::jsonl);
    io::TextRecord record;
    std::string error;
    while (reader.next(record, error))
      if (error.empty() && !record.blank) out.push_back(record.text);
    return out;
  }();
  return texts;
}

/// One text per sample ticket: the ticket extended with the next ones until
/// 300 bytes, cut back to a UTF-8 character boundary.
inline const std::vector<std::string>& sample_tickets_300b() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    const auto& all = sample_tickets();
    for (std::size_t i = 0; i < all.size(); ++i) {
      std::string t = all[i];
      for (std::size_t k = i + 1; t.size() < 300; ++k)
        t += " " + all[k % all.size()];
      std::size_t cut = 300;
      while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80)
        --cut;
      out.push_back(t.substr(0, cut));
    }
    return out;
  }();
  return texts;
}

} // namespace supportnlp::bench
