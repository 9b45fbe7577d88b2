// triage: put incoming tickets in order of urgency and send each to a queue.
//
//   triage [TICKETS.jsonl] [BUNDLE_DIR]     (defaults: the bundled data/)
//
// One Analyzer call per ticket gives intent, sentiment, urgency and a
// PII-redacted preview that is safe to show on a shared dashboard. The queue
// is the ticket's intent when the bundle has an intent model and the ticket
// is in scope; otherwise the strongest urgency signal decides.
#include <supportnlp/io/records.hpp>
#include <supportnlp/pipeline/analyzer.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace snlp = supportnlp;
using snlp::rules::UrgencySignal;

struct Routed {
  std::string id, queue, preview;
  snlp::rules::Urgency level;
};

std::string queue_for(const snlp::pipeline::TicketAnalysis& a) {
  for (auto signal : {UrgencySignal::security, UrgencySignal::widespread_outage,
                      UrgencySignal::outage, UrgencySignal::legal, UrgencySignal::payment_failure})
    for (const auto& e : a.urgency.evidence)
      if (e.signal == signal)
        return signal == UrgencySignal::security ? "security"
               : signal == UrgencySignal::legal || signal == UrgencySignal::payment_failure
                   ? "billing"
                   : "on-call";
  if (a.intent && !a.intent->out_of_scope) return a.intent->label;
  return "general";
}

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : SUPPORTNLP_DATA_DIR "/samples/tickets.jsonl";
  auto analyzer =
      snlp::pipeline::Analyzer::open_directory(argc > 2 ? argv[2] : SUPPORTNLP_DATA_DIR);
  if (!analyzer) return std::cerr << analyzer.error().message << '\n', 1;
  std::ifstream in(path);
  if (!in) return std::cerr << "cannot open " << path << '\n', 1;

  // The library's record reader: {"id","text"} per line, bad lines reported.
  std::vector<Routed> tickets;
  snlp::io::RecordReader reader(in, snlp::io::RecordFormat::jsonl);
  snlp::io::TextRecord record;
  std::string error;
  while (reader.next(record, error)) {
    if (!error.empty()) {
      std::cerr << path << ':' << record.line << ": skipped, " << error << '\n';
      continue;
    }
    if (record.blank) continue;
    const auto a = analyzer->analyze(record.text);
    std::string preview = a.pii.text;
    std::size_t cut = std::min<std::size_t>(preview.size(), 60);
    while (cut > 0 && cut < preview.size() && (preview[cut] & 0xC0) == 0x80)
      --cut; // UTF-8
    preview.resize(cut);
    std::replace(preview.begin(), preview.end(), '\n', ' ');
    tickets.push_back({record.id, queue_for(a), preview, a.urgency.level});
  }
  // Most urgent first; stable, so equal tickets keep their arrival order.
  std::stable_sort(tickets.begin(), tickets.end(),
                   [](const Routed& a, const Routed& b) { return a.level > b.level; });
  for (const auto& t : tickets)
    std::printf("%-8s %-9s %-22s %s\n", t.id.c_str(), to_string(t.level), t.queue.c_str(),
                t.preview.c_str());
  return 0;
}
