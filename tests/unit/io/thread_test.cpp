#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <thread>
#include <unistd.h>

using namespace supportnlp::io;
using namespace snlp_test;

namespace {

std::uint64_t checksum_all(const ModelFile& f) {
  std::uint64_t sum = 0;
  for (const Tensor& t : f.tensors())
    sum = sum * 31 + crc32(t.data, t.bytes);
  return sum;
}

} // namespace

TEST_CASE("many threads read one ModelFile and its copies", "[io]") {
  const std::string path = "/tmp/snlp_io_threads_" + std::to_string(::getpid()) + ".snlp";
  REQUIRE(sample_writer().save(path));
  auto opened = ModelFile::open(path, "test-kind");
  std::remove(path.c_str()); // the mapping outlives the directory entry
  REQUIRE(opened);
  const ModelFile shared = opened.value();
  const std::uint64_t expected = checksum_all(shared);

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 200; ++round) {
        const ModelFile copy = shared; // copies share the mapping
        const ModelFile& f = (round + i) % 2 ? copy : shared;
        if (checksum_all(f) != expected) ++mismatches;
        const Tensor* w = f.find("weights");
        if (w == nullptr || w->as<float>()[5] != 42.0f) ++mismatches;
        if (!f.require("quant", DType::i8, 3)) ++mismatches;
        if (f.find("nope") != nullptr) ++mismatches;
        if (f.metadata().find("café") == std::string::npos) ++mismatches;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(mismatches.load() == 0);
}
