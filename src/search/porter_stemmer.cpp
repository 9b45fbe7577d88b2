// Porter (1980) stemmer, following the published algorithm step by step.
#include "search/porter_stemmer.hpp"

#include <cstring>

namespace supportnlp::search::detail {
namespace {

class Stemmer {
public:
  explicit Stemmer(std::string& w) : b_(w), k_(static_cast<int>(w.size()) - 1) {}

  void run() {
    step1ab();
    if (k_ > 0) {
      step1c();
      step2();
      step3();
      step4();
      step5();
    }
    b_.resize(static_cast<std::size_t>(k_ + 1));
  }

private:
  bool cons(int i) const {
    switch (b_[static_cast<std::size_t>(i)]) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
      return false;
    case 'y':
      return i == 0 ? true : !cons(i - 1);
    default:
      return true;
    }
  }
  // Number of consonant-vowel sequences in b[0..j].
  int m() const {
    int n = 0, i = 0;
    while (true) {
      if (i > j_) return n;
      if (!cons(i)) break;
      ++i;
    }
    ++i;
    while (true) {
      while (true) {
        if (i > j_) return n;
        if (cons(i)) break;
        ++i;
      }
      ++i;
      ++n;
      while (true) {
        if (i > j_) return n;
        if (!cons(i)) break;
        ++i;
      }
      ++i;
    }
  }
  bool vowel_in_stem() const {
    for (int i = 0; i <= j_; ++i)
      if (!cons(i)) return true;
    return false;
  }
  bool doublec(int j) const {
    return j >= 1 && b_[static_cast<std::size_t>(j)] == b_[static_cast<std::size_t>(j - 1)] &&
           cons(j);
  }
  bool cvc(int i) const {
    if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
    const char ch = b_[static_cast<std::size_t>(i)];
    return !(ch == 'w' || ch == 'x' || ch == 'y');
  }
  bool ends(const char* s) {
    const int len = static_cast<int>(std::strlen(s));
    if (len > k_ + 1) return false;
    // Last letters first: most suffixes are rejected there, without a call
    // (string::compare was a third of stemming).
    if (b_[static_cast<std::size_t>(k_)] != s[len - 1] ||
        std::memcmp(b_.data() + (k_ - len + 1), s, static_cast<std::size_t>(len)) != 0)
      return false;
    j_ = k_ - len;
    return true;
  }
  void setto(const char* s) {
    const int len = static_cast<int>(std::strlen(s));
    b_.replace(static_cast<std::size_t>(j_ + 1), static_cast<std::size_t>(k_ - j_), s);
    k_ = j_ + len;
  }
  void r(const char* s) {
    if (m() > 0) setto(s);
  }
  char at(int i) const { return b_[static_cast<std::size_t>(i)]; }

  void step1ab() {
    if (at(k_) == 's') {
      if (ends("sses"))
        k_ -= 2;
      else if (ends("ies"))
        setto("i");
      else if (at(k_ - 1) != 's')
        --k_;
    }
    if (ends("eed")) {
      if (m() > 0) --k_;
    } else if ((ends("ed") || ends("ing")) && vowel_in_stem()) {
      k_ = j_;
      if (ends("at"))
        setto("ate");
      else if (ends("bl"))
        setto("ble");
      else if (ends("iz"))
        setto("ize");
      else if (doublec(k_)) {
        --k_;
        const char ch = at(k_);
        if (ch == 'l' || ch == 's' || ch == 'z') ++k_;
      } else if (m() == 1 && cvc(k_)) {
        setto("e");
      }
    }
  }
  void step1c() {
    if (ends("y") && vowel_in_stem()) b_[static_cast<std::size_t>(k_)] = 'i';
  }
  void step2() {
    if (k_ < 1) return;
    switch (at(k_ - 1)) {
    case 'a':
      if (ends("ational")) {
        r("ate");
        break;
      }
      if (ends("tional")) {
        r("tion");
        break;
      }
      break;
    case 'c':
      if (ends("enci")) {
        r("ence");
        break;
      }
      if (ends("anci")) {
        r("ance");
        break;
      }
      break;
    case 'e':
      if (ends("izer")) {
        r("ize");
        break;
      }
      break;
    case 'l':
      if (ends("bli")) {
        r("ble");
        break;
      }
      if (ends("alli")) {
        r("al");
        break;
      }
      if (ends("entli")) {
        r("ent");
        break;
      }
      if (ends("eli")) {
        r("e");
        break;
      }
      if (ends("ousli")) {
        r("ous");
        break;
      }
      break;
    case 'o':
      if (ends("ization")) {
        r("ize");
        break;
      }
      if (ends("ation")) {
        r("ate");
        break;
      }
      if (ends("ator")) {
        r("ate");
        break;
      }
      break;
    case 's':
      if (ends("alism")) {
        r("al");
        break;
      }
      if (ends("iveness")) {
        r("ive");
        break;
      }
      if (ends("fulness")) {
        r("ful");
        break;
      }
      if (ends("ousness")) {
        r("ous");
        break;
      }
      break;
    case 't':
      if (ends("aliti")) {
        r("al");
        break;
      }
      if (ends("iviti")) {
        r("ive");
        break;
      }
      if (ends("biliti")) {
        r("ble");
        break;
      }
      break;
    case 'g':
      if (ends("logi")) {
        r("log");
        break;
      }
      break;
    default:
      break;
    }
  }
  void step3() {
    switch (at(k_)) {
    case 'e':
      if (ends("icate")) {
        r("ic");
        break;
      }
      if (ends("ative")) {
        r("");
        break;
      }
      if (ends("alize")) {
        r("al");
        break;
      }
      break;
    case 'i':
      if (ends("iciti")) {
        r("ic");
        break;
      }
      break;
    case 'l':
      if (ends("ical")) {
        r("ic");
        break;
      }
      if (ends("ful")) {
        r("");
        break;
      }
      break;
    case 's':
      if (ends("ness")) {
        r("");
        break;
      }
      break;
    default:
      break;
    }
  }
  void step4() {
    if (k_ < 1) return;
    switch (at(k_ - 1)) {
    case 'a':
      if (ends("al")) break;
      return;
    case 'c':
      if (ends("ance") || ends("ence")) break;
      return;
    case 'e':
      if (ends("er")) break;
      return;
    case 'i':
      if (ends("ic")) break;
      return;
    case 'l':
      if (ends("able") || ends("ible")) break;
      return;
    case 'n':
      if (ends("ant") || ends("ement") || ends("ment") || ends("ent")) break;
      return;
    case 'o':
      if (ends("ion") && j_ >= 0 && (at(j_) == 's' || at(j_) == 't')) break;
      if (ends("ou")) break;
      return;
    case 's':
      if (ends("ism")) break;
      return;
    case 't':
      if (ends("ate") || ends("iti")) break;
      return;
    case 'u':
      if (ends("ous")) break;
      return;
    case 'v':
      if (ends("ive")) break;
      return;
    case 'z':
      if (ends("ize")) break;
      return;
    default:
      return;
    }
    if (m() > 1) k_ = j_;
  }
  void step5() {
    j_ = k_;
    if (at(k_) == 'e') {
      const int a = m();
      if (a > 1 || (a == 1 && !cvc(k_ - 1))) --k_;
    }
    if (at(k_) == 'l' && doublec(k_) && m() > 1) --k_;
  }

  std::string& b_;
  int k_;
  int j_ = 0;
};

} // namespace

void porter_stem(std::string& word) {
  if (word.size() < 3) return;
  for (char c : word)
    if (c < 'a' || c > 'z') return;
  Stemmer(word).run();
}

} // namespace supportnlp::search::detail
