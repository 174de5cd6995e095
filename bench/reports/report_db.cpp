#include "report_db.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <queue>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "hotline/core/calendar.hpp"
#include "hotline/core/json.hpp"
#include "hotline/workorder/service.hpp"
#include "hotline/workorder/sql_functions.hpp"

namespace hotline::reports::bench {
namespace {

namespace fs = std::filesystem;
using core::TimePoint;
using workorder::Action;
using workorder::ActionInput;
using workorder::Type;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;
// 2025-01-01T00:00+08:00, the first generated day.
constexpr int64_t kFirstDayMs = 1'735'689'600'000 - 8 * kHourMs;
constexpr int kUnits = 20;
constexpr int kOutbreakDays = 7;
constexpr int kOutbreakPerDay = 30;

const char* const kDistricts[] = {"东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区",
                                  "通州区", "顺义区", "昌平区", "大兴区", "房山区", "门头沟区"};
const char* const kCallers[] = {"市民来电咨询", "家长来电询问", "患者家属来电反映", "来电人称",
                                "居民来电反映", "一位老人来电", "孕妇来电咨询",     "企业员工来电"};
const char* const kSchools[] = {"实验小学",   "第二中学", "阳光幼儿园", "育才小学",
                                "外国语学校", "第一中学", "希望幼儿园", "民族小学"};
const char* const kClosings[] = {"希望尽快答复。", "请相关部门核实处理。", "来电人情绪着急。",
                                 "要求回电告知结果。", ""};

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("HOTLINE_SOURCE_DIR");
  std::string path = std::string(root && *root ? root : HOTLINE_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The sentences of a text, each with its closing punctuation.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    cur += ch;
    for (const char* end : {"。", "；", "？"}) {
      if (cur.size() >= 3 && cur.compare(cur.size() - 3, 3, end) == 0) {
        out.push_back(cur);
        cur.clear();
        break;
      }
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

/// The title up to its first comma or bracket: what a caller's question is called.
std::string Subject(const std::string& title) {
  size_t cut = title.size();
  for (const char* stop : {"，", "（", "？", "、"}) cut = std::min(cut, title.find(stop));
  return title.substr(0, cut);
}

struct Text {
  std::string subject;
  std::string description;
  std::optional<std::string> category;
  Type type = Type::kConsult;
};

/// Subjects and descriptions from the starter entries, the popular ones more often.
class Vocabulary {
 public:
  Vocabulary() {
    const core::Json starter = core::Json::parse(SourceFile("config/kb/starter.json"));
    for (const auto& e : starter) {
      entries_.push_back({Subject(e["title"].get<std::string>()),
                          Sentences(e["body"].get<std::string>()),
                          e["category"].get<std::string>()});
    }
    std::vector<double> weights;  // Zipf-like popularity in a shuffled order
    for (size_t i = 0; i < entries_.size(); ++i)
      weights.push_back(1.0 / std::pow(static_cast<double>(i + 1), 0.8));
    std::shuffle(weights.begin(), weights.end(), std::mt19937(7));
    pick_ = std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }

  Text Ordinary(std::mt19937& rng) {
    const Entry& e = entries_[pick_(rng)];
    Text t;
    const int roll = static_cast<int>(rng() % 100);
    t.type = roll < 70   ? Type::kConsult
             : roll < 85 ? Type::kComplaint
             : roll < 95 ? Type::kReport
             : roll < 98 ? Type::kSuggestion
                         : Type::kPraise;
    t.subject = (rng() % 3 == 0 ? "咨询" : "") + e.subject;
    t.description = std::string(kDistricts[rng() % std::size(kDistricts)]) +
                    kCallers[rng() % std::size(kCallers)] + "：";
    const size_t n = 1 + rng() % 3;
    const size_t from = rng() % e.sentences.size();
    for (size_t i = 0; i < n && from + i < e.sentences.size(); ++i)
      t.description += e.sentences[from + i];
    t.description += kClosings[rng() % std::size(kClosings)];
    if (rng() % 10 != 0) t.category = e.category;
    return t;
  }

  static Text Outbreak(std::mt19937& rng) {
    static const char* const kSubjects[] = {"多名学生呕吐腹泻", "学生疑似诺如病毒感染",
                                            "班级停课消毒咨询", "孩子上吐下泻是不是诺如病毒"};
    static const char* const kDescriptions[] = {
        "孩子所在班级多名学生出现呕吐、腹泻，老师说可能是诺如病毒，想问是否需要停课。",
        "学校通知有学生感染诺如病毒，家里怎么消毒，孩子什么时候可以返校？",
        "孩子昨天开始呕吐发烧，同班好几个同学也这样，担心是诺如病毒，要不要去医院？",
        "反映学校食堂卫生问题，怀疑学生集体呕吐腹泻与食堂有关，请疾控部门调查。"};
    Text t;
    t.type = rng() % 2 ? Type::kReport : Type::kConsult;
    t.subject = std::string(kDistricts[rng() % std::size(kDistricts)]) +
                kSchools[rng() % std::size(kSchools)] + kSubjects[rng() % std::size(kSubjects)];
    t.description =
        std::string(kCallers[1]) + "：" + kDescriptions[rng() % std::size(kDescriptions)];
    t.category = "infectious_disease";
    return t;
  }

 private:
  struct Entry {
    std::string subject;
    std::vector<std::string> sentences;
    std::string category;
  };
  std::vector<Entry> entries_;
  std::discrete_distribution<size_t> pick_;
};

/// The day's acceptance times (local 08:00–22:00), in order, outbreak ones flagged.
struct Arrival {
  int64_t at_ms;
  bool outbreak;
};
std::vector<Arrival> DayArrivals(int day, std::mt19937& rng) {
  std::vector<Arrival> out;
  const int64_t open = kFirstDayMs + day * kDayMs + 8 * kHourMs;
  for (int i = 0; i < kOrdersPerDay; ++i)
    out.push_back({open + static_cast<int64_t>(rng() % (14 * kHourMs)), false});
  // The outbreak's last week, and now and then before it: replaces ordinary calls.
  const bool in_outbreak = day >= kDays - kOutbreakDays;
  const int outbreak = in_outbreak ? kOutbreakPerDay : (rng() % 10 == 0 ? 1 : 0);
  for (int i = 0; i < outbreak; ++i) out[i].outbreak = true;
  std::sort(out.begin(), out.end(),
            [](const Arrival& a, const Arrival& b) { return a.at_ms < b.at_ms; });
  return out;
}

std::vector<storage::Migration> Migrations() {
  // The knowledge base's migrations need its tokenizer, and its tables are not used here.
  std::vector<storage::Migration> out;
  for (const auto& m : storage::EmbeddedMigrations()) {
    if (m.sql.find("hotline_cjk") == std::string::npos) out.push_back(m);
  }
  return out;
}

void SeedUnitsAndUsers(storage::Database& db) {
  db.Write([](storage::Connection& c) {
    for (int u = 1; u <= kUnits; ++u) {
      c.Prepare("INSERT INTO units(id, name, kind, created_at) VALUES (?1, ?2, 'hospital', 0)")
          ->BindAll(u, "单位" + std::to_string(u))
          .Run();
      c.Prepare(
           "INSERT INTO users(id, username, password_hash, role, unit_id, created_at)"
           " VALUES (?1, ?2, 'x', 'unit', ?3, 0)")
          ->BindAll(100 + u, "unit" + std::to_string(u), u)
          .Run();
    }
    c.Exec(
        "INSERT INTO users(id, username, password_hash, role, created_at)"
        " VALUES (1, 'agent', 'x', 'agent', 0), (2, 'sup', 'x', 'supervisor', 0)");
  });
}

/// The older days: closed work orders, inserted in one transaction.
void InsertOldDays(storage::Database& db, Vocabulary& words, std::mt19937& rng) {
  db.Write([&](storage::Connection& c) {
    int64_t n = 0;
    for (int day = 0; day < kDays - kServiceDays; ++day) {
      for (const Arrival& a : DayArrivals(day, rng)) {
        const Text t = a.outbreak ? Vocabulary::Outbreak(rng) : words.Ordinary(rng);
        const bool transferred = rng() % 100 < 65;
        const int64_t done = a.at_ms + static_cast<int64_t>(rng() % (10 * kDayMs));
        char no[24];
        std::snprintf(no, sizeof no, "B-%09lld", static_cast<long long>(++n));
        c.Prepare(
             "INSERT INTO tickets(ticket_no, status, type, category, channel, caller_phone,"
             " subject, description, unit_id, accepted_at, due_at, completed_at, closed_at,"
             " updated_at)"
             " VALUES (?1, 'closed', ?2, ?3, 'phone', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10)")
            ->BindAll(std::string_view(no), workorder::TypeName(t.type), t.category,
                      "138" + std::to_string(10'000'000 + rng() % 90'000'000), t.subject,
                      t.description,
                      transferred ? std::optional<int64_t>(1 + rng() % kUnits) : std::nullopt,
                      a.at_ms, a.at_ms + 30 * kDayMs, done)
            .Run();
      }
    }
  });
}

/// What happens next to a work order, at a time: events run in time order on the fake clock.
struct Event {
  int64_t at_ms;
  int64_t id;
  Action action;
  int unit;
  bool operator>(const Event& o) const { return at_ms > o.at_ms; }
};

/// The last days through the real service: each work order answered by the hotline or
/// transferred, signed off, replied to (or returned) and called back, as time allows.
void RunServiceDays(storage::Database& db, Vocabulary& words, std::mt19937& rng) {
  core::FakeClock clock;
  const core::Calendar calendar = *core::Calendar::Make({});
  workorder::Service service(db, clock, calendar, workorder::WorkOrderConfig{});
  const core::Actor agent{1, core::Role::kAgent, std::nullopt, "agent"};
  std::priority_queue<Event, std::vector<Event>, std::greater<>> later;
  const int64_t end_ms = core::ToUnixMillis(Now());
  int failed = 0;
  auto act = [&](const Event& e) {
    clock.Set(core::FromUnixMillis(e.at_ms));
    ActionInput in{.action = e.action};
    core::Actor who = agent;
    if (e.action == Action::kAcknowledge || e.action == Action::kReply ||
        e.action == Action::kReturn) {
      who = {100 + e.unit, core::Role::kUnit, e.unit, "unit"};
    }
    if (e.action == Action::kAnswer) in.answer = "已解答";
    if (e.action == Action::kTransfer) in.unit_id = e.unit;
    if (e.action == Action::kReply) in.result = "已核实处理";
    if (e.action == Action::kReturn) in.reason = "不属于本单位职责";
    if (e.action == Action::kCallback) {
      in.reached = true;
      in.satisfaction = rng() % 10 == 0 ? 2 : 4 + static_cast<int>(rng() % 2);
    }
    auto r = service.Act(who, e.id, in);
    if (!r) {
      ++failed;
      return;
    }
    auto next = [&](Action a, int64_t after_ms, int unit = 0) {
      if (e.at_ms + after_ms < end_ms) later.push({e.at_ms + after_ms, e.id, a, unit});
    };
    const auto rand_ms = [&](int64_t span) { return static_cast<int64_t>(rng() % span); };
    switch (e.action) {
      case Action::kTransfer:
        next(Action::kAcknowledge, kHourMs + rand_ms(20 * kHourMs), e.unit);
        break;
      case Action::kAcknowledge:
        next(rng() % 20 == 0 ? Action::kReturn : Action::kReply, rand_ms(14 * kDayMs), e.unit);
        break;
      default:
        break;
    }
    if (r->status == workorder::Status::kCallbackDue) {
      next(Action::kCallback, kDayMs / 2 + rand_ms(2 * kDayMs));
    }
  };
  for (int day = kDays - kServiceDays; day < kDays; ++day) {
    for (const Arrival& a : DayArrivals(day, rng)) {
      if (a.at_ms >= end_ms) break;
      while (!later.empty() && later.top().at_ms <= a.at_ms) {
        const Event e = later.top();
        later.pop();
        act(e);
      }
      clock.Set(core::FromUnixMillis(a.at_ms));
      const Text t = a.outbreak ? Vocabulary::Outbreak(rng) : words.Ordinary(rng);
      workorder::NewWorkOrder n{.type = t.type,
                                .category = t.category,
                                .caller_phone = "13800138000",
                                .subject = t.subject,
                                .description = t.description};
      auto created = service.Create(agent, n);
      if (!created) throw std::runtime_error("create failed: " + created.error().message);
      if (rng() % 100 < 35) {
        later.push({a.at_ms + 5 * 60'000, created->id, Action::kAnswer, 0});
      } else {
        later.push({a.at_ms + 15 * 60'000, created->id, Action::kTransfer,
                    1 + static_cast<int>(rng() % kUnits)});
      }
    }
  }
  while (!later.empty()) {
    const Event e = later.top();  // a copy: act() pushes more
    later.pop();
    act(e);
  }
  if (failed) std::fprintf(stderr, "%d generated actions refused\n", failed);
}

void Generate(const std::string& path) {
  auto db = storage::Database::Open(
      {.path = path, .synchronous_full = false, .on_open = {workorder::RegisterSqlFunctions}},
      Migrations());
  SeedUnitsAndUsers(*db);
  std::mt19937 rng(12320);
  Vocabulary words;
  InsertOldDays(*db, words, rng);
  RunServiceDays(*db, words, rng);
  db->Write([](storage::Connection& c) { c.Exec("ANALYZE"); });
  db->Close();
}

}  // namespace

core::TimePoint Now() {
  return core::FromUnixMillis(kFirstDayMs + (kDays - 1) * kDayMs + 12 * kHourMs);
}

std::unique_ptr<storage::Database> OpenReportDb() {
  const std::string path = (fs::temp_directory_path() / "hotline-reports-bench-v3.db").string();
  if (!fs::exists(path)) {
    const auto t0 = std::chrono::steady_clock::now();
    fs::remove(path + ".tmp");
    Generate(path + ".tmp");
    fs::rename(path + ".tmp", path);
    std::fprintf(stderr, "generated %s in %.0f s\n", path.c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return storage::Database::Open({.path = path, .on_open = {workorder::RegisterSqlFunctions}},
                                 Migrations());
}

}  // namespace hotline::reports::bench
