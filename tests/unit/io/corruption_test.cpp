// Damaged files must give a clean error, never a crash and never a view of a
// corrupted tensor. Run these under ASan/UBSan too (see docs/model-format.md).

#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace supportnlp;
using namespace supportnlp::io;
using namespace snlp_test;

namespace {

bool mentions(const Error& e, const std::string& needle) {
  return e.message.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("truncation at every offset is a clean error", "[io]") {
  const std::string full = sample_bytes();
  REQUIRE(full.size() > 500);
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto r = ModelFile::from_bytes(std::string_view(full.data(), n), {}, "cut.snlp");
    INFO("truncated to " << n << " bytes");
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::truncated);
    CHECK(mentions(r.error(), "cut.snlp"));
  }
}

TEST_CASE("truncated files on disk are rejected through the mmap path", "[io]") {
  const std::string full = sample_bytes();
  const std::string path = "/tmp/snlp_io_cut_" + std::to_string(::getpid()) + ".snlp";
  for (std::size_t n = 0; n < full.size(); n += 13) {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(full.data(), static_cast<std::streamsize>(n));
    }
    auto r = ModelFile::open(path);
    INFO("truncated to " << n << " bytes");
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::truncated);
    CHECK(mentions(r.error(), path));
  }
  std::remove(path.c_str());
}

TEST_CASE("flipping any bit of any byte is detected", "[io]") {
  const std::string full = sample_bytes();
  for (std::size_t at = 0; at < full.size(); ++at) {
    for (unsigned bit : {0u, 3u, 7u}) {
      std::string f = full;
      f[at] = static_cast<char>(f[at] ^ (1u << bit));
      auto r = ModelFile::from_bytes(f, {}, "flip.snlp");
      INFO("byte " << at << " bit " << bit);
      REQUIRE(!r);
      CHECK(mentions(r.error(), "flip.snlp"));
    }
  }
}

TEST_CASE("random multi-byte damage is detected", "[io]") {
  const std::string full = sample_bytes();
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string f = full;
    const int hits = 1 + static_cast<int>(rng() % 8);
    bool changed = false;
    for (int h = 0; h < hits; ++h) {
      const std::size_t at = rng() % f.size();
      const char v = static_cast<char>(rng());
      changed |= f[at] != v;
      f[at] = v;
    }
    if (!changed) continue;
    INFO("round " << round);
    CHECK(!ModelFile::from_bytes(f));
  }
}

TEST_CASE("appended bytes are rejected", "[io]") {
  auto r = ModelFile::from_bytes(sample_bytes() + std::string(1, '\0'));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::corrupt);
}

TEST_CASE("checksum errors name the damaged section or tensor", "[io]") {
  const std::string full = sample_bytes();
  const Layout l = layout(full);
  {
    std::string f = full;
    f[20] ^= 1; // file size field
    auto r = ModelFile::from_bytes(f);
    CHECK(r.error().code == ErrorCode::checksum_mismatch);
    CHECK(mentions(r.error(), "header checksum"));
  }
  {
    std::string f = full;
    f[l.metadata_at() + 2] ^= 1;
    auto r = ModelFile::from_bytes(f);
    CHECK(r.error().code == ErrorCode::checksum_mismatch);
    CHECK(mentions(r.error(), "metadata checksum"));
  }
  {
    std::string f = full;
    f[l.directory_at() + 40] ^= 1;
    auto r = ModelFile::from_bytes(f);
    CHECK(r.error().code == ErrorCode::checksum_mismatch);
    CHECK(mentions(r.error(), "directory checksum"));
  }
  {
    std::string f = full;
    const std::uint64_t e = entry_at(f, 2); // "quant"
    f[get_u64(f, e + 16) + 3] ^= 0x40;
    auto r = ModelFile::from_bytes(f);
    CHECK(r.error().code == ErrorCode::checksum_mismatch);
    CHECK(mentions(r.error(), "tensor 'quant' checksum mismatch"));
  }
  {
    std::string f = full;
    f[0] = 'X';
    CHECK(ModelFile::from_bytes(f).error().code == ErrorCode::bad_magic);
  }
}

// Structurally wrong files whose checksums are all valid: the reader must not
// rely on CRCs alone.
TEST_CASE("resealed structural corruption is still rejected", "[io]") {
  const std::string full = sample_bytes();
  const Layout l = layout(full);
  const std::uint64_t e0 = entry_at(full, 0); // "weights", f32 [2, 3]
  const std::uint64_t e1 = entry_at(full, 1); // "half", f16 [4]
  auto rejected = [](std::string f, const std::string& why) {
    reseal(f);
    auto r = ModelFile::from_bytes(f, {}, "evil.snlp");
    INFO(why);
    REQUIRE(!r);
    CHECK(mentions(r.error(), "evil.snlp"));
    return r.error();
  };

  std::string f = full;
  put_u64(f, e0 + 16, get_u64(f, e0 + 16) + 8);
  CHECK(mentions(rejected(f, "misaligned"), "not 64-byte aligned"));

  f = full;
  put_u64(f, e0 + 16, l.file_size + 64 * 100);
  CHECK(mentions(rejected(f, "offset past end"), "outside the data section"));

  f = full;
  put_u64(f, e0 + 16, 0);
  CHECK(mentions(rejected(f, "offset in header"), "outside the data section"));

  f = full;
  put_u64(f, e0 + 16, 0xFFFFFFFFFFFFFFC0ULL);
  CHECK(mentions(rejected(f, "offset overflow"), "outside the data section"));

  f = full;
  put_u64(f, e0 + 24, 0xFFFFFFFFFFFFFFF0ULL);
  rejected(f, "huge size");

  f = full;
  put_u64(f, e0 + 32, 0x4000000000000000ULL);
  put_u64(f, e0 + 40, 0x4000000000000000ULL);
  CHECK(mentions(rejected(f, "shape product overflow"), "shape overflows"));

  f = full;
  put_u64(f, e0 + 32, 3); // [3, 3] f32 = 36 bytes, stored 24
  CHECK(mentions(rejected(f, "shape/size mismatch"), "does not match its shape"));

  f = full;
  put_u64(f, e1 + 16, get_u64(f, e0 + 16)); // "half" starts inside "weights"
  CHECK(mentions(rejected(f, "overlap"), "overlap"));

  f = full;
  f[e0 + 4] = 42;
  CHECK(mentions(rejected(f, "dtype"), "unknown dtype 42"));

  f = full;
  f[e0 + 5] = 9;
  rejected(f, "rank > 8");

  f = full;
  f[e0 + 5] = 1; // rank no longer matches the entry length
  CHECK(mentions(rejected(f, "entry length"), "does not match its contents"));

  f = full;
  put_u32(f, e0, 0xFFFFFFFFu);
  CHECK(mentions(rejected(f, "entry length huge"), "entry length"));

  f = full;
  put_u32(f, e0, 4);
  CHECK(mentions(rejected(f, "entry length tiny"), "entry length"));

  f = full;
  put_u32(f, 40, 0xFFFFFFFFu);
  CHECK(mentions(rejected(f, "tensor count huge"), "tensor count"));

  f = full;
  put_u32(f, 40, l.tensor_count - 1);
  CHECK(mentions(rejected(f, "tensor count low"), "after its last entry"));

  f = full;
  put_u32(f, 36, 0xFFFFFF00u);
  CHECK(mentions(rejected(f, "metadata length huge"), "overrun"));

  f = full;
  put_u32(f, 32, 0);
  put_u32(f, 36, l.metadata_len + l.kind_len); // kind swallowed into metadata
  rejected(f, "empty kind");

  f = full;
  put_u64(f, 24, l.data_offset + 1);
  CHECK(mentions(rejected(f, "data offset misaligned"), "not 64-byte aligned"));

  f = full;
  put_u32(f, 12, 32);
  CHECK(mentions(rejected(f, "header size"), "header size"));

  f = full;
  put_u32(f, 56, 1);
  CHECK(mentions(rejected(f, "reserved"), "reserved"));

  f = full;
  {
    // Rename "quant" to "vocab" (same length), duplicating a later name.
    const std::uint64_t e2 = entry_at(f, 2);
    const std::uint8_t rank = static_cast<std::uint8_t>(f[e2 + 5]);
    f.replace(e2 + 32 + 8 * rank, 5, "vocab");
    CHECK(mentions(rejected(f, "duplicate"), "duplicate tensor name 'vocab'"));
  }

  f = full;
  {
    const std::uint64_t e2 = entry_at(f, 2);
    const std::uint8_t rank = static_cast<std::uint8_t>(f[e2 + 5]);
    f[e2 + 32 + 8 * rank] = '\xff';
    CHECK(mentions(rejected(f, "name utf8"), "not valid UTF-8"));
  }

  f = full;
  put_u32(f, e0 + 8, 0x7FC00000u); // NaN scale
  CHECK(mentions(rejected(f, "nan scale"), "invalid scale"));

  f = full;
  f[l.metadata_at()] = '[';
  CHECK(mentions(rejected(f, "metadata not object"), "JSON object"));

  f = full;
  f[l.metadata_at() + 3] = '\xc0';
  CHECK(mentions(rejected(f, "metadata utf8"), "UTF-8"));

  f = full;
  f[l.metadata_at() + l.metadata_len - 1] = ',';
  CHECK(mentions(rejected(f, "metadata json"), "JSON"));

  f = full;
  f[l.kind_at()] = 'T';
  CHECK(mentions(rejected(f, "kind charset"), "invalid kind"));

  f = full;
  REQUIRE(l.directory_at() + l.directory_len < l.data_offset);
  f[l.data_offset - 1] = 1; // padding before the data section
  CHECK(mentions(rejected(f, "padding"), "non-zero padding"));
}
