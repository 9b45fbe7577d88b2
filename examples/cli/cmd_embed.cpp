// supportnlp embed: text lines or JSON Lines records -> {"id","vector"} JSON
// lines with the static encoder. Malformed records are reported as error
// records with their line number; the run goes on (docs/cli.md).
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/embed/static_encoder.hpp>

#include <iostream>

namespace {

int run(const supportnlp::cli::Args& args) {
  namespace cli = supportnlp::cli;
  std::string model;
  cli::InputOptions input;
  cli::Options opts("embed", "[--model M] [--input F | F] [--format auto|text|jsonl] [--strict]\n"
                             "Prints {\"id\",\"line\",\"vector\"} per input line, blank lines "
                             "included.");
  opts.add("--model", &model, "encoder model file (default: the bundled encoder)");
  input.add_to(opts);
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (int rc = input.finish(opts); rc >= 0) return rc;
  if (model.empty()) model = cli::default_data_dir() + "/models/encoder.snlp";
  auto enc = supportnlp::embed::StaticEncoder::load(model);
  if (!enc) {
    std::cerr << "supportnlp embed: " << enc.error().message << '\n';
    return cli::exit_runtime;
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
    "embed", "text or JSONL records -> unit vectors with the compact encoder", run};

} // namespace
