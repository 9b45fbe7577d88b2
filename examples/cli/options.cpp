#include "options.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

namespace supportnlp::cli {

Options::Options(std::string command, std::string usage)
    : command_(std::move(command)), usage_(std::move(usage)) {}

Options& Options::add(const std::string& name, std::string* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.str = value;
  s.default_value = *value;
  specs_.push_back(s);
  return *this;
}

Options& Options::add(const std::string& name, int* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.integer = value;
  s.default_value = std::to_string(*value);
  specs_.push_back(s);
  return *this;
}

Options& Options::add(const std::string& name, double* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.real = value;
  std::ostringstream v;
  v << *value; // shortest form: 0.5, not 0.500000
  s.default_value = v.str();
  specs_.push_back(s);
  return *this;
}

Options& Options::flag(const std::string& name, bool* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.boolean = value;
  specs_.push_back(s);
  return *this;
}

Options& Options::positionals(std::size_t max) {
  max_positionals_ = max;
  return *this;
}

int Options::usage_error(const std::string& message) const {
  std::cerr << "supportnlp " << command_ << ": " << message << "\n\n";
  print_help(std::cerr);
  return 2;
}

void Options::print_help(std::ostream& out) const {
  out << "usage: supportnlp " << command_ << ' ' << usage_ << "\n\noptions:\n";
  // One column for the option and its VALUE, as wide as the widest one.
  std::size_t width = 0;
  for (const auto& s : specs_)
    width = std::max(width, s.name.size() + (s.boolean ? 0 : 6));
  for (const auto& s : specs_) {
    std::string left = s.name + (s.boolean ? "" : " VALUE");
    out << "  " << left << std::string(width - left.size() + 2, ' ');
    // A default the help text does not state itself, shown as a value; it
    // joins a closing parenthetical rather than opening a second one.
    if (!s.boolean && !s.default_value.empty() && s.help.find("default") == std::string::npos) {
      if (!s.help.empty() && s.help.back() == ')')
        out << s.help.substr(0, s.help.size() - 1) << "; default " << s.default_value << ')';
      else
        out << s.help << " (default " << s.default_value << ')';
    } else {
      out << s.help;
    }
    out << '\n';
  }
}

int Options::parse(const Args& args) {
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_ended && (arg == "--help" || arg == "-h")) {
      print_help(std::cout);
      return 0;
    }
    if (!options_ended && arg == "--") { // the rest are positional, even "-x"
      options_ended = true;
      continue;
    }
    if (options_ended || arg.size() < 2 || arg[0] != '-') { // "-" is stdin
      if (positional_.size() >= max_positionals_)
        return usage_error(max_positionals_ == 0 ? "unexpected argument '" + arg + "'"
                                                 : "unexpected extra argument '" + arg + "'");
      positional_.push_back(arg);
      continue;
    }
    if (arg.compare(0, 2, "--") != 0) return usage_error("unknown option '" + arg + "'");
    std::string name = arg, value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const Spec* spec = nullptr;
    for (const auto& s : specs_)
      if (s.name == name) spec = &s;
    if (!spec) return usage_error("unknown option '" + name + "'");
    if (spec->boolean) {
      if (!has_value || value == "1" || value == "true" || value == "yes")
        *spec->boolean = true;
      else if (value == "0" || value == "false" || value == "no")
        *spec->boolean = false;
      else
        return usage_error("option " + name + " takes no value or true/false, not '" + value + "'");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return usage_error("option " + name + " needs a value");
      value = args[++i];
    }
    try {
      if (spec->str) {
        *spec->str = value;
      } else if (spec->integer) {
        std::size_t used = 0;
        int v = std::stoi(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
        *spec->integer = v;
      } else if (spec->real) {
        std::size_t used = 0;
        double v = std::stod(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
        *spec->real = v;
      }
    } catch (const std::exception&) {
      return usage_error("option " + name + " takes a number, not '" + value + "'");
    }
  }
  return -1;
}

} // namespace supportnlp::cli
