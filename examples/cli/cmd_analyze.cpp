// supportnlp analyze: the main job. One JSON object per ticket (language,
// sentiment, queue and intent, urgency, knowledge-base articles, PII with a
// redacted copy), a
// progress bar on a terminal for large files, and a summary table on stderr
// at the end. Malformed records become error records with their line
// number; the run goes on (docs/cli.md has the contract and exit codes).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/pipeline/analyzer.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <tuple>

namespace supportnlp::cli {
namespace {

struct Summary {
  std::uint64_t tickets = 0, errors = 0;
  std::map<std::string, std::uint64_t> languages, queues, intents, sentiments, urgency;
  std::vector<std::string> urgent; // ids of critical tickets
};

// Which encoder each stage uses: a bundle's transformer is only used by the
// KB and intent model built or trained with it.
void print_encoders(const pipeline::Analyzer& analyzer, const std::string& transformer_path) {
  auto& out = std::cerr;
  out << "\nencoders\n";
  const std::string transformer = analyzer.transformer_encoder();
  if (!transformer.empty())
    out << "  transformer  " << transformer << " (" << transformer_path << ")\n";
  if (analyzer.kb_articles() > 0) {
    const std::string kb = analyzer.kb_encoder();
    out << "  kb           " << (kb.empty() ? std::string("none (BM25 only)") : kb) << '\n';
  }
  if (analyzer.has_intent()) {
    const std::string intent = analyzer.intent_encoder();
    out << "  intent       " << (intent.empty() ? std::string("none (the model's own)") : intent)
        << '\n';
  }
}

void print_summary(const Summary& s, bool has_intent, bool has_language) {
  auto& out = std::cerr;
  out << "\n" << s.tickets << " tickets analysed, " << s.errors << " malformed records\n";
  const auto table = [&](const char* title, const std::map<std::string, std::uint64_t>& counts) {
    std::vector<std::pair<std::string, std::uint64_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    int width = 28; // the widest name, so the counts line up
    for (const auto& row : rows)
      width = std::max(width, static_cast<int>(row.first.size()));
    out << "\n" << title << '\n';
    for (const auto& [name, n] : rows) {
      char line[64];
      std::snprintf(line, sizeof line, " %8llu  %5.1f%%\n", static_cast<unsigned long long>(n),
                    s.tickets ? 100.0 * double(n) / double(s.tickets) : 0.0);
      out << "  " << name << std::string(std::size_t(width) - name.size(), ' ') << line;
    }
  };
  if (has_language) table("language", s.languages);
  if (has_intent) {
    table("queue", s.queues);
    table("intent", s.intents);
  }
  table("sentiment", s.sentiments);
  table("urgency", s.urgency);
  if (!s.urgent.empty()) {
    out << "\ncritical tickets:";
    for (std::size_t i = 0; i < s.urgent.size() && i < 20; ++i)
      out << ' ' << s.urgent[i];
    if (s.urgent.size() > 20) out << " ... (" << s.urgent.size() - 20 << " more)";
    out << '\n';
  }
}

// The stages of a bundle directory, with the file each one needs. Every
// stage but the optional transformer must be present unless skipped (the
// static encoder is not needed when the bundle has a transformer).
struct Stage {
  const char* name;
  const char* file;
  std::string pipeline::BundlePaths::*path;
  bool optional;
};
constexpr const char* kStageNames = "language, intent, kb, encoder, transformer";

const std::vector<Stage>& stages() {
  static const std::vector<Stage> all{
      {"language", "models/langid.snlp", &pipeline::BundlePaths::language_model, false},
      {"intent", "models/intent.snlp", &pipeline::BundlePaths::intent_model, false},
      {"kb", "kb/kb.snlp or kb/articles.jsonl", &pipeline::BundlePaths::knowledge_base, false},
      {"encoder", "models/encoder.snlp", &pipeline::BundlePaths::encoder_model, false},
      {"transformer", "models/transformer/ or models/transformer.snlp",
       &pipeline::BundlePaths::transformer_encoder, true},
  };
  return all;
}

// Splits "intent,kb" into names; false (with the bad name in `bad`) for an
// unknown stage.
bool parse_skip(const std::string& list, std::vector<std::string>& names, std::string& bad) {
  std::size_t begin = 0;
  while (begin <= list.size() && !list.empty()) {
    const auto end = std::min(list.find(',', begin), list.size());
    const std::string name = list.substr(begin, end - begin);
    const bool known = std::any_of(stages().begin(), stages().end(),
                                   [&](const Stage& s) { return name == s.name; });
    if (!known) {
      bad = name;
      return false;
    }
    names.push_back(name);
    begin = end + 1;
  }
  return true;
}

int run(const Args& args) {
  InputOptions input;
  std::string bundle, skip, intent_model, kb_file, sentiment_model, encoder_path;
  int top_k = 3, max_text_bytes = int(pipeline::AnalyzerOptions{}.max_text_bytes);
  bool quiet = false;
  Options opts("analyze",
               "[--input F | F] [--format auto|text|jsonl] [--bundle DIR] [--skip STAGES]\n"
               "       [--intent-model F] [--sentiment-model F] [--kb F] [--encoder DIR]\n"
               "       [--kb-top-k N]\n"
               "       [--max-text-bytes N]\n"
               "       [--strict] [--quiet]\n"
               "Analyses each ticket (plain text lines or JSON Lines with a \"text\" field)\n"
               "and prints one JSON object per input line: language, normalized text,\n"
               "sentiment, queue and intent, urgency, knowledge-base articles and PII with a\n"
               "redacted copy. A summary table goes to stderr at the end. A bundle must hold\n"
               "every model (language, intent, kb, encoder) unless --skip names the missing\n"
               "ones; --intent-model and --kb replace one file of the bundle each. A bundle\n"
               "may also hold a transformer encoder (models/transformer/, a Hugging Face\n"
               "folder), which replaces the encoder stage and serves the KB and intent model\n"
               "built or trained with it (--encoder replaces it; docs/encoders.md). Sentiment\n"
               "comes from the bundle's models/sentiment.snlp or --sentiment-model when\n"
               "given, else from the lexicon. See docs/cli.md and docs/sentiment.md.");
  input.add_to(opts);
  opts.add("--bundle", &bundle, "model bundle directory (default: the bundled data/)")
      .add("--skip", &skip,
           "stages left out, comma-separated: language, intent, kb, encoder, transformer")
      .add("--intent-model", &intent_model,
           "intent model file used instead of the bundle's (e.g. from train intent)")
      .add("--sentiment-model", &sentiment_model,
           "learned sentiment model file used instead of the bundle's or the lexicon "
           "(e.g. from train sentiment)")
      .add("--kb", &kb_file,
           "knowledge base used instead of the bundle's: a .snlp file from kb build, or "
           "articles as .jsonl or .tsv")
      .add("--encoder", &encoder_path,
           "transformer encoder used instead of the bundle's: a Hugging Face / "
           "sentence-transformers folder (docs/encoders.md)")
      .add("--kb-top-k", &top_k, "knowledge-base articles per ticket (0: none)")
      .add("--max-text-bytes", &max_text_bytes,
           "bytes of a ticket analysed; longer ones are cut and marked")
      .flag("--quiet", &quiet, "no progress bar and no summary");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (top_k < 0) return opts.usage_error("--kb-top-k must be 0 or more");
  if (max_text_bytes <= 0) return opts.usage_error("--max-text-bytes must be at least 1");
  std::vector<std::string> skipped;
  if (std::string bad; !parse_skip(skip, skipped, bad))
    return opts.usage_error("unknown stage '" + bad + "' in --skip (" + kStageNames + ")");
  const auto is_skipped = [&](const std::string& name) {
    return std::find(skipped.begin(), skipped.end(), name) != skipped.end();
  };

  if (bundle.empty()) bundle = default_data_dir();
  std::error_code ec;
  if (!std::filesystem::is_directory(bundle, ec)) {
    std::cerr << "supportnlp analyze: bundle directory '" << bundle << "' does not exist\n";
    return exit_runtime;
  }
  // A missing model is an error, not a quietly smaller analysis: the user
  // names the stages to leave out.
  auto paths = pipeline::BundlePaths::in_directory(bundle);
  // A file named on the command line replaces the bundle's; it must exist.
  for (auto [flag, given, slot] :
       {std::tuple{"--intent-model", &intent_model, &paths.intent_model},
        std::tuple{"--sentiment-model", &sentiment_model, &paths.sentiment_model},
        std::tuple{"--kb", &kb_file, &paths.knowledge_base},
        std::tuple{"--encoder", &encoder_path, &paths.transformer_encoder}}) {
    if (given->empty()) continue;
    const bool folder =
        slot == &paths.transformer_encoder && std::filesystem::is_directory(*given, ec);
    if (!folder && !std::filesystem::is_regular_file(*given, ec)) {
      std::cerr << "supportnlp analyze: " << flag << " file '" << *given << "' does not exist\n";
      return exit_runtime;
    }
    *slot = *given;
  }
  std::vector<std::string> missing;
  for (const auto& stage : stages()) {
    std::string& path = paths.*stage.path;
    if (is_skipped(stage.name))
      path.clear();
    else if (path.empty() && !stage.optional &&
             !(stage.path == &pipeline::BundlePaths::encoder_model &&
               !paths.transformer_encoder.empty() && !is_skipped("transformer")))
      missing.push_back(std::string(stage.name) + " (" + bundle + "/" + stage.file + ")");
  }
  if (!missing.empty()) {
    std::cerr << "supportnlp analyze: the bundle lacks";
    for (std::size_t i = 0; i < missing.size(); ++i)
      std::cerr << (i ? ", " : " ") << missing[i];
    std::cerr << "; add the files or leave the stages out with --skip\n";
    return exit_runtime;
  }
  pipeline::AnalyzerOptions options;
  options.kb_top_k = top_k;
  options.max_text_bytes = std::size_t(max_text_bytes);
  auto analyzer = pipeline::Analyzer::open(paths, options);
  if (!analyzer) {
    std::cerr << "supportnlp analyze: " << analyzer.error().message << '\n';
    return exit_runtime;
  }

  // A progress bar only when a person is watching a large file.
  std::uintmax_t total = 0;
  if (!quiet && !input.path.empty() && input.path != "-" && isatty(STDERR_FILENO))
    total = std::filesystem::file_size(input.path, ec);
  const bool progress = !ec && total > (std::uintmax_t{4} << 20);

  Summary summary;
  pipeline::TicketAnalysis a;
  int shown = -1;
  const int rc = run_records(
      "analyze", input,
      [&](Record& record) -> std::string {
        analyzer->analyze(record.text, a);
        std::cout << pipeline::to_json(a, record.id) << '\n';
        ++summary.tickets;
        if (a.language)
          // A language the identifier gives less than even odds is not
          // counted as that language (keyboard mashing reads as "da 0.06").
          ++summary.languages[a.language->undetermined        ? std::string("(undetermined)")
                              : a.language->confidence < 0.5f ? std::string("(unsure)")
                                                              : a.language->code];
        if (a.intent) {
          ++summary.queues[a.intent->queue];
          ++summary.intents[a.intent->out_of_scope
                                ? "(out of scope: " +
                                      std::string(models::to_string(a.intent->reason)) + ")"
                                : a.intent->label];
        }
        ++summary.sentiments[models::to_string(a.sentiment.label)];
        ++summary.urgency[to_string(a.urgency.level)];
        if (a.urgency.level == rules::Urgency::critical) summary.urgent.push_back(record.id);
        if (progress) {
          const int pct =
              int(100.0 * double(std::min<std::uintmax_t>(record.offset, total)) / double(total));
          if (pct != shown) {
            shown = pct;
            const int bar = pct * 40 / 100;
            std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %llu tickets", bar,
                         "========================================", 40 - bar, "", pct,
                         static_cast<unsigned long long>(summary.tickets));
          }
        }
        return {};
      },
      [&](std::uint64_t malformed) {
        if (progress) std::fputc('\n', stderr);
        summary.errors = malformed;
        if (!quiet) {
          print_summary(summary, analyzer->has_intent(), analyzer->has_language());
          print_encoders(analyzer.value(), paths.transformer_encoder);
        }
      });
  return rc;
}

CommandRegistration reg{"analyze",
                        "one call per ticket: sentiment, intent, urgency, KB, PII (JSONL)", run};

} // namespace
} // namespace supportnlp::cli
