// supportnlp sentiment: one JSON line per input record with the label, score
// and probabilities, and with --explain the evidence spans (byte offsets into
// the record's text, the span's text and its contribution). Default model:
// the built-in lexicon analyzer. Malformed records become error records with
// their line number; the run goes on (docs/cli.md).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/models/sentiment/scorer.hpp>
#include <supportnlp/pipeline/json.hpp>

#include <iostream>

namespace supportnlp::cli {
namespace {

int run(const Args& args) {
  InputOptions input;
  std::string model_path;
  bool explain = false;
  Options opts("sentiment",
               "[--model M] [--explain] [--input F | F] [--format auto|text|jsonl] [--strict]\n"
               "Prints {\"id\",\"line\",\"label\",\"score\",\"probabilities\"[,\"evidence\"]}\n"
               "per input line (plain text or JSON Lines with a \"text\" field), blank lines\n"
               "included. Without --model, uses the built-in lexicon analyzer.");
  opts.add("--model", &model_path, "sentiment model file (from `train sentiment`)")
      .flag("--explain", &explain, "include evidence spans with byte offsets and contributions");
  input.add_to(opts);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  // load_sentiment: "" is the lexicon analyzer, a file the model its kind names.
  auto scorer = models::load_sentiment(model_path);
  if (!scorer) {
    std::cerr << "supportnlp sentiment: " << scorer.error().message << '\n';
    return exit_runtime;
  }
  models::SentimentResult result;
  return run_records("sentiment", input, [&](Record& record) -> std::string {
    scorer.value()->analyze(record.text, result);
    std::cout << pipeline::sentiment_json(result, {record.id, record.line}, record.text, explain)
              << '\n';
    return {};
  });
}

CommandRegistration reg{"sentiment", "sentiment label, score and evidence spans (JSONL)", run};

} // namespace
} // namespace supportnlp::cli
