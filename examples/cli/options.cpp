#include "options.hpp"

#include <iostream>

namespace supportnlp::cli {

Options::Options(std::string command, std::string usage)
    : command_(std::move(command)), usage_(std::move(usage)) {}

Options& Options::add(const std::string& name, std::string* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.str = value;
  specs_.push_back(s);
  return *this;
}

Options& Options::add(const std::string& name, int* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.integer = value;
  specs_.push_back(s);
  return *this;
}

Options& Options::add(const std::string& name, double* value, const std::string& help) {
  Spec s;
  s.name = name;
  s.help = help;
  s.real = value;
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

void Options::print_help(std::ostream& out) const {
  out << "usage: supportnlp " << command_ << ' ' << usage_ << "\n\noptions:\n";
  for (const auto& s : specs_) {
    std::string left = s.name + (s.boolean ? "" : " VALUE");
    out << "  " << left;
    for (std::size_t i = left.size(); i < 24; ++i) out << ' ';
    out << s.help << '\n';
  }
}

int Options::parse(const Args& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      print_help(std::cout);
      return 0;
    }
    if (arg.size() < 2 || arg.compare(0, 2, "--") != 0 || arg == "--") {
      positional_.push_back(arg);
      continue;
    }
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
    if (!spec) {
      std::cerr << "supportnlp " << command_ << ": unknown option '" << name << "'\n";
      print_help(std::cerr);
      return 2;
    }
    if (spec->boolean) {
      *spec->boolean = !has_value || (value != "0" && value != "false" && value != "no");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        std::cerr << "supportnlp " << command_ << ": option " << name << " needs a value\n";
        return 2;
      }
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
      std::cerr << "supportnlp " << command_ << ": option " << name << " takes a number, not '"
                << value << "'\n";
      return 2;
    }
  }
  return -1;
}

} // namespace supportnlp::cli
