// Ticket numbers stay unique and gap-free under concurrent creation through the Database.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using std::chrono::hours;

class TicketNumbers : public testing::ServiceTest {};

TEST_F(TicketNumbers, UniqueUnderManyConcurrentCreators) {
  constexpr int kThreads = 50, kEach = 8;
  std::vector<std::vector<std::string>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = service_->Create(testing::Agent(), testing::Consult("1370000" + std::to_string(1000 + t * kEach + i)));
        if (r.has_value()) got[t].push_back(r->ticket_no);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : got) all.insert(v.begin(), v.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  const std::regex format(R"(20260302-\d{5})");  // YYYYMMDD-NNNNN, the local day
  for (const auto& no : all) EXPECT_TRUE(std::regex_match(no, format)) << no;
  // Gap-free: 00001 … 00400 of the local day.
  EXPECT_EQ(*all.begin(), "20260302-00001");
  EXPECT_EQ(*all.rbegin(), "20260302-00400");
}

TEST_F(TicketNumbers, RestartAtOneOnTheNextLocalDay) {
  // 23:30 local is 15:30 UTC: still the same local day.
  clock_.Set(testing::Monday9() + hours(14) + std::chrono::minutes(30));
  EXPECT_EQ(MustCreate().ticket_no, "20260302-00001");
  EXPECT_EQ(MustCreate().ticket_no, "20260302-00002");
  clock_.Advance(hours(1));  // 00:30 local on Tuesday, still Monday in UTC
  EXPECT_EQ(MustCreate().ticket_no, "20260303-00001");
}

TEST_F(TicketNumbers, GrowBeyondFiveDigits) {
  db_->Write([](storage::Connection& c) {
    c.Exec("INSERT INTO ticket_counters(day, last) VALUES ('20260302', 99999)");
  });
  EXPECT_EQ(MustCreate().ticket_no, "20260302-100000");
}

}  // namespace
}  // namespace hotline::workorder
