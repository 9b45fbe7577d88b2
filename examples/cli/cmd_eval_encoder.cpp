// supportnlp eval encoder: retrieval quality of an encoder on held-out data,
// printed as JSON beside a TF-IDF cosine baseline computed on the same data.
//   nearest-neighbour labels: --train TSV --test TSV (text<TAB>label)
//     each test text's nearest train texts; accuracy = label of the nearest,
//     recall@k = the test label among the k nearest.
//   retrieval: --corpus TSV(id,title,body) --queries TSV(qid,text) --qrels TSV
//     graded ndcg@10, mrr@10, recall@10 and map (over the top 100) of
//     documents "title body", by the library's ranking metrics as in eval search.
#include "command.hpp"
#include "options.hpp"
#include "records.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/search/ranking_metrics.hpp>
#include <supportnlp/text/tokenizer.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>

namespace {

using Rows = std::vector<std::vector<std::string>>;

bool read_tsv(const std::string& path, std::size_t columns, Rows& rows, std::uint64_t& bad) {
  return supportnlp::cli::read_tsv_rows("eval encoder", path, columns, rows, bad);
}

// Ranked lists of indices into `docs` for each query, best first.
using Ranking = std::vector<std::vector<int>>;

Ranking top_k(const std::vector<std::vector<float>>& scores, int k) {
  Ranking out(scores.size());
  for (std::size_t q = 0; q < scores.size(); ++q) {
    std::vector<int> idx(scores[q].size());
    std::iota(idx.begin(), idx.end(), 0);
    const int kk = std::min<int>(k, static_cast<int>(idx.size()));
    std::partial_sort(idx.begin(), idx.begin() + kk, idx.end(), [&](int a, int b) {
      return scores[q][a] != scores[q][b] ? scores[q][a] > scores[q][b] : a < b;
    });
    idx.resize(kk);
    out[q] = std::move(idx);
  }
  return out;
}

Ranking dense_rank(const supportnlp::embed::Encoder& enc, const std::vector<std::string>& queries,
                   const std::vector<std::string>& docs, int k) {
  const int d = enc.dim();
  std::vector<float> dv(docs.size() * d), qv(d);
  for (std::size_t i = 0; i < docs.size(); ++i)
    enc.encode(docs[i], dv.data() + i * d);
  std::vector<std::vector<float>> scores(queries.size(), std::vector<float>(docs.size()));
  for (std::size_t q = 0; q < queries.size(); ++q) {
    enc.encode(queries[q], qv.data());
    for (std::size_t i = 0; i < docs.size(); ++i)
      scores[q][i] = std::inner_product(qv.begin(), qv.end(), dv.begin() + i * d, 0.0f);
  }
  return top_k(scores, k);
}

// TF-IDF cosine (sublinear tf, smoothed idf) over normalized word tokens.
Ranking tfidf_rank(const std::vector<std::string>& queries, const std::vector<std::string>& docs,
                   int k) {
  supportnlp::text::Tokenizer tok;
  supportnlp::text::TokenizedText t;
  std::unordered_map<std::string, int> vocab;
  auto bag = [&](const std::string& s, bool grow) {
    std::map<int, float> tf;
    tok.tokenize(s, t);
    for (const auto& token : t.tokens) {
      if (token.kind == supportnlp::text::TokenKind::punct) continue;
      std::string w(t.normalized(token));
      auto it = vocab.find(w);
      if (it == vocab.end()) {
        if (!grow) continue;
        it = vocab.emplace(w, static_cast<int>(vocab.size())).first;
      }
      tf[it->second] += 1.0f;
    }
    return tf;
  };
  std::vector<std::map<int, float>> dbags;
  for (const auto& d : docs)
    dbags.push_back(bag(d, true));
  std::vector<float> df(vocab.size(), 0.0f);
  for (const auto& b : dbags)
    for (const auto& [w, c] : b)
      df[w] += 1.0f;
  std::vector<float> idf(vocab.size());
  for (std::size_t w = 0; w < idf.size(); ++w)
    idf[w] = std::log((1.0f + docs.size()) / (1.0f + df[w])) + 1.0f;
  auto weigh = [&](std::map<int, float>& b) {
    float n = 0;
    for (auto& [w, c] : b) {
      c = (1.0f + std::log(c)) * idf[w];
      n += c * c;
    }
    n = std::sqrt(n);
    if (n > 0)
      for (auto& [w, c] : b)
        c /= n;
  };
  std::vector<std::vector<std::pair<int, float>>> postings(vocab.size());
  for (std::size_t i = 0; i < dbags.size(); ++i) {
    weigh(dbags[i]);
    for (const auto& [w, c] : dbags[i])
      postings[w].emplace_back(static_cast<int>(i), c);
  }
  std::vector<std::vector<float>> scores(queries.size(), std::vector<float>(docs.size(), 0.0f));
  for (std::size_t q = 0; q < queries.size(); ++q) {
    auto b = bag(queries[q], false);
    weigh(b);
    for (const auto& [w, c] : b)
      for (const auto& [doc, v] : postings[w])
        scores[q][doc] += c * v;
  }
  return top_k(scores, k);
}

nlohmann::json label_metrics(const Ranking& r, const std::vector<std::string>& query_labels,
                             const std::vector<std::string>& doc_labels) {
  double acc = 0, r5 = 0, r10 = 0;
  for (std::size_t q = 0; q < r.size(); ++q) {
    for (std::size_t i = 0; i < r[q].size(); ++i) {
      if (doc_labels[r[q][i]] != query_labels[q]) continue;
      acc += i == 0;
      r5 += i < 5;
      r10 += i < 10;
      break;
    }
  }
  const double n = std::max<std::size_t>(1, r.size());
  return {{"nn_accuracy", acc / n}, {"recall@5", r5 / n}, {"recall@10", r10 / n}};
}

// The library's ranking metrics (search/ranking_metrics.hpp), the same as
// eval search's: graded nDCG@10 (gain 2^grade - 1), MRR@10, recall@10, MAP.
nlohmann::json retrieval_metrics(const Ranking& r, const std::vector<std::string>& qids,
                                 const std::vector<std::string>& doc_ids,
                                 const supportnlp::search::QueryJudgements& qrels) {
  supportnlp::search::RankingEvaluation eval(10);
  std::vector<std::string> ranked;
  for (std::size_t q = 0; q < r.size(); ++q) {
    auto it = qrels.find(qids[q]);
    if (it == qrels.end()) continue;
    ranked.clear();
    for (const int doc : r[q])
      ranked.push_back(doc_ids[doc]);
    eval.add(ranked, it->second);
  }
  const auto m = eval.mean();
  return {{"ndcg@10", m.ndcg},
          {"mrr@10", m.mrr},
          {"recall@10", m.recall},
          {"map", m.average_precision},
          {"n", eval.queries()}};
}

int run(const supportnlp::cli::Args& args) {
  std::string model, train, test, corpus, queries, qrels;
  supportnlp::cli::Options opts(
      "eval encoder",
      "[--model M] (--train TSV --test TSV | --corpus TSV --queries TSV --qrels TSV)");
  opts.add("--model", &model, "encoder model file (default: the bundled encoder)")
      .add("--train", &train, "labelled texts searched (text<TAB>label)")
      .add("--test", &test, "labelled held-out queries (text<TAB>label)")
      .add("--corpus", &corpus, "documents id<TAB>title<TAB>body")
      .add("--queries", &queries, "queries qid<TAB>text")
      .add("--qrels", &qrels, "relevance qid<TAB>docid<TAB>relevance");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (model.empty()) model = supportnlp::cli::default_data_dir() + "/models/encoder.snlp";
  const bool labels = !train.empty() && !test.empty();
  const bool retrieval = !corpus.empty() && !queries.empty() && !qrels.empty();
  if (labels == retrieval) {
    std::cerr << "supportnlp eval encoder: give either --train and --test, or --corpus, "
                 "--queries and --qrels\n";
    return 2;
  }
  auto enc = supportnlp::embed::StaticEncoder::load(model);
  if (!enc) {
    std::cerr << "supportnlp eval encoder: " << enc.error().message << '\n';
    return 1;
  }
  std::uint64_t bad = 0;
  nlohmann::json out{{"model", model}, {"fingerprint", enc->fingerprint()}};
  const auto start = std::chrono::steady_clock::now();
  if (labels) {
    Rows tr, te;
    if (!read_tsv(train, 2, tr, bad) || !read_tsv(test, 2, te, bad)) return 2;
    std::vector<std::string> dt, dl, qt, ql;
    for (auto& r : tr)
      dt.push_back(r[0]), dl.push_back(r[1]);
    for (auto& r : te)
      qt.push_back(r[0]), ql.push_back(r[1]);
    out["task"] = "nearest_neighbour_label";
    out["train"] = train;
    out["test"] = test;
    out["n"] = qt.size();
    out["dense"] = label_metrics(dense_rank(*enc, qt, dt, 10), ql, dl);
    out["tfidf"] = label_metrics(tfidf_rank(qt, dt, 10), ql, dl);
  } else {
    Rows docs, qs;
    if (!read_tsv(corpus, 3, docs, bad) || !read_tsv(queries, 2, qs, bad)) return 2;
    // Graded judgements, read as eval search reads them.
    supportnlp::search::QueryJudgements judged;
    if (supportnlp::cli::with_input(qrels, [&](std::istream& in) {
          bad +=
              supportnlp::search::read_qrels(in, judged, [&](const supportnlp::io::RecordIssue& i) {
                std::cerr << qrels << ':' << i.line << ": " << i.message << "; skipped\n";
              });
          return 0;
        }))
      return 2;
    std::vector<std::string> ids, texts, qids, qtexts;
    for (auto& r : docs)
      ids.push_back(r[0]), texts.push_back(r[1] + " " + r[2]);
    for (auto& r : qs)
      qids.push_back(r[0]), qtexts.push_back(r[1]);
    out["task"] = "retrieval";
    out["queries"] = queries;
    out["dense"] = retrieval_metrics(dense_rank(*enc, qtexts, texts, 100), qids, ids, judged);
    out["tfidf"] = retrieval_metrics(tfidf_rank(qtexts, texts, 100), qids, ids, judged);
  }
  out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (bad) out["malformed_lines"] = bad;
  std::cout << out.dump() << '\n';
  return bad ? 1 : 0;
}

supportnlp::cli::CommandRegistration reg{"eval encoder",
                                         "encoder retrieval quality vs a TF-IDF baseline", run};

} // namespace
