#include "hotline/reports/staffing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace hotline::reports {
namespace {

using core::Error;

/// log(1 + e^u) without overflow.
double Softplus(double u) { return u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u)); }

double OfferedLoad(const StaffingInput& in) { return in.calls_per_hour * in.aht_s / 3600.0; }

bool InRange(double v, double lo_exclusive, double hi) { return v > lo_exclusive && v <= hi; }

std::string Bound(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

// Sums over the waiting states of M/M/n+M, scaled by e^-scale. A caller who finds m others
// waiting is answered (before hanging up) with probability x/(x+m+1), and then within t with
// probability I_z(m+1, x+1), z = 1 - e^(-θt): the phases of its wait are exponential with
// rates nμ + kθ, which tilts the maximum of m+1 Exp(θ) clocks (Rényi) into a beta law.
struct WaitingSums {
  double mass = 0;       // Σ w_m: arrivals that wait
  double served = 0;     // Σ w_m · x/(x+m+1)
  double in_target = 0;  // Σ w_m · x/(x+m+1) · I_z(m+1, x+1)
  double wait = 0;       // Σ w_m · x/(x+m+1) · Σ_{k=1}^{m+1} 1/(x+k)   (× 1/θ = seconds)
};

WaitingSums SumWaitingStates(double x, double y, double theta_t, double scale, double rest) {
  constexpr int64_t kMaxTerms = 50'000'000;  // far beyond what the input bounds allow
  const double log_y = std::log(y);
  const double b = x + 1;
  const double lg_b = std::lgamma(b);
  const double log_z = theta_t > 0 ? std::log(-std::expm1(-theta_t)) : 0;
  const double m_peak = std::max(0.0, std::floor(y - x));
  double i_beta = theta_t > 0 ? -std::expm1(-theta_t * b) : 0;  // I_z(1, x+1)
  double log_w = 0;
  double harmonic = 0;
  WaitingSums s;
  for (int64_t m = 0; m < kMaxTerms; ++m) {
    const double md = static_cast<double>(m);
    if (m > 0) {
      log_w += log_y - std::log(x + md);
      // I_z(m+1, b) = I_z(m, b) - z^m (1-z)^b Γ(m+b) / (Γ(m+1) Γ(b))
      if (theta_t > 0) {
        i_beta -= std::exp(md * log_z - theta_t * b + std::lgamma(md + b) - std::lgamma(md + 1) - lg_b);
        i_beta = std::max(0.0, i_beta);
      }
    }
    harmonic += 1 / (x + md + 1);
    const double w = std::exp(log_w - scale);
    const double p_served = x / (x + md + 1);
    s.mass += w;
    s.served += w * p_served;
    s.in_target += w * p_served * i_beta;
    s.wait += w * p_served * harmonic;
    if (md >= m_peak) {
      // Past the peak the terms fall at least geometrically by `ratio`.
      const double ratio = y / (x + md + 1);
      if (w == 0 || (ratio < 1 && w * ratio / (1 - ratio) < 1e-17 * (rest + s.mass))) break;
    }
  }
  return s;
}

}  // namespace

core::Result<void> ValidateStaffing(const StaffingInput& in) {
  if (!InRange(in.calls_per_hour, 0, kMaxCallsPerHour)) {
    return Error::Validation("calls_per_hour: must be a number above 0 and at most " + Bound(kMaxCallsPerHour),
                             "calls_per_hour");
  }
  if (!InRange(in.aht_s, 0, kMaxAhtS)) {
    return Error::Validation("aht_s: must be a number above 0 and at most " + Bound(kMaxAhtS), "aht_s");
  }
  if (!(in.target_sl > 0 && in.target_sl < 1)) {
    return Error::Validation("target_sl: must be a fraction between 0 and 1 (0.8 for 80%)", "target_sl");
  }
  if (!(in.target_s >= 0 && in.target_s <= kMaxTargetS)) {
    return Error::Validation("target_s: must be a number from 0 to " + Bound(kMaxTargetS), "target_s");
  }
  if (in.patience_s && !InRange(*in.patience_s, 0, kMaxPatienceS)) {
    return Error::Validation("patience_s: must be a number above 0 and at most " + Bound(kMaxPatienceS),
                             "patience_s");
  }
  if (OfferedLoad(in) > kMaxOfferedLoad) {
    return Error::Validation("calls_per_hour: calls_per_hour * aht_s / 3600 must be at most " +
                                 Bound(kMaxOfferedLoad) + " erlangs",
                             "calls_per_hour");
  }
  return {};
}

double LogInverseErlangB(int agents, double load) {
  double log_r = 0;  // 1/B(0) = 1
  for (int k = 1; k <= agents; ++k) log_r = Softplus(std::log(k / load) + log_r);
  return log_r;
}

std::optional<QueueFigures> ErlangC(int agents, const StaffingInput& in) {
  const double load = OfferedLoad(in);
  const double n = agents;
  if (agents < 1 || n <= load) return std::nullopt;
  const double rho = load / n;
  // C = 1 / (1 + (1/B - 1)(1 - ρ)), with 1/B(n) - 1 = (n/A) / B(n-1).
  const double log_rest = std::log(n / load) + LogInverseErlangB(agents - 1, load);
  const double p_wait = std::exp(-Softplus(log_rest + std::log1p(-rho)));
  QueueFigures f;
  f.agents = agents;
  f.p_wait = p_wait;
  f.service_level = 1 - p_wait * std::exp(-(n - load) * in.target_s / in.aht_s);
  f.asa_s = p_wait * in.aht_s / (n - load);
  f.occupancy = rho;
  return f;
}

QueueFigures ErlangA(int agents, const StaffingInput& in) {
  const double lambda = in.calls_per_hour / 3600.0;
  const double mu = 1 / in.aht_s;
  const double theta = 1 / *in.patience_s;
  const double load = lambda / mu;
  const double n = agents;
  const double x = n * mu / theta;
  const double y = lambda / theta;
  // States below n relative to state n: 1/B(n) - 1. States n+m relative to state n:
  // w_m = y^m / Π_{k=1..m}(x + k), largest near m = y - x.
  const double log_rest = std::log(n / load) + LogInverseErlangB(agents - 1, load);
  const double m_peak = std::max(0.0, std::floor(y - x));
  const double log_peak = m_peak * std::log(y) - (std::lgamma(x + m_peak + 1) - std::lgamma(x + 1));
  const double scale = std::max(log_rest, log_peak);
  const double rest = std::exp(log_rest - scale);
  const WaitingSums s = SumWaitingStates(x, y, theta * in.target_s, scale, rest);
  const double total = rest + s.mass;
  QueueFigures f;
  f.agents = agents;
  f.p_wait = s.mass / total;
  f.service_level = (rest + s.in_target) / total;
  f.p_abandon = (s.mass - s.served) / total;
  f.asa_s = s.wait / theta / (rest + s.served);
  f.occupancy = load * (rest + s.served) / total / n;
  return f;
}

core::Result<QueueFigures> FewestAgents(const StaffingInput& in) {
  if (auto ok = ValidateStaffing(in); ok.has_error()) return ok.error();
  const double load = OfferedLoad(in);
  auto unreachable = [] {
    return Error::Validation("target_sl: not reachable with " + std::to_string(kMaxAgents) + " agents",
                             "target_sl");
  };
  if (!in.patience_s) {
    // Erlang C: stable from the first whole number above the load; SL grows with agents.
    for (int n = std::max(1, static_cast<int>(std::floor(load)) + 1); n <= kMaxAgents; ++n) {
      auto f = ErlangC(n, in);
      if (f && f->service_level >= in.target_sl) return *f;
    }
    return unreachable();
  }
  // Erlang A: answered calls never exceed n/load of arrivals, so fewer than target_sl * load
  // agents cannot do; from there double, then bisect (SL grows with agents).
  int lo = std::max(1, static_cast<int>(std::ceil(in.target_sl * load)));
  QueueFigures best = ErlangA(lo, in);
  if (best.service_level >= in.target_sl) return best;
  int hi = lo;
  for (;;) {
    if (hi >= kMaxAgents) return unreachable();
    lo = hi;
    hi = std::min(kMaxAgents, hi * 2);
    best = ErlangA(hi, in);
    if (best.service_level >= in.target_sl) break;
  }
  while (hi - lo > 1) {  // SL(lo) < target <= SL(hi)
    const int mid = lo + (hi - lo) / 2;
    QueueFigures f = ErlangA(mid, in);
    if (f.service_level >= in.target_sl) {
      hi = mid;
      best = f;
    } else {
      lo = mid;
    }
  }
  return best;
}

}  // namespace hotline::reports
