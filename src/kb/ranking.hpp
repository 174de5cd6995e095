#pragma once
// Ranking with bounded work. BM25 over every entry that shares any word with a question is
// linear in the matches (13,000 of 100,000 entries for a typical question, 20 ms and more),
// so the search narrows first: candidates are the entries holding the question's rarer
// words (their document frequency, estimated and cached, adds up to a budget), at most
// `scan_cap` of them (in id order), scored by kb_rank over all the words; only when that
// finds too little does a second pass take any word. A pass that stops at scan_cap is
// followed by a pass over the entries whose title or keywords hold a word, so that those
// still outrank mentions in bodies however many there are. kb_rank is BM25 without length
// normalisation, with IDF computed here and column weights title 10, keywords 8, body 1,
// category 2.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "hotline/kb/service.hpp"
#include "hotline/storage/sqlite.hpp"

struct fts5_api;

namespace hotline::kb::internal {

/// Registers the kb_rank(fts_table, weights) auxiliary function: `weights` is a text of one
/// IDF weight per phrase of the MATCH expression, in thousandths ("0 2310 1070"); 0 scores
/// nothing.
int RegisterRankFunction(fts5_api* api);

using RankTuning = SearchTuning;

/// Estimated document frequencies of phrases, shared by all connections. Thread-safe.
class DocFreqCache {
 public:
  explicit DocFreqCache(const RankTuning& tuning) : tuning_(tuning) {}
  /// df of each term (estimated beyond probe_cap); `max_id` is the highest entry id.
  std::vector<int64_t> Lookup(storage::Connection& c, const std::vector<std::string>& terms,
                              int64_t max_id);
  void Clear();

 private:
  struct Item {
    int64_t df;
    std::chrono::steady_clock::time_point at;
  };
  int64_t Probe(storage::Connection& c, const std::string& term, int64_t max_id) const;

  const RankTuning& tuning_;
  std::mutex mu_;
  std::unordered_map<std::string, Item> items_;
};

struct Scored {
  int64_t id = 0;
  double score = 0;
};

/// What one ranking did, for tests and the benchmark.
struct RankTrace {
  size_t terms = 0;   // words searched (after dropping absent and too common ones)
  size_t gate = 0;    // of which narrowed the candidates in the first pass
  int passes = 0;
  bool head_pass = false;  // a pass stopped at scan_cap, so title/keyword matches were added
};

/// The best `limit` entry ids of the index for `terms` (deleted entries are not in the
/// index), best first.
std::vector<Scored> RankEntries(storage::Connection& c, const std::vector<std::string>& terms,
                                DocFreqCache& df_cache, const RankTuning& tuning, int limit,
                                RankTrace* trace = nullptr);

}  // namespace hotline::kb::internal
