// Reading safetensors files and Hugging Face / sentence-transformers folders
// (issue 14): every malformed header or configuration gives an error that
// names the file and the field or tensor, never an exception or a crash.
#include <catch2/catch.hpp>

#include "embed/transformer/bert_model.hpp"
#include "embed/transformer/hf_folder.hpp"
#include "embed/transformer/safetensors.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace supportnlp;
using namespace supportnlp::embed::transformer;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/";

// A safetensors file's bytes from a header and a data section.
std::string safetensors(const nlohmann::json& header, const std::string& data) {
  const std::string h = header.dump();
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
  return out + h + data;
}

std::string floats(std::initializer_list<float> v) {
  std::string s(v.size() * 4, '\0');
  std::memcpy(s.data(), v.begin(), s.size());
  return s;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A scratch copy of a fixture folder, removed at the end of the test.
struct ScratchFolder {
  std::string path;
  explicit ScratchFolder(const std::string& fixture) {
    char tmpl[] = "/tmp/snlp-xfmr-XXXXXX";
    path = ::mkdtemp(tmpl);
    fs::copy(kFixtures + fixture, path,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  ~ScratchFolder() { fs::remove_all(path); }
  // Rewrites one JSON file with `edit` applied.
  template <class Fn> void edit_json(const std::string& file, Fn edit) {
    auto j = nlohmann::json::parse(read(path + "/" + file));
    edit(j);
    write(path + "/" + file, j.dump());
  }
};

bool mentions(const Error& e, const std::string& a, const std::string& b = "") {
  return e.message.find(a) != std::string::npos && e.message.find(b) != std::string::npos;
}

} // namespace

TEST_CASE("safetensors: tensors are read in place and converted from F16 and BF16",
          "[embed][transformer]") {
  nlohmann::json h;
  h["__metadata__"] = {{"format", "pt"}};
  h["a"] = {{"dtype", "F32"}, {"shape", {2, 2}}, {"data_offsets", {0, 16}}};
  // 1.0, -2.5 in half precision; 1.0, 0.5 in bfloat16.
  h["half"] = {{"dtype", "F16"}, {"shape", {2}}, {"data_offsets", {16, 20}}};
  h["bf"] = {{"dtype", "BF16"}, {"shape", {2}}, {"data_offsets", {20, 24}}};
  h["ids"] = {{"dtype", "I64"}, {"shape", {1}}, {"data_offsets", {24, 32}}};
  std::string data = floats({1, 2, 3, 4});
  data += std::string("\x00\x3c\x00\xc1", 4) + std::string("\x80\x3f\x00\x3f", 4) +
          std::string(8, '\0');
  auto st = SafeTensors::from_bytes(safetensors(h, data), "mem.safetensors");
  REQUIRE(st.ok());
  CHECK(st->tensors().size() == 4);
  auto a = st->floats("a", {2, 2});
  REQUIRE(a.ok());
  CHECK(a->size == 4);
  CHECK(a->data[3] == 4.0f);
  auto half = st->floats("half", {2});
  REQUIRE(half.ok());
  CHECK(half->data[0] == 1.0f);
  CHECK(half->data[1] == -2.5f);
  auto bf = st->floats("bf", {2});
  REQUIRE(bf.ok());
  CHECK(bf->data[0] == 1.0f);
  CHECK(bf->data[1] == 0.5f);

  auto wrong_shape = st->floats("a", {4});
  REQUIRE(!wrong_shape.ok());
  CHECK(mentions(wrong_shape.error(), "mem.safetensors", "'a'"));
  auto not_float = st->floats("ids", {1});
  REQUIRE(!not_float.ok());
  CHECK(not_float.error().code == ErrorCode::invalid_data);
  CHECK(mentions(not_float.error(), "'ids'", "I64"));
  auto missing = st->floats("b", {1});
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
}

TEST_CASE("safetensors: malformed headers are rejected with the tensor named",
          "[embed][transformer]") {
  const auto entry = [](const char* dtype, nlohmann::json shape, std::size_t b, std::size_t e) {
    return nlohmann::json{{"dtype", dtype}, {"shape", shape}, {"data_offsets", {b, e}}};
  };
  const std::string data = floats({1, 2, 3, 4});
  struct Case {
    const char* what;
    nlohmann::json header;
    ErrorCode code;
    const char* names;
  };
  const Case cases[] = {
      {"past the end", {{"x", entry("F32", {8}, 0, 32)}}, ErrorCode::truncated, "'x'"},
      {"overlap",
       {{"x", entry("F32", {2}, 0, 8)}, {"y", entry("F32", {2}, 4, 12)}},
       ErrorCode::corrupt,
       "overlap"},
      {"size vs shape", {{"x", entry("F32", {3}, 0, 16)}}, ErrorCode::corrupt, "'x'"},
      {"unknown dtype", {{"x", entry("F7", {4}, 0, 16)}}, ErrorCode::corrupt, "F7"},
      {"negative shape", {{"x", entry("F32", {-4}, 0, 16)}}, ErrorCode::corrupt, "'x'"},
      {"offsets backwards", {{"x", entry("F32", {0}, 8, 4)}}, ErrorCode::corrupt, "'x'"},
      {"no dtype",
       {{"x", {{"shape", {4}}, {"data_offsets", {0, 16}}}}},
       ErrorCode::corrupt,
       "dtype"},
      {"not an object", nlohmann::json::array({1, 2}), ErrorCode::corrupt, "header"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto st = SafeTensors::from_bytes(safetensors(c.header, data), "bad.safetensors");
    REQUIRE(!st.ok());
    CHECK(st.error().code == c.code);
    CHECK(mentions(st.error(), "bad.safetensors", c.names));
  }
  // Lengths that do not fit the file.
  CHECK(SafeTensors::from_bytes("abc", "short").error().code == ErrorCode::truncated);
  std::string huge_len(8, '\xff');
  CHECK(!SafeTensors::from_bytes(huge_len + "{}", "huge").ok());
  std::string long_len("\x40\x00\x00\x00\x00\x00\x00\x00", 8);
  CHECK(SafeTensors::from_bytes(long_len + "{}", "long").error().code == ErrorCode::truncated);
  std::string not_json("\x02\x00\x00\x00\x00\x00\x00\x00", 8);
  CHECK(SafeTensors::from_bytes(not_json + "{[", "garbage").error().code == ErrorCode::corrupt);
  CHECK(SafeTensors::open("/nonexistent/model.safetensors").error().code == ErrorCode::not_found);
}

TEST_CASE("safetensors: every truncation of a real checkpoint fails cleanly",
          "[embed][transformer]") {
  const std::string bytes = read(kFixtures + "bert-bare/model.safetensors");
  REQUIRE(SafeTensors::from_bytes(bytes, "whole").ok());
  for (std::size_t len = 0; len < bytes.size(); len += 997) {
    auto st = SafeTensors::from_bytes(bytes.substr(0, len), "cut");
    CHECK(!st.ok());
  }
}

TEST_CASE("HF folder: the fixtures' configuration is read", "[embed][transformer]") {
  auto bert = read_hf_folder(kFixtures + "bert-prefixed");
  REQUIRE(bert.ok());
  CHECK(!bert->model.xlm_roberta);
  CHECK(bert->model.hidden == 32);
  CHECK(bert->model.position_offset == 0);
  CHECK(bert->sentence.pooling == Pooling::mean);
  CHECK(bert->sentence.normalize);
  CHECK(bert->sentence.max_seq_length == 16);
  auto bare = read_hf_folder(kFixtures + "bert-bare");
  REQUIRE(bare.ok());
  CHECK(bare->sentence.pooling == Pooling::cls);
  CHECK(!bare->sentence.normalize);
  auto xlmr = read_hf_folder(kFixtures + "xlmr");
  REQUIRE(xlmr.ok());
  CHECK(xlmr->model.xlm_roberta);
  CHECK(xlmr->model.position_offset == 2);
  CHECK(xlmr->model.layer_norm_eps == Approx(1e-5f));
  CHECK(xlmr->sentence.pooling == Pooling::max);
  // The caller's choices win.
  auto over = read_hf_folder(kFixtures + "xlmr", Pooling::cls, 8);
  REQUIRE(over.ok());
  CHECK(over->sentence.pooling == Pooling::cls);
  CHECK(over->sentence.max_seq_length == 8);
}

TEST_CASE("HF folder: missing or inconsistent files name the file and the field",
          "[embed][transformer]") {
  struct Case {
    const char* what;
    const char* file;
    std::function<void(nlohmann::json&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"unknown model type", "config.json", [](auto& j) { j["model_type"] = "gpt2"; },
       "model_type"},
      {"tanh gelu", "config.json", [](auto& j) { j["hidden_act"] = "gelu_new"; }, "hidden_act"},
      {"heads", "config.json", [](auto& j) { j["num_attention_heads"] = 5; },
       "num_attention_heads"},
      {"no hidden size", "config.json", [](auto& j) { j.erase("hidden_size"); }, "hidden_size"},
      {"hidden size type", "config.json", [](auto& j) { j["hidden_size"] = "32"; }, "hidden_size"},
      {"relative positions", "config.json",
       [](auto& j) { j["position_embedding_type"] = "relative_key"; }, "position_embedding_type"},
      {"too long", "sentence_bert_config.json", [](auto& j) { j["max_seq_length"] = 4096; },
       "max_seq_length"},
      {"sqrt pooling", "1_Pooling/config.json",
       [](auto& j) { j["pooling_mode_mean_sqrt_len_tokens"] = true; },
       "pooling_mode_mean_sqrt_len_tokens"},
      {"no pooling", "1_Pooling/config.json",
       [](auto& j) { j["pooling_mode_mean_tokens"] = false; }, "pooling mode"},
      {"two poolings", "1_Pooling/config.json",
       [](auto& j) { j["pooling_mode_max_tokens"] = true; }, "several"},
      {"dimension", "1_Pooling/config.json", [](auto& j) { j["word_embedding_dimension"] = 384; },
       "word_embedding_dimension"},
      {"dense module", "modules.json",
       [](auto& j) {
         j.push_back({{"idx", 3},
                      {"name", "3"},
                      {"path", "3_Dense"},
                      {"type", "sentence_transformers.models.Dense"}});
       },
       "Dense"},
      {"first module", "modules.json", [](auto& j) { j.erase(j.begin()); }, "Transformer"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    ScratchFolder dir("bert-prefixed");
    dir.edit_json(c.file, c.edit);
    auto f = read_hf_folder(dir.path);
    REQUIRE(!f.ok());
    CHECK(mentions(f.error(), c.file, c.field));
  }

  SECTION("missing files") {
    ScratchFolder dir("bert-prefixed");
    fs::remove(dir.path + "/modules.json");
    auto f = read_hf_folder(dir.path);
    REQUIRE(!f.ok());
    CHECK(f.error().code == ErrorCode::not_found);
    CHECK(mentions(f.error(), "modules.json"));
    CHECK(read_hf_folder(dir.path, Pooling::mean).ok()); // the caller chose the pooling
    fs::remove(dir.path + "/config.json");
    CHECK(mentions(read_hf_folder(dir.path, Pooling::mean).error(), "config.json", "not found"));
    write(dir.path + "/config.json", "{ not json");
    CHECK(read_hf_folder(dir.path).error().code == ErrorCode::parse_error);
  }
}

TEST_CASE("BertModel: a checkpoint that does not match its config is rejected",
          "[embed][transformer]") {
  auto cfg = read_hf_folder(kFixtures + "bert-bare");
  REQUIRE(cfg.ok());
  struct Case {
    const char* what;
    int intermediate, layers;
    ErrorCode code;
    const char* names;
  };
  const Case cases[] = {
      {"wider config", 65, 2, ErrorCode::corrupt, "intermediate.dense.weight"},
      {"more layers than stored", 64, 3, ErrorCode::not_found, "encoder.layer.2."},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    auto c = cfg->model;
    c.intermediate = k.intermediate;
    c.layers = k.layers;
    auto m =
        BertModel::load(c, SafeTensors::open(kFixtures + "bert-bare/model.safetensors").value());
    REQUIRE(!m.ok());
    CHECK(m.error().code == k.code);
    CHECK(mentions(m.error(), "model.safetensors", k.names));
  }
  SECTION("not a BERT checkpoint") {
    nlohmann::json h;
    h["w"] = {{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {0, 4}}};
    auto m = BertModel::load(cfg->model,
                             SafeTensors::from_bytes(safetensors(h, floats({1})), "x").value());
    REQUIRE(!m.ok());
    CHECK(mentions(m.error(), "word_embeddings"));
  }
}

TEST_CASE("BertModel: finite weights that overflow float32 give zero vectors, never NaN",
          "[embed][transformer]") {
  // The fixture with its last feed-forward output weights set to 3e38: each
  // value is finite (the load checks pass), but the layer's sums overflow to
  // Inf and its LayerNorm to NaN. The forward pass must not hand those on.
  const std::string name = "encoder.layer.1.output.dense.weight";
  std::string bytes = read(kFixtures + "bert-bare/model.safetensors");
  std::uint64_t header_size = 0;
  for (int i = 0; i < 8; ++i)
    header_size |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  const auto header = nlohmann::json::parse(bytes.substr(8, header_size));
  REQUIRE(header.contains(name));
  const auto begin = header[name]["data_offsets"][0].get<std::size_t>();
  const auto end = header[name]["data_offsets"][1].get<std::size_t>();
  const float huge = 3e38f;
  for (std::size_t at = 8 + header_size + begin; at < 8 + header_size + end; at += 4)
    std::memcpy(&bytes[at], &huge, 4);

  auto cfg = read_hf_folder(kFixtures + "bert-bare");
  REQUIRE(cfg.ok());
  for (WeightMode mode : {WeightMode::f32, WeightMode::int8}) {
    INFO((mode == WeightMode::int8 ? "int8" : "f32"));
    auto m = BertModel::load(cfg->model, SafeTensors::from_bytes(bytes, "huge").value(), mode);
    REQUIRE(m.ok());
    const std::vector<std::int32_t> ids = {2, 10, 11, 12, 3};
    const IdSpan span{ids.data(), ids.size()};
    const auto h = static_cast<std::size_t>(cfg->model.hidden);
    for (Pooling pooling : {Pooling::mean, Pooling::cls, Pooling::max}) {
      std::vector<float> v(h, -1.0f);
      m->forward(&span, 1, 16, pooling, true, 1, v.data());
      for (float x : v)
        CHECK(x == 0.0f);
    }
  }
}
