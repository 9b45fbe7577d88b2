// The converted transformer encoder file and the int8 mode (issue 14):
// a float32 file gives its folder's vectors bit for bit; int8 (converted or
// quantized on load, the same bits) keeps cosine >= 0.995 to float32 on
// every fixture and on support tickets; the loader names the file and the
// field for every kind of damage behind valid checksums.
#include <catch2/catch.hpp>

#include "../io/model_rewrite.hpp"
#include "transformer_file_util.hpp"

#include "embed/transformer/encoder_file.hpp"
#include "embed/transformer/f32_linear.hpp"
#include "supportnlp/cpu/cpu.hpp"
#include "supportnlp/io/model_file.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace supportnlp;
using embed::TransformerEncoder;
using embed::TransformerEncoderOptions;
using namespace snlp_tf_test;

namespace {

TransformerEncoder load(const std::string& path, bool int8 = false, int threads = 1) {
  TransformerEncoderOptions o;
  o.int8 = int8;
  o.threads = threads;
  auto e = TransformerEncoder::load(path, o);
  if (!e) FAIL(path << ": " << e.error().message);
  return std::move(e).value();
}

std::string convert(const std::string& folder, const std::string& file, bool int8) {
  const TransformerEncoder enc = load(folder, int8);
  auto saved = enc.save(file);
  if (!saved) FAIL(saved.error().message);
  return file;
}

std::vector<float> vectors(const TransformerEncoder& e,
                           const std::vector<std::vector<std::int32_t>>& ids) {
  std::vector<float> out(ids.size() * static_cast<std::size_t>(e.dim()));
  e.encode_ids(ids, out.data());
  return out;
}

std::vector<float> vectors(const TransformerEncoder& e, const std::vector<std::string>& texts) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<float> out(texts.size() * static_cast<std::size_t>(e.dim()));
  e.encode_batch(views, out.data());
  return out;
}

// Each input alone, one text per call: at every level a text gives the same
// bits alone as in a batch (the linear kernels sum each output in one fixed
// order whatever the rows of the call, and pooling runs in a buffer of its
// own), which the tests below check.
std::vector<float> each_alone(const TransformerEncoder& e,
                              const std::vector<std::vector<std::int32_t>>& ids) {
  std::vector<float> out;
  for (const auto& one : ids) {
    std::vector<float> v(static_cast<std::size_t>(e.dim()));
    e.encode_ids({one}, v.data());
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

std::vector<float> each_alone(const TransformerEncoder& e, const std::vector<std::string>& texts) {
  std::vector<float> out;
  for (const auto& t : texts) {
    const auto v = e.encode(t);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Smallest and mean cosine between rows of two texts x dim matrices.
std::pair<double, double> cosines(const std::vector<float>& a, const std::vector<float>& b,
                                  std::size_t dim) {
  double lo = 1, sum = 0;
  const std::size_t n = a.size() / dim;
  for (std::size_t i = 0; i < n; ++i) {
    const double c = cosine(a.data() + i * dim, b.data() + i * dim, dim);
    lo = std::min(lo, c);
    sum += c;
  }
  return {lo, n ? sum / n : 1.0};
}

const char* const kFixtureNames[] = {"bert-prefixed", "bert-bare", "xlmr"};

// The format-1 file of a format-2 one: float32 linear weights stored as
// rows, [out, in] (out read from the bias), instead of the kernel's panels.
std::string as_format_1(const std::string& bytes) {
  auto file = io::ModelFile::from_bytes(bytes);
  REQUIRE(file.ok());
  auto meta = nlohmann::json::parse(file->metadata());
  meta["version"] = 1;
  io::ModelWriter w(file->kind());
  w.set_metadata(meta.dump());
  std::vector<float> rows; // add_tensor() copies
  for (const auto& t : file->tensors()) {
    if (t.dtype != io::DType::f32 || t.shape.size() != 3) {
      w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
      continue;
    }
    const std::string bias = t.name.substr(0, t.name.size() - 6) + "bias";
    const io::Tensor* b = file->find(bias);
    REQUIRE(b != nullptr);
    const auto out = static_cast<int>(b->shape[0]), in = static_cast<int>(t.shape[1]);
    rows.resize(static_cast<std::size_t>(out) * static_cast<std::size_t>(in));
    embed::transformer::f32::unpack(t.as<float>(), out, in, rows.data());
    w.add_tensor(t.name, t.dtype, {out, in}, rows.data(), rows.size() * sizeof(float));
  }
  auto serialized = w.serialize();
  REQUIRE(serialized.ok());
  return serialized.value();
}

} // namespace

TEST_CASE("converted f32 file gives the folder's vectors bit for bit",
          "[embed][transformer][file][kernels]") {
  TempDir tmp("f32");
  const auto texts = support_texts();
  for (const char* name : kFixtureNames) {
    INFO(name);
    const std::string folder = kFixtures + name;
    const std::string file = convert(folder, tmp / (std::string(name) + ".snlp"), false);
    for (int threads : {1, 2}) {
      const TransformerEncoder a = load(folder, false, threads), b = load(file, false, threads);
      CHECK(std::string(b.weights()) == "f32");
      CHECK(b.fingerprint() == a.fingerprint());
      CHECK(b.dim() == a.dim());
      CHECK(b.max_seq_length() == a.max_seq_length());
      CHECK(std::string(b.pooling()) == a.pooling());
      CHECK(std::string(b.model_type()) == a.model_type());
      for (const auto& t : texts)
        REQUIRE(a.token_ids(t) == b.token_ids(t));
      const auto ids = reference_ids(name);
      CHECK(same_bits(each_alone(a, ids), each_alone(b, ids)));
      CHECK(same_bits(vectors(a, ids), vectors(b, ids)));
      CHECK(same_bits(each_alone(a, texts), each_alone(b, texts)));
      CHECK(same_bits(vectors(a, texts), vectors(b, texts)));
      // A text gives the same bits alone as in a batch (the linear kernels
      // sum each output in one fixed order, whatever the rows of the call).
      CHECK(same_bits(vectors(a, ids), vectors(a, ids)));
      CHECK(same_bits(each_alone(a, ids), vectors(a, ids)));
      CHECK(same_bits(each_alone(b, texts), vectors(b, texts)));
    }
    // Saving the loaded file again gives the same bytes.
    const std::string again = tmp / (std::string(name) + ".again.snlp");
    REQUIRE(load(file).save(again).ok());
    CHECK(snlp_test::read_bytes(again) == snlp_test::read_bytes(file));
  }
}

TEST_CASE("a format-1 converted file (rows, packed at load) gives the format-2 file's bits",
          "[embed][transformer][file]") {
  // Format 2 stores the float32 layers in the kernel's panels and uses them
  // in place; files written before keep loading, packed at load as a
  // folder is, with the same vectors, and are saved again as format 2.
  TempDir tmp("format1");
  const auto texts = support_texts();
  for (const char* name : kFixtureNames) {
    INFO(name);
    const std::string v2 = convert(kFixtures + name, tmp / (std::string(name) + ".snlp"), false);
    const std::string bytes = snlp_test::read_bytes(v2);
    {
      auto f = io::ModelFile::from_bytes(bytes);
      REQUIRE(f.ok());
      CHECK(nlohmann::json::parse(f->metadata())["version"] == 2);
      CHECK(f->find("layer.0.qkv.weight")->shape.size() == 3);
    }
    const std::string v1 = tmp / (std::string(name) + ".v1.snlp");
    snlp_test::write_bytes(v1, as_format_1(bytes));
    const TransformerEncoder a = load(v2), b = load(v1);
    CHECK(b.fingerprint() == a.fingerprint());
    CHECK(same_bits(vectors(a, texts), vectors(b, texts)));
    CHECK(same_bits(vectors(load(v2, true), texts), vectors(load(v1, true), texts)));
    const std::string again = tmp / (std::string(name) + ".again.snlp");
    REQUIRE(b.save(again).ok());
    CHECK(snlp_test::read_bytes(again) == bytes);
  }
}

// Tagged [kernels]: ctest also runs it at the portable level.
TEST_CASE("int8 keeps cosine >= 0.995 to float32 on every fixture and on support texts",
          "[embed][transformer][file][int8][kernels]") {
  TempDir tmp("int8");
  const auto texts = support_texts();
  std::printf("\nint8 vs f32 at cpu level %s: cosine min / mean\n%-30s %-22s %-22s\n",
              cpu::isa_name(cpu::active_isa()), "model", "reference inputs", "support texts");
  const auto same = same_bits;
  const auto check = [&](const std::string& label, const std::string& folder,
                         const std::vector<std::vector<std::int32_t>>& ids) {
    INFO(label);
    const std::string file = convert(folder, tmp / (label + ".i8.snlp"), true);
    const TransformerEncoder f32 = load(folder), q_folder = load(folder, true), q_file = load(file);
    CHECK(std::string(q_file.weights()) == "int8");
    CHECK(std::string(q_folder.weights()) == "int8");
    CHECK(q_file.fingerprint() == f32.fingerprint() + "/int8");
    CHECK(q_folder.fingerprint() == q_file.fingerprint());
    // An f32 file quantized on load is the int8 file too.
    const std::string f32_file = convert(folder, tmp / (label + ".f32.snlp"), false);
    const TransformerEncoder q_f32_file = load(f32_file, true);
    const std::size_t dim = static_cast<std::size_t>(f32.dim());
    std::pair<double, double> ref{1, 1};
    if (!ids.empty()) {
      const auto a = vectors(f32, ids), b = vectors(q_file, ids);
      const auto alone = each_alone(q_file, ids);
      CHECK(same(alone, each_alone(q_folder, ids)));
      CHECK(same(alone, each_alone(q_f32_file, ids)));
      CHECK(same(b, vectors(q_folder, ids)));
      CHECK(same_bits(alone, b));
      ref = cosines(a, b, dim);
      CHECK(ref.first >= 0.995);
    }
    const auto a = vectors(f32, texts), b = vectors(q_file, texts);
    const auto sup = cosines(a, b, dim);
    CHECK(sup.first >= 0.995);
    const auto alone = each_alone(q_file, texts);
    CHECK(same(alone, each_alone(q_folder, texts)));
    CHECK(same(b, vectors(q_folder, texts)));
    CHECK(same_bits(alone, b));
    CHECK(same_bits(b, vectors(load(file, false, 2), texts)));
    char r[32], s[32];
    std::snprintf(r, sizeof r, ids.empty() ? "-" : "%.5f / %.5f", ref.first, ref.second);
    std::snprintf(s, sizeof s, "%.5f / %.5f", sup.first, sup.second);
    std::printf("%-30s %-22s %-22s\n", label.c_str(), r, s);
  };
  for (const char* name : kFixtureNames)
    check(name, kFixtures + name, reference_ids(name));
  // Real WordPiece ids for the tickets: random weights, MiniLM's vocabulary.
  TempDir minilm("minilm_vocab");
  write_random_bert(minilm.path);
  check("random-bert-64 (MiniLM vocab)", minilm.path, {});
}

TEST_CASE("converted file: size, mmap sharing and the options", "[embed][transformer][file]") {
  TempDir tmp("opts");
  const std::string folder = kFixtures + "bert-prefixed";
  const std::string f32 = convert(folder, tmp / "f32.snlp", false);
  const std::string i8 = convert(folder, tmp / "i8.snlp", true);
  const auto f32_bytes = snlp_test::read_bytes(f32).size(),
             i8_bytes = snlp_test::read_bytes(i8).size();
  CHECK(i8_bytes < f32_bytes / 2);
  // Options apply to a file as to a folder.
  TransformerEncoderOptions o;
  o.max_seq_length = 8;
  o.pooling = embed::TransformerPooling::max;
  auto capped = TransformerEncoder::load(f32, o);
  auto capped_folder = TransformerEncoder::load(folder, o);
  REQUIRE(capped.ok());
  REQUIRE(capped_folder.ok());
  CHECK(capped->max_seq_length() == 8);
  CHECK(std::string(capped->pooling()) == "max");
  CHECK(capped->fingerprint() == capped_folder->fingerprint());
  CHECK(capped->encode("where is my order, it has not arrived") ==
        capped_folder->encode("where is my order, it has not arrived"));
  o = {};
  o.threads = 0;
  CHECK(TransformerEncoder::load(f32, o).error().code == ErrorCode::invalid_argument);
}

namespace {

// Loads converted-file bytes through the public entry point.
Result<TransformerEncoder> load_bytes(const std::string& bytes, const char* tag) {
  snlp_test::TempFile f(tag);
  snlp_test::write_bytes(f.path, bytes);
  return TransformerEncoder::load(f.path);
}

} // namespace

TEST_CASE("converted file: damage behind valid checksums is refused by name",
          "[embed][transformer][file][validation]") {
  TempDir tmp("damage");
  const std::string f32 =
      snlp_test::read_bytes(convert(kFixtures + "bert-prefixed", tmp / "f32.snlp", false));
  const std::string i8 =
      snlp_test::read_bytes(convert(kFixtures + "bert-prefixed", tmp / "i8.snlp", true));
  const std::string xlmr =
      snlp_test::read_bytes(convert(kFixtures + "xlmr", tmp / "xlmr.snlp", false));
  using snlp_test::with_field;
  struct Case {
    const char* what;
    std::string bytes;
    ErrorCode code;
    const char* mentions;
  };
  std::vector<Case> cases = {
      {"newer format version", with_field(f32, "version", 3), ErrorCode::unsupported_version,
       "version 3 is newer than this library's 2"},
      {"version 0", with_field(f32, "version", 0), ErrorCode::corrupt, "'version'"},
      {"version a string", with_field(f32, "version", "1"), ErrorCode::corrupt, "'version'"},
      {"another encoder", with_field(f32, "encoder", "static"), ErrorCode::wrong_kind,
       "not a converted transformer encoder"},
      {"weights unknown", with_field(f32, "weights", "f16"), ErrorCode::corrupt, "'weights'"},
      {"weights says int8", with_field(f32, "weights", "int8"), ErrorCode::corrupt,
       "'weights' is \"int8\""},
      {"weights says f32", with_field(i8, "weights", "f32"), ErrorCode::corrupt,
       "'weights' is \"f32\""},
      {"hash not hex", with_field(f32, "weights_hash", "xyz"), ErrorCode::corrupt,
       "'weights_hash'"},
      {"model type", with_field(f32, "model/model_type", "gpt2"), ErrorCode::corrupt,
       "'model.model_type'"},
      {"hidden size", with_field(f32, "model/hidden_size", 48), ErrorCode::corrupt,
       "'embeddings.word' has shape 159 x 32, expected 159 x 48"},
      {"heads", with_field(f32, "model/num_attention_heads", 5), ErrorCode::corrupt,
       "'model.num_attention_heads'"},
      {"hidden size negative", with_field(f32, "model/hidden_size", -1), ErrorCode::corrupt,
       "'model.hidden_size'"},
      {"layers", with_field(f32, "model/num_hidden_layers", 3), ErrorCode::not_found,
       "'layer.2.qkv.bias'"},
      {"layers fewer", with_field(f32, "model/num_hidden_layers", 1), ErrorCode::corrupt,
       "unknown tensor 'layer.1."},
      {"vocab smaller than tokenizer", with_field(f32, "model/vocab_size", 100), ErrorCode::corrupt,
       "the tokenizer has 159 ids"},
      {"intermediate", with_field(f32, "model/intermediate_size", 65), ErrorCode::corrupt,
       "'layer.0.inter.bias' has shape 64, expected 65"},
      {"eps NaN-like", with_field(f32, "model/layer_norm_eps", "nan"), ErrorCode::corrupt,
       "'model.layer_norm_eps'"},
      {"pad id", with_field(f32, "model/pad_token_id", 159), ErrorCode::corrupt,
       "'model.pad_token_id'"},
      {"pooling", with_field(f32, "sentence/pooling", "sum"), ErrorCode::corrupt,
       "'sentence.pooling'"},
      {"max_seq_length too long", with_field(f32, "sentence/max_seq_length", 25),
       ErrorCode::corrupt, "'sentence.max_seq_length'"},
      {"max_seq_length 1", with_field(f32, "sentence/max_seq_length", 1), ErrorCode::corrupt,
       "'sentence.max_seq_length'"},
      {"normalize a number", with_field(f32, "sentence/normalize", 1), ErrorCode::corrupt,
       "'sentence.normalize'"},
      {"tokenizer type", with_field(f32, "tokenizer/type", "bpe"), ErrorCode::corrupt,
       "'tokenizer.type'"},
      {"tokenizer says sentencepiece", with_field(f32, "tokenizer/type", "sentencepiece"),
       ErrorCode::corrupt, "does not belong to a sentencepiece tokenizer"},
      {"unk not in vocab", with_field(f32, "tokenizer/unk_token", "<unk>"), ErrorCode::invalid_data,
       "<unk>"},
      {"special tokens", with_field(f32, "tokenizer/special_tokens", nlohmann::json::array({1})),
       ErrorCode::corrupt, "'tokenizer.special_tokens'"},
      {"no vocab", snlp_test::without(f32, "tokenizer.vocab"), ErrorCode::not_found,
       "tokenizer.vocab"},
      {"no spm", snlp_test::without(xlmr, "tokenizer.sentencepiece"), ErrorCode::not_found,
       "tokenizer.sentencepiece"},
      {"missing layer tensor", snlp_test::without(f32, "layer.1.out_norm.gain"),
       ErrorCode::not_found, "layer.1.out_norm.gain"},
      {"missing int8 scale", snlp_test::without(i8, "layer.0.inter.scale"), ErrorCode::not_found,
       "layer.0.inter.scale"},
      {"NaN weight", snlp_test::with_f32(f32, "layer.0.qkv.weight", 7, std::nanf("")),
       ErrorCode::corrupt, "'layer.0.qkv.weight' element 7 is NaN"},
      {"inf position", snlp_test::with_f32(f32, "embeddings.position", 3, INFINITY),
       ErrorCode::corrupt, "'embeddings.position' element 3"},
      {"zero row scale", snlp_test::with_f32(i8, "layer.1.out.scale", 2, 0.0f), ErrorCode::corrupt,
       "'layer.1.out.scale' element 2"},
      {"negative word scale", snlp_test::with_f32(i8, "embeddings.word.scale", 5, -1.0f),
       ErrorCode::corrupt, "'embeddings.word.scale' element 5"},
      {"per-tensor i8 scale", snlp_test::with_scale(i8, "layer.0.qkv.weight", 0.5f),
       ErrorCode::corrupt, "per-tensor scale"},
  };
  {
    snlp_test::Rewrite r;
    r.tensor = "layer.0.attn_out.weight";
    r.values = [](std::string& d) { d[10] = static_cast<char>(-128); };
    cases.push_back({"code -128", snlp_test::rewrite(i8, r), ErrorCode::corrupt,
                     "'layer.0.attn_out.weight' element 10 is -128"});
  }
  {
    snlp_test::Rewrite r;
    r.tensor = "tokenizer.vocab";
    r.values = [](std::string& d) { d.back() = 'x'; };
    cases.push_back({"vocab without final newline", snlp_test::rewrite(f32, r), ErrorCode::corrupt,
                     "does not end with a line break"});
  }
  {
    snlp_test::Rewrite r;
    r.metadata = [](nlohmann::json& m) { m.erase("tokenizer"); };
    cases.push_back(
        {"no tokenizer object", snlp_test::rewrite(f32, r), ErrorCode::corrupt, "'tokenizer'"});
  }
  {
    // A tensor the model does not use.
    auto file = io::ModelFile::from_bytes(f32);
    REQUIRE(file.ok());
    io::ModelWriter w(file->kind());
    w.set_metadata(file->metadata());
    for (const auto& t : file->tensors())
      w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
    const float x = 1;
    w.add_tensor("pooler.dense.bias", io::DType::f32, {1}, &x, sizeof x);
    cases.push_back({"unknown tensor", w.serialize().value(), ErrorCode::corrupt,
                     "unknown tensor 'pooler.dense.bias'"});
  }
  {
    // A tensor of the int8 layout in an f32 file.
    snlp_test::Rewrite r;
    r.drop = "layer.0.qkv.weight";
    auto file = io::ModelFile::from_bytes(i8);
    REQUIRE(file.ok());
    const io::Tensor* q = file->find("layer.0.qkv.weight");
    io::ModelWriter w("transformer-encoder");
    auto f = io::ModelFile::from_bytes(f32);
    w.set_metadata(f->metadata());
    for (const auto& t : f->tensors())
      if (t.name != "layer.0.qkv.weight")
        w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
    w.add_tensor(q->name, q->dtype, q->shape, q->data, q->bytes, q->scale);
    cases.push_back({"i8 tensor in an f32 file", w.serialize().value(), ErrorCode::invalid_data,
                     "'layer.0.qkv.weight'"});
  }
  {
    io::ModelWriter w("intent");
    w.set_metadata("{}");
    cases.push_back({"another kind of model file", w.serialize().value(), ErrorCode::wrong_kind,
                     "transformer-encoder"});
  }
  for (const Case& c : cases) {
    INFO(c.what);
    auto e = load_bytes(c.bytes, "tf_damage");
    REQUIRE(!e.ok());
    INFO(e.error().message);
    CHECK(e.error().code == c.code);
    CHECK(e.error().message.find("/tmp/snlp_tf_damage_") != std::string::npos);
    CHECK(e.error().message.find(c.mentions) != std::string::npos);
  }
}

TEST_CASE("converted file: every metadata field set to hostile values fails cleanly or works",
          "[embed][transformer][file][validation]") {
  TempDir tmp("hostile");
  for (bool int8 : {false, true}) {
    const std::string bytes =
        snlp_test::read_bytes(convert(kFixtures + "bert-bare", tmp / "f.snlp", int8));
    int loaded = 0, refused = 0;
    for (const std::string& path : snlp_test::field_paths(bytes)) {
      for (const auto& value : snlp_test::hostile_values()) {
        INFO(path << " = " << value.dump());
        auto file = io::ModelFile::from_bytes(snlp_test::with_field(bytes, path, value), {},
                                              "hostile.snlp");
        REQUIRE(file.ok());
        auto read = embed::transformer::read_encoder_file(std::move(file).value());
        if (read) {
          ++loaded;
          // Whatever loaded must still run: finite vectors.
          std::vector<std::int32_t> ids{2, 40, 41, 3};
          embed::transformer::IdSpan span{ids.data(), ids.size()};
          std::vector<float> v(static_cast<std::size_t>(read->config.model.hidden));
          read->model->forward(&span, 1, 16, read->config.sentence.pooling, true, 1, v.data());
          for (float x : v)
            REQUIRE(std::isfinite(x));
        } else {
          ++refused;
          CHECK(read.error().message.rfind("hostile.snlp: ", 0) == 0);
        }
      }
    }
    CHECK(refused > loaded);
  }
}
