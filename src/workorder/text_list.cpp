// Lists with a text query, read two ways at once.
//
// The text index finds a query's rows, newest first (a one-character word through the
// prefix index of first characters), but FTS5 reads every posting of every gram of a phrase
// on the way: a gram in every row (编号 in "编号12345") costs a walk over
// all rows however few match. So the grams are probed first (how dense each is among the
// newest rows), only the rarest few go into the index expression, and when that leaves
// some out, the rows it finds are checked against the whole query in C++ (TextMatcher: the
// index's own rule, without asking FTS5 row by row). A gram found in no row ends the
// search at once.
//
// Another filter can be far more selective than the text (one caller's phone number), or
// far less. Rather than guess, two readers run in turns, both newest first: one walks the
// text index and checks the filters, the other walks the filtered rows (their index) and
// checks the text. Both find exactly the same rows in the same order, so the first to fill
// the page, or to run out, answers; the work is at most a small multiple of the cheaper.
#include <algorithm>
#include <limits>
#include <optional>

#include "workorder/list_sql.hpp"
#include "workorder/repository.hpp"
#include "workorder/text_match.hpp"

namespace hotline::workorder::repo {
namespace {

// Postings read per gram to estimate its density among the newest rows.
constexpr int kProbeDepth = 64;
// The index expression keeps the rarest grams: always two, at most four (FTS5 reads all
// postings of each between two matches, and four rare grams already single a phrase out),
// and none more than kDenseFactor times as dense as the rarest.
constexpr size_t kMaxIndexGrams = 4;
constexpr double kDenseFactor = 4;
// Steps of the text reader per step of the filter reader: a filtered row and its text check
// in C++ cost about twice a posting with its row's filter expression (bench/workorder: 2
// beat 3, 4 and 8 on every text-and-filter list).
constexpr int kTextStepsPerFilterStep = 2;

/// The newest row below the cursor: the top of every range read.
struct Top {
  int64_t id = 0;  // 0: no row at all
  int64_t accepted_at_ms = 0;
};

Top TopBelow(Connection& c, int64_t below) {
  auto q = c.Prepare("SELECT id, accepted_at FROM tickets WHERE id < ?1 ORDER BY id DESC LIMIT 1");
  q->BindAll(below);
  if (!q->Step()) return {};
  return {q->Int(0), q->Int(1)};
}

/// A gram as one FTS5 term: quoted, and a prefix when it is a one-character phrase.
std::string Term(const TextQuery& q, size_t phrase, size_t gram) {
  return "\"" + q.phrases[phrase][gram] + (q.one_char[phrase] ? "\" *" : "\"");
}

/// The share of rows at and below `top` that hold `term`, from its newest postings.
double Density(Connection& c, const std::string& term, const Top& top) {
  auto q = c.Prepare(
      "SELECT count(*), min(rowid) FROM (SELECT rowid FROM ticket_text WHERE ticket_text MATCH ?1"
      " AND rowid <= ?2 ORDER BY rowid DESC LIMIT ?3)");
  q->BindAll(term, top.id, kProbeDepth);
  q->Step();
  int64_t n = q->Int(0);
  if (n == 0) return 0;
  int64_t span = n < kProbeDepth ? top.id : top.id - q->Int(1) + 1;
  return static_cast<double>(n) / static_cast<double>(std::max<int64_t>(span, 1));
}

/// The index expression: the query without its far denser grams. Empty when some gram is
/// in no row at or below the top (then no row matches).
struct IndexPlan {
  std::string match;
  bool exact = true;  // the expression is the whole query: no check needed
};

IndexPlan PlanIndex(Connection& c, const TextQuery& q, const Top& top) {
  // Each distinct term once, with its density.
  std::vector<std::pair<double, std::string>> terms;
  for (size_t p = 0; p < q.phrases.size(); ++p) {
    for (size_t g = 0; g < q.phrases[p].size(); ++g) {
      std::string term = Term(q, p, g);
      auto same = [&](const auto& e) { return e.second == term; };
      if (std::none_of(terms.begin(), terms.end(), same)) terms.emplace_back(0, std::move(term));
    }
  }
  if (terms.size() == 1) return {MatchExpression(q), true};
  for (auto& [density, term] : terms) {
    density = Density(c, term, top);
    if (density == 0) return {"", true};
  }
  std::stable_sort(terms.begin(), terms.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t kept = 2;
  while (kept < std::min(terms.size(), kMaxIndexGrams) &&
         terms[kept].first <= kDenseFactor * terms[0].first) {
    ++kept;
  }
  terms.resize(kept);
  std::vector<std::vector<bool>> keep;
  IndexPlan plan;
  for (size_t p = 0; p < q.phrases.size(); ++p) {
    auto& k = keep.emplace_back();
    for (size_t g = 0; g < q.phrases[p].size(); ++g) {
      auto same = [&, term = Term(q, p, g)](const auto& e) { return e.second == term; };
      k.push_back(std::any_of(terms.begin(), terms.end(), same));
      plan.exact = plan.exact && k.back();
    }
  }
  plan.match = MatchExpression(q, &keep);
  return plan;
}

/// Ids found so far by one reader, newest first.
struct Found {
  std::vector<int64_t> ids;
  bool ended = false;  // the reader has no more rows
  bool Done(int limit) const { return ended || static_cast<int>(ids.size()) > limit; }
};

/// Walks the text index from the top down; checks each row's filters (in SQL, as a column)
/// and, when the expression is looser than the query, its text.
class IndexReader {
 public:
  IndexReader(Connection& c, const IndexPlan& plan, const Where& filters, const Top& top,
              TextMatcher& matcher)
      : exact_(plan.exact), matcher_(matcher), q_(Prepare(c, plan, filters, top)) {}

  void Step(Found& f) {
    if (!q_->Step()) {
      f.ended = true;
      return;
    }
    if (q_->Int(1) == 0) return;
    if (exact_ || matcher_.Matches(q_->Text(2), q_->Text(3))) f.ids.push_back(q_->Int(0));
  }

 private:
  static storage::Query Prepare(Connection& c, const IndexPlan& plan, const Where& filters,
                                const Top& top) {
    Where w = filters;
    // CROSS JOIN keeps the index outermost: its order is the list's order.
    std::string sql = "SELECT ticket_text.rowid, (1" + w.sql() +
                      "), t.subject, t.description FROM ticket_text CROSS JOIN tickets t"
                      " ON t.id = ticket_text.rowid WHERE ticket_text MATCH " +
                      w.Param(plan.match) + " AND ticket_text.rowid <= " + w.Param(top.id) +
                      " ORDER BY ticket_text.rowid DESC";
    auto q = c.Prepare(sql);
    w.BindTo(*q);
    return q;
  }

  bool exact_;
  TextMatcher& matcher_;
  storage::Query q_;
};

/// Walks the filtered rows from the top down (through their index) and checks each text.
class FilterReader {
 public:
  FilterReader(Connection& c, const TextList& list, const Top& top, TextMatcher& matcher)
      : matcher_(matcher), q_(Prepare(c, list, top)) {}

  void Step(Found& f) {
    if (!q_->Step()) {
      f.ended = true;
      return;
    }
    if (matcher_.Matches(q_->Text(1), q_->Text(2))) f.ids.push_back(q_->Int(0));
  }

 private:
  static storage::Query Prepare(Connection& c, const TextList& list, const Top& top) {
    Where w = list.filters;
    // Ids below the cursor are the rows up to the top's acceptance time, ties after it
    // excluded: the accepted_at bound turns that into an index range.
    w.Add("t.accepted_at <= ? AND t.id <= ?", {top.accepted_at_ms, top.id});
    std::string sql = std::string("SELECT t.id, t.subject, t.description FROM tickets t") +
                      (list.overdue_only ? " INDEXED BY tickets_waiting" : "") + " WHERE 1" +
                      w.sql() + " ORDER BY t.accepted_at DESC, t.id DESC";
    auto q = c.Prepare(sql);
    w.BindTo(*q);
    return q;
  }

  TextMatcher& matcher_;
  storage::Query q_;
};

/// The ids of the page (one more than the limit when more follow).
std::vector<int64_t> FindIds(Connection& c, const TextList& list, const Top& top) {
  IndexPlan plan = PlanIndex(c, list.query, top);
  if (plan.match.empty()) return {};
  TextMatcher matcher(list.query, c.handle());
  // Without other filters every row is a candidate of the filter reader: never faster.
  bool by_filters = list.readers == TextReaders::kFiltersOnly ||
                    (list.readers == TextReaders::kBoth && !list.filters.empty());
  std::optional<IndexReader> index;
  std::optional<FilterReader> filter;
  if (list.readers != TextReaders::kFiltersOnly) index.emplace(c, plan, list.filters, top, matcher);
  if (by_filters) filter.emplace(c, list, top, matcher);
  Found from_index, from_filter;
  while (true) {
    for (int k = 0; index && k < kTextStepsPerFilterStep; ++k) {
      index->Step(from_index);
      if (from_index.Done(list.limit)) return std::move(from_index.ids);
    }
    if (filter) {
      filter->Step(from_filter);
      if (from_filter.Done(list.limit)) return std::move(from_filter.ids);
    }
  }
}

}  // namespace

Page ListByText(Connection& c, const TextList& list) {
  // One snapshot for the search and the rows it returns.
  storage::Savepoint snapshot(c, "text_list");
  Page page;
  Top top = TopBelow(c, list.after ? list.after->id : std::numeric_limits<int64_t>::max());
  if (top.id == 0) return page;
  std::vector<int64_t> ids = FindIds(c, list, top);
  for (int64_t id : ids) {
    if (static_cast<int>(page.items.size()) == list.limit) break;
    if (auto wo = Load(c, id)) page.items.push_back(std::move(*wo));
  }
  if (static_cast<int>(ids.size()) > list.limit && !page.items.empty()) {
    const WorkOrder& last = page.items.back();
    page.next = ListCursor{core::ToUnixMillis(last.accepted_at), last.id};
  }
  snapshot.Commit();
  return page;
}

}  // namespace hotline::workorder::repo
