// supportnlp embed: text lines or JSON Lines records -> {"id","vector"} JSON
// lines with the static encoder, or with a transformer encoder loaded from a
// Hugging Face / sentence-transformers folder or its converted file (--encoder). Malformed records
// are reported as error records with their line number; the run goes on (docs/cli.md).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/embed/transformer_encoder.hpp>

#include <iostream>
#include <memory>

namespace {

int run(const supportnlp::cli::Args& args) {
  namespace cli = supportnlp::cli;
  std::string model, folder;
  cli::InputOptions input;
  cli::Options opts("embed",
                    "[--model M | --encoder DIR|FILE] [--input F | F] [--format auto|text|jsonl] "
                    "[--strict]\n"
                    "Prints {\"id\",\"line\",\"vector\"} per input line, blank lines "
                    "included.");
  opts.add("--model", &model, "encoder model file (default: the bundled encoder)");
  opts.add("--encoder", &folder,
           "a Hugging Face / sentence-transformers folder (BERT or XLM-R), or a file from "
           "`convert encoder` (docs/encoders.md)");
  input.add_to(opts);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (!model.empty() && !folder.empty()) {
    std::cerr << "supportnlp embed: give --model or --encoder, not both\n";
    return cli::exit_usage;
  }
  std::shared_ptr<const supportnlp::embed::Encoder> enc;
  const auto fail = [](const supportnlp::Error& e) {
    std::cerr << "supportnlp embed: " << e.message << '\n';
    return cli::exit_runtime;
  };
  if (!folder.empty()) {
    auto t = supportnlp::embed::TransformerEncoder::load(folder);
    if (!t) return fail(t.error());
    enc = std::make_shared<const supportnlp::embed::TransformerEncoder>(std::move(t).value());
  } else {
    if (model.empty()) model = cli::default_data_dir() + "/models/encoder.snlp";
    auto s = supportnlp::embed::StaticEncoder::load(model);
    if (!s) return fail(s.error());
    enc = std::make_shared<const supportnlp::embed::StaticEncoder>(std::move(s).value());
  }
  std::vector<float> v(enc->dim());
  return cli::run_records("embed", input, [&](cli::Record& r) -> std::string {
    enc->encode(r.text, v.data());
    nlohmann::ordered_json out{{"id", r.id}, {"line", r.line}, {"vector", v}};
    cli::write_json_line(std::cout, out);
    return {};
  });
}

static supportnlp::cli::CommandRegistration reg{
    "embed", "text or JSONL records -> unit vectors (compact or transformer encoder)", run};

} // namespace
