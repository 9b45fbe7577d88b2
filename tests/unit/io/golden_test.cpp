// Golden files: a file written by every released format version stays in
// tests/data/golden/ and must keep loading with exactly the same contents.
// docs/model-format.md describes how each was produced.

#include "supportnlp/io/model_file.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <sstream>

using namespace supportnlp::io;

namespace {

const std::string kGoldenDir = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/golden/";

// The deterministic content of v1_0.snlp. Changing this function changes
// what the golden file must contain: never edit it for v1_0; add a new
// function and file for a new format version instead.
ModelWriter golden_v1_0() {
  ModelWriter w("golden");
  w.set_metadata(
      R"({"format":"1.0","labels":["refund","shipping","account"],"note":"supportnlp golden file"})");
  float f32[12];
  for (int i = 0; i < 12; ++i)
    f32[i] = static_cast<float>(i) * 0.25f - 1.0f;
  w.add_tensor("matrix_f32", DType::f32, {3, 4}, f32, sizeof f32);
  const std::uint16_t f16[3] = {0x3C00, 0xC000, 0x3555}; // 1.0, -2.0, ~0.333
  w.add_tensor("vector_f16", DType::f16, {3}, f16, sizeof f16);
  std::int8_t i8[6];
  for (int i = 0; i < 6; ++i)
    i8[i] = static_cast<std::int8_t>(i * 50 - 127);
  w.add_tensor("quantized_i8", DType::i8, {2, 3}, i8, sizeof i8, 0.5f);
  w.add_blob("vocab", "[PAD]\n[UNK]\nrefund\nshipping\n");
  const std::int32_t i32[2] = {-7, 1 << 30};
  w.add_tensor("ids_i32", DType::i32, {2}, i32, sizeof i32);
  const std::uint32_t u32[2] = {3000000000u, 1};
  w.add_tensor("counts_u32", DType::u32, {1, 2}, u32, sizeof u32);
  const std::uint64_t u64 = 0xFEDCBA9876543210ULL;
  w.add_tensor("scalar_u64", DType::u64, {}, &u64, sizeof u64);
  return w;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST_CASE("golden file v1.0 loads with its exact contents", "[io]") {
  const std::string path = kGoldenDir + "v1_0.snlp";
  auto f = ModelFile::open(path, "golden");
  INFO((f ? std::string() : f.error().message));
  REQUIRE(f);
  CHECK(f->format_major() == 1);
  CHECK(f->format_minor() == 0);
  CHECK(
      f->metadata() ==
      R"({"format":"1.0","labels":["refund","shipping","account"],"note":"supportnlp golden file"})");
  REQUIRE(f->tensors().size() == 7);

  auto m = f->require("matrix_f32", DType::f32, 2);
  REQUIRE(m);
  CHECK(m.value()->shape == std::vector<std::int64_t>{3, 4});
  for (int i = 0; i < 12; ++i)
    CHECK(m.value()->as<float>()[i] == static_cast<float>(i) * 0.25f - 1.0f);

  auto h = f->require("vector_f16", DType::f16, 1);
  REQUIRE(h);
  CHECK(h.value()->as<std::uint16_t>()[0] == 0x3C00);
  CHECK(h.value()->as<std::uint16_t>()[1] == 0xC000);
  CHECK(h.value()->as<std::uint16_t>()[2] == 0x3555);

  auto q = f->require("quantized_i8", DType::i8, 2);
  REQUIRE(q);
  CHECK(q.value()->scale == 0.5f);
  for (int i = 0; i < 6; ++i)
    CHECK(q.value()->as<std::int8_t>()[i] == i * 50 - 127);

  auto v = f->require("vocab", DType::u8, 1);
  REQUIRE(v);
  CHECK(v.value()->view() == "[PAD]\n[UNK]\nrefund\nshipping\n");

  CHECK(f->require("ids_i32", DType::i32, 1).value()->as<std::int32_t>()[1] == (1 << 30));
  auto c = f->require("counts_u32", DType::u32, 2);
  REQUIRE(c);
  CHECK(c.value()->shape == std::vector<std::int64_t>{1, 2});
  CHECK(c.value()->as<std::uint32_t>()[0] == 3000000000u);
  auto s = f->require("scalar_u64", DType::u64, 0);
  REQUIRE(s);
  CHECK(*s.value()->as<std::uint64_t>() == 0xFEDCBA9876543210ULL);
}

TEST_CASE("the 1.0 writer reproduces the golden file byte for byte", "[io]") {
  // Only meaningful while this library writes 1.0: a later minor may lay
  // files out differently, and must still read v1_0.snlp (test above).
  if (kFormatMajor != 1 || kFormatMinor != 0) return;
  auto bytes = golden_v1_0().serialize();
  REQUIRE(bytes);
  CHECK(bytes.value() == read_all(kGoldenDir + "v1_0.snlp"));
}

// Regenerates the golden file. Hidden: run only by name, and only when
// defining a format version for the first time:
//   build/tests/test_io "[.golden-generate]"
TEST_CASE("generate golden file v1.0", "[.golden-generate]") {
  REQUIRE(golden_v1_0().save(kGoldenDir + "v1_0.snlp"));
}
