#pragma once
// Prometheus text exposition of the server's counters: requests by route and status,
// request latency, database commit batches, and gauges that other parts contribute.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "hotline/storage/database.hpp"

namespace hotline::api {

class Metrics {
 public:
  /// Appends lines of Prometheus text (with their # HELP/# TYPE) at render time.
  using Source = std::function<void(std::string& out)>;

  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  void AddSource(Source source);
  /// The whole exposition, including the database's commit figures.
  std::string Render(const storage::DatabaseStats& db) const;

 private:
  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Latency {
    std::vector<uint64_t> counts = std::vector<uint64_t>(std::size(kBuckets), 0);
    uint64_t total = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;  // by route
  std::vector<Source> sources_;
};

}  // namespace hotline::api
