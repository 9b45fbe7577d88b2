// supportnlp::data_dir(): the environment override, the build-tree answer, and
// the search order on made-up installation layouts, moved ones included.

#include "io/data_dir_resolve.hpp"

#include "supportnlp/data_dir.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h> // setenv, unsetenv
#include <unistd.h> // getpid

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace fs = std::filesystem;
using supportnlp::io::detail::DataDirInputs;
using supportnlp::io::detail::resolve_data_dir;

namespace {

// Sets or unsets $SUPPORTNLP_DATA for one scope, restoring the old value.
class ScopedDataEnv {
public:
  explicit ScopedDataEnv(const char* value) {
    if (const char* old = std::getenv("SUPPORTNLP_DATA")) old_ = old;
    if (value)
      ::setenv("SUPPORTNLP_DATA", value, 1);
    else
      ::unsetenv("SUPPORTNLP_DATA");
  }
  ~ScopedDataEnv() {
    if (old_)
      ::setenv("SUPPORTNLP_DATA", old_->c_str(), 1);
    else
      ::unsetenv("SUPPORTNLP_DATA");
  }

private:
  std::optional<std::string> old_;
};

// A fresh scratch directory, removed at the end of the test.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    path = fs::temp_directory_path() /
           ("snlp_data_dir_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

// The inputs of an installation configured for /usr/local (lib, bin, share).
DataDirInputs usr_local_layout() {
  DataDirInputs in;
  in.binary_dir = "/nonexistent/build";
  in.source_data = "/nonexistent/src/data";
  in.from_libdir = "../share/supportnlp";
  in.from_bindir = "../share/supportnlp";
  in.configured = "/nonexistent/usr/local/share/supportnlp";
  return in;
}

std::string canonical(const std::string& p) {
  return fs::weakly_canonical(p).string();
}

} // namespace

TEST_CASE("data_dir: $SUPPORTNLP_DATA wins, as given", "[io][data_dir]") {
  ScopedDataEnv env("/somewhere/else/data");
  CHECK(supportnlp::data_dir() == "/somewhere/else/data");
}

TEST_CASE("data_dir: an empty $SUPPORTNLP_DATA counts as unset", "[io][data_dir]") {
  ScopedDataEnv env("");
  CHECK(supportnlp::data_dir() != "");
}

TEST_CASE("data_dir: a program in the build tree reads the source tree's data/", "[io][data_dir]") {
  ScopedDataEnv env(nullptr);
  const std::string dir = supportnlp::data_dir();
  CHECK(canonical(dir) == canonical(SUPPORTNLP_SOURCE_DIR "/data"));
  CHECK(fs::exists(fs::path(dir) / "models" / "langid.snlp"));
}

TEST_CASE("data_dir: an installed shared library finds <prefix>/share/supportnlp, and follows a "
          "moved prefix",
          "[io][data_dir]") {
  ScratchDir scratch;
  const fs::path a = scratch.path / "a";
  touch(a / "lib" / "libsupportnlp.so.0");
  touch(a / "share" / "supportnlp" / "models" / "langid.snlp");
  DataDirInputs in = usr_local_layout();
  in.module_file = (a / "lib" / "libsupportnlp.so.0").string();
  CHECK(canonical(resolve_data_dir(in)) == canonical((a / "share" / "supportnlp").string()));

  const fs::path b = scratch.path / "moved" / "b";
  fs::create_directories(b.parent_path());
  fs::rename(a, b);
  in.module_file = (b / "lib" / "libsupportnlp.so.0").string();
  CHECK(canonical(resolve_data_dir(in)) == canonical((b / "share" / "supportnlp").string()));
}

TEST_CASE("data_dir: a multiarch libdir walks up the right number of levels", "[io][data_dir]") {
  ScratchDir scratch;
  touch(scratch.path / "usr" / "lib" / "x86_64-linux-gnu" / "libsupportnlp.so.0");
  fs::create_directories(scratch.path / "usr" / "share" / "supportnlp");
  DataDirInputs in = usr_local_layout();
  in.from_libdir = "../../share/supportnlp";
  in.from_bindir = "../share/supportnlp";
  in.module_file =
      (scratch.path / "usr" / "lib" / "x86_64-linux-gnu" / "libsupportnlp.so.0").string();
  CHECK(canonical(resolve_data_dir(in)) ==
        canonical((scratch.path / "usr" / "share" / "supportnlp").string()));
}

TEST_CASE("data_dir: a statically linked program installed in <prefix>/bin finds its prefix's data",
          "[io][data_dir]") {
  ScratchDir scratch;
  touch(scratch.path / "opt" / "bin" / "helpdesk");
  fs::create_directories(scratch.path / "opt" / "share" / "supportnlp");
  DataDirInputs in = usr_local_layout();
  in.from_libdir = "../../share/supportnlp"; // nothing there: the bin/ answer is used
  in.module_file = (scratch.path / "opt" / "bin" / "helpdesk").string();
  CHECK(canonical(resolve_data_dir(in)) ==
        canonical((scratch.path / "opt" / "share" / "supportnlp").string()));
}

TEST_CASE("data_dir: fallbacks when nothing is installed beside the library", "[io][data_dir]") {
  ScratchDir scratch;
  const fs::path configured = scratch.path / "configured" / "share" / "supportnlp";
  const fs::path source = scratch.path / "src" / "data";
  const fs::path build = scratch.path / "build";
  DataDirInputs in = usr_local_layout();
  in.configured = configured.string();
  in.source_data = source.string();
  in.binary_dir = build.string();
  in.module_file = (scratch.path / "elsewhere" / "bin" / "app").string();
  touch(in.module_file);

  SECTION("nothing exists: the expected installed place, so errors name it") {
    CHECK(canonical(resolve_data_dir(in)) ==
          canonical((scratch.path / "elsewhere" / "share" / "supportnlp").string()));
    in.module_file.clear(); // the platform could not say where the library is
    CHECK(resolve_data_dir(in) == configured.string());
  }
  SECTION("the configured install location, when it exists") {
    fs::create_directories(configured);
    fs::create_directories(source);
    CHECK(resolve_data_dir(in) == configured.string());
  }
  SECTION("the source tree's data/ last") {
    fs::create_directories(source);
    CHECK(resolve_data_dir(in) == source.string());
  }
  SECTION("a program in the build tree prefers the source tree's data/ to an older install") {
    fs::create_directories(configured);
    fs::create_directories(source);
    in.module_file = (build / "tests" / "test_io").string();
    touch(in.module_file);
    CHECK(resolve_data_dir(in) == source.string());
  }
  SECTION("the environment still wins") {
    fs::create_directories(configured);
    in.env = "/from/env";
    CHECK(resolve_data_dir(in) == "/from/env");
  }
}
