#include "hotline/acd/day_measures.hpp"

#include <map>

#include "acd/measures.hpp"

namespace hotline::acd {

DayMeasures MeasureCalls(std::span<const CallRecord> calls, const AcdConfig& config) {
  DayStats stats;
  struct Figures {
    int answered = 0;
    int64_t talk_ms = 0;
  };
  std::map<int64_t, Figures> agents;  // by id, so the list comes out in a stable order
  for (const CallRecord& call : calls) {
    stats.Replay(call, config.service_level_s);
    if (!call.answered_at || !call.agent_id) continue;
    Figures& f = agents[*call.agent_id];
    ++f.answered;
    if (call.ended_at) f.talk_ms += (*call.ended_at - *call.answered_at).count();
  }
  DayMeasures out;
  stats.Fill(out);
  for (const auto& [id, f] : agents) {
    AgentView agent;
    agent.agent_id = id;
    agent.calls_answered = f.answered;
    agent.talk_s = f.talk_ms / 1000;  // as the live view rounds it
    out.agents.push_back(std::move(agent));
  }
  return out;
}

}  // namespace hotline::acd
