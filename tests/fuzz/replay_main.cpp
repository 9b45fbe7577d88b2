// Replays fuzz inputs without libFuzzer: `fuzz_replay HARNESS PATH...` feeds
// every file (directories are walked, sorted) to that harness's
// LLVMFuzzerTestOneInput, built into this program under another name (see
// CMakeLists.txt). Built with the normal compiler in every build, so the
// Release, ASan+UBSan and TSan passes all replay tests/data/fuzz-regressions.
#include "harness_list.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#define SUPPORTNLP_FUZZ_DECLARE(name)                                                              \
  extern "C" int supportnlp_fuzz_##name(const std::uint8_t* data, std::size_t size);
SUPPORTNLP_FUZZ_HARNESS_LIST(SUPPORTNLP_FUZZ_DECLARE)

namespace {

struct Harness {
  const char* name;
  int (*run)(const std::uint8_t*, std::size_t);
};

#define SUPPORTNLP_FUZZ_ENTRY(name) {#name, supportnlp_fuzz_##name},
const Harness kHarnesses[] = {SUPPORTNLP_FUZZ_HARNESS_LIST(SUPPORTNLP_FUZZ_ENTRY)};

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fuzz_replay HARNESS FILE_OR_DIR...\nharnesses:";
    for (const auto& h : kHarnesses)
      std::cerr << ' ' << h.name;
    std::cerr << '\n';
    return 2;
  }
  const Harness* harness = nullptr;
  for (const auto& h : kHarnesses)
    if (std::strcmp(h.name, argv[1]) == 0) harness = &h;
  if (!harness) {
    std::cerr << "fuzz_replay: unknown harness '" << argv[1] << "'\n";
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (int i = 2; i < argc; ++i) {
    const std::filesystem::path p = argv[i];
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
    } else if (std::filesystem::exists(p)) {
      files.push_back(p);
    } else {
      std::cerr << "fuzz_replay: no such file '" << p.string() << "'\n";
      return 1;
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    std::cout << harness->name << ": " << f.filename().string() << " (" << bytes.size() << " bytes)"
              << std::endl;
    harness->run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << harness->name << ": " << files.size() << " inputs replayed\n";
  return 0;
}
