// BERT / XLM-R forward pass (bert_model.hpp): weights, grouping and threads.
// The Eigen part is in bert_forward.inc, compiled once per instruction-set
// level (bert_kernels.hpp).
#include "embed/transformer/bert_model.hpp"

#include "cpu/parallel_for.hpp"
#include "embed/transformer/bert_kernels.hpp"
#include "io/checked_fields.hpp"
#include "supportnlp/cpu/cpu.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace supportnlp::embed::transformer {

using kernels::LayerView;
using kernels::LinearView;
using kernels::NormView;

struct BertModel::Impl {
  ModelConfig config;
  SafeTensors tensors;               // a folder's checkpoint
  std::optional<io::ModelFile> file; // or a converted file
  std::vector<FloatTensor> held;     // keeps converted tensors alive
  // A folder's Q/K/V biases fused into one vector per layer, and in int8
  // mode (only until they are quantized) the fused Q/K/V weights; in float32
  // mode Q, K and V are packed straight into one matrix (packed32).
  std::vector<std::vector<float>> fused;
  // Int8 mode: codes and scales quantized here (a folder loaded in int8
  // mode; a converted file's are used in place), and every layer's row sums.
  bool int8 = false;
  bool stored_int8 = false; // a converted file's weights were int8
  std::vector<std::vector<std::int8_t>> codes;
  std::vector<std::vector<float>> scales;
  std::vector<std::vector<std::int32_t>> sums;
  std::vector<int8::QLinear> qlinear; // reserved up front: LayerViews point here
  // Float32 mode: every linear layer's weights packed for the f32 kernel.
  std::vector<std::vector<float>> packed32;
  std::vector<f32::PackedLinear> plinear; // reserved up front: LayerViews point here
  std::vector<LayerView> layers;
  kernels::Weights weights; // views of the above
  void (*run_group)(const kernels::Weights&, const kernels::Group&) = nullptr;

  // A quantized layer over `packed` and `scale` (kept alive elsewhere).
  const int8::QLinear* add_q8(const std::int8_t* packed, const float* scale, int out, int in) {
    std::vector<std::int32_t> s(int8::blocks(out) * int8::kBlock);
    int8::row_sums(packed, out, in, s.data());
    sums.push_back(std::move(s));
    qlinear.push_back({packed, scale, sums.back().data(), out, in});
    return &qlinear.back();
  }

  // Quantizes the float32 views in place of themselves (WeightMode::int8).
  void quantize() {
    int8 = true;
    qlinear.reserve(layers.size() * 4);
    std::vector<float> unpacked;
    for (LayerView& lw : layers) {
      for (LinearView* l : {&lw.qkv, &lw.attn_out, &lw.inter, &lw.out}) {
        const auto out = static_cast<std::size_t>(l->out), in = static_cast<std::size_t>(l->in);
        const float* w = l->w;
        if (w == nullptr) { // a converted file's packed float32 weights
          unpacked.resize(out * in);
          f32::unpack(l->p32->packed, l->out, l->in, unpacked.data());
          w = unpacked.data();
        }
        std::vector<std::int8_t> rows(out * in), packed(int8::packed_size(l->out, l->in));
        std::vector<float> scale(out);
        int8::quantize_rows(w, out, in, rows.data(), scale.data());
        int8::pack(rows.data(), l->out, l->in, packed.data());
        codes.push_back(std::move(packed));
        scales.push_back(std::move(scale));
        l->q8 = add_q8(codes.back().data(), scales.back().data(), l->out, l->in);
        l->w = nullptr;
        l->p32 = nullptr;
      }
    }
    // A folder's fused Q/K/V weights are quantized now (the biases stay).
    for (std::vector<float>& v : fused)
      if (v.size() > static_cast<std::size_t>(3 * config.hidden)) std::vector<float>().swap(v);
    const auto v = static_cast<std::size_t>(config.vocab_size),
               h = static_cast<std::size_t>(config.hidden);
    std::vector<std::int8_t> word(v * h);
    std::vector<float> scale(v);
    int8::quantize_rows(weights.word, v, h, word.data(), scale.data());
    codes.push_back(std::move(word));
    scales.push_back(std::move(scale));
    weights.word_q8 = codes.back().data();
    weights.word_scale = scales.back().data();
    weights.word = nullptr;
  }

  // A zeroed packed matrix for the f32 kernel (f32_linear.hpp), its view
  // set on `l`; plinear must have been reserved (views point into it).
  float* add_p32(LinearView& l) {
    packed32.emplace_back(f32::packed_size(l.out, l.in), 0.0f);
    use_p32(l, packed32.back().data());
    return packed32.back().data();
  }
  // Sets `l` to read packed weights kept alive elsewhere (a converted file's).
  void use_p32(LinearView& l, const float* packed) {
    plinear.push_back({packed, l.out, l.in});
    l.p32 = &plinear.back();
  }

  // Packs every float32 layer not packed yet (a folder's, or a format-1
  // file's). This copy is private memory (the mapped weights stay shared):
  // hidden x (4 x hidden + 2 x intermediate) floats per layer, 42.5 MB for
  // MiniLM-L6. A format-2 file's layers are packed already and used in
  // place, so its processes share them.
  void pack_f32() {
    plinear.reserve(layers.size() * 4);
    for (LayerView& lw : layers)
      for (LinearView* l : {&lw.qkv, &lw.attn_out, &lw.inter, &lw.out})
        if (!l->p32) f32::pack_rows(l->w, l->out, 0, l->in, add_p32(*l));
  }

  void finish() {
    weights.config = &config;
    weights.layers = layers.data();
    const cpu::Isa isa = cpu::active_isa();
    const bool avx2 = kernels::avx2_built() && isa >= cpu::Isa::avx2;
    run_group = avx2 ? kernels::run_group_avx2 : kernels::run_group_portable;
    if (int8) {
      weights.linear_i8 = int8::linear_for(isa);
    } else {
      pack_f32();
      weights.linear_f32 = f32::linear_for(isa);
    }
  }
};

namespace {

// The int8 kernel's sums must fit int32 (int8_linear.hpp).
std::optional<Error> check_int8_width(const ModelConfig& c, const std::string& path) {
  const int widest = std::max(c.hidden, c.intermediate);
  if (widest > int8::kMaxIn)
    return make_error(ErrorCode::invalid_data, path + ": a layer " + std::to_string(widest) +
                                                   " wide is too wide for int8 mode (at most " +
                                                   std::to_string(int8::kMaxIn) + ")");
  return std::nullopt;
}

} // namespace

Result<BertModel> BertModel::load(const ModelConfig& c, SafeTensors tensors, WeightMode mode) {
  try {
    auto impl = std::make_shared<Impl>();
    impl->config = c;
    impl->tensors = std::move(tensors);
    const SafeTensors& st = impl->tensors;
    if (mode == WeightMode::int8)
      if (auto e = check_int8_width(c, st.path())) return *e;
    std::string prefix;
    bool found = false;
    for (const char* p : {"", "bert.", "roberta.", "model."}) {
      if (st.find(std::string(p) + "embeddings.word_embeddings.weight")) {
        prefix = p;
        found = true;
        break;
      }
    }
    if (!found)
      return make_error(ErrorCode::not_found,
                        st.path() +
                            ": tensor 'embeddings.word_embeddings.weight' is missing "
                            "(looked for it bare and with the prefixes bert., roberta., model.)");
    std::optional<Error> error;
    const auto get = [&](const std::string& name, std::vector<std::int64_t> shape) -> const float* {
      if (error) return nullptr;
      std::string full = prefix + name;
      // Old BERT checkpoints call LayerNorm's parameters gamma and beta.
      if (!st.find(full) && full.size() > 7 && full.compare(full.size() - 7, 7, ".weight") == 0 &&
          st.find(full.substr(0, full.size() - 7) + ".gamma"))
        full = full.substr(0, full.size() - 7) + ".gamma";
      else if (!st.find(full) && full.size() > 5 &&
               full.compare(full.size() - 5, 5, ".bias") == 0 &&
               st.find(full.substr(0, full.size() - 5) + ".beta"))
        full = full.substr(0, full.size() - 5) + ".beta";
      auto t = st.floats(full, shape);
      if (!t) {
        error = t.error();
        return nullptr;
      }
      impl->held.push_back(*t);
      return t->data;
    };
    const std::int64_t h = c.hidden, i = c.intermediate;
    impl->weights.word = get("embeddings.word_embeddings.weight", {c.vocab_size, h});
    impl->weights.position = get("embeddings.position_embeddings.weight", {c.max_positions, h});
    impl->weights.token_type =
        get("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h});
    impl->weights.embed_norm = {get("embeddings.LayerNorm.weight", {h}),
                                get("embeddings.LayerNorm.bias", {h})};
    const bool f32_mode = mode == WeightMode::f32;
    impl->plinear.reserve(static_cast<std::size_t>(c.layers) * 4);
    for (int l = 0; l < c.layers; ++l) {
      const std::string p = "encoder.layer." + std::to_string(l) + ".";
      LayerView w;
      w.qkv.out = static_cast<int>(3 * h);
      w.qkv.in = static_cast<int>(h);
      // Float32: Q, K and V packed into one matrix for the kernel; int8: a
      // fused row-major copy, quantized and then dropped.
      std::vector<float> qkv_w(f32_mode ? 0 : static_cast<std::size_t>(3 * h * h)),
          qkv_b(static_cast<std::size_t>(3 * h));
      float* packed = f32_mode ? impl->add_p32(w.qkv) : nullptr;
      int part = 0;
      for (const char* name : {"query", "key", "value"}) {
        const float* pw = get(p + "attention.self." + name + ".weight", {h, h});
        const float* pb = get(p + "attention.self." + name + ".bias", {h});
        if (error) break;
        if (f32_mode)
          f32::pack_rows(pw, static_cast<int>(h), static_cast<int>(part * h), static_cast<int>(h),
                         packed);
        else
          std::memcpy(qkv_w.data() + part * h * h, pw,
                      sizeof(float) * static_cast<std::size_t>(h * h));
        std::memcpy(qkv_b.data() + part * h, pb, sizeof(float) * static_cast<std::size_t>(h));
        ++part;
      }
      const auto linear = [&](const std::string& name, std::int64_t out, std::int64_t in) {
        return LinearView{get(name + ".weight", {out, in}), get(name + ".bias", {out}),
                          static_cast<int>(out), static_cast<int>(in)};
      };
      w.attn_out = linear(p + "attention.output.dense", h, h);
      w.attn_norm = {get(p + "attention.output.LayerNorm.weight", {h}),
                     get(p + "attention.output.LayerNorm.bias", {h})};
      w.inter = linear(p + "intermediate.dense", i, h);
      w.out = linear(p + "output.dense", h, i);
      w.out_norm = {get(p + "output.LayerNorm.weight", {h}), get(p + "output.LayerNorm.bias", {h})};
      if (error) return *error;
      if (!f32_mode) {
        impl->fused.push_back(std::move(qkv_w));
        w.qkv.w = impl->fused.back().data();
      }
      impl->fused.push_back(std::move(qkv_b));
      w.qkv.b = impl->fused.back().data();
      impl->layers.push_back(w);
    }
    if (error) return *error;
    if (mode == WeightMode::int8) impl->quantize();
    impl->finish();
    return BertModel(std::move(impl));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, tensors.path() + ": " + e.what());
  }
}

Result<BertModel> BertModel::load(const ModelConfig& c, io::ModelFile file, WeightMode mode) {
  const std::string path = file.path();
  try {
    auto impl = std::make_shared<Impl>();
    impl->config = c;
    impl->file = std::move(file);
    const io::ModelFile& f = *impl->file;
    const io::Tensor* word = f.find("embeddings.word");
    if (!word)
      return make_error(ErrorCode::corrupt, path + ": tensor 'embeddings.word' is missing");
    if (word->dtype != io::DType::f32 && word->dtype != io::DType::i8)
      return make_error(ErrorCode::corrupt, path + ": tensor 'embeddings.word' is " +
                                                io::to_string(word->dtype) +
                                                ", expected f32 or i8");
    impl->int8 = impl->stored_int8 = word->dtype == io::DType::i8;
    if (impl->int8 || mode == WeightMode::int8)
      if (auto e = check_int8_width(c, path)) return *e;
    std::optional<Error> error;
    std::set<std::string> used;
    const auto tensor = [&](const std::string& name, io::DType dtype,
                            const std::vector<std::int64_t>& shape) -> const io::Tensor* {
      if (error) return nullptr;
      auto t = io::detail::require_shape(f, name, dtype, shape);
      if (!t) {
        error = t.error();
        return nullptr;
      }
      if (auto ok = io::detail::check_finite(f, **t); !ok) {
        error = ok.error();
        return nullptr;
      }
      used.insert(name);
      return *t;
    };
    const auto f32 = [&](const std::string& name,
                         const std::vector<std::int64_t>& shape) -> const float* {
      const io::Tensor* t = tensor(name, io::DType::f32, shape);
      return t ? t->as<float>() : nullptr;
    };
    // Int8 codes: the symmetric range only; scales finite and positive.
    const auto codes = [&](const std::string& name,
                           const std::vector<std::int64_t>& shape) -> const std::int8_t* {
      const io::Tensor* t = tensor(name, io::DType::i8, shape);
      if (!t) return nullptr;
      if (t->scale != 1.0f) {
        error = make_error(ErrorCode::corrupt, path + ": tensor '" + name +
                                                   "' has a per-tensor scale; its rows' scales "
                                                   "are a tensor of their own");
        return nullptr;
      }
      const std::size_t at = int8::find_min_code(t->as<std::int8_t>(), t->bytes);
      if (at != t->bytes) {
        error = make_error(ErrorCode::corrupt, path + ": tensor '" + name + "' element " +
                                                   std::to_string(at) +
                                                   " is -128, outside the symmetric int8 range "
                                                   "[-127, 127]");
        return nullptr;
      }
      return t->as<std::int8_t>();
    };
    const auto scale = [&](const std::string& name, std::int64_t n) -> const float* {
      const io::Tensor* t = tensor(name, io::DType::f32, {n});
      if (!t) return nullptr;
      if (auto ok = io::detail::check_finite(f, *t, 0.0f, true); !ok) {
        error = ok.error();
        return nullptr;
      }
      return t->as<float>();
    };
    const std::int64_t h = c.hidden, i = c.intermediate;
    if (impl->int8) {
      impl->weights.word_q8 = codes("embeddings.word", {c.vocab_size, h});
      impl->weights.word_scale = scale("embeddings.word.scale", c.vocab_size);
    } else {
      impl->weights.word = f32("embeddings.word", {c.vocab_size, h});
    }
    impl->weights.position = f32("embeddings.position", {c.max_positions, h});
    impl->weights.token_type = f32("embeddings.token_type", {c.type_vocab_size, h});
    impl->weights.embed_norm = {f32("embeddings.norm.gain", {h}), f32("embeddings.norm.bias", {h})};
    impl->qlinear.reserve(static_cast<std::size_t>(c.layers) * 4);
    impl->plinear.reserve(static_cast<std::size_t>(c.layers) * 4);
    const auto linear = [&](const std::string& name, std::int64_t out, std::int64_t in) {
      LinearView v;
      v.out = static_cast<int>(out);
      v.in = static_cast<int>(in);
      v.b = f32(name + ".bias", {out});
      if (!impl->int8) {
        // Format 2 stores the f32 kernel's panels, [panels, in, 16]; format
        // 1 the rows, [out, in]. Either is accepted by its shape.
        const io::Tensor* t = f.find(name + ".weight");
        if (t != nullptr && t->shape.size() == 3) {
          const float* packed =
              f32(name + ".weight",
                  {static_cast<std::int64_t>(f32::panels(v.out)), in, f32::kPanel});
          if (!error) impl->use_p32(v, packed);
        } else {
          v.w = f32(name + ".weight", {out, in});
        }
        return v;
      }
      const std::int8_t* packed =
          codes(name + ".weight", {static_cast<std::int64_t>(int8::blocks(v.out)),
                                   static_cast<std::int64_t>(int8::groups(v.in)), 64});
      const float* s = scale(name + ".scale", out);
      if (!error) v.q8 = impl->add_q8(packed, s, v.out, v.in);
      return v;
    };
    for (int l = 0; l < c.layers && !error; ++l) {
      const std::string p = "layer." + std::to_string(l) + ".";
      LayerView w;
      w.qkv = linear(p + "qkv", 3 * h, h);
      w.attn_out = linear(p + "attn_out", h, h);
      w.attn_norm = {f32(p + "attn_norm.gain", {h}), f32(p + "attn_norm.bias", {h})};
      w.inter = linear(p + "inter", i, h);
      w.out = linear(p + "out", h, i);
      w.out_norm = {f32(p + "out_norm.gain", {h}), f32(p + "out_norm.bias", {h})};
      impl->layers.push_back(w);
    }
    if (error) return *error;
    // Anything else is damage (a renamed layer would otherwise go unnoticed).
    for (const io::Tensor& t : f.tensors())
      if (!used.count(t.name) && t.name.rfind("tokenizer.", 0) != 0)
        return make_error(ErrorCode::corrupt, path + ": unknown tensor '" + t.name + "' for a " +
                                                  std::to_string(c.layers) + "-layer " +
                                                  (impl->int8 ? "int8" : "f32") + " encoder");
    if (mode == WeightMode::int8 && !impl->int8) impl->quantize();
    impl->finish();
    return BertModel(std::move(impl));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, path + ": " + e.what());
  }
}

void BertModel::write(io::ModelWriter& writer) const {
  const Impl& m = *impl_;
  const ModelConfig& c = m.config;
  const std::int64_t h = c.hidden;
  const auto floats = [&](const std::string& name, const float* p,
                          std::vector<std::int64_t> shape) {
    std::size_t n = 1;
    for (auto d : shape)
      n *= static_cast<std::size_t>(d);
    writer.add_tensor(name, io::DType::f32, std::move(shape), p, n * sizeof(float));
  };
  if (m.int8) {
    writer.add_tensor("embeddings.word", io::DType::i8, {c.vocab_size, h}, m.weights.word_q8,
                      static_cast<std::size_t>(c.vocab_size) * static_cast<std::size_t>(h));
    floats("embeddings.word.scale", m.weights.word_scale, {c.vocab_size});
  } else {
    floats("embeddings.word", m.weights.word, {c.vocab_size, h});
  }
  floats("embeddings.position", m.weights.position, {c.max_positions, h});
  floats("embeddings.token_type", m.weights.token_type, {c.type_vocab_size, h});
  floats("embeddings.norm.gain", m.weights.embed_norm.gain, {h});
  floats("embeddings.norm.bias", m.weights.embed_norm.bias, {h});
  const auto linear = [&](const std::string& name, const LinearView& v) {
    if (v.q8) {
      writer.add_tensor(name + ".weight", io::DType::i8,
                        {static_cast<std::int64_t>(int8::blocks(v.out)),
                         static_cast<std::int64_t>(int8::groups(v.in)), 64},
                        v.q8->packed, int8::packed_size(v.out, v.in));
      floats(name + ".scale", v.q8->scale, {v.out});
    } else { // float32: every layer is packed once loaded (format 2)
      writer.add_tensor(name + ".weight", io::DType::f32,
                        {static_cast<std::int64_t>(f32::panels(v.out)), v.in, f32::kPanel},
                        v.p32->packed, f32::packed_size(v.out, v.in) * sizeof(float));
    }
    floats(name + ".bias", v.b, {v.out});
  };
  for (int l = 0; l < c.layers; ++l) {
    const LayerView& w = m.layers[static_cast<std::size_t>(l)];
    const std::string p = "layer." + std::to_string(l) + ".";
    linear(p + "qkv", w.qkv);
    linear(p + "attn_out", w.attn_out);
    floats(p + "attn_norm.gain", w.attn_norm.gain, {h});
    floats(p + "attn_norm.bias", w.attn_norm.bias, {h});
    linear(p + "inter", w.inter);
    linear(p + "out", w.out);
    floats(p + "out_norm.gain", w.out_norm.gain, {h});
    floats(p + "out_norm.bias", w.out_norm.bias, {h});
  }
}

bool BertModel::int8() const noexcept {
  return impl_->int8;
}

bool BertModel::stored_int8() const noexcept {
  return impl_->stored_int8;
}

const ModelConfig& BertModel::config() const noexcept {
  return impl_->config;
}

int BertModel::max_length() const noexcept {
  return impl_->config.max_positions - impl_->config.position_offset;
}

void BertModel::forward(const IdSpan* texts, std::size_t count, std::size_t max_length,
                        Pooling pooling, bool normalize, int threads, float* out) const noexcept {
  const Impl& m = *impl_;
  const auto h = static_cast<std::size_t>(m.config.hidden);
  max_length = std::min(max_length, static_cast<std::size_t>(this->max_length()));
  if (max_length < 1) max_length = 1;
  try {
    // Texts sorted by length, longest first, then cut into groups of about
    // equal token count: one group per thread (and no group over kMaxTokens
    // rows, which bounds the scratch matrices).
    constexpr std::size_t kMaxTokens = 2048;
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    const auto len = [&](std::size_t i) { return std::min(texts[i].size, max_length); };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return len(a) > len(b); });
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i)
      total += len(i);
    const std::size_t parts = static_cast<std::size_t>(std::max(threads, 1));
    const std::size_t target =
        std::max<std::size_t>(1, std::min(kMaxTokens, (total + parts - 1) / parts));
    std::vector<std::size_t> bounds{0};
    std::size_t in_group = 0;
    for (std::size_t k = 0; k < count; ++k) {
      if (in_group > 0 && in_group + len(order[k]) > target) {
        bounds.push_back(k);
        in_group = 0;
      }
      in_group += len(order[k]);
    }
    bounds.push_back(count);
    const std::size_t groups = bounds.size() - 1;
    const auto run = [&](std::size_t g) {
      kernels::Group group;
      group.texts = texts;
      group.order = order.data() + bounds[g];
      group.n = bounds[g + 1] - bounds[g];
      group.max_length = max_length;
      group.pooling = pooling;
      group.normalize = normalize;
      group.out = out;
      m.run_group(m.weights, group);
    };
    if (threads <= 1 || groups <= 1) {
      for (std::size_t g = 0; g < groups; ++g)
        run(g);
    } else {
      cpu::parallel_for_any_order(groups, threads, [&](std::size_t g) {
        try {
          run(g);
        } catch (...) {
          for (std::size_t k = bounds[g]; k < bounds[g + 1]; ++k)
            std::fill(out + order[k] * h, out + (order[k] + 1) * h, 0.0f);
        }
      });
    }
  } catch (...) { // out of memory: zero vectors rather than an exception
    std::fill(out, out + count * h, 0.0f);
  }
}

} // namespace supportnlp::embed::transformer
