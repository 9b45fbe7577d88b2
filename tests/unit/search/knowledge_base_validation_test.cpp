// What the KB loader checks behind the container's checksums (issue 15):
// metadata fields of the wrong type or range, a NaN passage vector (it used
// to rank first with a null score), BM25 statistics that disagree with the
// index, and article records of the wrong shape all give a clean error
// naming the file and the field; no exception escapes.

#include "../io/model_rewrite.hpp"
#include "hashed_encoder.hpp"

#include "supportnlp/search/knowledge_base.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace supportnlp;
using namespace supportnlp::search;
using namespace snlp_test;

namespace {

std::shared_ptr<const embed::Encoder> encoder() {
  static const auto e = std::make_shared<testing::HashedEncoder>();
  return e;
}

// A saved KB of a few articles, f32 or i8 vectors.
std::string kb_bytes(VectorStorage storage) {
  KnowledgeBaseOptions options;
  options.storage = storage;
  auto kb = KnowledgeBase::create(encoder(), options);
  REQUIRE(kb.ok());
  REQUIRE(
      kb->add(
            {{"refunds", "Refunds", "Refunds take five days to reach your card.", "", {"billing"}},
             {"password",
              "Reset your password",
              "Use the forgot password link to reset it.",
              "https://help.example/pw",
              {}},
             {"shipping", "Shipping times", "Parcels ship within two days by courier.", "", {}},
             {"gift-cards", "Gift cards", "Gift cards never expire.", "", {}}})
          .ok());
  TempFile tmp("kb_validation_source");
  REQUIRE(kb->save(tmp.path).ok());
  return read_bytes(tmp.path);
}

Result<KnowledgeBase> load_bytes(const std::string& bytes, const std::string& name) {
  TempFile tmp(name);
  write_bytes(tmp.path, bytes);
  return KnowledgeBase::load(tmp.path, encoder());
}

bool mentions(const Error& e, const std::string& needle) {
  return e.message.find(needle) != std::string::npos;
}

void check_answers(const KnowledgeBase& kb) {
  for (const char* q : {"refund to my card", "forgot password", "", "\xff"}) {
    for (const auto& hit : kb.search(q)) {
      REQUIRE(std::isfinite(hit.score));
      REQUIRE(std::isfinite(hit.dense_score));
      REQUIRE(std::isfinite(hit.lexical_score));
    }
  }
}

} // namespace

TEST_CASE("KB: every metadata field set to a hostile value gives a clean error or a sane KB",
          "[search][validation]") {
  const std::string base = kb_bytes(VectorStorage::f32);
  int refused = 0, loaded = 0;
  for (const auto& path : field_paths(base)) {
    for (const auto& value : hostile_values()) {
      INFO("field " << path << " = " << value.dump());
      auto kb = load_bytes(with_field(base, path, value), "kb_hostile"); // must not throw
      if (kb) {
        ++loaded;
        check_answers(kb.value());
      } else {
        ++refused;
        CHECK(mentions(kb.error(), "/tmp/snlp_kb_hostile_"));
      }
    }
  }
  CHECK(refused > 10 * loaded);
}

TEST_CASE("KB: fields of the wrong type or range are refused by name", "[search][validation]") {
  const std::string base = kb_bytes(VectorStorage::f32);
  struct Case {
    const char* path;
    nlohmann::json value;
    const char* says;
  };
  const Case cases[] = {
      {"kb_format", "1", "'kb_format' is the string"},
      {"options/bm25_k1", "1.2", "'options.bm25_k1'"},
      {"options/bm25_b", 2.0, "'options.bm25_b' is 2.0"},
      {"options/storage", "f16", "'options.storage'"},
      {"options/title_weight", 1e300, "'options.title_weight'"},
      {"options/max_passage_bytes", -1, "'options.max_passage_bytes' is -1"},
      {"options/stem", nullptr, "'options.stem' is null"},
      {"encoder", 5, "'encoder' is 5"},
      {"articles", 99, "'articles' is 99"},
      {"passages", 1, "'passages' is 1"},
      {"dim", 32, "'dim' is 32"},
  };
  for (const auto& c : cases) {
    INFO(c.path << " = " << c.value.dump());
    auto kb = load_bytes(with_field(base, c.path, c.value), "kb_field");
    REQUIRE(!kb);
    CHECK(mentions(kb.error(), "/tmp/snlp_kb_field_"));
    CHECK(mentions(kb.error(), c.says));
  }
}

TEST_CASE("KB: a NaN or infinite passage vector is refused at load", "[search][validation]") {
  const std::string base = kb_bytes(VectorStorage::f32);
  for (float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    auto kb = load_bytes(with_f32(base, "dense.vectors", 70, bad), "kb_nan");
    REQUIRE(!kb);
    CHECK(kb.error().code == ErrorCode::corrupt);
    CHECK(mentions(kb.error(), "tensor 'dense.vectors' element 70"));
  }
  const std::string i8 = kb_bytes(VectorStorage::i8);
  auto neg = load_bytes(with_f32(i8, "dense.scales", 1, -0.5f), "kb_scale");
  REQUIRE(!neg);
  CHECK(mentions(neg.error(), "tensor 'dense.scales' element 1"));
  auto scale = load_bytes(with_scale(i8, "dense.codes", 0.0f), "kb_i8_scale");
  REQUIRE(!scale);
  CHECK(mentions(scale.error(), "invalid scale"));
}

TEST_CASE("KB: BM25 statistics must agree with the index and the metadata",
          "[search][validation]") {
  const std::string base = kb_bytes(VectorStorage::f32);
  // Metadata k1 differs from the index's.
  auto k1 = load_bytes(with_field(base, "options/bm25_k1", 2.0), "kb_k1");
  REQUIRE(!k1);
  CHECK(mentions(k1.error(), "lex.params"));
  // A flag that is neither 0 nor 1.
  auto flag = load_bytes(with_f32(base, "lex.params", 2, 0.5f), "kb_flag");
  REQUIRE(!flag);
  CHECK(mentions(flag.error(), "neither 0 nor 1"));
  // A document length that is not the sum of its term frequencies.
  Rewrite r;
  r.tensor = "lex.doc_len";
  r.values = [](std::string& d) { d[0] = static_cast<char>(d[0] + 1); };
  auto len = load_bytes(rewrite(base, r), "kb_doc_len");
  REQUIRE(!len);
  CHECK(mentions(len.error(), "document 0 has length"));
  // A term frequency of 0.
  Rewrite z;
  z.tensor = "lex.fwd_tf";
  z.values = [](std::string& d) { std::fill(d.begin(), d.begin() + 4, '\0'); };
  auto tf = load_bytes(rewrite(base, z), "kb_tf");
  REQUIRE(!tf);
  CHECK(mentions(tf.error(), "lexical index"));
}

TEST_CASE("KB: an article record of the wrong shape is refused, not thrown",
          "[search][validation]") {
  const std::string base = kb_bytes(VectorStorage::f32);
  Rewrite r;
  r.tensor = "articles";
  r.values = [](std::string& d) {
    const auto at = d.find("\"title\":\"Refunds\"");
    REQUIRE(at != std::string::npos);
    d.replace(at, 17, "\"title\":12345678");
  };
  // The blob changes length, which the writer accepts with its new shape.
  supportnlp::io::ModelWriter w("kb");
  auto file = supportnlp::io::ModelFile::from_bytes(base);
  REQUIRE(file.ok());
  w.set_metadata(file->metadata());
  for (const auto& t : file->tensors()) {
    std::string data(static_cast<const char*>(t.data), t.bytes);
    if (t.name == "articles") {
      r.values(data);
      w.add_blob(t.name, data);
    } else {
      w.add_tensor(t.name, t.dtype, t.shape, data.data(), data.size(), t.scale);
    }
  }
  auto bytes = w.serialize();
  REQUIRE(bytes.ok());
  auto kb = load_bytes(bytes.value(), "kb_article");
  REQUIRE(!kb);
  CHECK(mentions(kb.error(), "article record 1: \"title\" is not a string"));
}
