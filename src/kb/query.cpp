#include "query.hpp"

#include <algorithm>

#include "hotline/kb/tokenizer.hpp"
#include "text.hpp"

namespace hotline::kb::internal {
namespace {

// Words that make a sentence a question or a request but say nothing about its topic. They
// are frequent in FAQ titles ("…怎么办？"), so left in they would rank entries by phrasing.
// Longest first: the first one that matches at a position is dropped.
const std::vector<std::u32string>& StopWords() {
  static const std::vector<std::u32string> words = [] {
    std::vector<std::u32string> w = {
        U"怎么办", U"怎么样", U"为什么", U"能不能", U"可不可以", U"要不要", U"是不是", U"有没有",
        U"需不需要", U"怎么", U"怎样", U"如何", U"什么", U"哪里", U"哪儿", U"哪个", U"哪些",
        U"哪家", U"多少", U"可以", U"是否", U"请问", U"一下", U"我们", U"你们", U"他们",
        U"这个", U"那个", U"应该", U"需要", U"的话", U"吗", U"呢", U"吧", U"啊", U"呀",
        U"嘛", U"哦", U"了", U"的", U"我", U"你", U"您", U"哪", U"么"};
    std::stable_sort(w.begin(), w.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return w;
  }();
  return words;
}

size_t StopWordAt(const std::u32string& run, size_t i) {
  for (const auto& w : StopWords()) {
    if (run.compare(i, w.size(), w) == 0) return w.size();
  }
  return 0;
}

std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) AppendUtf8(out, c);
  return out;
}

/// Collects distinct quoted terms in order, up to kMaxTerms.
class TermList {
 public:
  void Add(const std::string& text, bool prefix = false) {
    std::string quoted = "\"";
    for (char c : text) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
    quoted += prefix ? "\"*" : "\"";
    if (terms_.size() >= kMaxTerms) return;
    if (std::find(terms_.begin(), terms_.end(), quoted) == terms_.end()) terms_.push_back(quoted);
  }
  bool empty() const { return terms_.empty(); }
  std::vector<std::string> Take() { return std::move(terms_); }

 private:
  std::vector<std::string> terms_;
};

/// The runs of one class in a folded query: Chinese runs and words.
struct Runs {
  std::vector<std::u32string> cjk;
  std::vector<std::u32string> words;
  bool ends_in_word = false;  // the query's last character is part of a word
};

Runs SplitRuns(const std::vector<FoldedChar>& chars) {
  Runs runs;
  std::u32string cur;
  CharClass cur_class = CharClass::kSeparator;
  auto flush = [&] {
    if (cur.empty()) return;
    (cur_class == CharClass::kCjk ? runs.cjk : runs.words).push_back(cur);
    cur.clear();
  };
  for (const auto& c : chars) {
    if (c.cls != cur_class) flush();
    cur_class = c.cls;
    if (c.cls != CharClass::kSeparator) cur += c.cp;
  }
  flush();
  runs.ends_in_word = !chars.empty() && chars.back().cls == CharClass::kWord;
  return runs;
}

/// How long a word being typed must be to be searched as a prefix: a letter or two would
/// merge a large part of the vocabulary (every number starting with 1), and FTS5 merges all
/// the doclists of a prefix before it returns the first row.
size_t MinPrefixChars(const std::u32string& word) {
  return (word[0] >= '0' && word[0] <= '9') ? kMinNumberPrefixChars : kMinPrefixChars;
}

/// Splits a Chinese run at stop words; `pieces` gets what is left.
void DropStopWords(const std::u32string& run, std::vector<std::u32string>& pieces) {
  size_t start = 0;
  for (size_t i = 0; i < run.size();) {
    size_t n = StopWordAt(run, i);
    if (n == 0) {
      ++i;
      continue;
    }
    if (i > start) pieces.push_back(run.substr(start, i - start));
    i += n;
    start = i;
  }
  if (start < run.size()) pieces.push_back(run.substr(start));
}

void AddPairs(const std::u32string& piece, TermList& terms, std::vector<Mark>& marks) {
  for (size_t i = 0; i + 1 < piece.size(); ++i) {
    std::u32string pair = piece.substr(i, 2);
    terms.Add(Utf8(pair));
    marks.push_back({pair, false, false});
  }
}

void AddChineseTerms(const Runs& runs, TermList& terms, std::vector<Mark>& marks) {
  std::vector<std::u32string> pieces;
  for (const auto& run : runs.cjk) DropStopWords(run, pieces);
  bool any_pair = false;
  for (const auto& p : pieces) {
    if (p.size() >= 2) {
      AddPairs(p, terms, marks);
      any_pair = true;
    }
  }
  if (any_pair || !terms.empty()) return;
  // Nothing but single characters ("狗", or "我的狗"): search those.
  for (const auto& p : pieces) {
    terms.Add(Utf8(p));
    marks.push_back({p, false, false});
  }
  if (!terms.empty()) return;
  // Only question words ("怎么办"): search them as they are rather than nothing.
  for (const auto& run : runs.cjk) {
    if (run.size() == 1) {
      terms.Add(Utf8(run));
      marks.push_back({run, false, false});
    }
    AddPairs(run, terms, marks);
  }
}

/// A long Chinese expansion (狂犬病暴露预防处置门诊) is searched by its beginning: a few
/// characters already single out the entries that hold it.
std::string ShortenPhrase(const std::string& folded) {
  auto chars = FoldText(folded);
  if (chars.size() <= kMaxPhraseChars) return folded;
  for (const auto& c : chars) {
    if (c.cls != CharClass::kCjk) return folded;
  }
  return folded.substr(0, chars[kMaxPhraseChars].start);
}

void AddSynonyms(const std::string& folded, const SynonymIndex& synonyms, TermList& terms,
                 std::vector<Mark>& marks) {
  for (const auto& [term, expansions] : synonyms.terms) {
    if (folded.find(term) == std::string::npos) continue;
    for (const auto& e : expansions) {
      // Searched token by token like the question itself (a phrase costs the doclists of all
      // its pairs), and by its first characters only; marked in full.
      Tokenize(ShortenPhrase(e), TokenizeMode::kQuery, [&](const Token& t) {
        terms.Add(t.text);
        return true;
      });
      Tokenize(e, TokenizeMode::kQuery, [&](const Token& t) {
        auto chars = FoldText(t.text);
        std::u32string s;
        for (const auto& c : chars) s += c.cp;
        marks.push_back({s, chars.front().cls == CharClass::kWord, false});
        return true;
      });
    }
  }
}

std::string CollapseSpaces(const std::vector<FoldedChar>& chars) {
  std::string out;
  bool space = false;
  for (const auto& c : chars) {
    bool blank = c.cp == ' ' || c.cp == '\t' || c.cp == '\n' || c.cp == '\r';
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    AppendUtf8(out, c.cp);
  }
  return out;
}

}  // namespace

SynonymIndex BuildSynonymIndex(const Synonyms& synonyms) {
  SynonymIndex index;
  for (const auto& [term, expansions] : synonyms) {
    std::string key = kb::FoldText(term);
    if (key.empty()) continue;
    std::vector<std::string> folded;
    for (const auto& e : expansions) {
      if (!e.empty()) folded.push_back(kb::FoldText(e));
    }
    index.terms.emplace_back(std::move(key), std::move(folded));
  }
  return index;
}

std::string GapTopic(std::string_view query) {
  auto chars = internal::FoldText(query);
  // Runs in their order: Chinese runs lose their question words, words stay.
  std::vector<std::pair<CharClass, std::u32string>> runs;
  CharClass cur = CharClass::kSeparator;
  for (const auto& c : chars) {
    if (c.cls != cur && c.cls != CharClass::kSeparator) runs.push_back({c.cls, {}});
    cur = c.cls;
    if (c.cls != CharClass::kSeparator) runs.back().second += c.cp;
  }
  std::string out, only_question_words;
  CharClass last = CharClass::kSeparator;
  for (const auto& [cls, run] : runs) {
    if (cls == CharClass::kWord) {
      if (last == CharClass::kWord) out += ' ';
      out += Utf8(run);
      last = cls;
      continue;
    }
    only_question_words += Utf8(run);
    std::vector<std::u32string> pieces;
    DropStopWords(run, pieces);
    for (const auto& p : pieces) out += Utf8(p);
    if (!pieces.empty()) last = cls;
  }
  return out.empty() ? only_question_words : out;
}

QueryPlan PlanQuery(std::string_view query, const SynonymIndex& synonyms, bool prefix) {
  QueryPlan plan;
  auto chars = internal::FoldText(query);
  plan.key = CollapseSpaces(chars);
  Runs runs = SplitRuns(chars);
  TermList terms;
  for (size_t i = 0; i < runs.words.size(); ++i) {
    // One letter or digit as a prefix would merge a large part of the vocabulary ("1"*).
    bool last_open = prefix && runs.ends_in_word && i + 1 == runs.words.size() &&
                     runs.words[i].size() >= MinPrefixChars(runs.words[i]);
    terms.Add(Utf8(runs.words[i]), last_open);
    plan.marks.push_back({runs.words[i], true, last_open});
  }
  AddChineseTerms(runs, terms, plan.marks);
  AddSynonyms(plan.key, synonyms, terms, plan.marks);
  plan.terms = terms.Take();
  return plan;
}

}  // namespace hotline::kb::internal
