// supportnlp conversation: reads a conversation as JSON Lines, one turn per
// line ({"role":"customer"|"agent","text":...,"ts":seconds}, optional
// "conversation" id to interleave several), and prints one line per turn with
// its score, the smoothed customer sentiment and any escalation event, then
// one summary line per conversation. Bad lines become error records with
// their line number; the run goes on (docs/cli.md).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/models/sentiment/conversation.hpp>

#include <cmath>
#include <iostream>
#include <map>

namespace supportnlp::cli {
namespace {

double rounded(float x) {
  return std::round(double(x) * 1e4) / 1e4;
}

nlohmann::json event_json(const models::EscalationEvent& e) {
  return {{"turn", e.turn},
          {"reason", models::to_string(e.reason)},
          {"score", rounded(e.score)},
          {"smoothed", rounded(e.smoothed)}};
}

int run(const Args& args) {
  InputOptions input;
  input.format = "jsonl";
  std::string model_path;
  models::EscalationOptions esc;
  double smoothing = esc.smoothing, negative_level = esc.negative_level,
         strong_negative = esc.strong_negative, drop = esc.drop, rearm = esc.rearm_level;
  int sustained_turns = esc.sustained_turns, drop_window = esc.drop_window;
  double sustained_seconds = esc.sustained_seconds;
  Options opts(
      "conversation",
      "[--input F | F] [--strict] [thresholds]\n"
      "Reads JSON Lines turns {\"role\":\"customer\"|\"agent\",\"text\":...,\"ts\":seconds}\n"
      "(optional \"conversation\" id) and prints the per-turn sentiment trajectory\n"
      "and escalation events (see docs/sentiment.md for the rule). One line out per\n"
      "line in ({\"line\",\"blank\":true} for a blank one), then one summary line per\n"
      "conversation.");
  input.add_to(opts, /*with_format=*/false);
  opts.add("--model", &model_path,
           "sentiment model file scoring the turns (from `train sentiment`; default: the "
           "lexicon analyzer)")
      .add("--smoothing", &smoothing, "weight of the newest customer turn")
      .add("--negative-level", &negative_level, "smoothed score counted as negative (-0.3)")
      .add("--sustained-turns", &sustained_turns, "negative customer turns in a row (2)")
      .add("--sustained-seconds", &sustained_seconds, "seconds of negativity, 0 = off (600)")
      .add("--strong-negative", &strong_negative, "single-turn score that escalates (-0.85)")
      .add("--drop", &drop, "fall of the smoothed score that escalates (0.6)")
      .add("--drop-window", &drop_window, "customer turns looked back for the fall (3)")
      .add("--rearm-level", &rearm, "smoothed score that re-arms alerts (0)");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (sustained_turns < 1 || drop_window < 1)
    return opts.usage_error("--sustained-turns and --drop-window must be at least 1");
  esc.smoothing = float(smoothing);
  esc.negative_level = float(negative_level);
  esc.sustained_turns = sustained_turns;
  esc.sustained_seconds = sustained_seconds;
  esc.strong_negative = float(strong_negative);
  esc.drop = float(drop);
  esc.drop_window = drop_window;
  esc.rearm_level = float(rearm);

  auto scorer = models::load_sentiment(model_path);
  if (!scorer) {
    std::cerr << "supportnlp conversation: " << scorer.error().message << '\n';
    return exit_runtime;
  }
  std::map<std::string, models::ConversationTracker> trackers;
  return run_records(
      "conversation", input,
      [&](Record& record) -> std::string {
        if (record.blank) {
          write_json_line(std::cout,
                          nlohmann::ordered_json{{"line", record.line}, {"blank", true}});
          return {};
        }
        const auto& src = record.source();
        const auto role_it = src.find("role");
        std::optional<models::Role> role;
        if (role_it != src.end() && role_it->is_string())
          role = models::parse_role(role_it->get<std::string>());
        if (!role) return "expected \"role\": \"customer\" or \"agent\"";
        std::optional<double> ts;
        if (const auto it = src.find("ts"); it != src.end() && !it->is_null()) {
          if (!it->is_number()) return "\"ts\" must be a number of seconds";
          ts = it->get<double>();
        }
        std::string conversation;
        if (const auto it = src.find("conversation"); it != src.end())
          conversation = it->is_string() ? it->get<std::string>() : it->dump();
        auto found = trackers.find(conversation);
        if (found == trackers.end())
          found = trackers.emplace(conversation, models::ConversationTracker(esc, models::turn_scorer(scorer.value()))).first;
        const auto u = found->second.add_turn(*role, record.text, ts);
        nlohmann::json out{{"line", record.line},
                           {"turn", u.turn},
                           {"role", models::to_string(u.role)},
                           {"score", rounded(u.score)},
                           {"smoothed", rounded(u.smoothed)},
                           {"escalated", u.escalated}};
        if (const auto& id = record.id_json(); !id.is_null()) out["id"] = id;
        if (!conversation.empty()) out["conversation"] = conversation;
        if (u.timestamp) out["ts"] = *u.timestamp;
        if (u.event) out["event"] = event_json(*u.event);
        write_json_line(std::cout, out);
        return {};
      },
      [&](std::uint64_t) {
        for (const auto& [id, tracker] : trackers) {
          nlohmann::json events = nlohmann::json::array();
          for (const auto& e : tracker.events())
            events.push_back(event_json(e));
          nlohmann::json summary{{"summary", true},
                                 {"turns", tracker.turns().size()},
                                 {"smoothed", rounded(tracker.smoothed())},
                                 {"escalated", tracker.escalated()},
                                 {"events", events}};
          if (!id.empty()) summary["conversation"] = id;
          write_json_line(std::cout, summary);
        }
      });
}

CommandRegistration reg{
    "conversation", "sentiment trajectory and escalation events of a conversation (JSONL)", run};

} // namespace
} // namespace supportnlp::cli
