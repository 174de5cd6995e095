#include "ranking.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <unordered_set>

namespace hotline::kb::internal {
namespace {

// Index columns: title, keywords, body, category.
constexpr double kColumnWeight[] = {10.0, 8.0, 1.0, 2.0};
constexpr int kColumns = 4;
constexpr double kK1 = 1.2;
// The most a term adds per unit of IDF: found in every column.
constexpr double kAllColumnsWeight = kColumnWeight[0] + kColumnWeight[1] + kColumnWeight[2] + kColumnWeight[3];
constexpr double kMaxTermScore = kAllColumnsWeight * (kK1 + 1) / (kAllColumnsWeight + kK1);
// Words in more than this share of entries do not rank anything (like 医院 in a hospital's
// knowledge base) and are left out of the expression.
constexpr double kMaxDfShare = 0.5;
constexpr size_t kDfCacheMax = 50'000;

/// Per-query state of kb_rank: the weights, parsed once.
struct RankWeights {
  std::vector<double> idf;
};

void KbRank(const Fts5ExtensionApi* api, Fts5Context* ctx, sqlite3_context* out, int n_args,
            sqlite3_value** args) {
  auto* w = static_cast<RankWeights*>(api->xGetAuxdata(ctx, 0));
  if (w == nullptr) {
    w = new RankWeights;
    const char* text = n_args > 0 ? reinterpret_cast<const char*>(sqlite3_value_text(args[0])) : nullptr;
    // Integers in thousandths: no decimal point, so no locale can misread them.
    for (char* p = const_cast<char*>(text ? text : ""); *p != '\0';) {
      char* end = nullptr;
      long v = std::strtol(p, &end, 10);
      if (end == p) break;
      w->idf.push_back(static_cast<double>(v) / 1000.0);
      p = end;
    }
    if (api->xSetAuxdata(ctx, w, [](void* p) { delete static_cast<RankWeights*>(p); }) != SQLITE_OK) {
      sqlite3_result_error_nomem(out);
      return;
    }
  }
  // A phrase scores by the columns it occurs in, not by how often: the title and keywords
  // say what an entry is about, repetitions in the body do not. (It is also the cheapest
  // thing FTS5 can tell per row: no instance list is built.)
  double score = 0;
  int phrases = api->xPhraseCount(ctx);
  for (int p = 0; p < phrases && static_cast<size_t>(p) < w->idf.size(); ++p) {
    double idf = w->idf[static_cast<size_t>(p)];
    if (idf <= 0) continue;
    double t = 0;
    Fts5PhraseIter it;
    int col = -1;
    for (api->xPhraseFirstColumn(ctx, p, &it, &col); col >= 0; api->xPhraseNextColumn(ctx, &it, &col)) {
      if (col < kColumns) t += kColumnWeight[col];
    }
    if (t > 0) score += idf * t * (kK1 + 1) / (t + kK1);
  }
  sqlite3_result_double(out, score);
}

double Idf(int64_t df, int64_t n) {
  double d = static_cast<double>(std::max<int64_t>(df, 1));
  double total = static_cast<double>(std::max(n, df));
  return std::log(1.0 + (total - d + 0.5) / (d + 0.5));
}

/// "(a OR b)" of the chosen terms.
void AppendOr(std::string& out, const std::vector<std::string>& terms, const std::vector<size_t>& which) {
  out += '(';
  for (size_t k = 0; k < which.size(); ++k) {
    if (k > 0) out += " OR ";
    out += terms[which[k]];
  }
  out += ')';
}

/// "(a OR b)" of every term searched, as a text.
std::string AllTerms(const std::vector<std::string>& terms, const std::vector<size_t>& all) {
  std::string out;
  AppendOr(out, terms, all);
  return out;
}

/// The kb_rank weights of a MATCH expression: zeros for `gate`'s phrases, then the IDFs of
/// `all` in thousandths.
std::string Weights(const std::vector<double>& idf, size_t gate, const std::vector<size_t>& all) {
  std::string weights;
  for (size_t k = 0; k < gate; ++k) weights += "0 ";  // the gate's phrases come first
  for (size_t i : all) weights += std::to_string(std::lround(idf[i] * 1000)) + " ";  // thousandths
  return weights;
}

/// Runs one pass: `gate` (when not empty) narrows the candidates, `all` scores them. True when
/// the pass stopped at scan_cap candidates (entries of higher ids were not looked at).
bool RunPass(storage::Connection& c, const std::vector<std::string>& terms,
             const std::vector<double>& idf, const std::vector<size_t>& gate,
             const std::vector<size_t>& all, const RankTuning& tuning, int limit,
             std::vector<Scored>& out) {
  std::string match;
  if (!gate.empty()) {
    AppendOr(match, terms, gate);
    match += " AND ";
  }
  AppendOr(match, terms, all);
  // In id order FTS5 reads doclists forwards, a third faster than backwards.
  auto q = c.Prepare(
      "SELECT rowid, kb_rank(kb_fts, ?2) FROM kb_fts WHERE kb_fts MATCH ?1 ORDER BY rowid LIMIT ?3");
  q->BindAll(match, Weights(idf, gate.size(), all), static_cast<int64_t>(tuning.scan_cap));
  std::vector<Scored> pass;
  while (q->Step()) pass.push_back({q->Int(0), q->Double(1)});
  bool capped = pass.size() >= static_cast<size_t>(tuning.scan_cap);
  auto better = [](const Scored& a, const Scored& b) { return a.score != b.score ? a.score > b.score : a.id > b.id; };
  size_t n = std::min(pass.size(), static_cast<size_t>(limit));
  std::partial_sort(pass.begin(), pass.begin() + static_cast<std::ptrdiff_t>(n), pass.end(), better);
  out.insert(out.end(), pass.begin(), pass.begin() + static_cast<std::ptrdiff_t>(n));
  return capped;
}

/// The entries whose title or keywords hold any of the terms, found in the small kb_head
/// index (titles and keywords only: short doclists), at most head_cap of them, scored by
/// kb_rank with the same weights on what kb_head holds. Run when a pass stopped at scan_cap:
/// an entry about the question that sits beyond the first scan_cap mentions in id order must
/// still rank. Their body mentions are not added (they would move a score by a few percent at
/// most, and scoring them on kb_fts one by one costs a prefix's whole doclist each time); an
/// entry the passes scored keeps its full score.
void RunHeadPass(storage::Connection& c, const std::vector<std::string>& terms,
                 const std::vector<double>& idf, const std::vector<size_t>& all,
                 const RankTuning& tuning, int limit, std::vector<Scored>& out) {
  auto q = c.Prepare(
      "SELECT id, score FROM (SELECT rowid AS id, kb_rank(kb_head, ?2) AS score FROM kb_head"
      " WHERE kb_head MATCH ?1 ORDER BY rowid LIMIT ?3) ORDER BY score DESC, id DESC LIMIT ?4");
  q->BindAll(AllTerms(terms, all), Weights(idf, 0, all), static_cast<int64_t>(tuning.head_cap),
             static_cast<int64_t>(limit));
  while (q->Step()) out.push_back({q->Int(0), q->Double(1)});
}

/// The terms to search, rarest first, and the ones that narrow the candidates.
struct Selection {
  std::vector<size_t> all;   // indexes of the terms searched
  std::vector<size_t> gate;  // a prefix of `all`
  std::vector<double> idf;   // by term index
};

Selection Select(const std::vector<int64_t>& df, int64_t max_id, const RankTuning& tuning) {
  Selection s;
  for (size_t i = 0; i < df.size(); ++i) {
    if (df[i] > 0) s.all.push_back(i);  // a word found nowhere cannot help
  }
  std::stable_sort(s.all.begin(), s.all.end(), [&](size_t a, size_t b) { return df[a] < df[b]; });
  double too_common = kMaxDfShare * static_cast<double>(max_id);
  while (s.all.size() > 1 && static_cast<double>(df[s.all.back()]) > too_common) s.all.pop_back();
  s.idf.assign(df.size(), 0.0);
  // Rounded as kb_rank receives them, so that scores and the MaxScore bound agree.
  for (size_t i : s.all) s.idf[i] = std::round(Idf(df[i], max_id) * 1000) / 1000;
  int64_t sum = 0;
  for (size_t i : s.all) {
    if (!s.gate.empty() && sum + df[i] > tuning.candidate_budget) break;
    s.gate.push_back(i);
    sum += df[i];
  }
  return s;
}

/// The most an entry holding none of the gating words can score.
double Bound(const Selection& sel) {
  double bound = 0;
  for (size_t k = sel.gate.size(); k < sel.all.size(); ++k) bound += sel.idf[sel.all[k]] * kMaxTermScore;
  return bound;
}

/// The best `limit` of `scored`, each id once.
std::vector<Scored> BestDistinct(std::vector<Scored> scored, int limit) {
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : a.id > b.id;
  });
  std::unordered_set<int64_t> seen;
  std::vector<Scored> out;
  for (const auto& s : scored) {
    if (out.size() < static_cast<size_t>(limit) && seen.insert(s.id).second) out.push_back(s);
  }
  return out;
}

int64_t MaxId(storage::Connection& c) {
  auto q = c.Prepare("SELECT coalesce(max(id), 0) FROM kb_entries");
  q->Step();
  return q->Int(0);
}

}  // namespace

int RegisterRankFunction(fts5_api* api) {
  return api->xCreateFunction(api, "kb_rank", nullptr, &KbRank, nullptr);
}

int64_t DocFreqCache::Probe(storage::Connection& c, const std::string& term, int64_t max_id) const {
  auto q = c.Prepare("SELECT rowid FROM kb_fts WHERE kb_fts MATCH ?1 ORDER BY rowid LIMIT ?2");
  q->BindAll(term, static_cast<int64_t>(tuning_.probe_cap));
  int64_t count = 0, last = 0;
  while (q->Step()) {
    ++count;
    last = q->Int(0);
  }
  if (count < tuning_.probe_cap) return count;
  // The first probe_cap matches spread over ids 1..last: extrapolate to all ids.
  double share = static_cast<double>(std::max<int64_t>(last, 1)) / static_cast<double>(std::max(max_id, last));
  return static_cast<int64_t>(static_cast<double>(count) / share);
}

std::vector<int64_t> DocFreqCache::Lookup(storage::Connection& c, const std::vector<std::string>& terms,
                                          int64_t max_id) {
  auto now = std::chrono::steady_clock::now();
  std::vector<int64_t> out(terms.size(), -1);
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < terms.size(); ++i) {
      auto it = items_.find(terms[i]);
      if (it != items_.end() && now - it->second.at < tuning_.df_cache_ttl) out[i] = it->second.df;
    }
  }
  for (size_t i = 0; i < terms.size(); ++i) {
    if (out[i] >= 0) continue;
    out[i] = Probe(c, terms[i], max_id);  // outside the lock: probes may take a while
    std::lock_guard lock(mu_);
    if (items_.size() >= kDfCacheMax) items_.clear();
    items_[terms[i]] = {out[i], now};
  }
  return out;
}

void DocFreqCache::Clear() {
  std::lock_guard lock(mu_);
  items_.clear();
}

std::vector<Scored> RankEntries(storage::Connection& c, const std::vector<std::string>& terms,
                                DocFreqCache& df_cache, const RankTuning& tuning, int limit,
                                RankTrace* trace) {
  RankTrace local;
  RankTrace& t = trace ? *trace : local;
  int64_t max_id = MaxId(c);
  Selection sel = Select(df_cache.Lookup(c, terms, max_id), max_id, tuning);
  t = {sel.all.size(), sel.gate.size(), 0};
  std::vector<Scored> out;
  if (sel.all.empty()) return out;
  bool gated = sel.gate.size() < sel.all.size();
  t.passes = 1;
  bool capped = RunPass(c, terms, sel.idf, gated ? sel.gate : std::vector<size_t>{}, sel.all, tuning,
                        limit, out);
  bool head_done = false;
  if (capped) {
    t.head_pass = head_done = true;
    RunHeadPass(c, terms, sel.idf, sel.all, tuning, limit, out);
    out = BestDistinct(std::move(out), limit);
  }
  if (!gated) return out;
  // An entry without any gating word scores at most the other words' maxima (MaxScore):
  // when the gated pass already has `limit` entries at that or above, no other entry can
  // enter the result.
  size_t n = static_cast<size_t>(limit);
  if (out.size() >= n && out[n - 1].score >= Bound(sel)) return out;
  t.passes = 2;
  capped = RunPass(c, terms, sel.idf, {}, sel.all, tuning, limit, out);
  if (capped && !head_done) {
    t.head_pass = true;
    RunHeadPass(c, terms, sel.idf, sel.all, tuning, limit, out);
  }
  return BestDistinct(std::move(out), limit);
}

}  // namespace hotline::kb::internal
