#pragma once
// Helpers shared by the fuzz harnesses (tests/fuzz/fuzz_*.cpp). Header-only:
// each harness is its own program, and the replay program (replay_main.cpp)
// includes every harness with its entry points renamed.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace supportnlp::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits a fuzz input into a leading selector byte and the rest.
struct Selected {
  std::uint8_t selector = 0;
  std::string_view rest;
};
inline Selected select(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  return {data[0], as_text(data + 1, size - 1)};
}

/// A per-process scratch file for loaders that only read paths, on tmpfs
/// when there is one (so a model costs no disk I/O per execution).
/// Removed at exit.
inline const std::string& scratch_path(const char* harness) {
  static const std::string path = [harness] {
    const char* dir = std::getenv("SUPPORTNLP_FUZZ_TMP");
    std::string base = dir && *dir ? dir : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    std::string p = base + "/supportnlp-fuzz-" + harness + "-" + std::to_string(getpid()) + ".snlp";
    // A copy that outlives the string's destructor, for the exit handler.
    static char at_exit[512];
    p.copy(at_exit, sizeof at_exit - 1);
    std::atexit([] { std::remove(at_exit); });
    return p;
  }();
  return path;
}

/// Writes `bytes` to the harness's scratch file and returns its path.
inline const std::string& write_scratch(const char* harness, std::string_view bytes) {
  const std::string& path = scratch_path(harness);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  return path;
}

/// The repository's data directory: $SUPPORTNLP_DATA, else the source tree's.
inline std::string data_dir() {
  if (const char* d = std::getenv("SUPPORTNLP_DATA"); d && *d) return d;
  return std::string(SUPPORTNLP_SOURCE_DIR) + "/data";
}

/// Texts every loaded model is asked about: empty, ASCII, entities, other
/// scripts, invalid UTF-8.
inline const char* const kProbeTexts[] = {
    "",
    "I was charged twice for order ORD-99812, please refund me asap",
    "mi paquete no ha llegado \xF0\x9F\x98\xA1 bob@example.com",
    ("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 "
     "\xC3\xA9t\xC3\xA9"),
    "bad \xFF\xFE utf8 \xC3",
};

/// Aborts (a crash libFuzzer reports) when a promised invariant is broken.
#define SUPPORTNLP_FUZZ_CHECK(cond)                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)

} // namespace supportnlp::fuzz
