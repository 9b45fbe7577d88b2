#pragma once
// Sub-command registry of the `supportnlp` CLI. Each sub-command lives in its
// own file and registers itself with a static CommandRegistration, so adding
// one touches no other file.

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace supportnlp::cli {

/// Arguments after the sub-command name(s).
using Args = std::vector<std::string>;
/// Runs a sub-command; returns the process exit code.
using CommandFn = std::function<int(const Args&)>;

struct Command {
  std::string name;    ///< "tokenize", or a two-word name such as "train intent"
  std::string summary; ///< one line for `supportnlp --help`
  CommandFn run;
};

std::map<std::string, Command>& commands();

struct CommandRegistration {
  CommandRegistration(std::string name, std::string summary, CommandFn run);
};

} // namespace supportnlp::cli
