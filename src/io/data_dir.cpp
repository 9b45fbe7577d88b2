// supportnlp::data_dir(): the bundled data's directory, found relative to the
// library's own file so that an installation keeps working when its prefix is
// moved (the same idea as the .pc file's ${pcfiledir} and the CMake package's
// computed prefix).

#include "supportnlp/data_dir.hpp"

#include "data_dir_resolve.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#if defined(__has_include)
#if __has_include(<dlfcn.h>)
#include <dlfcn.h>
#define SUPPORTNLP_HAVE_DLADDR 1
#endif
#if __has_include(<link.h>) && defined(__GLIBC__)
#include <link.h>
#define SUPPORTNLP_HAVE_DLADDR1 1
#endif
#endif

namespace fs = std::filesystem;

namespace supportnlp::io::detail {

namespace {

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return !p.empty() && fs::is_directory(p, ec);
}

// Whether `file` lies inside directory `dir` (both made canonical where they exist).
bool inside(const std::string& file, const std::string& dir) {
  if (file.empty() || dir.empty()) return false;
  std::error_code ec;
  const fs::path d = fs::weakly_canonical(dir, ec);
  if (ec) return false;
  const fs::path f = fs::weakly_canonical(file, ec);
  if (ec) return false;
  auto fi = f.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++fi) {
    if (di->empty()) continue; // a trailing separator
    if (fi == f.end() || *fi != *di) return false;
  }
  return true;
}

} // namespace

std::string resolve_data_dir(const DataDirInputs& in) {
  if (!in.env.empty()) return in.env;
  fs::path relative_guess;
  if (!in.module_file.empty()) {
    const fs::path dir = fs::path(in.module_file).parent_path();
    for (const std::string* rel : {&in.from_libdir, &in.from_bindir}) {
      if (rel->empty()) continue;
      const fs::path candidate = (dir / *rel).lexically_normal();
      if (relative_guess.empty()) relative_guess = candidate;
      if (is_dir(candidate)) return candidate.string();
    }
  }
  // A program in the build tree (tests, the CLI before `cmake --install`)
  // reads the data it was built with, even if an older copy is installed.
  if (inside(in.module_file, in.binary_dir) && is_dir(in.source_data)) return in.source_data;
  if (is_dir(in.configured)) return in.configured;
  if (is_dir(in.source_data)) return in.source_data;
  return relative_guess.empty() ? in.configured : relative_guess.string();
}

} // namespace supportnlp::io::detail

namespace supportnlp {

namespace {

// The file this code was loaded from: the shared library, or the program
// when the library is linked statically. "" when the platform cannot say.
std::string module_file() {
  std::error_code ec;
#if defined(SUPPORTNLP_HAVE_DLADDR1)
  Dl_info info{};
  link_map* map = nullptr;
  if (dladdr1(reinterpret_cast<void*>(&module_file), &info, reinterpret_cast<void**>(&map),
              RTLD_DL_LINKMAP) != 0 &&
      map != nullptr) {
    // The main program's link map has an empty name; dli_fname would be its
    // argv[0], relative to a working directory that may have changed since.
    if (map->l_name == nullptr || map->l_name[0] == '\0') {
      const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
      return ec ? std::string() : exe.string();
    }
    const fs::path lib = fs::weakly_canonical(map->l_name, ec);
    return ec ? std::string(map->l_name) : lib.string();
  }
#elif defined(SUPPORTNLP_HAVE_DLADDR)
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&module_file), &info) != 0 && info.dli_fname != nullptr &&
      info.dli_fname[0] == '/')
    return info.dli_fname;
#endif
  return std::string();
}

} // namespace

std::string data_dir() {
  io::detail::DataDirInputs in;
  if (const char* env = std::getenv("SUPPORTNLP_DATA"); env != nullptr) in.env = env;
  if (in.env.empty()) in.module_file = module_file();
  in.binary_dir = SUPPORTNLP_BUILD_TREE;
  in.source_data = SUPPORTNLP_SOURCE_DATA_DIR;
  in.from_libdir = SUPPORTNLP_DATA_FROM_LIBDIR;
  in.from_bindir = SUPPORTNLP_DATA_FROM_BINDIR;
  in.configured = SUPPORTNLP_CONFIGURED_DATA_DIR;
  return io::detail::resolve_data_dir(in);
}

} // namespace supportnlp
