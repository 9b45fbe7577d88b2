// BERT / XLM-R forward pass (bert_model.hpp): weights, grouping and threads.
// The Eigen part is in bert_forward.inc, compiled once per instruction-set
// level (bert_kernels.hpp).
#include "embed/transformer/bert_model.hpp"

#include "cpu/parallel_for.hpp"
#include "embed/transformer/bert_kernels.hpp"
#include "supportnlp/cpu/cpu.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>
#include <vector>

namespace supportnlp::embed::transformer {

using kernels::LayerView;
using kernels::LinearView;
using kernels::NormView;

struct BertModel::Impl {
  ModelConfig config;
  SafeTensors tensors;
  std::vector<FloatTensor> held;         // keeps converted tensors alive
  std::vector<std::vector<float>> fused; // the fused QKV weights and biases
  std::vector<LayerView> layers;
  kernels::Weights weights; // views of the above
  void (*run_group)(const kernels::Weights&, const kernels::Group&) = nullptr;
};

Result<BertModel> BertModel::load(const ModelConfig& c, SafeTensors tensors) {
  try {
    auto impl = std::make_shared<Impl>();
    impl->config = c;
    impl->tensors = std::move(tensors);
    const SafeTensors& st = impl->tensors;
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
    for (int l = 0; l < c.layers; ++l) {
      const std::string p = "encoder.layer." + std::to_string(l) + ".";
      LayerView w;
      std::vector<float> qkv_w(static_cast<std::size_t>(3 * h * h)),
          qkv_b(static_cast<std::size_t>(3 * h));
      int part = 0;
      for (const char* name : {"query", "key", "value"}) {
        const float* pw = get(p + "attention.self." + name + ".weight", {h, h});
        const float* pb = get(p + "attention.self." + name + ".bias", {h});
        if (error) break;
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
      impl->fused.push_back(std::move(qkv_w));
      w.qkv.w = impl->fused.back().data();
      impl->fused.push_back(std::move(qkv_b));
      w.qkv.b = impl->fused.back().data();
      w.qkv.out = static_cast<int>(3 * h);
      w.qkv.in = static_cast<int>(h);
      impl->layers.push_back(w);
    }
    if (error) return *error;
    impl->weights.config = &impl->config;
    impl->weights.layers = impl->layers.data();
    const bool avx2 = kernels::avx2_built() && cpu::active_isa() >= cpu::Isa::avx2;
    impl->run_group = avx2 ? kernels::run_group_avx2 : kernels::run_group_portable;
    return BertModel(std::move(impl));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, tensors.path() + ": " + e.what());
  }
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
