// The one byte hash: FNV-1a's published 64-bit test vectors, so that a
// change to it (which would change every model's hashed features) fails
// here first.
#include <catch2/catch.hpp>

#include "cpu/hash.hpp"

#include <cstring>

using supportnlp::cpu::fnv1a;

namespace {
std::uint64_t of(const char* s) {
  return fnv1a(s, std::strlen(s));
}
} // namespace

TEST_CASE("fnv1a gives FNV-1a's 64-bit values", "[cpu]") {
  CHECK(of("") == 0xcbf29ce484222325ull);
  CHECK(of("a") == 0xaf63dc4c8601ec8cull);
  CHECK(of("b") == 0xaf63df4c8601f1a5ull);
  CHECK(of("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("fnv1a continues from a given state", "[cpu]") {
  const char* s = "foobar";
  CHECK(fnv1a(s + 3, 3, fnv1a(s, 3)) == of("foobar"));
  CHECK(fnv1a(s, 6, 42) != of("foobar"));
}
