#pragma once
// Helpers of the converted-file and int8 tests (issue 14): the fixtures,
// support texts, and a random-weight BERT folder with all-MiniLM-L6-v2's
// real 30,522-token WordPiece vocabulary (../shared/models), written at test
// time so that support tickets tokenize as they would for the real model.
#include "supportnlp/embed/transformer_encoder.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace snlp_tf_test {

namespace fs = std::filesystem;

inline const std::string kFixtures =
    std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/";
inline const std::string kMiniLM = std::string(SUPPORTNLP_SHARED_DIR) + "/models/all-MiniLM-L6-v2";

/// A temporary folder unique to this process and name, removed at the end.
struct TempDir {
  std::string path;
  explicit TempDir(const std::string& name)
      : path((fs::temp_directory_path() / ("snlp_tf_" + name + "_" + std::to_string(::getpid())))
                 .string()) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

inline nlohmann::json reference(const std::string& name) {
  std::ifstream in(kFixtures + name + "/reference.json");
  return nlohmann::json::parse(in);
}

/// The fixture's reference inputs, untruncated.
inline std::vector<std::vector<std::int32_t>> reference_ids(const std::string& name) {
  std::vector<std::vector<std::int32_t>> ids;
  const nlohmann::json ref = reference(name);
  for (const auto& c : ref["cases"])
    ids.push_back(c["full_ids"].get<std::vector<std::int32_t>>());
  return ids;
}

/// The sample tickets of data/samples/tickets.jsonl and a few more support
/// texts in the bundle's other languages.
inline std::vector<std::string> support_texts() {
  std::vector<std::string> texts;
  std::ifstream in(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/samples/tickets.jsonl");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) texts.push_back(nlohmann::json::parse(line)["text"].get<std::string>());
  for (const char* t :
       {"where is my refund?", "I can't log in to my account",
        "Mi pedido no ha llegado y ya pasaron dos semanas", "Ich möchte mein Abo kündigen",
        "Le paiement a été refusé deux fois, pouvez-vous vérifier ?",
        "Não consigo redefinir minha senha", "order #A-20931 arrived damaged, need a replacement",
        "ok"})
    texts.push_back(t);
  return texts;
}

/// cos(a, b) of two dim-long vectors (0 if either is zero).
inline double cosine(const float* a, const float* b, std::size_t dim) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t j = 0; j < dim; ++j) {
    ab += double(a[j]) * b[j];
    aa += double(a[j]) * a[j];
    bb += double(b[j]) * b[j];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

/// Writes a BERT sentence-transformers folder into `dir`: all-MiniLM-L6-v2's
/// tokenizer files, mean pooling + Normalize, and random weights of
/// hidden `hidden`, 2 layers, intermediate 4 x hidden, scaled as trained
/// weights are (linear weights with std 1/sqrt(in), so activations stay of
/// order 1; embeddings std 1; LayerNorm gains near 1).
inline void write_random_bert(const std::string& dir, int hidden = 64, std::uint32_t seed = 14) {
  const int vocab = 30522, layers = 2, inter = 4 * hidden, positions = 128;
  for (const char* f : {"vocab.txt", "tokenizer_config.json", "special_tokens_map.json"})
    fs::copy_file(kMiniLM + "/" + f, dir + "/" + f, fs::copy_options::overwrite_existing);
  std::ofstream(dir + "/config.json") << nlohmann::json{
      {"model_type", "bert"},     {"hidden_act", "gelu"},
      {"hidden_size", hidden},    {"num_hidden_layers", layers},
      {"num_attention_heads", 4}, {"intermediate_size", inter},
      {"layer_norm_eps", 1e-12},  {"max_position_embeddings", positions},
      {"type_vocab_size", 2},     {"vocab_size", vocab},
      {"pad_token_id", 0}}.dump();
  std::ofstream(dir + "/modules.json") << R"([
 {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])";
  fs::create_directories(dir + "/1_Pooling");
  std::ofstream(dir + "/1_Pooling/config.json") << nlohmann::json{
      {"word_embedding_dimension", hidden},
      {"pooling_mode_mean_tokens", true}}.dump();
  std::ofstream(dir + "/sentence_bert_config.json") << R"({"max_seq_length": 128})";

  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  nlohmann::json header = nlohmann::json::object();
  std::string data;
  const auto add = [&](const std::string& name, std::vector<std::int64_t> shape, float mean,
                       float std) {
    std::size_t n = 1;
    for (auto d : shape)
      n *= static_cast<std::size_t>(d);
    const std::size_t begin = data.size();
    for (std::size_t i = 0; i < n; ++i) {
      const float v = mean + std * normal(rng);
      data.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {begin, data.size()}}};
  };
  const std::int64_t h = hidden, i = inter;
  const float wh = 1.0f / std::sqrt(float(hidden)), wi = 1.0f / std::sqrt(float(inter));
  add("embeddings.word_embeddings.weight", {vocab, h}, 0, 1);
  add("embeddings.position_embeddings.weight", {positions, h}, 0, 0.5f);
  add("embeddings.token_type_embeddings.weight", {2, h}, 0, 0.5f);
  add("embeddings.LayerNorm.weight", {h}, 1, 0.1f);
  add("embeddings.LayerNorm.bias", {h}, 0, 0.1f);
  for (int l = 0; l < layers; ++l) {
    const std::string p = "encoder.layer." + std::to_string(l) + ".";
    for (const char* m : {"query", "key", "value"}) {
      add(p + "attention.self." + m + ".weight", {h, h}, 0, wh);
      add(p + "attention.self." + m + ".bias", {h}, 0, 0.1f);
    }
    add(p + "attention.output.dense.weight", {h, h}, 0, wh);
    add(p + "attention.output.dense.bias", {h}, 0, 0.1f);
    add(p + "attention.output.LayerNorm.weight", {h}, 1, 0.1f);
    add(p + "attention.output.LayerNorm.bias", {h}, 0, 0.1f);
    add(p + "intermediate.dense.weight", {i, h}, 0, wh);
    add(p + "intermediate.dense.bias", {i}, 0, 0.1f);
    add(p + "output.dense.weight", {h, i}, 0, wi);
    add(p + "output.dense.bias", {h}, 0, 0.1f);
    add(p + "output.LayerNorm.weight", {h}, 1, 0.1f);
    add(p + "output.LayerNorm.bias", {h}, 0, 0.1f);
  }
  const std::string json = header.dump();
  std::ofstream out(dir + "/model.safetensors", std::ios::binary);
  const std::uint64_t n = json.size();
  for (int b = 0; b < 8; ++b)
    out.put(static_cast<char>((n >> (8 * b)) & 0xFF));
  out << json << data;
}

} // namespace snlp_tf_test
