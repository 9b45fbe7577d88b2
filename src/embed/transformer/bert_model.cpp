// BERT / XLM-R forward pass on Eigen (bert_model.hpp). The one translation
// unit of the transformer encoder that includes Eigen.
#include "embed/transformer/bert_model.hpp"

#include "cpu/parallel_for.hpp"

#include <Eigen/Dense>
#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

namespace supportnlp::embed::transformer {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMat>;
using Vec = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using ConstVecMap = Eigen::Map<const Vec>;
using Strided = Eigen::Map<const RowMat, 0, Eigen::OuterStride<>>;

struct Linear {
  const float* w = nullptr; // [out, in], row-major as PyTorch stores it
  const float* b = nullptr; // [out]
  int out = 0, in = 0;
  ConstRowMap weight() const { return ConstRowMap(w, out, in); }
  ConstVecMap bias() const { return ConstVecMap(b, out); }
};

struct Norm {
  const float* gain = nullptr;
  const float* bias = nullptr;
};

struct LayerWeights {
  Linear qkv; // fused [3H, H]: rows of Q, then K, then V
  Linear attn_out, inter, out;
  Norm attn_norm, out_norm;
};

struct BertModel::Impl {
  ModelConfig config;
  SafeTensors tensors;
  std::vector<FloatTensor> held;         // keeps converted tensors alive
  std::vector<std::vector<float>> fused; // the fused QKV weights and biases
  const float* word = nullptr;
  const float* position = nullptr;
  const float* token_type = nullptr;
  Norm embed_norm;
  std::vector<LayerWeights> layers;

  void run_group(const IdSpan* texts, const std::size_t* order, std::size_t n,
                 std::size_t max_length, Pooling pooling, bool normalize, float* out) const;
};

namespace {

// Where a text's ids are read from, after truncation.
struct Piece {
  const std::int32_t* ids;
  std::size_t len;
  bool keep_last; // truncated: the last id replaces the one at len - 1
};

Piece truncated(const IdSpan& t, std::size_t max_length) {
  if (t.size <= max_length) return {t.ids, t.size, false};
  return {t.ids, max_length, true};
}

void layer_norm(RowMat& x, const Norm& n, float eps) {
  const Eigen::Index h = x.cols();
  const ConstVecMap g(n.gain, h), b(n.bias, h);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    auto row = x.row(r);
    const float mean = row.mean();
    row.array() -= mean;
    const float var = row.squaredNorm() / static_cast<float>(h);
    const float inv = 1.0f / std::sqrt(var + eps);
    row = (row.array() * inv * g.array() + b.array()).matrix();
  }
}

} // namespace

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
    impl->word = get("embeddings.word_embeddings.weight", {c.vocab_size, h});
    impl->position = get("embeddings.position_embeddings.weight", {c.max_positions, h});
    impl->token_type = get("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h});
    impl->embed_norm = {get("embeddings.LayerNorm.weight", {h}),
                        get("embeddings.LayerNorm.bias", {h})};
    for (int l = 0; l < c.layers; ++l) {
      const std::string p = "encoder.layer." + std::to_string(l) + ".";
      LayerWeights w;
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
        return Linear{get(name + ".weight", {out, in}), get(name + ".bias", {out}),
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

void BertModel::Impl::run_group(const IdSpan* texts, const std::size_t* order, std::size_t n,
                                std::size_t max_length, Pooling pooling, bool normalize,
                                float* out) const {
  const int h = config.hidden;
  const int heads = config.heads;
  const int d = h / heads;
  const float eps = config.layer_norm_eps;
  std::vector<Piece> pieces(n);
  std::vector<Eigen::Index> start(n + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    pieces[k] = truncated(texts[order[k]], max_length);
    start[k + 1] = start[k] + static_cast<Eigen::Index>(pieces[k].len);
  }
  const Eigen::Index total = start[n];
  for (std::size_t k = 0; k < n; ++k)
    if (pieces[k].len == 0) std::fill(out + order[k] * h, out + (order[k] + 1) * h, 0.0f);
  if (total == 0) return;

  // Embeddings.
  RowMat x(total, h);
  const ConstVecMap type0(token_type, h);
  for (std::size_t k = 0; k < n; ++k) {
    const Piece& p = pieces[k];
    for (std::size_t t = 0; t < p.len; ++t) {
      std::int32_t id = p.keep_last && t + 1 == p.len ? p.ids[texts[order[k]].size - 1] : p.ids[t];
      if (id < 0 || id >= config.vocab_size) id = config.pad_token_id;
      const auto pos = static_cast<std::size_t>(config.position_offset) + t;
      x.row(start[k] + static_cast<Eigen::Index>(t)) =
          ConstVecMap(word + static_cast<std::size_t>(id) * h, h) +
          ConstVecMap(position + pos * h, h) + type0;
    }
  }
  layer_norm(x, embed_norm, eps);

  RowMat qkv(total, 3 * h), ctx(total, h), tmp(total, h), inter(total, config.intermediate);
  RowMat scores;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  for (const LayerWeights& w : layers) {
    qkv.noalias() = x * w.qkv.weight().transpose();
    qkv.rowwise() += w.qkv.bias();
    for (std::size_t k = 0; k < n; ++k) {
      const Eigen::Index len = start[k + 1] - start[k];
      if (len == 0) continue;
      const float* base = qkv.data() + start[k] * 3 * h;
      for (int head = 0; head < heads; ++head) {
        const Strided q(base + head * d, len, d, Eigen::OuterStride<>(3 * h));
        const Strided kk(base + h + head * d, len, d, Eigen::OuterStride<>(3 * h));
        const Strided v(base + 2 * h + head * d, len, d, Eigen::OuterStride<>(3 * h));
        scores.noalias() = q * kk.transpose();
        scores *= scale;
        for (Eigen::Index r = 0; r < len; ++r) {
          auto row = scores.row(r).array();
          row = (row - row.maxCoeff()).exp();
          row /= row.sum();
        }
        ctx.block(start[k], head * d, len, d).noalias() = scores * v;
      }
    }
    tmp.noalias() = ctx * w.attn_out.weight().transpose();
    tmp.rowwise() += w.attn_out.bias();
    x += tmp;
    layer_norm(x, w.attn_norm, eps);
    inter.noalias() = x * w.inter.weight().transpose();
    inter.rowwise() += w.inter.bias();
    // transformers' "gelu": x * Phi(x) with the exact erf.
    inter.array() = 0.5f * inter.array() * (1.0f + (inter.array() * float(M_SQRT1_2)).erf());
    tmp.noalias() = inter * w.out.weight().transpose();
    tmp.rowwise() += w.out.bias();
    x += tmp;
    layer_norm(x, w.out_norm, eps);
  }

  for (std::size_t k = 0; k < n; ++k) {
    const Eigen::Index len = start[k + 1] - start[k];
    if (len == 0) continue;
    Eigen::Map<Vec> v(out + order[k] * h, h);
    const auto rows = x.middleRows(start[k], len);
    switch (pooling) {
    case Pooling::mean:
      v = rows.colwise().sum() / static_cast<float>(len);
      break;
    case Pooling::cls:
      v = rows.row(0);
      break;
    case Pooling::max:
      v = rows.colwise().maxCoeff();
      break;
    }
    if (normalize) v /= std::max(v.norm(), 1e-12f);
  }
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
      m.run_group(texts, order.data() + bounds[g], bounds[g + 1] - bounds[g], max_length, pooling,
                  normalize, out);
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
