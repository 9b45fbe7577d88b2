// The tokenizers of pretrained transformer encoders (issue 14): BERT's
// WordPiece against the reference ids of all-MiniLM-L6-v2 (../shared) and
// against cases derived by hand from Hugging Face's algorithm, XLM-R's
// SentencePiece id mapping, loading errors and concurrent use.
#include <catch2/catch.hpp>

#include "embed/transformer/bert_chars.hpp"
#include "embed/transformer/tokenizer.hpp"
#include "embed/transformer/wordpiece.hpp"
#include "supportnlp/text/subwords.hpp"

#include <nlohmann/json.hpp>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tf = supportnlp::embed::transformer;
namespace fs = std::filesystem;
using supportnlp::ErrorCode;

namespace {

const std::string kMiniLm = std::string(SUPPORTNLP_SHARED_DIR) + "/models/all-MiniLM-L6-v2";

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path << " (the tests need ../shared beside the repository)");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// vocab.txt as token strings, id = line number.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

const std::vector<std::string>& minilm_vocab() {
  static const std::vector<std::string> vocab = lines_of(read_bytes(kMiniLm + "/vocab.txt"));
  return vocab;
}

const tf::Tokenizer& minilm() {
  static const std::unique_ptr<tf::Tokenizer> t = [] {
    auto r = tf::load_tokenizer(kMiniLm);
    if (!r) FAIL("load_tokenizer: " << r.error().message);
    return std::move(r.value());
  }();
  return *t;
}

// The tokens of ids in `vocab`, to compare readably with expectations.
std::vector<std::string> tokens(const tf::Encoding& e, const std::vector<std::string>& vocab) {
  std::vector<std::string> out;
  for (auto id : e.ids)
    out.push_back(id >= 0 && static_cast<std::size_t>(id) < vocab.size() ? vocab[id] : "<bad id>");
  return out;
}

using Spans = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
Spans spans(const tf::Encoding& e) {
  Spans out;
  for (std::size_t i = 0; i < e.ids.size(); ++i)
    out.emplace_back(e.begin[i], e.end[i]);
  return out;
}

// A vocabulary small enough to derive every expectation by hand.
const std::vector<std::string> kTiny = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a",    "##a",  "b",
    "##b",   "don",   "'",     "t",     ",",      ".",  "!",     "$",      "cafe", "café", "你",
    "好",    "##好",  "🙂",  "i",     "—",      "«",  "»",     "Café",   "ᄒ",   "##ᅡ", "##ᆫ"};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& t : v)
    s += t + "\n";
  return s;
}

std::unique_ptr<tf::Tokenizer> tiny(bool lower = true, bool strip = true, bool chinese = true) {
  auto r = tf::wordpiece_from_vocab(joined(kTiny), lower, strip, chinese);
  REQUIRE(r);
  return std::move(r.value());
}

std::vector<std::string> tiny_tokens(const tf::Tokenizer& t, std::string_view text,
                                     std::size_t max_length = 64) {
  return tokens(t.encode(text, max_length), kTiny);
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("snlp_tok_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

} // namespace

TEST_CASE("WordPiece reproduces all-MiniLM-L6-v2's reference ids", "[embed][transformer]") {
  const auto reference = nlohmann::json::parse(read_bytes(kMiniLm + "/reference_tokens.json"));
  const std::string vocab_txt = read_bytes(kMiniLm + "/vocab.txt");
  // The folder (vocab.txt + tokenizer_config.json), the bytes, and
  // tokenizer.json's vocabulary alone must all give the reference ids.
  auto from_bytes = tf::wordpiece_from_vocab(vocab_txt, true, true, true);
  REQUIRE(from_bytes);
  const fs::path json_only = temp_dir("json_only");
  fs::copy_file(kMiniLm + "/tokenizer.json", json_only / "tokenizer.json");
  auto from_json = tf::load_tokenizer(json_only.string());
  REQUIRE(from_json);
  std::size_t sentences = 0;
  for (const char* group : {"support_sentences", "extra_sentences"}) {
    for (const auto& s : reference.at(group)) {
      const std::string text = s.at("sentence");
      const auto expected = s.at("input_ids").get<std::vector<std::int32_t>>();
      INFO(group << ": " << text);
      CHECK(minilm().encode(text, 256).ids == expected);
      CHECK(from_bytes.value()->encode(text, 256).ids == expected);
      CHECK(from_json.value()->encode(text, 256).ids == expected);
      CHECK(tokens(minilm().encode(text, 256), minilm_vocab()) ==
            s.at("tokens").get<std::vector<std::string>>());
      ++sentences;
    }
  }
  CHECK(sentences == 16);
  CHECK(minilm().pad_id() == 0);
  CHECK(minilm().vocab_size() == 30522);
  CHECK(from_json.value()->vocab_size() == 30522);
  fs::remove_all(json_only);
}

TEST_CASE("WordPiece offsets are byte spans of the original text", "[embed][transformer]") {
  // The reference file has ids and tokens only, no offsets. For its ASCII
  // sentences the span of every token, lowercased, is the token (without
  // "##"); the accented one is checked span by span.
  const auto reference = nlohmann::json::parse(read_bytes(kMiniLm + "/reference_tokens.json"));
  std::size_t checked = 0;
  for (const char* group : {"support_sentences", "extra_sentences"}) {
    for (const auto& s : reference.at(group)) {
      const std::string text = s.at("sentence");
      bool ascii = true;
      for (unsigned char c : text)
        ascii = ascii && c < 0x80;
      if (!ascii) continue;
      const auto e = minilm().encode(text, 256);
      const auto toks = tokens(e, minilm_vocab());
      for (std::size_t i = 1; i + 1 < e.ids.size(); ++i) {
        std::string span = text.substr(e.begin[i], e.end[i] - e.begin[i]);
        for (auto& c : span)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string tok = toks[i].rfind("##", 0) == 0 ? toks[i].substr(2) : toks[i];
        INFO(text << " token " << toks[i]);
        CHECK(span == tok);
        ++checked;
      }
      CHECK(spans(e).front() == std::make_pair(0u, 0u));
      CHECK(spans(e).back() == std::make_pair(0u, 0u));
    }
  }
  CHECK(checked > 80);
  // "Café naïve résumé 你好 unaffable": é, ï are two bytes, 你 and 好 three.
  const auto e = minilm().encode("Café naïve résumé 你好 unaffable", 256);
  CHECK(spans(e) == Spans{{0, 0},
                          {0, 5},
                          {6, 12},
                          {13, 21},
                          {22, 25},
                          {25, 28},
                          {29, 32},
                          {32, 35},
                          {35, 38},
                          {0, 0}});
}

TEST_CASE("WordPiece follows BERT's rules on hard cases (real vocabulary)",
          "[embed][transformer]") {
  const auto& v = minilm_vocab();
  const auto toks = [&](std::string_view text) { return tokens(minilm().encode(text, 256), v); };
  using T = std::vector<std::string>;
  CHECK(toks("I don't know") == T{"[CLS]", "i", "don", "'", "t", "know", "[SEP]"});
  CHECK(toks("https://help.example.com/reset?id=42") == T{"[CLS]", "https", ":", "/", "/", "help",
                                                          ".", "example", ".", "com", "/", "reset",
                                                          "?", "id", "=", "42", "[SEP]"});
  CHECK(toks("Naïve Ünïcödé!!!") == T{"[CLS]", "naive", "unicode", "!", "!", "!", "[SEP]"});
  // € is a currency symbol (Sc), not punctuation: it stays in the word.
  CHECK(toks("€99") == T{"[CLS]", "€", "##9", "##9", "[SEP]"});
  CHECK(toks("thanks 🙂") == T{"[CLS]", "thanks", "[UNK]", "[SEP]"});
  // Lowercasing is per character (Rust's char::to_lowercase in the fast
  // tokenizer): a final capital sigma becomes σ, not Python's ς.
  CHECK(toks("ΑΣ") == T{"[CLS]", "α", "##σ", "[SEP]"});
  // NFD splits a Hangul syllable into its jamo; all share the syllable's span.
  const auto hangul = minilm().encode("한", 256);
  CHECK(tokens(hangul, v) == T{"[CLS]", "ᄒ", "##ᅡ", "##ᆫ", "[SEP]"});
  CHECK(spans(hangul) == Spans{{0, 0}, {0, 3}, {0, 3}, {0, 3}, {0, 0}});
  // KELVIN SIGN decomposes canonically to K.
  const auto kelvin = minilm().encode("\xE2\x84\xAA"
                                      "elvin",
                                      256);
  CHECK(tokens(kelvin, v) == T{"[CLS]", "kelvin", "[SEP]"});
  CHECK(spans(kelvin) == Spans{{0, 0}, {0, 8}, {0, 0}});
  // Special tokens in the text are kept whole, and only as written.
  const auto special = minilm().encode("a [SEP] b [sep]", 256);
  CHECK(tokens(special, v) == T{"[CLS]", "a", "[SEP]", "b", "[", "sep", "]", "[SEP]"});
  CHECK(spans(special)[2] == std::make_pair(2u, 7u));
}

TEST_CASE("the per-character table equals ICU's string normalization", "[embed][transformer]") {
  // The table normalizes one code point at a time; BERT normalizes the whole
  // text (NFD, drop Mn, then full lowercase). For single code points the two
  // must agree: checked against ICU's string functions for every BMP code
  // point and the emoji, CJK extension B and math alphanumeric blocks.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  REQUIRE(U_SUCCESS(status));
  for (const auto& [lower_case, strip_accents] :
       {std::pair{true, true}, {true, false}, {false, true}}) {
    // Plain copies: C++17 lambdas cannot capture structured bindings (clang
    // refuses; gcc allows it as an extension).
    const bool lower = lower_case, strip = strip_accents;
    const tf::BertNormalization options{lower, strip, true};
    const auto& table = tf::BertCharTable::get(options);
    std::vector<tf::NormalizedChar> scratch;
    std::size_t compared = 0, mismatches = 0;
    const auto check = [&](char32_t cp) {
      std::uint8_t count = 0;
      const tf::NormalizedChar* chars = table.map(cp, count, scratch);
      if (count == 0 || chars[0].cls == tf::CharClass::space) return; // removed or a space
      std::string got;
      for (std::uint8_t i = 0; i < count; ++i)
        got.append(chars[i].utf8, chars[i].size);
      icu::UnicodeString s(static_cast<UChar32>(cp));
      if (strip) {
        UErrorCode err = U_ZERO_ERROR;
        const icu::UnicodeString d = nfd->normalize(s, err);
        s.remove();
        for (int32_t i = 0; i < d.length(); i += U16_LENGTH(d.char32At(i)))
          if (u_charType(d.char32At(i)) != U_NON_SPACING_MARK) s.append(d.char32At(i));
      }
      if (lower) s.toLower(icu::Locale::getRoot());
      std::string expected;
      s.toUTF8String(expected);
      ++compared;
      if (got != expected && ++mismatches <= 5)
        FAIL_CHECK("U+" << std::hex << static_cast<std::uint32_t>(cp) << " lower " << lower
                        << " strip " << strip);
    };
    for (char32_t cp = 0; cp < 0x10000; ++cp)
      if (cp < 0xD800 || cp > 0xDFFF) check(cp);
    for (char32_t cp = 0x1D400; cp < 0x1D800; ++cp)
      check(cp);
    for (char32_t cp = 0x1F300; cp < 0x1FB00; ++cp)
      check(cp);
    for (char32_t cp = 0x20000; cp < 0x20100; ++cp)
      check(cp);
    CHECK(mismatches == 0);
    CHECK(compared > 50000);
  }
}

TEST_CASE("WordPiece algorithm on a hand-made vocabulary", "[embed][transformer]") {
  const auto t = tiny();
  using T = std::vector<std::string>;
  CHECK(tiny_tokens(*t, "") == T{"[CLS]", "[SEP]"});
  CHECK(tiny_tokens(*t, " \t\n ") == T{"[CLS]", "[SEP]"});
  const auto e = t->encode("unaffable", 64);
  CHECK(tokens(e, kTiny) == T{"[CLS]", "un", "##aff", "##able", "[SEP]"});
  CHECK(spans(e) == Spans{{0, 0}, {0, 2}, {2, 5}, {5, 9}, {0, 0}});
  CHECK(tiny_tokens(*t, "UNAFFABLE") == T{"[CLS]", "un", "##aff", "##able", "[SEP]"});
  // One unmatched part makes the whole word [UNK], spanning the word.
  const auto unk = t->encode("x unaffablex", 64);
  CHECK(tokens(unk, kTiny) == T{"[CLS]", "[UNK]", "[UNK]", "[SEP]"});
  CHECK(spans(unk)[2] == std::make_pair(2u, 12u));
  CHECK(tiny_tokens(*t, "don't") == T{"[CLS]", "don", "'", "t", "[SEP]"});
  CHECK(tiny_tokens(*t, "a,b.!") == T{"[CLS]", "a", ",", "b", ".", "!", "[SEP]"});
  // ASCII symbols count as punctuation ($), Unicode punctuation (—, «, ») too.
  CHECK(tiny_tokens(*t, "a$b") == T{"[CLS]", "a", "$", "b", "[SEP]"});
  CHECK(tiny_tokens(*t, "«a—b»") == T{"[CLS]", "«", "a", "—", "b", "»", "[SEP]"});
  // Accents: precomposed and combining forms both strip to "cafe".
  const auto acute = t->encode("Café cafe\xCC\x81", 64);
  CHECK(tokens(acute, kTiny) == T{"[CLS]", "cafe", "cafe", "[SEP]"});
  // The removed combining mark belongs to no token (Hugging Face's filter
  // drops its alignment); the precomposed é is inside its token's span.
  CHECK(spans(acute) == Spans{{0, 0}, {0, 5}, {6, 10}, {0, 0}});
  // CJK ideographs are words of their own, even inside other words.
  CHECK(tiny_tokens(*t, "a你好b") == T{"[CLS]", "a", "你", "好", "b", "[SEP]"});
  // Emoji (above the BMP) are word characters.
  const auto emoji = t->encode(" \xF0\x9F\x99\x82 ", 64);
  CHECK(tokens(emoji, kTiny) == T{"[CLS]", "🙂", "[SEP]"});
  CHECK(spans(emoji)[1] == std::make_pair(1u, 5u));
  // İ lowercases to i + combining dot, which accent stripping removes.
  CHECK(tiny_tokens(*t, "\xC4\xB0") == T{"[CLS]", "i", "[SEP]"});
  CHECK(tiny_tokens(*t, "\xEA\xB0\x80") == T{"[CLS]", "[UNK]", "[SEP]"}); // 가: no jamo in kTiny
  CHECK(tiny_tokens(*t, "\xED\x95\x9C") == T{"[CLS]", "ᄒ", "##ᅡ", "##ᆫ", "[SEP]"}); // 한
}

TEST_CASE("WordPiece cleans text: controls, invalid UTF-8, odd whitespace",
          "[embed][transformer]") {
  const auto t = tiny();
  using T = std::vector<std::string>;
  // Removed characters join the parts around them into one word.
  for (const std::string& text : {std::string("a\x01"
                                              "b"),
                                  std::string("a\0b", 3),
                                  std::string("a\xE2\x80\x8B"
                                              "b"), // zero-width space (Cf)
                                  std::string("a\xEF\xBF\xBD"
                                              "b"), // U+FFFD
                                  std::string("a\xFF"
                                              "b"),
                                  std::string("a\xC3"
                                              "b"), // invalid UTF-8
                                  std::string("a\x0B"
                                              "b")}) { // vertical tab: a control, not whitespace
    INFO("text bytes: " << text.size());
    CHECK(tiny_tokens(*t, text) == T{"[CLS]", "a", "##b", "[SEP]"});
  }
  const auto repaired = t->encode("a\xFF"
                                  "b",
                                  64);
  CHECK(spans(repaired) == Spans{{0, 0}, {0, 1}, {2, 3}, {0, 0}});
  for (const std::string text : {"a\xC2\xA0"
                                 "b",
                                 "a\xE3\x80\x80"
                                 "b",
                                 "a\xE2\x80\xA8"
                                 "b",
                                 "a\r\nb"}) // NBSP, ideographic space, line separator
    CHECK(tiny_tokens(*t, text) == T{"[CLS]", "a", "b", "[SEP]"});
  // Only invalid bytes: the specials alone.
  CHECK(tiny_tokens(*t, "\xFF\xFE\xC0") == T{"[CLS]", "[SEP]"});
}

TEST_CASE("WordPiece word length limit and truncation", "[embed][transformer]") {
  const auto t = tiny();
  using T = std::vector<std::string>;
  // 100 characters are a word; 101 are [UNK].
  const auto e100 = t->encode(std::string(100, 'a'), 512);
  REQUIRE(e100.ids.size() == 102);
  CHECK(kTiny[e100.ids[1]] == "a");
  CHECK(kTiny[e100.ids[100]] == "##a");
  CHECK(tiny_tokens(*t, std::string(101, 'a'), 512) == T{"[CLS]", "[UNK]", "[SEP]"});
  // A very long word is one [UNK] over all its bytes, and what follows it
  // still counts.
  const std::string huge = std::string(1 << 20, 'a') + " b";
  const auto e_huge = t->encode(huge, 512);
  CHECK(tokens(e_huge, kTiny) == T{"[CLS]", "[UNK]", "b", "[SEP]"});
  CHECK(spans(e_huge)[1] == std::make_pair(0u, 1u << 20));
  // max_length counts the specials; below 2 it is 2.
  CHECK(tiny_tokens(*t, "a a a a a", 4) == T{"[CLS]", "a", "a", "[SEP]"});
  CHECK(tiny_tokens(*t, "a a a a a", 0) == T{"[CLS]", "[SEP]"});
  CHECK(tiny_tokens(*t, "a a a a a", 1) == T{"[CLS]", "[SEP]"});
  CHECK(tiny_tokens(*t, "unaffable", 3) == T{"[CLS]", "un", "[SEP]"});
  const auto cut = t->encode("unaffable b", 4);
  CHECK(tokens(cut, kTiny) == T{"[CLS]", "un", "##aff", "[SEP]"});
  CHECK(cut.begin.size() == cut.ids.size());
  CHECK(cut.end.size() == cut.ids.size());
  // A long text stops early but gives the same prefix as a longer limit.
  std::string long_text;
  for (int i = 0; i < 5000; ++i)
    long_text += "unaffable, ";
  const auto a = t->encode(long_text, 128);
  const auto b = t->encode(long_text, 100000);
  REQUIRE(a.ids.size() == 128);
  CHECK(std::equal(a.ids.begin(), a.ids.end() - 1, b.ids.begin()));
  CHECK(b.ids.size() == 5000 * 4 + 2);
}

TEST_CASE("WordPiece options: cased, accents kept, CJK not split", "[embed][transformer]") {
  using T = std::vector<std::string>;
  // Lowercase without stripping keeps é.
  CHECK(tiny_tokens(*tiny(true, false, true), "CAFÉ") == T{"[CLS]", "café", "[SEP]"});
  // Cased: neither lowercased nor stripped.
  CHECK(tiny_tokens(*tiny(false, false, true), "Café cafe CAFE") ==
        T{"[CLS]", "Café", "cafe", "[UNK]", "[SEP]"});
  // Cased with strip_accents: Café -> Cafe, not in kTiny.
  CHECK(tiny_tokens(*tiny(false, true, true), "Café") == T{"[CLS]", "[UNK]", "[SEP]"});
  // CJK not split: 你好 is one word, 你 ##好.
  CHECK(tiny_tokens(*tiny(true, true, false), "你好") == T{"[CLS]", "你", "##好", "[SEP]"});
}

TEST_CASE("read_wordpiece_config resolves a folder's settings for a converter",
          "[embed][transformer]") {
  // all-MiniLM-L6-v2: do_lower_case true, strip_accents null (so stripped),
  // tokenize_chinese_chars true; BERT's special-token names.
  auto config = tf::read_wordpiece_config(kMiniLm);
  REQUIRE(config);
  CHECK(config->vocab == minilm_vocab());
  CHECK(config->normalization.lower_case);
  CHECK(config->normalization.strip_accents);
  CHECK(config->normalization.chinese_chars);
  CHECK(config->unk_token == "[UNK]");
  CHECK(config->cls_token == "[CLS]");
  CHECK(config->max_word_chars == 100);
}

TEST_CASE("load_tokenizer reads the folder's settings and names bad files and fields",
          "[embed][transformer]") {
  const fs::path dir = temp_dir("load");
  write(dir / "vocab.txt", joined(kTiny));
  // tokenizer_config.json's do_lower_case and strip_accents decide.
  write(dir / "tokenizer_config.json", R"({"do_lower_case": true, "strip_accents": false})");
  auto t = tf::load_tokenizer(dir.string());
  REQUIRE(t);
  CHECK(tokens(t.value()->encode("CAFÉ", 16), kTiny) ==
        std::vector<std::string>{"[CLS]", "café", "[SEP]"});
  write(dir / "tokenizer_config.json", R"({"do_lower_case": "yes"})");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().message.find((dir / "tokenizer_config.json").string()) != std::string::npos);
  CHECK(t.error().message.find("do_lower_case") != std::string::npos);
  write(dir / "tokenizer_config.json", R"({"do_lower_case": true)");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().code == ErrorCode::parse_error);
  CHECK(t.error().message.find("tokenizer_config.json") != std::string::npos);
  // Settings this tokenizer cannot follow are refused, not ignored.
  write(dir / "tokenizer_config.json", R"({"do_basic_tokenize": false})");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().message.find("do_basic_tokenize") != std::string::npos);
  write(dir / "tokenizer_config.json", "{}");
  write(dir / "tokenizer.json",
        R"({"normalizer": {"type": "BertNormalizer", "clean_text": false}})");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().message.find("tokenizer.json") != std::string::npos);
  CHECK(t.error().message.find("clean_text") != std::string::npos);
  // Fields of unexpected types are errors or ignored, never exceptions.
  for (const char* odd : {R"({"normalizer": {"type": 5}})", R"({"normalizer": []})",
                          R"({"model": "WordPiece"})", "[1, 2]"}) {
    write(dir / "tokenizer.json", odd);
    CHECK_NOTHROW(tf::load_tokenizer(dir.string()));
  }
  fs::remove(dir / "tokenizer.json");
  // A special token the vocabulary lacks.
  write(dir / "tokenizer_config.json", "{}");
  write(dir / "special_tokens_map.json", R"({"unk_token": "<unk>"})");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().message.find("unk_token") != std::string::npos);
  CHECK(t.error().message.find("<unk>") != std::string::npos);
  write(dir / "special_tokens_map.json", R"({"unk_token": {"content": "[UNK]"}})");
  CHECK(tf::load_tokenizer(dir.string()));
  // Nothing to read.
  fs::remove(dir / "vocab.txt");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().code == ErrorCode::not_found);
  CHECK(t.error().message.find("vocab.txt") != std::string::npos);
  // tokenizer.json of another model type.
  write(dir / "tokenizer.json", R"({"model": {"type": "BPE", "vocab": {}}})");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().message.find("tokenizer.json") != std::string::npos);
  CHECK(t.error().message.find("model.type") != std::string::npos);
  CHECK(!tf::load_tokenizer((dir / "missing").string()));
  fs::remove_all(dir);
  CHECK(!tf::wordpiece_from_vocab("a\nb\n", true, true, true)); // no [UNK], [CLS], ...
  CHECK(!tf::wordpiece_from_vocab("", true, true, true));
}

namespace {

// A tiny XLM-R-style SentencePiece model trained on support sentences.
const supportnlp::text::Subwords& xlmr_spm() {
  static const supportnlp::text::Subwords model = [] {
    std::vector<std::string> corpus;
    const char* words[] = {"refund",  "order", "password", "reset", "account", "delivery",
                           "arrived", "never", "please",   "help",  "my",      "the"};
    for (int i = 0; i < 400; ++i)
      corpus.push_back(std::string(words[i % 12]) + " " + words[(i * 7 + 3) % 12] + " " +
                       words[(i * 5 + 1) % 12] + ".");
    supportnlp::text::SubwordTrainOptions o;
    o.vocab_size = 80;
    o.model_type = "bpe";
    o.hard_vocab_limit = false;
    auto r = supportnlp::text::Subwords::train_from_sentences(corpus, o);
    if (!r) FAIL("training failed: " << r.error().message);
    return r.value();
  }();
  return model;
}

// The XLM-R tokenizer of xlmr_spm().
const tf::Tokenizer& xlmr() {
  static const std::unique_ptr<tf::Tokenizer> t = [] {
    auto r = tf::xlmr_from_sentencepiece(xlmr_spm().model_bytes());
    if (!r) FAIL("xlmr_from_sentencepiece: " << r.error().message);
    return std::move(r.value());
  }();
  return *t;
}

} // namespace

TEST_CASE("XLM-R ids are fairseq's: specials first, SentencePiece ids shifted by one",
          "[embed][transformer]") {
  const auto& spm = xlmr_spm();
  const auto& t = xlmr();
  CHECK(t.pad_id() == 1);
  CHECK(t.vocab_size() == static_cast<std::size_t>(spm.vocab_size()) + 2);
  // Lowercase words of the corpus, and a comma it never saw.
  const std::string text = "please reset my password, the refund never arrived";
  const auto e = t.encode(text, 512);
  const auto pieces = spm.encode(text);
  REQUIRE(e.ids.size() == pieces.size() + 2);
  CHECK(e.ids.front() == 0);
  CHECK(e.ids.back() == 2);
  bool saw_unk = false;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    // SentencePiece's <unk> (0) is fairseq's 3; every other id moves up one.
    const int expected = pieces[i] == spm.unk_id() ? 3 : pieces[i] + 1;
    CHECK(e.ids[i + 1] == expected);
    // The span is the piece's text without SentencePiece's word marker; the
    // unknown piece is the comma.
    std::string piece = spm.id_to_piece(pieces[i]);
    if (piece.rfind("\xE2\x96\x81", 0) == 0) piece = piece.substr(3);
    if (pieces[i] == spm.unk_id()) {
      saw_unk = true;
      piece = ",";
    }
    CHECK(text.substr(e.begin[i + 1], e.end[i + 1] - e.begin[i + 1]) == piece);
  }
  CHECK(saw_unk);
  // Empty, truncated, invalid UTF-8.
  CHECK(t.encode("", 16).ids == std::vector<std::int32_t>{0, 2});
  const auto cut = t.encode(text, 4);
  CHECK(cut.ids == std::vector<std::int32_t>{0, e.ids[1], e.ids[2], 2});
  const std::string bad = "refund \xFF\xFE order";
  const auto repaired = t.encode(bad, 64);
  for (std::size_t i = 1; i + 1 < repaired.ids.size(); ++i) {
    CHECK(repaired.begin[i] <= repaired.end[i]);
    CHECK(repaired.end[i] <= bad.size());
  }
  CHECK(!tf::xlmr_from_sentencepiece("not a model"));
}

TEST_CASE("XLM-R keeps special tokens typed in the text and truncates long texts",
          "[embed][transformer]") {
  const auto& spm = xlmr_spm();
  const auto& t = xlmr();
  const auto shifted = [&](std::string_view s) {
    std::vector<std::int32_t> ids;
    for (int id : spm.encode(s))
      ids.push_back(id == spm.unk_id() ? 3 : id + 1);
    return ids;
  };
  const std::int32_t mask = static_cast<std::int32_t>(t.vocab_size()) - 1;
  // "<s>", "</s>" and "<mask>" are matched in the raw text, case-sensitively;
  // the text around them is tokenized stretch by stretch.
  const std::string text = "refund <s> order</s><mask> help";
  std::vector<std::int32_t> expected{0};
  for (auto id : shifted("refund "))
    expected.push_back(id);
  expected.push_back(0);
  for (auto id : shifted(" order"))
    expected.push_back(id);
  expected.push_back(2);
  expected.push_back(mask);
  for (auto id : shifted(" help"))
    expected.push_back(id);
  expected.push_back(2);
  const auto e = t.encode(text, 64);
  CHECK(e.ids == expected);
  const auto at = [&](std::int32_t id) {
    const auto it = std::find(e.ids.begin() + 1, e.ids.end() - 1, id);
    REQUIRE(it != e.ids.end() - 1);
    const auto i = static_cast<std::size_t>(it - e.ids.begin());
    return std::make_pair(e.begin[i], e.end[i]);
  };
  CHECK(at(0) == std::make_pair(7u, 10u));
  CHECK(at(mask) == std::make_pair(20u, 26u));
  CHECK(t.encode("<S>", 16).ids != std::vector<std::int32_t>{0, 0, 2});
  // A long text stops early but gives the same prefix as a longer limit.
  std::string long_text;
  for (int i = 0; i < 2000; ++i)
    long_text += "refund order ";
  const auto a = t.encode(long_text, 128);
  const auto b = t.encode(long_text, 1000000);
  REQUIRE(a.ids.size() == 128);
  CHECK(std::equal(a.ids.begin(), a.ids.end() - 1, b.ids.begin()));
  CHECK(std::equal(a.begin.begin(), a.begin.end() - 1, b.begin.begin()));
  CHECK(b.ids.size() == 2000 * shifted("refund order").size() + 2);
}

TEST_CASE("load_tokenizer picks XLM-R for a sentencepiece.bpe.model folder",
          "[embed][transformer]") {
  const fs::path dir = temp_dir("xlmr");
  write(dir / "sentencepiece.bpe.model", xlmr_spm().model_bytes());
  auto t = tf::load_tokenizer(dir.string());
  REQUIRE(t);
  CHECK(t.value()->pad_id() == 1);
  CHECK(t.value()->encode("refund", 8).ids.front() == 0);
  write(dir / "sentencepiece.bpe.model", "damaged");
  t = tf::load_tokenizer(dir.string());
  REQUIRE(!t);
  CHECK(t.error().message.find("sentencepiece.bpe.model") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("encode is safe from many threads at once", "[embed][transformer]") {
  const std::vector<std::string> texts = {"I can't log in to my account",
                                          "Café naïve 你好 🙂",
                                          "https://help.example.com/reset?id=42",
                                          "a\xFF"
                                          "b [SEP] c"};
  std::vector<tf::Encoding> expected;
  for (const auto& s : texts)
    expected.push_back(minilm().encode(s, 64));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round)
        for (std::size_t i = 0; i < texts.size(); ++i) {
          const auto e = minilm().encode(texts[i], 64);
          if (e.ids != expected[i].ids || e.begin != expected[i].begin) ++mismatches;
        }
    });
  for (auto& th : threads)
    th.join();
  CHECK(mismatches == 0);
}
