// The kernels of every level this CPU has, against their scalar
// definitions and each other. Sparse scores and row sums must agree bit for
// bit at every level (no fused multiply-add, same order of additions), so a
// model scores a text and an encoder embeds it identically on every x86-64
// CPU; int8 scans are exact integer sums; float scans agree to rounding.
#include <catch2/catch.hpp>

#include "cpu/kernels.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

using namespace supportnlp::cpu;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The tables this CPU can run, portable first.
std::vector<const Kernels*> levels() {
  std::vector<const Kernels*> out;
  for (Isa isa : {Isa::portable, Isa::avx2, Isa::avx512})
    if (const Kernels* k = kernels_for(isa)) out.push_back(k);
  return out;
}

constexpr std::uint32_t kSkip = 0xffffffffu;

struct SparseCase {
  std::vector<std::uint32_t> index;
  std::vector<float> value, w, bias, scale;
  std::vector<std::int8_t> w8;
};

SparseCase make_sparse(std::size_t k, std::size_t rows, std::size_t n, std::mt19937& rng) {
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::uniform_int_distribution<int> byte(-127, 127);
  std::uniform_int_distribution<std::uint32_t> row(0, static_cast<std::uint32_t>(rows - 1));
  SparseCase c;
  for (std::size_t i = 0; i < rows * k; ++i) {
    c.w.push_back(gauss(rng));
    c.w8.push_back(static_cast<std::int8_t>(byte(rng)));
  }
  c.w8.resize(c.w8.size() + kInt8Padding, 0x55); // padding must not leak in
  for (std::size_t r = 0; r < rows; ++r)
    c.scale.push_back(std::abs(gauss(rng)) * 0.01f);
  for (std::size_t j = 0; j < k; ++j)
    c.bias.push_back(gauss(rng));
  for (std::size_t i = 0; i < n; ++i) {
    c.index.push_back(i % 7 == 3 ? kSkip : row(rng)); // some entries unseen
    c.value.push_back(gauss(rng));
  }
  return c;
}

} // namespace

TEST_CASE("sparse scores equal the scalar definition bit for bit at every level",
          "[cpu][kernels]") {
  std::mt19937 rng(11);
  for (std::size_t k : {1, 2, 7, 8, 9, 15, 16, 17, 77, 80, 81, 128, 129, 151, 300}) {
    for (std::size_t n : {0, 1, 5, 250}) {
      const SparseCase c = make_sparse(k, 64, n, rng);
      std::vector<float> ref(k), ref8(k);
      sparse_scores_reference(c.index.data(), c.value.data(), n, c.w.data(), k, c.bias.data(),
                              kSkip, ref.data());
      sparse_scores_i8_reference(c.index.data(), c.value.data(), n, c.w8.data(), c.scale.data(), k,
                                 c.bias.data(), kSkip, ref8.data());
      // The reference against a plain loop of the definition.
      for (std::size_t j = 0; j < k; ++j) {
        float s = c.bias[j], s8 = c.bias[j];
        for (std::size_t i = 0; i < n; ++i) {
          if (c.index[i] == kSkip) continue;
          s += c.value[i] * c.w[c.index[i] * k + j];
          s8 += (c.value[i] * c.scale[c.index[i]]) * static_cast<float>(c.w8[c.index[i] * k + j]);
        }
        CHECK(ref[j] == s);
        CHECK(ref8[j] == s8);
      }
      for (const Kernels* level : levels()) {
        INFO("k = " << k << ", n = " << n << ", level " << isa_name(level->isa));
        std::vector<float> got(k, -1.0f), got8(k, -1.0f);
        level->sparse_scores(c.index.data(), c.value.data(), n, c.w.data(), k, c.bias.data(), kSkip,
                             got.data());
        CHECK(same_bits(ref, got));
        level->sparse_scores_i8(c.index.data(), c.value.data(), n, c.w8.data(), c.scale.data(), k,
                                c.bias.data(), kSkip, got8.data());
        CHECK(same_bits(ref8, got8));
      }
    }
  }
}

TEST_CASE("row sums equal the scalar definition bit for bit at every level", "[cpu][kernels]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(-128, 127);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (int dim : {8, 13, 16, 64, 72, 100, 256, 300}) {
    const int rows = 200;
    std::vector<std::int8_t> i8(std::size_t(rows) * std::size_t(dim));
    std::vector<float> f32(i8.size());
    for (std::size_t k = 0; k < i8.size(); ++k) {
      i8[k] = static_cast<std::int8_t>(byte(rng));
      f32[k] = gauss(rng);
    }
    for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(7), std::size_t(350)}) {
      std::vector<WeightedRow> hits;
      for (std::size_t h = 0; h < n; ++h)
        hits.push_back({static_cast<std::int32_t>(rng() % rows), gauss(rng) * 0.01f});
      for (bool int8 : {true, false}) {
        // Start from a non-zero sum: the kernel adds to what is there.
        std::vector<float> start(static_cast<std::size_t>(dim));
        for (auto& x : start)
          x = gauss(rng);
        const float* rows_f32 = int8 ? nullptr : f32.data();
        std::vector<float> ref = start;
        row_sums_reference(hits.data(), hits.size(), rows_f32, i8.data(), dim, ref.data());
        for (const Kernels* level : levels()) {
          std::vector<float> got = start;
          level->row_sums(hits.data(), hits.size(), rows_f32, i8.data(), dim, got.data());
          INFO("dim " << dim << ", rows " << n << (int8 ? ", int8" : ", float") << ", level "
                      << isa_name(level->isa));
          CHECK(same_bits(ref, got));
        }
      }
    }
  }
}

TEST_CASE("row sums add what they are given", "[cpu][kernels]") {
  // Two rows of a 16-wide int8 table: 2 * row0 - 0.5 * row1.
  const int dim = 16;
  std::vector<std::int8_t> i8(2 * dim);
  for (int j = 0; j < dim; ++j) {
    i8[std::size_t(j)] = static_cast<std::int8_t>(j);
    i8[std::size_t(dim + j)] = static_cast<std::int8_t>(-2 * j);
  }
  const std::vector<WeightedRow> hits = {{0, 2.0f}, {1, -0.5f}};
  for (const Kernels* level : levels()) {
    std::vector<float> out(dim, 1.0f);
    level->row_sums(hits.data(), hits.size(), nullptr, i8.data(), dim, out.data());
    for (int j = 0; j < dim; ++j)
      CHECK(out[std::size_t(j)] == 1.0f + 2.0f * float(j) + float(j));
  }
}

TEST_CASE("dense scans equal the scalar definition at every level", "[cpu][kernels]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> code(-127, 127);
  for (int dim : {1, 15, 16, 31, 33, 64, 100, 128, 256, 384, 400}) {
    for (std::size_t n : {1u, 2u, 5u, 9u}) {
      std::vector<std::int8_t> rows(n * dim);
      for (auto& c : rows)
        c = static_cast<std::int8_t>(code(rng));
      std::vector<float> rf(rows.begin(), rows.end());
      std::vector<float> scales(n, 0.01f);
      std::vector<std::int8_t> q8(dim);
      std::vector<std::int16_t> q16(dim);
      std::vector<float> qf(dim);
      for (int j = 0; j < dim; ++j)
        qf[j] = q16[j] = q8[j] = static_cast<std::int8_t>(code(rng));
      const QueryI8 query{q8.data(), q16.data(), 0.5f};
      std::vector<float> ref_i8(n), ref_f32q(n), ref_f32(n);
      score_i8_reference(rows.data(), scales.data(), n, dim, query, ref_i8.data());
      score_f32q_reference(rows.data(), scales.data(), n, dim, qf.data(), ref_f32q.data());
      score_f32_reference(rf.data(), n, dim, qf.data(), ref_f32.data());
      for (const Kernels* level : levels()) {
        INFO("dim " << dim << ", rows " << n << ", level " << isa_name(level->isa));
        std::vector<float> got(n);
        level->score_i8(rows.data(), scales.data(), n, dim, query, got.data());
        for (std::size_t i = 0; i < n; ++i)
          CHECK(got[i] == ref_i8[i]); // integer sums: exact
        level->score_f32q(rows.data(), scales.data(), n, dim, qf.data(), got.data());
        for (std::size_t i = 0; i < n; ++i)
          CHECK(got[i] == Approx(ref_f32q[i]).epsilon(1e-5));
        if (level->score_f32) {
          level->score_f32(rf.data(), n, dim, qf.data(), got.data());
          for (std::size_t i = 0; i < n; ++i)
            CHECK(got[i] == Approx(ref_f32[i]).epsilon(1e-5));
        }
      }
    }
  }
}

TEST_CASE("batch float32 scans equal the scalar definition at every level", "[cpu][kernels]") {
  std::mt19937 rng(9);
  std::normal_distribution<float> g;
  for (const Kernels* level : levels()) {
    if (!level->score_batch_f32) {
      CHECK(level->batch_f32_width == 1);
      continue; // no batch kernel at this level: DenseIndex uses Eigen
    }
    const std::size_t w = level->batch_f32_width;
    for (int dim : {1, 7, 64, 100, 256, 384}) {
      for (std::size_t n : {1u, 5u, 6u, 13u}) {
        for (std::size_t nq : {1u, 16u, 33u, 64u}) {
          const std::size_t ldq = (nq + w - 1) / w * w;
          std::vector<float> rows(n * dim), qt(std::size_t(dim) * ldq, 0.0f);
          for (auto& x : rows)
            x = g(rng);
          for (int j = 0; j < dim; ++j)
            for (std::size_t c = 0; c < nq; ++c)
              qt[j * ldq + c] = g(rng);
          std::vector<float> ref(n * ldq), got(n * ldq);
          score_batch_f32_reference(rows.data(), n, dim, qt.data(), ldq, ref.data());
          level->score_batch_f32(rows.data(), n, dim, qt.data(), ldq, got.data());
          INFO("dim " << dim << ", rows " << n << ", queries " << nq << ", level "
                      << isa_name(level->isa));
          for (std::size_t i = 0; i < n * ldq; ++i)
            CHECK(got[i] == Approx(ref[i]).margin(1e-4));
        }
      }
    }
  }
}

TEST_CASE("batch int8 scans equal the scalar definition exactly at every level", "[cpu][kernels]") {
  std::mt19937 rng(10);
  std::uniform_int_distribution<int> code(-127, 127);
  for (const Kernels* level : levels()) {
    if (!level->score_batch_i8) continue; // DenseIndex scans query by query
    for (int dim : {4, 8, 64, 100, 256, 384}) {
      for (std::size_t n : {1u, 5u, 6u, 13u}) {
        for (std::size_t nq : {1u, 32u, 33u, 64u}) {
          const std::size_t ldq = (nq + kBatchI8Width - 1) / kBatchI8Width * kBatchI8Width;
          std::vector<std::int8_t> rows(n * dim);
          for (auto& x : rows)
            x = static_cast<std::int8_t>(code(rng));
          std::vector<float> scales(n), qscales(ldq, 0.0f);
          for (auto& x : scales)
            x = 0.001f * float(1 + code(rng) % 50);
          std::vector<std::uint8_t> qp(std::size_t(dim) * ldq, 128);
          for (std::size_t c = 0; c < nq; ++c) {
            qscales[c] = 0.002f * float(1 + c);
            for (int j = 0; j < dim; ++j)
              qp[(std::size_t(j / 4) * ldq + c) * 4 + j % 4] =
                  static_cast<std::uint8_t>(code(rng) + 128);
          }
          std::vector<float> ref(n * ldq), got(n * ldq);
          score_batch_i8_reference(rows.data(), scales.data(), n, dim, qp.data(), qscales.data(),
                                   ldq, ref.data());
          level->score_batch_i8(rows.data(), scales.data(), n, dim, qp.data(), qscales.data(), ldq,
                                got.data());
          INFO("dim " << dim << ", rows " << n << ", queries " << nq);
          for (std::size_t i = 0; i < n * ldq; ++i)
            CHECK(got[i] == ref[i]); // integer sums, same float scaling
        }
      }
    }
  }
}

TEST_CASE("every level has the kernels its callers need", "[cpu][kernels]") {
  for (const Kernels* level : levels()) {
    INFO("level " << isa_name(level->isa));
    CHECK(level->sparse_scores != nullptr);
    CHECK(level->sparse_scores_i8 != nullptr);
    CHECK(level->row_sums != nullptr);
    CHECK(level->score_i8 != nullptr);
    CHECK(level->score_f32q != nullptr);
    // Batch widths divide the int8 tile and are register tiles.
    CHECK((level->batch_f32_width == 1 || level->batch_f32_width % 16 == 0));
  }
  CHECK(kernels_for(Isa::portable)->score_batch_i8 == nullptr);
}
