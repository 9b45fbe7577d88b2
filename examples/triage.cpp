// triage: put incoming tickets in order of urgency and send each to a queue.
//
//   triage [TICKETS.jsonl]        (default: data/samples/tickets.jsonl)
//
// For each ticket: sentiment (lexicon analyzer), urgency from explicit signals
// plus that sentiment, and a PII-redacted preview that is safe to show on a
// shared dashboard. The queue follows the strongest urgency signal; once an
// intent model is bundled, route on its label first and use these signals
// for the tickets it marks out of scope.
#include <supportnlp/models/sentiment.hpp>
#include <supportnlp/pipeline/pii.hpp>
#include <supportnlp/pipeline/urgency.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace snlp = supportnlp;
using snlp::pipeline::UrgencySignal;

struct Routed {
  std::string id, queue, preview;
  snlp::pipeline::Urgency level;
  double sentiment;
};

const char* queue_for(const snlp::pipeline::UrgencyAssessment& u) {
  for (auto signal : {UrgencySignal::security, UrgencySignal::widespread_outage,
                      UrgencySignal::outage, UrgencySignal::legal, UrgencySignal::payment_failure})
    for (const auto& e : u.evidence)
      if (e.signal == signal)
        return signal == UrgencySignal::security ? "security"
               : signal == UrgencySignal::legal || signal == UrgencySignal::payment_failure
                   ? "billing"
                   : "on-call";
  return "general";
}

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : SUPPORTNLP_DATA_DIR "/samples/tickets.jsonl";
  std::ifstream in(path);
  if (!in) return std::cerr << "cannot open " << path << '\n', 1;

  const snlp::models::LexiconSentiment sentiment; // immutable: share across threads
  const snlp::pipeline::UrgencyRules urgency;
  const snlp::pipeline::PiiDetector pii;
  std::vector<Routed> tickets;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("text") || !j["text"].is_string()) {
      std::cerr << path << ':' << number << ": skipped, no \"text\" field\n";
      continue;
    }
    const std::string text = j["text"];
    const double score = sentiment.analyze(text).score;
    const auto u = urgency.assess(text, score);
    std::string preview = pii.redact(text).text;
    std::size_t cut = std::min<std::size_t>(preview.size(), 60);
    while (cut > 0 && cut < preview.size() && (preview[cut] & 0xC0) == 0x80)
      --cut; // UTF-8
    preview.resize(cut);
    std::replace(preview.begin(), preview.end(), '\n', ' ');
    tickets.push_back(
        {j.value("id", std::to_string(number)), queue_for(u), preview, u.level, score});
  }
  // Most urgent first; stable, so equal tickets keep their arrival order.
  std::stable_sort(tickets.begin(), tickets.end(),
                   [](const Routed& a, const Routed& b) { return a.level > b.level; });
  for (const auto& t : tickets)
    std::printf("%-8s %-9s %-9s %+.2f  %s\n", t.id.c_str(), to_string(t.level), t.queue.c_str(),
                t.sentiment, t.preview.c_str());
  return 0;
}
