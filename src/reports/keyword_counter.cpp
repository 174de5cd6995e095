#include "reports/keyword_counter.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "reports/topic_stats.hpp"

namespace hotline::reports {

// Chinese sequences form a trie: a sequence is its beginning (a node) extended by one
// character, and Key(node, character) names it exactly, with no string built. The window is
// kept as code points and mined one length at a time: a sequence is a candidate only where its
// beginning and its end (each one character shorter) are frequent, since it cannot be in more
// work orders than either, and only the frequent candidates become nodes. Most sequences of
// Chinese text occur once or twice: they never get a node, the tables stay small enough for the
// cache, and the baseline only walks down the window's frequent sequences.

namespace {

/// The home slot of a key in a table of 2^(64 - shift) slots.
size_t Home(uint64_t key, int shift) {
  key ^= key >> 31;  // the character into the bits that the node's bits multiply into
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift);
}

/// The bits of a table for `keys`: at most half full, so that a look-up mostly reads one slot.
int TableBits(size_t keys) {
  int bits = 4;
  while ((size_t{1} << bits) < 2 * keys) ++bits;
  return bits;
}

/// uint64 key (never 0) -> uint32 value (0: absent) and the last work order that counted it:
/// open addressing with linear probing, grown as keys come.
class KeyTable {
 public:
  struct Entry {
    uint32_t value = 0;
    uint32_t last_doc = std::numeric_limits<uint32_t>::max();
  };

  /// The entry of `key`, added when new; valid until the next Insert.
  Entry& Insert(uint64_t key) {
    if (2 * (size_ + 1) > slots_.size()) Rehash(2 * size_ + 2);
    size_t i = Home(key, shift_);
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
    if (slots_[i].key == 0) {
      slots_[i].key = key;
      ++size_;
    }
    return slots_[i].entry;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    Entry entry;
  };
  void Rehash(size_t keys) {
    const int bits = TableBits(keys);
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(size_t{1} << bits));
    mask_ = slots_.size() - 1;
    shift_ = 64 - bits;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key != 0) Insert(s.key) = s.entry;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
};

uint64_t Key(uint32_t node, char32_t c) { return (uint64_t{node} << 32) | c; }

// CJK extension A and the unified ideographs: single characters of these are looked up in
// arrays, by code point - kCharsBegin, rather than hashed (they are most look-ups).
constexpr char32_t kCharsBegin = 0x3400;
constexpr char32_t kCharsEnd = 0xA000;

/// A KeyTable whose single characters of the main blocks are in an array.
class CandidateTable {
 public:
  KeyTable::Entry& Insert(uint64_t key) {
    if (key - kCharsBegin >= kCharsEnd - kCharsBegin) return table_.Insert(key);
    if (chars_.empty()) chars_.resize(kCharsEnd - kCharsBegin);
    return chars_[key - kCharsBegin];
  }

 private:
  std::vector<KeyTable::Entry> chars_;
  KeyTable table_;
};

constexpr uint32_t kNoDoc = std::numeric_limits<uint32_t>::max();

/// Work orders, each counted once, as they come in order.
struct DocCount {
  uint32_t count = 0;
  uint32_t last_doc = kNoDoc;
  void Add(uint32_t doc) {
    if (doc != last_doc) {
      last_doc = doc;
      ++count;
    }
  }
};

/// A sequence of at least min_count window work orders.
struct Node {
  uint64_t key = 0;  // Key(its beginning: the node one character shorter, or 0; its last character)
  uint32_t suffix = 0;  // its end: the node one character shorter
  uint32_t length = 0;
  uint32_t window = 0;
};

/// Nodes to walk text with. Each sits in a slot of an open-addressing table with its baseline
/// count, so that finding a sequence and counting it read one cache line; a node's key names its
/// beginning by that one's slot, so slots (+1, 0 for none) number the nodes here. Single
/// characters of the main Chinese blocks are also found in an array: most look-ups are those.
class Trie {
 public:
  /// The nodes marked `in`, which has every beginning of them, with their `counts`.
  Trie(const std::vector<Node>& nodes, const std::vector<uint8_t>& in, size_t count,
       const std::vector<DocCount>& counts)
      : bits_(TableBits(count)),
        slots_(size_t{1} << bits_),
        node_(slots_.size()),
        chars_(kCharsEnd - kCharsBegin) {
    std::vector<uint32_t> slot_of(nodes.size(), 0);
    for (uint32_t n = 1; n < nodes.size(); ++n) {
      if (!in[n]) continue;
      const auto parent = static_cast<uint32_t>(nodes[n].key >> 32);
      const auto c = static_cast<char32_t>(nodes[n].key);
      const uint64_t key = Key(slot_of[parent], c);  // slot_of[0] is 0
      size_t i = Home(key, shift_);
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = {key, counts[n]};
      node_[i] = n;
      slot_of[n] = static_cast<uint32_t>(i + 1);
      if (parent == 0 && c - kCharsBegin < chars_.size()) chars_[c - kCharsBegin] = slot_of[n];
    }
  }

  /// The slot of a single character, or 0.
  uint32_t Char(char32_t c) const {
    return c - kCharsBegin < chars_.size() ? chars_[c - kCharsBegin] : Find(Key(0, c));
  }
  /// The slot of Key(slot of a sequence, character): that sequence extended by the character; 0
  /// when absent.
  uint32_t Find(uint64_t key) const {
    for (size_t i = Home(key, shift_);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return static_cast<uint32_t>(i + 1);
      if (slots_[i].key == 0) return 0;
    }
  }
  uint32_t node(uint32_t slot) const { return node_[slot - 1]; }
  DocCount& count(uint32_t slot) { return slots_[slot - 1].count; }
  /// Copies the counts to `counts`, by node.
  void SaveCounts(std::vector<DocCount>& counts) const {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].key != 0) counts[node_[i]] = slots_[i].count;
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    DocCount count;
  };
  int bits_;
  int shift_ = 64 - bits_;
  size_t mask_ = (size_t{1} << bits_) - 1;
  std::vector<Slot> slots_;
  std::vector<uint32_t> node_;   // by slot
  std::vector<uint32_t> chars_;  // slots, by character - kCharsBegin
};

struct Latin {
  uint32_t baseline = 0;
  uint32_t last_doc = kNoDoc;
  std::vector<uint32_t> docs;  // window work orders
};

}  // namespace

class KeywordCounter::Impl {
 public:
  Impl(int min_count, Keep keep)
      : min_count_(static_cast<uint32_t>(std::max(1, min_count))), keep_(std::move(keep)) {}

  void AddWindow(std::string_view text) {
    const uint32_t doc = docs_++;
    SplitKeywordText(text, text_, words_);
    doc_end_.push_back(text_.size());
    for (std::string& w : words_) {
      Latin& l = latin_[std::move(w)];
      if (l.last_doc != doc) {
        l.last_doc = doc;
        l.docs.push_back(doc);
      }
    }
  }

  void AddBaseline(std::string_view text) {
    if (!mined_) Mine();
    const uint32_t doc = docs_++;
    han_.clear();
    SplitKeywordText(text, han_, words_);
    for (const std::string& w : words_) {
      auto it = latin_.find(w);
      if (it != latin_.end() && it->second.last_doc != doc) {
        it->second.last_doc = doc;
        ++it->second.baseline;
      }
    }
    Walk(*trie_, han_, 0, han_.size(), [&](uint32_t slot) { trie_->count(slot).Add(doc); });
    // Every so often, stop looking up what can no longer be kept: about 8 times in all.
    if (++since_prune_ >= std::max<size_t>(256, doc_end_.size() / 2)) Prune();
  }

  std::vector<TopicTally> Collect() {
    if (!mined_) Mine();
    trie_->SaveCounts(baseline_);
    std::vector<TopicTally> out;
    std::vector<int32_t> tally(nodes_.size(), -1);  // by node: its place in `out`
    for (uint32_t n = 1; n < nodes_.size(); ++n) {
      if (nodes_[n].length < 2 || !Alive(n)) continue;
      const auto count = static_cast<int>(nodes_[n].window);
      const auto baseline = static_cast<int>(baseline_[n].count);
      if (!keep_(count, baseline)) continue;  // as asked, not as bisected
      tally[n] = static_cast<int32_t>(out.size());
      out.push_back({Name(n), count, baseline, {}});
    }
    if (!out.empty()) {  // their work orders: the window once more, down to the kept ones
      const std::vector<uint8_t> in = Closure([&](uint32_t n) { return tally[n] >= 0; });
      const Trie kept(nodes_, in, static_cast<size_t>(std::count(in.begin(), in.end(), 1)),
                      baseline_);
      size_t begin = 0;
      for (uint32_t doc = 0; doc < doc_end_.size(); begin = doc_end_[doc++]) {
        Walk(kept, text_, begin, doc_end_[doc], [&](uint32_t slot) {
          const uint32_t n = kept.node(slot);
          if (tally[n] < 0) return;
          auto& docs = out[static_cast<size_t>(tally[n])].docs;
          if (docs.empty() || docs.back() != doc) docs.push_back(doc);
        });
      }
    }
    for (const auto& [word, l] : latin_) {
      const int count = static_cast<int>(l.docs.size());
      if (keep_(count, static_cast<int>(l.baseline))) {
        out.push_back({word, count, static_cast<int>(l.baseline), l.docs});
      }
    }
    return out;
  }

 private:
  /// Turns the window's frequent sequences into nodes, one length at a time, and indexes them
  /// for the baseline.
  void Mine() {
    std::vector<uint32_t> at(text_.size() + 1, 0);  // by position: the node of the current length
    for (uint32_t length = 1; length <= kMaxKeywordChars && MineLength(length, at); ++length) {
    }
    baseline_.resize(nodes_.size());
    std::erase_if(latin_, [&](const auto& e) { return e.second.docs.size() < min_count_; });
    Prune();
    mined_ = true;
  }

  /// Counts the sequences of `length` that start where one shorter is frequent and end where
  /// one shorter is frequent (at[p] and at[p + 1]); makes nodes of the frequent ones and leaves
  /// them in `at`. False when there are none.
  bool MineLength(uint32_t length, std::vector<uint32_t>& at) {
    CandidateTable index;  // key -> candidate + 1
    std::vector<Node> candidates;
    std::vector<uint32_t> counts;  // window work orders, by candidate
    size_t p = 0;
    for (uint32_t doc = 0; doc < doc_end_.size(); ++doc) {
      for (; p < doc_end_[doc]; ++p) {
        if (length == 1 ? text_[p] == 0 : (at[p] == 0 || at[p + 1] == 0)) {
          at[p] = 0;
          continue;
        }
        const uint64_t key = Key(length == 1 ? 0 : at[p], text_[p + length - 1]);
        KeyTable::Entry& e = index.Insert(key);
        if (e.value == 0) {
          candidates.push_back({key, length == 1 ? 0 : at[p + 1], length});
          counts.push_back(0);
          e.value = static_cast<uint32_t>(candidates.size());
        }
        if (e.last_doc != doc) {
          e.last_doc = doc;
          ++counts[e.value - 1];
        }
        at[p] = e.value;
      }
    }
    std::vector<uint32_t> node_of(candidates.size() + 1, 0);  // by candidate + 1
    for (size_t c = 0; c < candidates.size(); ++c) {
      if (counts[c] < min_count_) continue;
      node_of[c + 1] = static_cast<uint32_t>(nodes_.size());
      nodes_.push_back(candidates[c]);
      nodes_.back().window = counts[c];
    }
    bool any = false;
    for (uint32_t& n : at) {
      n = node_of[n];
      any = any || n != 0;
    }
    return any;
  }

  /// Indexes the nodes still worth counting in the baseline: those that can still be kept,
  /// and their parts (Walk finds a sequence only where its beginning and end are found). Made
  /// again when a quarter of them have become useless since.
  void Prune() {
    since_prune_ = 0;
    if (trie_) trie_->SaveCounts(baseline_);
    std::vector<uint8_t> in =
        Closure([&](uint32_t n) { return nodes_[n].length >= 2 && Alive(n); });
    const size_t live = static_cast<size_t>(std::count(in.begin(), in.end(), 1));
    if (trie_ && 4 * live > 3 * live_) return;
    live_ = live;
    trie_.emplace(nodes_, in, live, baseline_);
  }

  /// Marks the nodes `wanted` and every part of them: beginnings and ends, one character
  /// shorter at a time.
  template <class F>
  std::vector<uint8_t> Closure(F&& wanted) {
    std::vector<uint8_t> in(nodes_.size(), 0);
    for (size_t n = nodes_.size() - 1; n >= 1; --n) {  // parts come before what they are part of
      if (!in[n] && !wanted(static_cast<uint32_t>(n))) continue;
      in[n] = 1;
      in[nodes_[n].key >> 32] = 1;
      in[nodes_[n].suffix] = 1;
    }
    in[0] = 0;
    return in;
  }

  /// Whether node n is kept as counted so far; false for good once it is not.
  bool Alive(uint32_t n) { return baseline_[n].count < Limit(nodes_[n].window); }

  /// The least baseline count at which a keyword of `count` window work orders is no longer
  /// kept (kNoDoc: never), by bisection; memoized, since many keywords share a count.
  uint32_t Limit(uint32_t count) {
    if (count >= limit_.size()) limit_.resize(count + 1, kUnknown);
    uint32_t& limit = limit_[count];
    if (limit != kUnknown) return limit;
    const int c = static_cast<int>(count);
    int64_t kept = -1;  // keep_(c, kept) holds, keep_(c, dropped) does not
    int64_t dropped = 0;
    while (keep_(c, static_cast<int>(dropped))) {
      kept = dropped;
      dropped = 2 * dropped + 1;
      if (dropped > std::numeric_limits<int>::max()) return limit = kNoDoc;
    }
    while (dropped - kept > 1) {
      const int64_t mid = (kept + dropped) / 2;
      (keep_(c, static_cast<int>(mid)) ? kept : dropped) = mid;
    }
    return limit = static_cast<uint32_t>(dropped);
  }

  /// Calls fn with the slot of each sequence of two characters or more in text[begin, end) that
  /// `trie` has, where it also has its beginning and its end. One length at a time: the look-ups
  /// of one length do not wait for each other, so that the processor overlaps their cache misses.
  template <class F>
  void Walk(const Trie& trie, const std::vector<char32_t>& text, size_t begin, size_t end, F&& fn) {
    const size_t n = end - begin;
    at_.assign(n + 1, 0);  // by position: the slot of the current length; 0 past the end
    for (size_t i = 0; i < n; ++i) at_[i] = text[begin + i] == 0 ? 0 : trie.Char(text[begin + i]);
    for (size_t length = 2; length <= kMaxKeywordChars; ++length) {
      for (size_t i = 0; i < n; ++i) {
        if (at_[i] == 0) continue;
        // at_[i + 1] is still the end, one shorter; 0 also where the run ends.
        at_[i] = at_[i + 1] == 0 ? 0 : trie.Find(Key(at_[i], text[begin + i + length - 1]));
        if (at_[i] != 0) fn(at_[i]);
      }
    }
  }

  std::string Name(uint32_t n) const {
    std::vector<char32_t> chars;
    for (; n != 0; n = static_cast<uint32_t>(nodes_[n].key >> 32))
      chars.push_back(static_cast<char32_t>(nodes_[n].key));
    std::string out;
    for (auto it = chars.rbegin(); it != chars.rend(); ++it) AppendUtf8(*it, out);
    return out;
  }

  static constexpr uint32_t kUnknown = kNoDoc - 1;

  const uint32_t min_count_;
  const Keep keep_;
  uint32_t docs_ = 0;  // work orders added, window and baseline
  bool mined_ = false;
  std::vector<char32_t> text_;      // the window's Chinese runs, each ended by a 0
  std::vector<size_t> doc_end_;     // where each window work order ends in text_
  std::vector<Node> nodes_{1};      // node 0: none
  std::vector<DocCount> baseline_;  // by node
  std::optional<Trie> trie_;        // the nodes still counted in the baseline
  size_t live_ = 0;                 // nodes in trie_
  size_t since_prune_ = 0;          // baseline work orders since the last Prune
  std::vector<uint32_t> limit_;     // by window count: Limit()
  std::unordered_map<std::string, Latin> latin_;
  std::vector<char32_t> han_;       // scratch
  std::vector<std::string> words_;  // scratch
  std::vector<uint32_t> at_;        // scratch
};

KeywordCounter::KeywordCounter(int min_count, Keep keep)
    : impl_(std::make_unique<Impl>(min_count, std::move(keep))) {}
KeywordCounter::~KeywordCounter() = default;
void KeywordCounter::AddWindow(std::string_view text) { impl_->AddWindow(text); }
void KeywordCounter::AddBaseline(std::string_view text) { impl_->AddBaseline(text); }
std::vector<TopicTally> KeywordCounter::Collect() { return impl_->Collect(); }

}  // namespace hotline::reports
