#pragma once
// The daily report (日报, SPEC §6): a local day's call measures, computed from its call
// records with the live engine's own definitions (acd::MeasureCalls), the day's work orders,
// and per agent: calls answered, talk time, time logged in, occupancy, survey scores,
// work orders written and callbacks made.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hotline/acd/config.hpp"
#include "hotline/acd/model.hpp"
#include "hotline/core/time.hpp"
#include "hotline/reports/period.hpp"
#include "hotline/storage/sqlite.hpp"

namespace hotline::reports {

/// Work orders of the day: created counts those accepted that day (assisting units' copies
/// excluded); the others count the actions taken that day.
struct WorkOrderDay {
  int created = 0;
  std::map<std::string, int> by_type;     // every type, zeros included
  std::map<std::string, int> by_channel;  // every channel, zeros included
  int transferred = 0;        // transfers made (转办)
  int replied = 0;            // units' replies received
  int callbacks = 0;          // callback attempts (回访)
  int callbacks_reached = 0;  // of which the caller was reached
  int closed = 0;             // work orders closed that day (and not reopened since)
};

struct AgentDay {
  int64_t agent_id = 0;
  std::string name;  // display name, else user name
  int calls_answered = 0;
  int64_t talk_s = 0;
  int64_t logged_in_s = 0;
  std::optional<double> occupancy;  // (ringing + talking + wrap-up) / logged-in time
  int surveys = 0;
  std::optional<double> survey_score;  // mean 1–5 over the agent's calls of the day
  int work_orders = 0;                 // work orders the agent accepted that day
  int callbacks = 0;                   // callback attempts the agent made that day
};

struct DailyReport {
  std::chrono::year_month_day date;
  Period period;
  acd::DayMeasures calls;  // `day` set; the live-only fields (waiting, longest wait) left 0
  int surveys = 0;
  std::optional<double> survey_score;
  WorkOrderDay work_orders;
  std::vector<AgentDay> agents;  // everyone with a figure that day, by id
};

/// The report of local day `date`. `calls` are that day's call records (the calls that
/// arrived in it); agent time is measured up to `now` when the day is not over.
DailyReport BuildDaily(storage::Connection& c, std::chrono::year_month_day date, const core::TimeZone& zone,
                       core::TimePoint now, std::span<const acd::CallRecord> calls,
                       const acd::AcdConfig& config);

}  // namespace hotline::reports
