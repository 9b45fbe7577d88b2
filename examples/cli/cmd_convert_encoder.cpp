// supportnlp convert encoder: packs a Hugging Face / sentence-transformers
// folder (config, tokenizer, pooling, max_seq_length, weights) into one model
// file that loads by mmap, float32 or int8 (docs/encoders.md). Prints one
// JSON line describing the file written.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/embed/transformer_encoder.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <sys/stat.h>

namespace {

int run(const supportnlp::cli::Args& args) {
  namespace cli = supportnlp::cli;
  std::string from, output;
  bool int8 = false;
  cli::Options opts("convert encoder", "--from DIR --output FILE [--int8]\n"
                                       "Prints {\"output\",\"bytes\",\"weights\",\"dim\","
                                       "\"fingerprint\"} when the file is written.");
  opts.add("--from", &from, "a Hugging Face / sentence-transformers folder (docs/encoders.md)")
      .add("--output", &output, "model file to write (replaced atomically)")
      .flag("--int8", &int8,
            "store per-row int8 weights for the linear layers and word embeddings");
  opts.positionals(0);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (from.empty() || output.empty()) return opts.usage_error("--from and --output are required");
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    std::cerr << "supportnlp convert encoder: --from '" << from << "' is not a folder\n";
    return cli::exit_runtime;
  }
  supportnlp::embed::TransformerEncoderOptions o;
  o.int8 = int8;
  auto enc = supportnlp::embed::TransformerEncoder::load(from, o);
  if (!enc) {
    std::cerr << "supportnlp convert encoder: " << enc.error().message << '\n';
    return cli::exit_runtime;
  }
  if (auto saved = enc->save(output); !saved) {
    std::cerr << "supportnlp convert encoder: " << saved.error().message << '\n';
    return cli::exit_runtime;
  }
  struct stat out {};
  ::stat(output.c_str(), &out);
  nlohmann::ordered_json j{{"output", output},
                           {"bytes", static_cast<long long>(out.st_size)},
                           {"weights", enc->weights()},
                           {"dim", enc->dim()},
                           {"fingerprint", enc->fingerprint()}};
  cli::write_json_line(std::cout, j);
  std::cout.flush();
  return std::cout ? cli::exit_ok : cli::exit_runtime;
}

static supportnlp::cli::CommandRegistration reg{
    "convert encoder", "pack a transformer folder into one model file (f32 or int8)", run};

} // namespace
