#pragma once
// Minimal option parsing for the CLI's sub-commands: "--name value",
// "--name=value" and boolean "--flag". Anything unexpected (an unknown option,
// a missing or malformed value, a positional argument the command does not
// take) is a usage error: a message and the usage text on stderr, exit 2
// (docs/cli.md).

#include "command.hpp"

#include <string>
#include <vector>

namespace supportnlp::cli {

class Options {
public:
  /// `usage` is printed for --help and after an error. The options added
  /// below are the command's one table: --help prints it, aligned, with each
  /// option's default taken from the variable's value when it is added
  /// (unless the help text states the default itself), and docs/cli.md's
  /// option reference is generated from that output (scripts/cli_reference.py).
  Options(std::string command, std::string usage);

  /// A string option; `value` keeps its default when the option is absent.
  Options& add(const std::string& name, std::string* value, const std::string& help);
  /// An integer option.
  Options& add(const std::string& name, int* value, const std::string& help);
  /// A floating-point option.
  Options& add(const std::string& name, double* value, const std::string& help);
  /// A boolean flag.
  Options& flag(const std::string& name, bool* value, const std::string& help);
  /// Accepts at most `max` positional arguments; one more is a usage error.
  /// Every command of this CLI declares its count (0 for most); a command
  /// that does not is left to check positional() itself.
  Options& positionals(std::size_t max);

  /// Prints "supportnlp <command>: <message>" and the usage text on stderr;
  /// returns 2, the usage exit code, for `return opts.usage_error(...)`.
  int usage_error(const std::string& message) const;

  /// Parses `args`. Returns -1 to go on, or an exit code to return at once
  /// (0 after --help, 2 after a usage error, with a message on stderr).
  int parse(const Args& args);
  /// Positional arguments left after the options.
  const std::vector<std::string>& positional() const { return positional_; }

private:
  struct Spec {
    std::string name, help;
    std::string default_value; ///< the value before parsing, shown by --help
    std::string* str = nullptr;
    int* integer = nullptr;
    double* real = nullptr;
    bool* boolean = nullptr;
  };
  void print_help(std::ostream& out) const;
  std::string command_, usage_;
  std::vector<Spec> specs_;
  std::vector<std::string> positional_;
  std::size_t max_positionals_ = static_cast<std::size_t>(-1);
};

} // namespace supportnlp::cli
