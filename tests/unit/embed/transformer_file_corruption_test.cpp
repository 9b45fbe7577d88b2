// Truncated and bit-damaged converted transformer encoder files (issue 14),
// in the style of the bundled models' corruption sweep
// (docs/model-format.md): every truncation length of a small converted
// fixture, and one bit flipped in each of its first 8 KB, must
// give a clean error naming the file; never a crash or an exception.
#include <catch2/catch.hpp>

#include "../io/model_rewrite.hpp"
#include "transformer_file_util.hpp"

#include "embed/transformer/encoder_file.hpp"
#include "supportnlp/io/model_file.hpp"

#include <string>

using namespace supportnlp;
using namespace snlp_tf_test;

namespace {

// Opens and reads bytes as TransformerEncoder::load does for a file.
Result<embed::transformer::EncoderFile> read(const std::string& bytes) {
  auto file = io::ModelFile::from_bytes(bytes, embed::transformer::kEncoderFileKind, "cut.snlp");
  if (!file) return file.error();
  return embed::transformer::read_encoder_file(std::move(file).value());
}

std::string converted(const std::string& folder, bool int8, const std::string& tag) {
  TempDir tmp(tag);
  embed::TransformerEncoderOptions o;
  o.int8 = int8;
  auto enc = embed::TransformerEncoder::load(folder, o);
  REQUIRE(enc.ok());
  REQUIRE(enc->save(tmp / "f.snlp").ok());
  return snlp_test::read_bytes(tmp / "f.snlp");
}

} // namespace

TEST_CASE("converted encoder: every truncation fails cleanly", "[embed][transformer][corruption]") {
  for (const char* name : {"bert-bare", "xlmr"}) {
    const std::string bytes = converted(kFixtures + name, true, "cut");
    REQUIRE(read(bytes).ok());
    std::size_t refused = 0;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto r = read(bytes.substr(0, n));
      REQUIRE(!r.ok());
      REQUIRE(r.error().message.rfind("cut.snlp", 0) == 0);
      ++refused;
    }
    std::printf("%s int8 converted file: %zu bytes, %zu truncations refused\n", name, bytes.size(),
                refused);
  }
}

TEST_CASE("converted encoder: a flipped bit in the first 8 KB fails cleanly",
          "[embed][transformer][corruption]") {
  const std::string bytes = converted(kFixtures + "bert-prefixed", false, "flip");
  // Header, kind, metadata, directory and the first tensors: every byte is
  // under a checksum or a zero-padding rule, so every flip is refused.
  const std::size_t limit = std::min<std::size_t>(bytes.size(), 8192);
  std::size_t refused = 0, loaded = 0;
  for (std::size_t i = 0; i < limit; ++i) {
    std::string b = bytes;
    b[i] = static_cast<char>(b[i] ^ (1 << (i % 8)));
    auto r = read(b);
    if (r) {
      ++loaded;
    } else {
      ++refused;
      REQUIRE(r.error().message.rfind("cut.snlp", 0) == 0);
    }
  }
  CHECK(loaded == 0);
  std::printf("bert-prefixed f32: %zu single-bit flips in the first %zu bytes refused, %zu "
              "loaded\n",
              refused, limit, loaded);
}
