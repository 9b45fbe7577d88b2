// supportnlp embed: text lines or JSON Lines records -> {"id","vector"} JSON
// lines with the static encoder. Malformed records are reported as error
// records with their line number; the run goes on and exits 1 at the end.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/embed/static_encoder.hpp>

#include <iostream>

namespace {

int run(const supportnlp::cli::Args& args) {
  std::string model, input = "-", format = "auto";
  supportnlp::cli::Options opts("embed", "[--model M] [--input F] [--format auto|text|jsonl]");
  opts.add("--model", &model, "encoder model file (default: the bundled encoder)")
      .add("--input", &input, "input file, '-' for stdin (default)")
      .add("--format", &format, "input format: auto (default), text or jsonl");
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (!opts.positional().empty()) input = opts.positional().front();
  auto fmt = supportnlp::cli::parse_input_format(format);
  if (!fmt) {
    std::cerr << "supportnlp embed: unknown --format '" << format << "'\n";
    return 2;
  }
  if (model.empty()) model = supportnlp::cli::default_data_dir() + "/models/encoder.snlp";
  auto enc = supportnlp::embed::StaticEncoder::load(model);
  if (!enc) {
    std::cerr << "supportnlp embed: " << enc.error().message << '\n';
    return 1;
  }
  std::vector<float> v(enc->dim());
  return supportnlp::cli::with_input(input, [&](std::istream& in) {
    auto errors = supportnlp::cli::read_records(
        in, *fmt,
        [&](supportnlp::cli::Record& r) {
          enc->encode(r.text, v.data());
          nlohmann::json out{{"id", r.id}, {"vector", v}};
          supportnlp::cli::write_json_line(std::cout, out);
        },
        [&](std::uint64_t line, const std::string& message) {
          supportnlp::cli::write_json_line(std::cout, supportnlp::cli::error_record(line, message));
        });
    std::cout.flush();
    if (errors) {
      std::cerr << "supportnlp embed: " << errors << " malformed record(s)\n";
      return 1;
    }
    return 0;
  });
}

static supportnlp::cli::CommandRegistration reg{
    "embed", "text or JSONL records -> unit vectors with the compact encoder", run};

} // namespace
