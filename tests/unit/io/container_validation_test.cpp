// The container's own value rules (an i8 scale must be finite and positive)
// and the checked metadata reader every loader uses (src/io/checked_fields.hpp).

#include "model_rewrite.hpp"

#include "io/checked_fields.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace supportnlp;
using namespace supportnlp::io;
using namespace snlp_test;

TEST_CASE("an i8 scale of 0, negative or not finite is refused by the writer and the reader",
          "[io][validation]") {
  const std::string base = sample_bytes();
  REQUIRE(ModelFile::from_bytes(base).ok());
  for (float scale : {0.0f, -0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(),
                      std::numeric_limits<float>::infinity()}) {
    INFO("scale " << scale);
    auto r = ModelFile::from_bytes(with_scale(base, "quant", scale), {}, "scale.snlp");
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::corrupt);
    CHECK(r.error().message.find("scale.snlp: tensor 'quant': invalid scale") == 0);
    ModelWriter w("k");
    const std::int8_t q[2] = {1, -1};
    w.add_tensor("q", DType::i8, {2}, q, sizeof q, scale);
    auto bytes = w.serialize();
    REQUIRE(!bytes);
    CHECK(bytes.error().code == ErrorCode::invalid_argument);
  }
}

TEST_CASE("FieldReader checks type and range, names the field, keeps the first error",
          "[io][validation]") {
  const auto j = nlohmann::json::parse(
      R"({"n": 5, "neg": -3, "big": 1e300, "s": "x", "b": true, "list": ["a", "b"],
          "dup": ["a", "a"], "obj": {"inner": "7"}, "f": 0.5})");
  {
    detail::FieldReader r(j, "m.snlp");
    CHECK(r.integer<int>("n", 0, 10) == 5);
    CHECK(r.number("f", 0.0, 1.0) == 0.5);
    CHECK(r.boolean("b"));
    CHECK(r.string("s", true) == "x");
    CHECK(r.string_list("list", 2) == std::vector<std::string>{"a", "b"});
    CHECK(r.integer<int>("absent", 0, 10, 4) == 4);
    CHECK(r.ok());
  }
  struct Case {
    std::function<void(const detail::FieldReader&)> read;
    const char* message;
  };
  const Case cases[] = {
      {[](const detail::FieldReader& r) { r.integer<std::uint32_t>("neg", 0, 100); },
       "m.snlp: metadata field 'neg' is -3, expected an integer in [0, 100]"},
      {[](const detail::FieldReader& r) { r.integer<int>("big", 0, 100); },
       "m.snlp: metadata field 'big' is 1e+300, expected an integer in [0, 100]"},
      {[](const detail::FieldReader& r) { r.number("s", 0.0, 1.0); },
       "m.snlp: metadata field 's' is the string \"x\", expected a number in [0.0, 1.0]"},
      {[](const detail::FieldReader& r) { r.boolean("n"); },
       "m.snlp: metadata field 'n' is 5, expected true or false"},
      {[](const detail::FieldReader& r) { r.string_list("dup", 1); },
       "m.snlp: metadata field 'dup' holds 'a' twice"},
      {[](const detail::FieldReader& r) { r.object("obj").integer<int>("inner", 0, 9); },
       "m.snlp: metadata field 'obj.inner' is the string \"7\", expected an integer in [0, 9]"},
      {[](const detail::FieldReader& r) { r.integer<int>("missing", 0, 9); },
       "m.snlp: metadata field 'missing' is missing"},
  };
  for (const auto& c : cases) {
    detail::FieldReader r(j, "m.snlp");
    c.read(r);
    r.integer<int>("neg", 0, 1); // a later failure does not replace the first
    REQUIRE(!r.ok());
    CHECK(r.error().code == ErrorCode::corrupt);
    CHECK(r.error().message == c.message);
  }
  detail::FieldReader not_object(nlohmann::json::array(), "m.snlp");
  CHECK(!not_object.ok());
}
