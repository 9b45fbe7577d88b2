// supportnlp: command-line front end to the library. `supportnlp --help`
// lists the sub-commands; each one documents itself with --help.
#include "command.hpp"

#include <supportnlp/cpu/cpu.hpp>
#include <supportnlp/version.hpp>

#include <cstdio>
#include <iostream>

namespace supportnlp::cli {

std::map<std::string, Command>& commands() {
  static std::map<std::string, Command> registry;
  return registry;
}

CommandRegistration::CommandRegistration(std::string name, std::string summary, CommandFn run) {
  auto key = name;
  commands().emplace(std::move(key), Command{std::move(name), std::move(summary), std::move(run)});
}

} // namespace supportnlp::cli

namespace {

void print_usage(std::ostream& out) {
  out << "usage: supportnlp <command> [options]\n\ncommands:\n";
  for (const auto& [name, command] : supportnlp::cli::commands()) {
    out << "  " << name;
    for (std::size_t i = name.size(); i < 22; ++i) out << ' ';
    out << command.summary << '\n';
  }
  out << "\n`supportnlp <command> --help` describes a command's options.\n";
}

} // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "supportnlp " << SUPPORTNLP_VERSION_STRING
              << " (cpu: " << supportnlp::cpu::isa_name(supportnlp::cpu::active_isa()) << ")\n";
    return 0;
  }
  auto& registry = supportnlp::cli::commands();
  // Two-word commands ("train intent") take precedence over one-word ones.
  if (args.size() >= 2) {
    auto it = registry.find(args[0] + " " + args[1]);
    if (it != registry.end())
      return it->second.run(supportnlp::cli::Args(args.begin() + 2, args.end()));
  }
  auto it = registry.find(args[0]);
  if (it == registry.end()) {
    std::cerr << "supportnlp: unknown command '" << args[0] << "'\n\n";
    print_usage(std::cerr);
    return 2;
  }
  return it->second.run(supportnlp::cli::Args(args.begin() + 1, args.end()));
}
