#include "acd/call_queue.hpp"

namespace hotline::acd {

void CallQueue::Insert(const QueueKey& key, size_t skill, bool any_agent) {
  by_skill_[skill].insert(key);
  all_.insert(key);
  if (any_agent) any_.insert(key);
}

void CallQueue::Erase(const QueueKey& key, size_t skill, bool any_agent) {
  by_skill_[skill].erase(key);
  all_.erase(key);
  if (any_agent) any_.erase(key);
}

const QueueKey* CallQueue::HeadOfSkill(size_t skill) const {
  const auto& q = by_skill_[skill];
  return q.empty() ? nullptr : &*q.begin();
}

std::optional<QueueKey> CallQueue::Oldest() const {
  // The first call of each priority is its oldest; ten lookups instead of a scan.
  std::optional<QueueKey> oldest;
  for (int p = 9; p >= 0; --p) {
    auto it = all_.lower_bound(QueueKey{p, 0, 0});
    if (it == all_.end() || it->priority != p) continue;
    if (!oldest || it->seq < oldest->seq) oldest = *it;
  }
  return oldest;
}

size_t CallQueue::SizeBySkills() const {
  size_t n = 0;
  for (const auto& q : by_skill_) n += q.size();
  return n;
}

}  // namespace hotline::acd
