#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace supportnlp;
using namespace supportnlp::io;
using namespace snlp_test;

namespace {

std::string temp_path(const std::string& stem) {
  return "/tmp/snlp_io_test_" + std::to_string(::getpid()) + "_" + stem + ".snlp";
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_all(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("crc32 matches zlib's CRC-32", "[io]") {
  CHECK(crc32("", 0) == 0u);
  CHECK(crc32("123456789", 9) == 0xCBF43926u);
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  CHECK(crc32(fox.data(), fox.size()) == 0x414FA339u);
  // Continuation over any split equals the one-shot value (exercises the
  // 8-byte and tail loops at every alignment).
  std::string data(1000, '\0');
  std::mt19937 rng(7);
  for (char& c : data)
    c = static_cast<char>(rng());
  const std::uint32_t whole = crc32(data.data(), data.size());
  for (std::size_t split : {0u, 1u, 7u, 8u, 9u, 63u, 500u, 999u, 1000u}) {
    const std::uint32_t first = crc32(data.data(), split);
    CHECK(crc32(data.data() + split, data.size() - split, first) == whole);
  }
}

TEST_CASE("every dtype and shape round-trips through bytes and files", "[io]") {
  const std::string bytes = sample_bytes();
  REQUIRE(!bytes.empty());
  const std::string path = temp_path("roundtrip");
  REQUIRE(sample_writer().save(path));
  CHECK(read_all(path) == bytes); // save writes exactly serialize()'s bytes

  auto mapped = ModelFile::open(path, "test-kind");
  auto copied = ModelFile::from_bytes(bytes, "test-kind");
  std::remove(path.c_str());
  REQUIRE(mapped);
  REQUIRE(copied);

  for (const ModelFile* f : {&mapped.value(), &copied.value()}) {
    CHECK(f->kind() == "test-kind");
    CHECK(f->format_major() == kFormatMajor);
    CHECK(f->format_minor() == kFormatMinor);
    REQUIRE(f->tensors().size() == 8);
    const char* order[] = {"weights", "half", "quant", "vocab", "ids", "counts", "scalar", "empty"};
    for (std::size_t i = 0; i < 8; ++i)
      CHECK(f->tensors()[i].name == order[i]);

    const Tensor* w = f->find("weights");
    REQUIRE(w);
    CHECK(w->dtype == DType::f32);
    CHECK(w->shape == std::vector<std::int64_t>{2, 3});
    CHECK(w->elements() == 6);
    CHECK(w->bytes == 24);
    const float expect_f32[6] = {1.5f, -2.25f, 0.0f, 3.0e10f, -1.0e-10f, 42.0f};
    CHECK(std::memcmp(w->as<float>(), expect_f32, sizeof expect_f32) == 0);

    const Tensor* h = f->find("half");
    REQUIRE(h);
    CHECK(h->dtype == DType::f16);
    CHECK(h->as<std::uint16_t>()[2] == 0x7BFF);

    const Tensor* q = f->find("quant");
    REQUIRE(q);
    CHECK(q->dtype == DType::i8);
    CHECK(q->scale == 0.0125f);
    CHECK(q->shape == std::vector<std::int64_t>{2, 2, 2});
    CHECK(q->as<std::int8_t>()[0] == -128);
    CHECK(q->as<std::int8_t>()[7] == 127);

    const Tensor* v = f->find("vocab");
    REQUIRE(v);
    CHECK(v->dtype == DType::u8);
    CHECK(v->view() == std::string_view("hello\nworld\n\0binary\xff", 20));

    CHECK(f->find("ids")->as<std::int32_t>()[0] == -2147483647 - 1);
    CHECK(f->find("counts")->as<std::uint32_t>()[0] == 0xFFFFFFFFu);
    const Tensor* s = f->find("scalar");
    REQUIRE(s);
    CHECK(s->shape.empty());
    CHECK(s->elements() == 1);
    CHECK(*s->as<std::uint64_t>() == 0x0123456789ABCDEFULL);
    const Tensor* e = f->find("empty");
    REQUIRE(e);
    CHECK(e->elements() == 0);
    CHECK(e->bytes == 0);
    CHECK(f->find("missing") == nullptr);

    for (const Tensor& t : f->tensors())
      CHECK(reinterpret_cast<std::uintptr_t>(t.data) % 64 == 0);
  }
  CHECK(mapped->path() == path);
  CHECK(copied->path() == "<memory>");
}

TEST_CASE("random tensors of every dtype round-trip bit-exactly", "[io]") {
  std::mt19937 rng(2024);
  const DType dtypes[] = {DType::f32, DType::f16, DType::i8, DType::u8,
                          DType::i32, DType::u32, DType::u64};
  for (int round = 0; round < 20; ++round) {
    ModelWriter w("prop");
    std::vector<std::string> payloads;
    std::vector<std::vector<std::int64_t>> shapes;
    const int count = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < count; ++i) {
      const DType dt = dtypes[rng() % 7];
      std::vector<std::int64_t> shape(rng() % 4);
      std::size_t n = 1;
      for (auto& d : shape)
        n *= static_cast<std::size_t>(d = rng() % 5);
      std::string data(n * dtype_size(dt), '\0');
      for (char& c : data)
        c = static_cast<char>(rng());
      w.add_tensor("t" + std::to_string(i), dt, shape, data.data(), data.size(),
                   dt == DType::i8 ? 0.5f / static_cast<float>(1 + rng() % 100) : 1.0f);
      payloads.push_back(data);
      shapes.push_back(shape);
    }
    auto bytes = w.serialize();
    REQUIRE(bytes);
    auto f = ModelFile::from_bytes(*bytes, "prop");
    REQUIRE(f);
    REQUIRE(f->tensors().size() == static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      const Tensor& t = f->tensors()[static_cast<std::size_t>(i)];
      CHECK(t.shape == shapes[static_cast<std::size_t>(i)]);
      CHECK(std::string(t.view()) == payloads[static_cast<std::size_t>(i)]);
      CHECK(reinterpret_cast<std::uintptr_t>(t.data) % 64 == 0);
    }
  }
}

TEST_CASE("metadata round-trips byte for byte", "[io]") {
  ModelWriter w("meta");
  const std::string json =
      "{ \"labels\": [\"a\", \"ü\", \"🙂\"],\n  \"metrics\": {\"f1\": 0.875} }";
  w.set_metadata(json);
  auto f = ModelFile::from_bytes(w.serialize().value());
  REQUIRE(f);
  CHECK(f->metadata() == json);
  CHECK(f->tensors().empty());

  ModelWriter plain("meta");
  auto g = ModelFile::from_bytes(plain.serialize().value());
  REQUIRE(g);
  CHECK(g->metadata() == "{}");
}

TEST_CASE("the writer rejects invalid input with a clear error", "[io]") {
  const float x[2] = {1, 2};
  auto error_of = [](const ModelWriter& w) { return w.serialize().error(); };
  {
    ModelWriter w("k");
    w.add_tensor("a", DType::f32, {2}, x, sizeof x);
    w.add_tensor("a", DType::f32, {2}, x, sizeof x);
    CHECK(error_of(w).code == ErrorCode::invalid_argument);
    CHECK(contains(error_of(w).message, "duplicate tensor name 'a'"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("a", DType::f32, {3}, x, sizeof x);
    CHECK(contains(error_of(w).message, "needs 12 bytes, got 8"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("a", DType::f32, {-1, -2}, x, sizeof x);
    CHECK(contains(error_of(w).message, "negative or overflowing"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("a", DType::u8, {1LL << 62, 1LL << 62}, x, sizeof x);
    CHECK(contains(error_of(w).message, "negative or overflowing"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("", DType::u8, {2}, x, 2);
    CHECK(contains(error_of(w).message, "name is empty"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("bad\xff", DType::u8, {2}, x, 2);
    CHECK(contains(error_of(w).message, "not valid UTF-8"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("a", static_cast<DType>(99), {2}, x, 2);
    CHECK(contains(error_of(w).message, "unknown dtype 99"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("a", DType::f32, {2}, x, sizeof x, 0.5f);
    CHECK(contains(error_of(w).message, "scale must be 1"));
  }
  {
    ModelWriter w("k");
    w.add_tensor("a", DType::u8, {1, 1, 1, 1, 1, 1, 1, 1, 1}, x, 1);
    CHECK(contains(error_of(w).message, "rank 9"));
  }
  {
    ModelWriter w("k");
    w.set_metadata("{\"a\": ");
    CHECK(contains(error_of(w).message, "not valid JSON"));
    w.set_metadata("[1, 2]");
    CHECK(contains(error_of(w).message, "must be a JSON object"));
    w.set_metadata("{\"a\": \"\xc3\x28\"}");
    CHECK(contains(error_of(w).message, "not valid UTF-8"));
  }
  for (const char* bad : {"", "Intent", "has space", "x/y"}) {
    ModelWriter w(bad);
    CHECK(error_of(w).code == ErrorCode::invalid_argument);
    CHECK(contains(error_of(w).message, "kind"));
  }
}

TEST_CASE("a file of another kind is rejected naming both kinds", "[io]") {
  auto f = ModelFile::from_bytes(sample_bytes(), "intent", "model.snlp");
  REQUIRE(!f);
  CHECK(f.error().code == ErrorCode::wrong_kind);
  CHECK(contains(f.error().message, "model.snlp"));
  CHECK(contains(f.error().message, "'test-kind'"));
  CHECK(contains(f.error().message, "'intent'"));
  CHECK(ModelFile::from_bytes(sample_bytes()).ok()); // no expectation: any kind
}

TEST_CASE("a newer major version is rejected naming both versions", "[io]") {
  std::string f = sample_bytes();
  put_u16(f, 8, 2);
  reseal(f);
  auto r = ModelFile::from_bytes(f, {}, "future.snlp");
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::unsupported_version);
  CHECK(contains(r.error().message, "future.snlp"));
  CHECK(contains(r.error().message, "file format 2.0 is newer than this library's 1.0"));

  // The version check precedes every other check, so a 2.x file with a
  // different layout still gets the version message.
  std::string g = sample_bytes().substr(0, 12);
  put_u16(g, 8, 7);
  put_u16(g, 10, 3);
  auto s = ModelFile::from_bytes(g);
  REQUIRE(!s);
  CHECK(contains(s.error().message, "file format 7.3 is newer"));
}

TEST_CASE("a newer minor version is read, ignoring what it added", "[io]") {
  // A 1.1 writer may grow the header and directory entries and use padding;
  // a 1.0 reader must still read the tensors it knows.
  std::string f = sample_bytes();
  const Layout old = layout(f);
  put_u16(f, 10, 1);
  // Grow the header by 64 bytes (inserted after the fixed 64), and give the
  // first directory entry 8 extra bytes at its end.
  std::string extra_header(64, '\x5a');
  f.insert(64, extra_header);
  put_u32(f, 12, 128);
  const std::uint64_t e0 = entry_at(f, 0);
  const std::uint32_t len0 = get_u32(f, e0);
  f.insert(e0 + len0, std::string(8, '\x77'));
  put_u32(f, e0, len0 + 8);
  put_u32(f, 44, old.directory_len + 8);
  // Shift the data section by 128 bytes to keep alignment, and every offset.
  const std::uint64_t grown = 64 + 8;
  const std::uint64_t new_data = old.data_offset + 128;
  f.insert(old.data_offset + grown, std::string(128 - grown, '\0'));
  put_u64(f, 24, new_data);
  for (std::uint32_t i = 0; i < old.tensor_count; ++i) {
    const std::uint64_t at = entry_at(f, i);
    put_u64(f, at + 16, get_u64(f, at + 16) + 128);
  }
  put_u64(f, 16, f.size());
  f[new_data - 1] = 'x'; // a 1.1 writer may use padding
  reseal(f);

  auto r = ModelFile::from_bytes(f, "test-kind");
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r);
  CHECK(r->format_minor() == 1);
  CHECK(r->find("weights")->as<float>()[1] == -2.25f);
  CHECK(r->find("vocab")->view().substr(0, 5) == "hello");

  // The same bytes labelled 1.0 break 1.0's rules and are rejected.
  put_u16(f, 10, 0);
  reseal(f);
  CHECK(!ModelFile::from_bytes(f));
}

TEST_CASE("missing, empty and foreign files give named errors", "[io]") {
  const std::string missing = temp_path("does_not_exist");
  auto r = ModelFile::open(missing);
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::not_found);
  CHECK(contains(r.error().message, missing));

  const std::string empty = temp_path("empty");
  write_all(empty, "");
  auto e = ModelFile::open(empty);
  std::remove(empty.c_str());
  REQUIRE(!e);
  CHECK(e.error().code == ErrorCode::truncated);
  CHECK(contains(e.error().message, empty));

  auto dir = ModelFile::open("/tmp");
  REQUIRE(!dir);
  CHECK(dir.error().code == ErrorCode::io_error);

  auto text = ModelFile::from_bytes("{\"text\": \"not a model\"}\n", {}, "tickets.jsonl");
  REQUIRE(!text);
  CHECK(text.error().code == ErrorCode::bad_magic);
  CHECK(contains(text.error().message, "tickets.jsonl"));
}

TEST_CASE("require() checks dtype and rank", "[io]") {
  auto f = ModelFile::from_bytes(sample_bytes(), "test-kind", "m.snlp");
  REQUIRE(f);
  auto ok = f->require("weights", DType::f32, 2);
  REQUIRE(ok);
  CHECK(ok.value()->name == "weights");
  CHECK(f->require("weights", DType::f32).ok());
  auto dtype = f->require("weights", DType::i8);
  REQUIRE(!dtype);
  CHECK(contains(dtype.error().message, "'weights' is f32, expected i8"));
  auto rank = f->require("weights", DType::f32, 1);
  REQUIRE(!rank);
  CHECK(contains(rank.error().message, "rank 2, expected 1"));
  auto none = f->require("nope", DType::f32);
  REQUIRE(!none);
  CHECK(none.error().code == ErrorCode::not_found);
  CHECK(contains(none.error().message, "m.snlp"));
}

TEST_CASE("save is atomic: a failed save leaves the old file and no temporaries", "[io]") {
  const std::string path = temp_path("atomic");
  ModelWriter first("atomic");
  first.set_metadata(R"({"v":1})");
  REQUIRE(first.save(path));

  ModelWriter bad("atomic");
  bad.set_metadata("not json");
  CHECK(!bad.save(path));
  auto still = ModelFile::open(path, "atomic");
  REQUIRE(still);
  CHECK(still->metadata() == R"({"v":1})");

  ModelWriter second("atomic");
  second.set_metadata(R"({"v":2})");
  REQUIRE(second.save(path)); // replaces an existing file
  CHECK(ModelFile::open(path)->metadata() == R"({"v":2})");
  // The earlier mapping still reads the old contents: rename never touches it.
  CHECK(still->metadata() == R"({"v":1})");
  std::remove(path.c_str());

  // A rename that fails (the target is a directory) removes the temporary.
  const std::string dir = temp_path("isdir");
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  auto onto_dir = second.save(dir);
  ::rmdir(dir.c_str());
  REQUIRE(!onto_dir);
  CHECK(onto_dir.error().code == ErrorCode::io_error);
  CHECK(contains(onto_dir.error().message, dir));
  const std::string prefix = dir.substr(5) + ".tmp-"; // name within /tmp
  bool leftover = false;
  if (DIR* d = ::opendir("/tmp")) {
    while (const dirent* ent = ::readdir(d))
      leftover |= std::string(ent->d_name).rfind(prefix, 0) == 0;
    ::closedir(d);
  }
  CHECK(!leftover);

  auto nodir = second.save("/nonexistent-dir-snlp/x.snlp");
  REQUIRE(!nodir);
  CHECK(contains(nodir.error().message, "/nonexistent-dir-snlp/x.snlp"));
}

TEST_CASE("a default-constructed ModelFile is empty, not a crash", "[io]") {
  ModelFile f;
  CHECK(f.kind().empty());
  CHECK(f.tensors().empty());
  CHECK(f.find("x") == nullptr);
  CHECK(!f.require("x", DType::f32));
}
