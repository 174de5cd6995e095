#pragma once
// A day's measures computed from its call records (the CDR rows), with exactly the
// definitions the live engine uses. The engine seeds today's figures from these rows after a
// restart, and the daily report measures any past day with the same function, so the two
// never disagree.
#include <span>

#include "hotline/acd/config.hpp"
#include "hotline/acd/model.hpp"

namespace hotline::acd {

/// Counts, rates and per-agent figures (calls answered, talk time; occupancy is left empty:
/// it needs the agents' logged-in time, which call records do not hold) of the calls in
/// `calls`: each one counts once, as it stands in its record. Pass the calls that arrived on
/// one local day; calls still queued or ringing count as offered only.
DayMeasures MeasureCalls(std::span<const CallRecord> calls, const AcdConfig& config);

}  // namespace hotline::acd
