// Subwords: SentencePiece training, round trips, loading from files and
// bytes, damaged models, UTF-8 repair and concurrent encoding.
#include <catch2/catch.hpp>

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/text/subwords.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using supportnlp::ErrorCode;
using supportnlp::text::Subwords;
using supportnlp::text::SubwordTrainOptions;

namespace {

// A small, deterministic support-ticket corpus from templates.
std::vector<std::string> support_corpus(std::size_t n, unsigned seed) {
  const std::vector<std::string> openers = {
      "hi team", "hello", "urgent", "please help", "good morning", "hey support", "dear support"};
  const std::vector<std::string> subjects = {
      "my order",        "the parcel",   "my password",  "the invoice",
      "my account",      "the refund",   "the app",      "the payment",
      "my subscription", "the delivery", "the tracking", "two factor authentication"};
  const std::vector<std::string> problems = {
      "has not arrived yet",    "was charged twice",      "does not work",
      "keeps crashing",         "is still pending",       "was cancelled without notice",
      "cannot be reset",        "shows the wrong amount", "is delayed again",
      "was damaged in transit", "expired yesterday",      "is missing an item"};
  const std::vector<std::string> closers = {"thanks",
                                            "please refund me",
                                            "can you check",
                                            "i want to cancel",
                                            "this is the third time i contact you",
                                            "any update",
                                            "kind regards",
                                            "please call me back"};
  std::mt19937 rng(seed);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(pick(openers) + " " + pick(subjects) + " " + pick(problems) + " " +
                  pick(closers));
  return out;
}

SubwordTrainOptions small_options() {
  SubwordTrainOptions o;
  o.vocab_size = 300;
  // BPE: on a corpus this small SentencePiece's unigram trainer prunes its
  // vocabulary far below the requested size.
  o.model_type = "bpe";
  o.hard_vocab_limit = false;
  return o;
}

// One trained model shared by the tests (training takes a moment).
const Subwords& trained_model() {
  static const Subwords model = [] {
    auto r = Subwords::train_from_sentences(support_corpus(3000, 7), small_options());
    if (!r) FAIL("training failed: " << r.error().message);
    return r.value();
  }();
  return model;
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("supportnlp_subwords_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

} // namespace

TEST_CASE("Subwords trains a model of the requested size from sentences", "[text][subwords]") {
  const Subwords& sp = trained_model();
  CHECK(sp.vocab_size() >= 200);
  CHECK(sp.vocab_size() <= 300);
  CHECK(sp.unk_id() >= 0);
  CHECK(sp.id_to_piece(sp.unk_id()) == "<unk>");
  CHECK_FALSE(sp.model_bytes().empty());
}

TEST_CASE("Subwords encode/decode round-trips text over the trained alphabet", "[text][subwords]") {
  const Subwords& sp = trained_model();
  // Held-out combinations (another seed) of the same vocabulary.
  for (const auto& s : support_corpus(200, 12345)) {
    const auto ids = sp.encode(s);
    REQUIRE_FALSE(ids.empty());
    for (int id : ids)
      CHECK(id != sp.unk_id());
    CHECK(sp.decode(ids) == s);
    // Frequent words became single pieces: far fewer ids than characters.
    CHECK(ids.size() * 4 < s.size());
  }
}

TEST_CASE("Subwords pieces agree with ids and the vocabulary", "[text][subwords]") {
  const Subwords& sp = trained_model();
  const std::string text = "my parcel has not arrived yet please refund me";
  const auto ids = sp.encode(text);
  const auto pieces = sp.encode_pieces(text);
  REQUIRE(ids.size() == pieces.size());
  std::string joined;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(sp.id_to_piece(ids[i]) == pieces[i]);
    CHECK(sp.piece_to_id(pieces[i]) == ids[i]);
    joined += pieces[i];
  }
  // "▁" (U+2581) stands for the space before a word.
  std::string expected = "\xE2\x96\x81" + text;
  for (std::size_t p = 0; (p = expected.find(' ', p)) != std::string::npos;)
    expected.replace(p, 1, "\xE2\x96\x81");
  CHECK(joined == expected);
  // Frequent support words are whole pieces.
  CHECK(sp.piece_to_id("\xE2\x96\x81refund") != sp.unk_id());
  CHECK(sp.piece_to_id("\xE2\x96\x81password") != sp.unk_id());
  for (int id = 0; id < sp.vocab_size(); ++id)
    CHECK(sp.piece_to_id(sp.id_to_piece(id)) == id);
  CHECK(sp.id_to_piece(-1).empty());
  CHECK(sp.id_to_piece(sp.vocab_size()).empty());
  CHECK(sp.piece_to_id("no-such-piece-in-this-model") == sp.unk_id());
}

TEST_CASE("Subwords decode skips out-of-range ids", "[text][subwords]") {
  const Subwords& sp = trained_model();
  auto ids = sp.encode("any update");
  const std::string expected = sp.decode(ids);
  ids.insert(ids.begin(), -5);
  ids.push_back(sp.vocab_size() + 10);
  CHECK(sp.decode(ids) == expected);
}

TEST_CASE("Subwords loads from bytes and encodes identically", "[text][subwords]") {
  const Subwords& sp = trained_model();
  auto copy = Subwords::from_bytes(sp.model_bytes());
  REQUIRE(copy);
  CHECK(copy->vocab_size() == sp.vocab_size());
  CHECK(copy->model_bytes() == sp.model_bytes());
  for (const auto& s : support_corpus(100, 99))
    CHECK(copy->encode(s) == sp.encode(s));
}

TEST_CASE("Subwords rejects empty, foreign and truncated model bytes", "[text][subwords]") {
  auto empty = Subwords::from_bytes("");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::corrupt);

  auto junk = Subwords::from_bytes("this is not a sentencepiece model at all");
  REQUIRE_FALSE(junk);
  CHECK(junk.error().code == ErrorCode::corrupt);

  // Truncation anywhere: a clean error or, where protobuf happens to accept
  // the prefix, a usable model — never a crash. Most cut points must fail.
  const std::string& bytes = trained_model().model_bytes();
  std::size_t rejected = 0, tried = 0;
  for (std::size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 97) {
    ++tried;
    auto r = Subwords::from_bytes(std::string_view(bytes).substr(0, cut));
    if (!r) {
      CHECK(r.error().code == ErrorCode::corrupt);
      CHECK_FALSE(r.error().message.empty());
      ++rejected;
    } else {
      (void)r->encode("my order has not arrived");
    }
  }
  CHECK(rejected * 2 > tried);
}

namespace {

// Loads `rounds` copies of raw SentencePiece bytes, each with a few random
// bit flips, and encodes with those that load. Returns how many were
// refused. A crash here fails the whole test program, as it should.
int load_damaged_copies(const std::string& bytes, int rounds, unsigned seed) {
  std::mt19937 rng(seed);
  int refused = 0;
  for (int round = 0; round < rounds; ++round) {
    std::string damaged = bytes;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k)
      damaged[rng() % damaged.size()] ^= static_cast<char>(1u << (rng() % 8));
    auto r = Subwords::from_bytes(damaged);
    if (!r) {
      CHECK(r.error().code == ErrorCode::corrupt);
      ++refused;
      continue;
    }
    std::vector<supportnlp::text::SubwordPiece> pieces;
    r->encode_with_offsets("Ｒｅｆｕｎｄ my order \xFF now, ﬁle 注文 😡 ok", pieces);
    (void)r->decode(r->encode("the parcel was damaged in transit"));
  }
  return refused;
}

} // namespace

TEST_CASE("Subwords refuses raw SentencePiece bytes with a damaged normalization table",
          "[text][subwords]") {
  // SentencePiece trusts the table; unchecked, some of these copies crash
  // it while encoding (11 of 2000 in a fuzz run before the check existed).
  const int refused = load_damaged_copies(trained_model().model_bytes(), 60, 2024);
  CHECK(refused > 0);
}

namespace {

// ModelProto field 1 is the repeated SentencePiece message {1: piece,
// 2: score, 3: type}; protobuf appends a repeated field given again, so
// these bytes, appended to a model, add one piece to its vocabulary.
std::string extra_piece(const std::string& body) {
  return "\x0A" + std::string(1, static_cast<char>(body.size())) + body;
}
std::string piece_body(const std::string& text) {
  const std::string score_and_type("\x15\x00\x00\x80\xBF\x18\x01", 7); // -1.0f, NORMAL
  return "\x0A" + std::string(1, static_cast<char>(text.size())) + text + score_and_type;
}

} // namespace

TEST_CASE("Subwords refuses a vocabulary with an empty or NUL-holding piece", "[text][subwords]") {
  // Such a piece is an empty key to SentencePiece's trie builder (unigram
  // models), which throws out of the loader; fuzz_subwords found it. The
  // model must be refused by name instead, for both model types.
  SubwordTrainOptions unigram = small_options();
  unigram.model_type = "unigram";
  auto uni = Subwords::train_from_sentences(support_corpus(3000, 11), unigram);
  REQUIRE(uni);
  const Subwords* models[] = {&trained_model(), &uni.value()};
  for (const Subwords* sp : models) {
    const std::string& bytes = sp->model_bytes();
    // The framing is right: a new, well-formed piece loads and is known.
    auto grown = Subwords::from_bytes(bytes + extra_piece(piece_body("zqxj")));
    REQUIRE(grown);
    CHECK(grown->vocab_size() == sp->vocab_size() + 1);

    const std::string score_only("\x15\x00\x00\x80\xBF", 5);
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"empty piece", piece_body("")},
        {"piece field absent", score_only},
        {"NUL piece", piece_body(std::string(1, '\0'))},
        {"NUL inside a piece", piece_body(std::string("ab\0c", 4))},
    };
    for (const auto& [what, body] : bad) {
      INFO(what);
      auto r = Subwords::from_bytes(bytes + extra_piece(body));
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::corrupt);
      CHECK(r.error().message.find("piece") != std::string::npos);
    }
  }
}

TEST_CASE("Subwords survives many damaged raw models", "[text][subwords][.slow]") {
  load_damaged_copies(trained_model().model_bytes(), 3000, 77);
}

TEST_CASE("Subwords::load reports missing and corrupt files", "[text][subwords]") {
  const auto dir = temp_dir("load");
  auto missing = Subwords::load((dir / "missing.model").string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::not_found);
  CHECK(missing.error().message.find("missing.model") != std::string::npos);

  const auto bad = (dir / "bad.model").string();
  std::ofstream(bad, std::ios::binary) << "garbage bytes, not a model";
  auto corrupt = Subwords::load(bad);
  REQUIRE_FALSE(corrupt);
  CHECK(corrupt.error().code == ErrorCode::corrupt);
  CHECK(corrupt.error().message.find("bad.model") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Subwords::save writes a checksummed model file that loads back", "[text][subwords]") {
  const Subwords& sp = trained_model();
  const auto dir = temp_dir("save");
  const auto path = (dir / "support.subwords").string();
  REQUIRE(sp.save(path));
  auto loaded = Subwords::load(path);
  REQUIRE(loaded);
  CHECK(loaded->model_bytes() == sp.model_bytes());
  for (const auto& s : support_corpus(50, 8))
    CHECK(loaded->encode(s) == sp.encode(s));

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  REQUIRE(Subwords::from_bytes(bytes));
  // Unlike a raw SentencePiece file, any damage is caught: flip one byte or
  // cut the file anywhere and loading fails cleanly.
  const std::size_t step = 1 + bytes.size() / 211;
  for (std::size_t pos = 0; pos < bytes.size(); pos += step) {
    std::string damaged = bytes;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x5A);
    auto r = Subwords::from_bytes(damaged);
    CHECK_FALSE(r);
    auto cut = Subwords::from_bytes(std::string_view(bytes).substr(0, pos));
    CHECK_FALSE(cut);
  }
  SECTION("a model file of another kind is refused") {
    const auto other = (dir / "other.snlp").string();
    supportnlp::io::ModelWriter w("intent");
    w.add_blob("sentencepiece", sp.model_bytes());
    REQUIRE(w.save(other));
    auto r = Subwords::load(other);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::wrong_kind);
  }
  SECTION("no model to save") {
    CHECK(Subwords().save((dir / "none").string()).error().code == ErrorCode::invalid_argument);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("Subwords::train writes a model file that loads back", "[text][subwords]") {
  const auto dir = temp_dir("train");
  const auto corpus = (dir / "corpus.txt").string();
  {
    std::ofstream out(corpus);
    for (const auto& s : support_corpus(1500, 3))
      out << s << '\n';
  }
  auto options = small_options();
  options.input_files = {corpus};
  options.model_prefix = (dir / "support").string();
  options.model_type = "unigram";
  auto path = Subwords::train(options);
  REQUIRE(path);
  CHECK(path.value() == options.model_prefix + ".model");
  CHECK(std::filesystem::exists(options.model_prefix + ".vocab"));
  auto sp = Subwords::load(path.value());
  REQUIRE(sp);
  for (const auto& s : support_corpus(50, 4))
    CHECK(sp->decode(sp->encode(s)) == s);

  SECTION("missing input file") {
    options.input_files = {(dir / "nope.txt").string()};
    auto r = Subwords::train(options);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::not_found);
  }
  SECTION("bad options") {
    options.vocab_size = 0;
    CHECK(Subwords::train(options).error().code == ErrorCode::invalid_argument);
    options.vocab_size = 300;
    options.model_type = "transformer";
    CHECK(Subwords::train(options).error().code == ErrorCode::invalid_argument);
    options.model_type = "unigram";
    options.input_files.clear();
    CHECK(Subwords::train(options).error().code == ErrorCode::invalid_argument);
  }
  SECTION("vocabulary larger than the corpus allows") {
    options.vocab_size = 50000;
    options.hard_vocab_limit = true;
    auto r = Subwords::train(options);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_data);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("Subwords repairs invalid UTF-8 before encoding", "[text][subwords]") {
  const Subwords& sp = trained_model();
  const std::string broken = "my order \xFF\xFE has not arrived";
  const std::string repaired = "my order \xEF\xBF\xBD\xEF\xBF\xBD has not arrived";
  CHECK(sp.encode(broken) == sp.encode(repaired));
  CHECK(sp.encode_pieces(broken) == sp.encode_pieces(repaired));
  // The text around the bad bytes is kept.
  const auto back = sp.decode(sp.encode(broken));
  CHECK(back.find("my order") == 0);
  CHECK(back.find("has not arrived") != std::string::npos);
  // Training repairs too.
  auto corpus = support_corpus(800, 21);
  corpus.push_back("bad bytes \xC3\x28 in a sentence");
  CHECK(Subwords::train_from_sentences(corpus, small_options()));
}

TEST_CASE("Subwords training rejects unusable corpora with an error, not an abort",
          "[text][subwords]") {
  // SentencePiece's unigram trainer aborts the process on these; the
  // wrapper must turn them into errors.
  auto options = small_options();
  options.model_type = "unigram";
  const std::vector<std::vector<std::string>> unusable = {
      {"", "   ", "\t\t"},
      {"\xFF\xFE", "\xEF\xBF\xBD"},             // invalid UTF-8, U+FFFD
      {"\xE2\x80\x8B\xE2\x80\x8D", "\xC2\xA0"}, // zero-width and no-break spaces
      {std::string(5000, 'a')},                 // longer than the trainer reads
  };
  for (const auto& corpus : unusable) {
    auto r = Subwords::train_from_sentences(corpus, options);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_data);
  }
  options.vocab_size = 3;
  CHECK(Subwords::train_from_sentences({"hello world"}, options).error().code ==
        ErrorCode::invalid_argument);

  const auto dir = temp_dir("unusable");
  const auto blank = (dir / "blank.txt").string();
  std::ofstream(blank) << "\n   \n\t\n";
  options = small_options();
  options.input_files = {blank};
  options.model_prefix = (dir / "m").string();
  CHECK(Subwords::train(options).error().code == ErrorCode::invalid_data);

  const auto corpus = (dir / "corpus.txt").string();
  {
    std::ofstream out(corpus);
    for (const auto& s : support_corpus(300, 5))
      out << s << '\n';
  }
  options.input_files = {corpus};
  options.model_prefix = (dir / "no-such-dir" / "m").string();
  CHECK(Subwords::train(options).error().code == ErrorCode::io_error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Subwords without a model and empty text never fail", "[text][subwords]") {
  Subwords none;
  CHECK(none.encode("hello").empty());
  CHECK(none.encode_pieces("hello").empty());
  CHECK(none.decode({1, 2, 3}).empty());
  CHECK(none.vocab_size() == 0);
  CHECK(none.model_bytes().empty());
  CHECK(trained_model().encode("").empty());
  CHECK(trained_model().decode({}).empty());
  CHECK(Subwords::train_from_sentences({}, small_options()).error().code ==
        ErrorCode::invalid_data);
}

TEST_CASE("Subwords encodes concurrently with the same results as sequentially",
          "[text][subwords]") {
  const Subwords& sp = trained_model();
  const auto texts = support_corpus(400, 77);
  std::vector<std::vector<int>> expected;
  for (const auto& t : texts)
    expected.push_back(sp.encode(t));

  constexpr int kThreads = 4;
  std::vector<std::vector<std::vector<int>>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const Subwords copy = sp; // copies share the model
      std::vector<int> ids;
      for (int round = 0; round < 5; ++round) {
        got[t].clear();
        for (const auto& text : texts) {
          copy.encode(text, ids);
          got[t].push_back(ids);
        }
      }
    });
  for (auto& th : threads)
    th.join();
  for (int t = 0; t < kThreads; ++t)
    CHECK(got[t] == expected);
}

namespace {

// Checks the offset contract of encode_with_offsets on `text`: same ids as
// encode(), spans in order and inside the text, and every byte that is not
// whitespace covered by exactly one span.
void check_offsets(const Subwords& sp, const std::string& text) {
  INFO("text: " << text);
  std::vector<supportnlp::text::SubwordPiece> pieces;
  sp.encode_with_offsets(text, pieces);
  std::vector<int> ids;
  for (const auto& p : pieces)
    ids.push_back(p.id);
  CHECK(ids == sp.encode(text));
  std::vector<int> covered(text.size(), 0);
  std::uint32_t prev_end = 0;
  for (const auto& p : pieces) {
    REQUIRE(p.begin <= p.end);
    REQUIRE(p.end <= text.size());
    CHECK(p.begin >= prev_end);
    prev_end = p.end;
    for (auto i = p.begin; i < p.end; ++i)
      ++covered[i];
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t')
      CHECK(covered[i] == 0);
    else
      CHECK(covered[i] == 1);
  }
}

} // namespace

TEST_CASE("Subwords offsets point at the pieces in the original text", "[text][subwords]") {
  const Subwords& sp = trained_model();
  for (const auto& s : support_corpus(100, 555)) {
    check_offsets(sp, s);
    // On plain lower-case ASCII each span is the piece without its "▁".
    std::vector<supportnlp::text::SubwordPiece> pieces;
    sp.encode_with_offsets(s, pieces);
    for (const auto& p : pieces) {
      std::string piece = sp.id_to_piece(p.id);
      if (piece.rfind("\xE2\x96\x81", 0) == 0) piece.erase(0, 3);
      CHECK(s.substr(p.begin, p.end - p.begin) == piece);
    }
  }
  // Extra spaces, full-width letters (NFKC inside SentencePiece), a ligature,
  // unknown characters and a leading space.
  check_offsets(sp, "  my   parcel\thas not arrived  ");
  check_offsets(sp,
                "\xEF\xBC\xB2\xEF\xBD\x85\xEF\xBD\x86\xEF\xBD\x95\xEF\xBD\x8E\xEF\xBD\x84 please");
  check_offsets(sp, "\xEF\xAC\x81le the invoice \xE6\xB3\xA8\xE6\x96\x87 \xF0\x9F\x98\xA1");
}

TEST_CASE("Subwords offsets survive invalid UTF-8", "[text][subwords]") {
  const Subwords& sp = trained_model();
  const std::string text = "my order \xFF\xC3 has not arrived \xE2\x82";
  std::vector<supportnlp::text::SubwordPiece> pieces;
  sp.encode_with_offsets(text, pieces);
  REQUIRE_FALSE(pieces.empty());
  bool found_has = false;
  for (const auto& p : pieces) {
    REQUIRE(p.end <= text.size());
    if (p.id == sp.piece_to_id("\xE2\x96\x81has")) {
      CHECK(text.substr(p.begin, p.end - p.begin) == "has");
      found_has = true;
    }
  }
  CHECK(found_has);
  std::vector<int> ids;
  for (const auto& p : pieces)
    ids.push_back(p.id);
  CHECK(ids == sp.encode(text));
  // Spans after the bad bytes still line up; the U+FFFD that replaced them
  // is dropped by SentencePiece's normalization and lies in no span.
  CHECK(text.substr(0, pieces.back().end).find("arrived") != std::string::npos);
  for (const auto& p : pieces)
    for (auto i = p.begin; i < p.end; ++i)
      CHECK(static_cast<unsigned char>(text[i]) < 0x80);
}
