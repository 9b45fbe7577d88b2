// supportnlp topics: what a batch of tickets is about, as one JSON report.
// By default only the tickets the intent model leaves out of scope or
// unsure are clustered ("what are customers asking that we have no queue
// for?"); --all clusters every ticket. Input is raw tickets (the default
// intent model is run on them) or `supportnlp analyze` output (its queue is
// read, nothing is re-run). docs/topics.md describes the method and output.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/search/topics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <string_view>

namespace supportnlp::cli {
namespace {

// Seconds since 1970 of "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (optionally
// with "Z" or fractional seconds; offsets other than Z are ignored), or of a
// JSON number (Unix seconds; values above 1e11 are read as milliseconds).
std::optional<std::int64_t> parse_time(const nlohmann::json& v) {
  if (v.is_number()) {
    const double x = v.get<double>();
    return static_cast<std::int64_t>(x > 1e11 ? x / 1000.0 : x);
  }
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  const int got =
      std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se);
  if (got < 3 || mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  // Days from civil (Howard Hinnant's algorithm).
  y -= mo <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + se;
}

struct Ticket {
  std::string id;
  nlohmann::json id_json;
  std::string text;
  std::optional<std::int64_t> time;
  bool picked = true; // by the confidence rule (always, with --all)
};

int run(const Args& args) {
  InputOptions input;
  std::string encoder_path, intent_path, time_field = "auto";
  bool all = false, assignments = false, eom = false;
  search::TopicOptions to;
  search::TopicSelection selection;
  double max_confidence = selection.max_confidence, reassign = to.reassign_similarity;
  double merge = to.merge_similarity;
  double unsure_neighbors = selection.min_unsure_neighbors;
  int min_cluster_size = static_cast<int>(to.min_cluster_size);
  int min_samples = static_cast<int>(to.min_samples);
  int keywords = static_cast<int>(to.keywords), phrases = static_cast<int>(to.phrases);
  int max_clustered = static_cast<int>(to.max_clustered);
  Options opts(
      "topics",
      "[--input F | F] [--format auto|text|jsonl]\n"
      "       [--all | --max-confidence X [--unsure-neighbors SHARE]]\n"
      "       [--intent M] [--encoder M] [--min-cluster-size N] [--min-samples N] [--eom]\n"
      "       [--reassign COS] [--merge COS]\n"
      "       [--keywords N] [--phrases N] [--max-clustered N] [--time-field NAME]\n"
      "       [--assignments] [--strict]\n"
      "Clusters tickets into topics without being told how many, and prints one JSON\n"
      "report: each topic's size, keywords, phrases, its 3 most representative tickets\n"
      "and, when records carry a time, its growth between the first and second half of\n"
      "the period ('emerging': new or growing fastest). Tickets in no topic are outliers.\n"
      "Input: raw tickets (text lines or JSON Lines with \"text\") or `supportnlp analyze`\n"
      "output (its \"queue\" is used; the text is \"text\" if present, else \"normalized\").\n"
      "By default only tickets out of scope or with a queue confidence below\n"
      "--max-confidence are clustered; --all takes every ticket. See docs/topics.md.");
  input.add_to(opts);
  opts.add("--encoder", &encoder_path, "encoder model (default: the bundled encoder.snlp)")
      .add("--intent", &intent_path, "intent model for raw tickets (default: bundled intent.snlp)")
      .flag("--all", &all, "cluster every ticket, not only the out-of-scope or unsure ones")
      .add("--max-confidence", &max_confidence,
           "tickets whose queue confidence is below this are 'unsure' (chosen on "
           "BANKING77 train simulations, docs/topics.md)")
      .add("--unsure-neighbors", &unsure_neighbors,
           "an unsure ticket is kept only when at least this share of its 10 nearest "
           "tickets are unsure too (0: off)")
      .add("--min-cluster-size", &min_cluster_size, "smallest topic, in tickets")
      .add("--min-samples", &min_samples, "neighbour rank of the core distance")
      .add("--reassign", &reassign,
           "outliers this close (cosine) to a topic centroid join it (above 1: never)")
      .add("--merge", &merge,
           "topics whose centroids are this close (cosine) become one (above 1: never)")
      .flag("--eom", &eom,
            "fewer, broader topics: HDBSCAN's most stable clusters instead of the "
            "condensed tree's leaves")
      .add("--keywords", &keywords, "keywords per topic")
      .add("--phrases", &phrases, "phrases per topic")
      .add("--max-clustered", &max_clustered, "tickets clustered directly; more are sampled")
      .add("--time-field", &time_field,
           "JSON field with the ticket's time (ISO 8601 or Unix seconds; default auto: "
           "timestamp, created_at, time or date; 'none' to ignore)")
      .flag("--assignments", &assignments, "also list every clustered ticket's topic");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (min_cluster_size < 2) return opts.usage_error("--min-cluster-size must be at least 2");
  if (min_samples < 1) return opts.usage_error("--min-samples must be at least 1");
  if (keywords < 0 || phrases < 0) return opts.usage_error("--keywords/--phrases must be >= 0");
  if (max_clustered < 2) return opts.usage_error("--max-clustered must be at least 2");
  if (!(max_confidence >= 0 && max_confidence <= 1))
    return opts.usage_error("--max-confidence must be between 0 and 1");
  if (!(unsure_neighbors >= 0 && unsure_neighbors <= 1))
    return opts.usage_error("--unsure-neighbors must be between 0 and 1");
  selection.max_confidence = max_confidence;
  selection.min_unsure_neighbors = unsure_neighbors;
  // The neighbourhood check needs the confidently routed tickets too.
  const bool keep_routed = !all && selection.min_unsure_neighbors > 0;
  to.min_cluster_size = static_cast<std::size_t>(min_cluster_size);
  to.min_samples = static_cast<std::size_t>(min_samples);
  to.leaf_selection = !eom;
  to.reassign_similarity = static_cast<float>(reassign);
  to.merge_similarity = static_cast<float>(merge);
  to.keywords = static_cast<std::size_t>(keywords);
  to.phrases = static_cast<std::size_t>(phrases);
  to.max_clustered = static_cast<std::size_t>(max_clustered);

  const std::string data = default_data_dir();
  if (encoder_path.empty()) encoder_path = data + "/models/encoder.snlp";
  auto encoder = embed::StaticEncoder::load(encoder_path);
  if (!encoder) {
    std::cerr << "supportnlp topics: " << encoder.error().message << '\n';
    return exit_runtime;
  }
  std::optional<models::IntentClassifier> intent; // loaded when a raw ticket needs it
  bool intent_failed = false;

  std::vector<Ticket> tickets;
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  std::uint64_t read = 0, blank = 0, confident = 0;
  const std::vector<std::string> time_fields =
      time_field == "auto"   ? std::vector<std::string>{"timestamp", "created_at", "time", "date"}
      : time_field == "none" ? std::vector<std::string>{}
                             : std::vector<std::string>{time_field};
  const int rc = with_input(input.path, [&](std::istream& in) {
    // Lines by the library's line reader (the one newline policy); each line
    // is then read as an analyze output or a raw ticket, so the fields taken
    // here go beyond a text record's ("normalized", times, the queue).
    io::LineReader lines(in);
    std::string line;
    while (lines.next(line)) {
      const std::uint64_t number = lines.line_number();
      if (io::is_blank(line)) {
        ++blank;
        continue;
      }
      Ticket t;
      t.id = std::to_string(number);
      nlohmann::json j;
      const bool json = input.parsed_format == InputFormat::jsonl ||
                        (input.parsed_format == InputFormat::auto_detect &&
                         line[line.find_first_not_of(" \t")] == '{');
      std::optional<float> queue_confidence;
      bool out_of_scope = false;
      if (json) {
        j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
          errors.push_back(error_record(number, "not a JSON object"));
          continue;
        }
        if (j.contains("id")) {
          t.id_json = j["id"];
          t.id = j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump();
        }
        if (j.contains("text") && j["text"].is_string())
          t.text = j["text"].get<std::string>();
        else if (j.contains("normalized") && j["normalized"].is_string())
          t.text = j["normalized"].get<std::string>();
        else {
          errors.push_back(error_record(number, "no string \"text\" field", t.id_json));
          continue;
        }
        std::string bad_time;
        for (const std::string& f : time_fields)
          if (j.contains(f)) {
            t.time = parse_time(j[f]);
            if (!t.time) bad_time = f;
            break;
          }
        if (!bad_time.empty()) {
          errors.push_back(
              error_record(number, "unreadable time in \"" + bad_time + "\"", t.id_json));
          continue;
        }
        const auto q = j.find("queue");
        if (q != j.end() && q->is_object() && q->contains("confidence") &&
            (*q)["confidence"].is_number()) {
          queue_confidence = (*q)["confidence"].get<float>();
          out_of_scope = q->value("label", "") == models::kOutOfScopeQueue;
        }
      } else {
        t.text = line;
      }
      ++read;
      if (!all) {
        if (!queue_confidence) {
          if (!intent && !intent_failed) {
            if (intent_path.empty()) intent_path = data + "/models/intent.snlp";
            auto m = models::IntentClassifier::load(intent_path);
            if (!m) {
              std::cerr << "supportnlp topics: " << m.error().message << '\n';
              intent_failed = true;
              return static_cast<int>(exit_runtime);
            }
            intent.emplace(std::move(*m));
          }
          const auto r = intent->classify(t.text, 1);
          queue_confidence = r.queue_confidence;
          out_of_scope = r.out_of_scope;
        }
        if (!search::select_for_topics(out_of_scope, *queue_confidence, selection)) {
          ++confident;
          if (!keep_routed) continue;
          t.picked = false;
        }
      }
      tickets.push_back(std::move(t));
    }
    return static_cast<int>(exit_ok);
  });
  if (rc != exit_ok) return rc;
  for (const auto& e : errors)
    std::cerr << "supportnlp topics: line " << e.value("line", 0ull) << ": "
              << e.value("error", std::string()) << '\n';

  // Every ticket is encoded once; with the neighbourhood check the routed
  // tickets are the unsure ones' neighbours, then dropped.
  const auto d = static_cast<std::size_t>(encoder->dim());
  std::vector<float> vectors;
  {
    std::vector<std::string> all_texts;
    all_texts.reserve(tickets.size());
    for (const auto& t : tickets)
      all_texts.push_back(t.text);
    vectors = search::topic_vectors(all_texts, *encoder);
  }
  std::size_t unsure = 0;
  if (keep_routed) {
    std::vector<char> picked;
    for (const auto& t : tickets)
      picked.push_back(t.picked ? 1 : 0);
    const auto kept = search::confirm_selection(vectors.data(), tickets.size(), encoder->dim(),
                                                picked, selection);
    std::size_t w = 0;
    for (std::size_t i = 0; i < tickets.size(); ++i) {
      unsure += picked[i] ? 1 : 0;
      if (!kept[i]) continue;
      if (w != i) {
        tickets[w] = std::move(tickets[i]);
        std::copy(vectors.begin() + static_cast<std::ptrdiff_t>(i * d),
                  vectors.begin() + static_cast<std::ptrdiff_t>((i + 1) * d),
                  vectors.begin() + static_cast<std::ptrdiff_t>(w * d));
      }
      ++w;
    }
    tickets.resize(w);
    vectors.resize(w * d);
  } else {
    unsure = tickets.size();
  }
  std::vector<std::string> texts;
  std::vector<std::int64_t> times;
  bool timed = !tickets.empty();
  for (const auto& t : tickets) {
    texts.push_back(t.text);
    timed = timed && t.time.has_value();
    times.push_back(t.time.value_or(0));
  }
  auto report =
      search::discover_topics(texts, vectors.data(), encoder->dim(), to, timed ? &times : nullptr);
  if (!report) {
    std::cerr << "supportnlp topics: " << report.error().message << '\n';
    return exit_runtime;
  }
  const auto id_of = [&](std::size_t i) {
    return nlohmann::ordered_json(tickets[i].id_json.is_null() ? nlohmann::json(tickets[i].id)
                                                               : tickets[i].id_json);
  };
  nlohmann::ordered_json topics = nlohmann::ordered_json::array();
  for (const auto& topic : report->topics) {
    nlohmann::ordered_json t;
    t["id"] = topic.id;
    t["size"] = topic.size;
    t["keywords"] = topic.keywords;
    t["phrases"] = topic.phrases;
    nlohmann::ordered_json ex = nlohmann::ordered_json::array();
    for (std::size_t i : topic.examples)
      ex.push_back({{"id", id_of(i)}, {"text", texts[i]}});
    t["examples"] = ex;
    t["cohesion"] = std::round(topic.cohesion * 1e4) / 1e4;
    if (report->has_timestamps) {
      t["earlier"] = topic.earlier;
      t["recent"] = topic.recent;
      t["growth"] = std::round(topic.growth * 1e3) / 1e3;
      t["emerging"] = topic.emerging;
    }
    topics.push_back(std::move(t));
  }
  nlohmann::ordered_json out;
  out["tickets"] = read;
  out["selection"] = all ? "all" : "out_of_scope_or_unsure";
  if (!all) {
    out["max_confidence"] = max_confidence;
    out["unsure_neighbors"] = unsure_neighbors;
    out["unsure"] = unsure; // picked by the confidence rule, before the neighbourhood check
  }
  out["selected"] = tickets.size();
  out["clustered"] = report->clustered;
  out["topics_found"] = report->topics.size();
  out["outliers"] = report->outliers.size();
  if (report->has_timestamps) {
    const std::time_t split = static_cast<std::time_t>(report->split_time);
    char buf[32] = "";
    std::tm tm{};
    if (gmtime_r(&split, &tm)) std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    out["split_time"] = buf;
  }
  out["topics"] = std::move(topics);
  nlohmann::ordered_json outlier_ids = nlohmann::ordered_json::array();
  for (std::size_t i : report->outliers)
    outlier_ids.push_back(id_of(i));
  out["outlier_ids"] = std::move(outlier_ids);
  if (assignments) {
    nlohmann::ordered_json as = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < tickets.size(); ++i)
      as.push_back({{"id", id_of(i)}, {"topic", report->assignment[i]}});
    out["assignments"] = std::move(as);
  }
  out["malformed"] = errors.size();
  out["errors"] = errors;
  std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  std::cout.flush();
  if (!std::cout) return exit_runtime;
  return input.strict && !errors.empty() ? exit_malformed : exit_ok;
}

CommandRegistration reg{"topics", "cluster tickets into topics (by default the unrouted ones)",
                        run};

} // namespace
} // namespace supportnlp::cli
