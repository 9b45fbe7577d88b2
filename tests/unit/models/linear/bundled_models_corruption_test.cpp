// Exhaustive corruption of the bundled model files (data/models/*.snlp), as
// issue 15 asks: truncations, single-byte flips of the container header and
// section table (raw, and with every checksum recomputed so the flip reaches
// the parsers), and flips inside tensors with the tensor's checksum fixed up.
// Each case must give a clean error naming the file, or a model that loads
// and answers within bounds (finite probabilities in [0, 1] summing to 1,
// finite vectors); never a crash or an exception.
//
// Two sizes (docs/model-format.md, "Corruption tests"):
//  - default (ctest label `corruption`, also under the sanitizers): every
//    truncation length up to the end of the section table, 64 lengths inside
//    the tensors; every byte of the header and section table flipped raw; the
//    re-sealed flips of every header byte, every directory byte and every
//    16th metadata byte, 24 re-sealed flips inside the tensors of each file;
//    for the 7 MB routing model, whose loads are costly, every 3rd directory
//    byte, every 61st metadata byte and 8 tensor flips. Under ASan/TSan the
//    re-sealed samples are thinned three times more.
//  - SUPPORTNLP_CORRUPTION_FULL=1: every truncation length of the whole file,
//    all eight single-bit flips and the 0xFF flip of every byte up to the
//    tensor data, raw and re-sealed, and 1,000 tensor flips per file.
// The test prints its cases x outcome table.
//
// The language identifier's file is checked at the container level only
// (ModelFile::open): its loader belongs to the language-identification work.

#include "../../io/model_rewrite.hpp"

#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/models/linear/classifier.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <functional>
#include <map>
#include <optional>
#include <unistd.h>

using namespace supportnlp;
using namespace snlp_test;

namespace {

// Under ASan or TSan every load is several times slower: the default sample
// of re-sealed flips is thinned by this factor there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kSanitizerThinning = 3;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int kSanitizerThinning = 3;
#else
constexpr int kSanitizerThinning = 1;
#endif
#else
constexpr int kSanitizerThinning = 1;
#endif

bool full_sweep() {
  const char* v = std::getenv("SUPPORTNLP_CORRUPTION_FULL");
  return v != nullptr && *v != '\0' && *v != '0';
}

// Loads the file at `path` and checks its answers; returns the load error, if any.
using Check = std::function<std::optional<Error>(const std::string& path)>;

std::optional<Error> check_intent(const std::string& path) {
  auto m = models::TextClassifier::load(path, "intent");
  if (!m) return m.error();
  for (const char* text : {"where is my parcel", "refund please", "", "\xff bad utf8 \xc3"}) {
    const models::Prediction p = m->predict(text, 3);
    REQUIRE(p.label < m->labels().size());
    REQUIRE(std::isfinite(p.confidence));
    REQUIRE((p.confidence >= 0.0f && p.confidence <= 1.0f));
    double sum = 0;
    for (float q : p.probabilities) {
      REQUIRE(std::isfinite(q));
      REQUIRE((q >= 0.0f && q <= 1.0f));
      sum += q;
    }
    REQUIRE(sum == Approx(1.0).margin(1e-3));
  }
  return std::nullopt;
}

std::optional<Error> check_encoder(const std::string& path) {
  auto e = embed::StaticEncoder::load(path);
  if (!e) return e.error();
  REQUIRE(e->dim() > 0);
  std::vector<float> v(static_cast<std::size_t>(e->dim()));
  for (const char* text : {"reset my password", "", "\xff"}) {
    e->encode(text, v.data());
    for (float x : v)
      REQUIRE(std::isfinite(x));
  }
  return std::nullopt;
}

std::optional<Error> check_container(const std::string& path, const char* kind) {
  auto f = io::ModelFile::open(path, kind);
  if (!f) return f.error();
  return std::nullopt;
}

struct Tally {
  std::map<std::string, std::map<std::string, long>> table; // case kind -> outcome -> count
  void add(const std::string& what, const std::string& outcome) { ++table[what][outcome]; }
};

Tally& tally() {
  static Tally t;
  return t;
}

// The copy of a bundled file the cases are applied to, in place.
class Victim {
public:
  Victim(const std::string& name, Check check, std::string ok = "loads, answers in bounds")
      : name_(name), tmp_("corrupt_" + name), check_(std::move(check)), ok_(std::move(ok)) {
    original_ = read_bytes(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/models/" + name + ".snlp");
    REQUIRE(original_.size() > 4096);
    restore_all();
    const Layout l = layout(original_);
    data_offset_ = l.data_offset;
    directory_at_ = l.directory_at();
    directory_end_ = directory_at_ + l.directory_len;
    metadata_at_ = l.metadata_at();
    for (std::uint32_t i = 0; i < l.tensor_count; ++i)
      entries_.push_back(entry_at(original_, i));
  }
  ~Victim() { ::close(fd_); }

  const std::string& bytes() const { return original_; }
  std::uint64_t data_offset() const { return data_offset_; }
  std::uint64_t directory_at() const { return directory_at_; }
  std::uint64_t directory_end() const { return directory_end_; }
  std::uint64_t metadata_at() const { return metadata_at_; }
  const std::vector<std::uint64_t>& entries() const { return entries_; }
  // Default-suite sampling: a file whose loads are costly (the 7 MB routing
  // model takes tens of milliseconds, several times that under ASan) gets a
  // sparser sample of the re-sealed flips, most of which end in a full load.
  bool costly() const { return original_.size() > (std::size_t{6} << 20); }
  std::uint64_t directory_stride() const { return (costly() ? 3 : 1) * kSanitizerThinning; }
  std::uint64_t metadata_stride() const { return (costly() ? 61 : 16) * kSanitizerThinning; }
  int tensor_flips() const { return (costly() ? 8 : 24) / kSanitizerThinning; }

  // Runs the check on the file as it now is and records the outcome.
  void run(const std::string& what, bool must_fail) {
    std::optional<Error> e = check_(tmp_.path);
    if (e) {
      INFO(what << ": " << e->message);
      REQUIRE(e->message.find(tmp_.path) != std::string::npos);
      tally().add(what, std::string("error: ") + to_string(e->code));
    } else {
      INFO(what);
      REQUIRE(!must_fail);
      tally().add(what, ok_);
    }
  }

  void truncate(std::uint64_t n) { REQUIRE(::ftruncate(fd_, static_cast<off_t>(n)) == 0); }
  void put(std::uint64_t at, const std::string& bytes) {
    REQUIRE(::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(at)) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // The section prefix [0, data_offset) as in the original file.
  std::string prefix() const { return original_.substr(0, data_offset_); }
  void restore_prefix() { put(0, prefix()); }
  void restore_all() {
    if (fd_ >= 0) ::close(fd_);
    write_bytes(tmp_.path, original_);
    fd_ = ::open(tmp_.path.c_str(), O_RDWR);
    REQUIRE(fd_ >= 0);
  }

private:
  std::string name_;
  TempFile tmp_;
  Check check_;
  std::string ok_;
  std::string original_;
  int fd_ = -1;
  std::uint64_t data_offset_ = 0, directory_at_ = 0, directory_end_ = 0, metadata_at_ = 0;
  std::vector<std::uint64_t> entries_;
};

// A small deterministic generator (no std::uniform_int_distribution: its
// output differs between standard libraries).
struct Lcg {
  std::uint64_t x;
  std::uint64_t next(std::uint64_t n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (x >> 33) % n;
  }
};

void truncations(Victim& v) {
  const std::uint64_t size = v.bytes().size();
  std::vector<std::uint64_t> lengths;
  if (full_sweep()) {
    for (std::uint64_t n = size; n-- > 0;)
      lengths.push_back(n);
  } else {
    // Inside the tensors every cut fails the same check (file_size), so a
    // sample covers it; every length through the section table is tried.
    Lcg rng{0x7e57};
    std::vector<std::uint64_t> inside{size - 1, v.data_offset() + 1};
    for (int i = 0; i < 62; ++i)
      inside.push_back(v.data_offset() + 1 + rng.next(size - v.data_offset() - 1));
    std::sort(inside.rbegin(), inside.rend());
    lengths = inside;
    for (std::uint64_t n = v.data_offset() + 1; n-- > 0;)
      lengths.push_back(n);
  }
  // Decreasing lengths: each cut is one ftruncate of the shrinking file.
  for (std::uint64_t n : lengths) {
    v.truncate(n);
    v.run("truncation", true);
  }
  v.restore_all();
}

std::vector<unsigned char> flip_masks(std::uint64_t at) {
  if (full_sweep()) return {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF};
  return {static_cast<unsigned char>(1u << (at % 8))};
}

void raw_flips(Victim& v) {
  const std::string original = v.prefix();
  for (std::uint64_t at = 0; at < v.data_offset(); ++at) {
    for (unsigned char mask : flip_masks(at)) {
      v.put(at, std::string(1, static_cast<char>(original[at] ^ mask)));
      v.run("flip in header/sections, raw", true);
    }
    v.put(at, original.substr(at, 1));
  }
}

void resealed_flips(Victim& v) {
  const std::string original = v.prefix();
  for (std::uint64_t at = 0; at < v.data_offset(); ++at) {
    // Metadata bytes are sampled by default: a JSON flip mostly makes invalid
    // JSON or changes one character of a label or a digit, and a model that
    // still loads costs a full load.
    const bool metadata = at >= v.metadata_at() && at < v.directory_at();
    const bool header = at < 64;
    if (!full_sweep() && !header &&
        at % (metadata ? v.metadata_stride() : v.directory_stride()) != 0)
      continue;
    // Re-sealing rewrites the checksum fields (bytes 48..55 and 60..63).
    if ((at >= 48 && at < 56) || (at >= 60 && at < 64)) continue;
    for (unsigned char mask : flip_masks(at)) {
      std::string p = original;
      p[at] = static_cast<char>(p[at] ^ mask);
      reseal(p);
      v.put(0, p);
      v.run(metadata ? "flip in metadata, re-sealed"
                     : (header ? "flip in header, re-sealed" : "flip in kind/directory, re-sealed"),
            false);
    }
    v.restore_prefix();
  }
}

void tensor_flips(Victim& v) {
  const std::string& bytes = v.bytes();
  const int count = full_sweep() ? 1000 : v.tensor_flips();
  Lcg rng{0xf11b5};
  for (int i = 0; i < count; ++i) {
    // Tensors in turn, a random byte of each (so small tensors get their share).
    const std::uint64_t e = v.entries()[static_cast<std::size_t>(i) % v.entries().size()];
    const std::uint64_t offset = get_u64(bytes, e + 16), size = get_u64(bytes, e + 24);
    if (size == 0) continue;
    const std::uint64_t at = offset + rng.next(size);
    std::string data = bytes.substr(offset, size);
    const auto mask = static_cast<unsigned char>(1u << rng.next(8));
    data[at - offset] = static_cast<char>(data[at - offset] ^ mask);
    std::string p = v.prefix();
    put_u32(p, e + 12, supportnlp::io::crc32(data.data(), data.size()));
    reseal(p);
    v.put(at, data.substr(at - offset, 1));
    v.put(0, p);
    v.run("flip in tensor data, checksum fixed", false);
    v.put(at, bytes.substr(at, 1));
    v.restore_prefix();
  }
}

void sweep(Victim& v) {
  truncations(v);
  raw_flips(v);
  resealed_flips(v);
  tensor_flips(v);
  // The file is intact again and loads.
  v.run("intact after the sweep", false);
}

void print_table(const char* file) {
  std::printf("\ncorruption cases x outcome, %s%s:\n", file, full_sweep() ? " (full sweep)" : "");
  for (const auto& [what, outcomes] : tally().table)
    for (const auto& [outcome, n] : outcomes)
      std::printf("  %-40s %-32s %8ld\n", what.c_str(), outcome.c_str(), n);
  tally().table.clear();
}

} // namespace

TEST_CASE("bundled intent model: truncations and flips give clean errors or a sane model",
          "[models][corruption]") {
  Victim v("intent", check_intent);
  REQUIRE(!check_intent(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/models/intent.snlp"));
  sweep(v);
  print_table("data/models/intent.snlp");
}

TEST_CASE("bundled encoder: truncations and flips give clean errors or a sane model",
          "[models][corruption]") {
  Victim v("encoder", check_encoder);
  sweep(v);
  print_table("data/models/encoder.snlp");
}

TEST_CASE("bundled language identifier: truncations and flips give clean container errors",
          "[models][corruption]") {
  Victim v(
      "langid", [](const std::string& path) { return check_container(path, "langid"); },
      "container opens (loader not run)");
  sweep(v);
  print_table("data/models/langid.snlp (container only)");
}
