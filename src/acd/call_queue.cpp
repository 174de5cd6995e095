#include "acd/call_queue.hpp"

namespace hotline::acd {

CallQueue::Slot CallQueue::Insert(const QueueKey& key, size_t skill, bool any_agent) {
  Slot slot;
  slot.skill = skill;
  slot.in_skill = by_skill_[skill].insert(key).first;
  slot.in_all = all_.insert(key).first;
  if (any_agent) slot.in_any = any_.insert(key).first;
  return slot;
}

void CallQueue::Erase(const Slot& slot) {
  if (slot.in_any) any_.erase(*slot.in_any);
  all_.erase(slot.in_all);
  by_skill_[slot.skill].erase(slot.in_skill);
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
