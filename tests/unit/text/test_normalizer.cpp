#include "supportnlp/text/normalizer.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace supportnlp::text;

TEST_CASE("NFKC_Casefold folds width, case and ligatures", "[text]") {
  Normalizer norm(NormalizationForm::nfkc_casefold);
  const std::string text =
      "\xEF\xBC\xB2\xEF\xBD\x85\xEF\xBD\x86\xEF\xBD\x95\xEF\xBD\x8E\xEF\xBD\x84 "
      "\xC3\x89T\xC3\x89 \xEF\xAC\x81le StraSSe";
  auto n = norm.normalize(text);
  CHECK(n.text == "refund \xC3\xA9t\xC3\xA9 file strasse");
  REQUIRE(n.offsets.size() == n.text.size() + 1);
  CHECK(n.offsets[0] == 0);
  CHECK(n.offsets.back() == text.size());
  CHECK(n.offsets[7] == 19); // 'é' of "été" starts at byte 19
  CHECK_FALSE(n.repaired_utf8);
}

TEST_CASE("offsets map normalized bytes back to original characters", "[text]") {
  Normalizer norm(NormalizationForm::nfkc_casefold);
  const std::string text = "A\xEF\xAC\x81 B"; // "Aﬁ B": ligature is 3 bytes -> "fi"
  auto n = norm.normalize(text);
  CHECK(n.text == "afi b");
  REQUIRE(n.offsets.size() == 6);
  CHECK(n.offsets[0] == 0);
  CHECK(n.offsets[1] == 1); // 'f' comes from the ligature at byte 1
  CHECK(n.offsets[2] == 1);
  CHECK(n.offsets[3] == 4); // the space
  CHECK(n.offsets[4] == 5);
  CHECK(n.offsets[5] == 6);
}

TEST_CASE("offsets are monotone and within the original text (property)", "[text]") {
  Normalizer norm(NormalizationForm::nfkc_casefold);
  const std::string text = "\xEF\xBC\xA1\xCC\x81 x\xE2\x84\xAB \xE3\x8C\x80 \xFF tail \xC3\x9F";
  auto n = norm.normalize(text);
  CHECK(n.repaired_utf8);
  REQUIRE(n.offsets.size() == n.text.size() + 1);
  for (std::size_t i = 1; i < n.offsets.size(); ++i)
    CHECK(n.offsets[i - 1] <= n.offsets[i]);
  CHECK(n.offsets.back() == text.size());
}

TEST_CASE("NFKC keeps case, none only repairs", "[text]") {
  CHECK(Normalizer(NormalizationForm::nfkc)
            .normalize("\xEF\xBC\xA1"
                       "bC")
            .text == "AbC");
  auto n = Normalizer(NormalizationForm::none).normalize("Ab\xFF");
  CHECK(n.text == "Ab\xEF\xBF\xBD");
  CHECK(n.repaired_utf8);
  REQUIRE(n.offsets.size() == 6);
  CHECK(n.offsets[2] == 2);
  CHECK(n.offsets[4] == 2);
  CHECK(n.offsets[5] == 3);
}

TEST_CASE("append_normalized agrees with normalize", "[text]") {
  Normalizer norm;
  for (const char* s : {"Hello WORLD", "\xC3\x89T\xC3\x89", "\xEF\xAC\x81", "",
                        "a\xFF"
                        "B"}) {
    std::string out = "prefix:";
    norm.append_normalized(s, out);
    CHECK(out == "prefix:" + norm.normalize(s).text);
  }
}
