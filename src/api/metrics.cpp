#include "hotline/api/metrics.hpp"

#include <fmt/format.h>

namespace hotline::api {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

}  // namespace

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  auto& l = latency_[route];
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) ++l.counts[i];
  }
  ++l.total;
  l.sum += seconds;
}

void Metrics::AddSource(Source source) {
  std::lock_guard lock(mu_);
  sources_.push_back(std::move(source));
}

std::string Metrics::Render(const storage::DatabaseStats& db) const {
  std::string out;
  std::vector<Source> sources;
  {
    std::lock_guard lock(mu_);
    out += "# HELP hotline_http_requests_total HTTP requests by route and status.\n"
           "# TYPE hotline_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out += fmt::format("hotline_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                         method, Escape(route), status, n);
    }
    out += "# HELP hotline_http_request_seconds Request latency by route.\n"
           "# TYPE hotline_http_request_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
      for (size_t i = 0; i < std::size(kBuckets); ++i) {
        out += fmt::format("hotline_http_request_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                           Escape(route), kBuckets[i], l.counts[i]);
      }
      out += fmt::format("hotline_http_request_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                         Escape(route), l.total);
      out += fmt::format("hotline_http_request_seconds_sum{{route=\"{}\"}} {}\n", Escape(route), l.sum);
      out += fmt::format("hotline_http_request_seconds_count{{route=\"{}\"}} {}\n", Escape(route), l.total);
    }
    sources = sources_;
  }
  out += "# HELP hotline_db_commits_total Group commits of the database writer.\n"
         "# TYPE hotline_db_commits_total counter\n";
  out += fmt::format("hotline_db_commits_total {}\n", db.commits);
  out += "# HELP hotline_db_writes_total Writes committed (several per commit when batched).\n"
         "# TYPE hotline_db_writes_total counter\n";
  out += fmt::format("hotline_db_writes_total {}\n", db.writes);
  out += "# HELP hotline_db_failed_writes_total Writes rolled back.\n"
         "# TYPE hotline_db_failed_writes_total counter\n";
  out += fmt::format("hotline_db_failed_writes_total {}\n", db.failed_writes);
  out += "# HELP hotline_db_commit_seconds_total Time spent in group commits.\n"
         "# TYPE hotline_db_commit_seconds_total counter\n";
  out += fmt::format("hotline_db_commit_seconds_total {}\n", db.commit_seconds_sum);
  out += "# HELP hotline_db_commit_batch_size Writes per group commit.\n"
         "# TYPE hotline_db_commit_batch_size histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < db.batch_size_buckets.size(); ++i) {
    cumulative += db.batch_size_buckets[i];
    out += fmt::format("hotline_db_commit_batch_size_bucket{{le=\"{}\"}} {}\n", 1u << i, cumulative);
  }
  out += fmt::format("hotline_db_commit_batch_size_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("hotline_db_commit_batch_size_sum {}\n", db.writes + db.failed_writes);
  out += fmt::format("hotline_db_commit_batch_size_count {}\n", cumulative);
  for (const auto& s : sources) s(out);
  return out;
}

}  // namespace hotline::api
