#pragma once
// The waiting calls, indexed three ways so that no event scans the queue:
// per skill (an agent takes the head of its skills' queues), the calls that any agent may
// take (waited past overflow_after_s), and one order-statistics tree over all of them for
// positions. Order: priority descending, then arrival sequence (= enqueued_at order).
#include <cstddef>
#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <optional>
#include <set>
#include <vector>

namespace hotline::acd {

/// A call's place in line; never changes while the call lives (a re-queue keeps it).
struct QueueKey {
  int priority = 0;
  uint64_t seq = 0;  // arrival order; assigned in enqueued_at order
  int64_t call_id = 0;

  friend bool operator<(const QueueKey& a, const QueueKey& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.seq < b.seq;
  }
  friend bool operator==(const QueueKey& a, const QueueKey& b) {
    return a.priority == b.priority && a.seq == b.seq;
  }
};

class CallQueue {
  using OrderedTree =
      __gnu_pbds::tree<QueueKey, __gnu_pbds::null_type, std::less<QueueKey>,
                       __gnu_pbds::rb_tree_tag, __gnu_pbds::tree_order_statistics_node_update>;

 public:
  /// Where a queued call sits in each index, so that removing it needs no search.
  struct Slot {
    size_t skill = 0;
    std::set<QueueKey>::const_iterator in_skill;
    OrderedTree::iterator in_all;
    std::optional<std::set<QueueKey>::const_iterator> in_any;
  };

  explicit CallQueue(size_t skill_count) : by_skill_(skill_count) {}

  /// Adds a call; `any_agent` also puts it among the calls every agent may take.
  Slot Insert(const QueueKey& key, size_t skill, bool any_agent);
  /// Removes a call by the slot Insert gave.
  void Erase(const Slot& slot);
  /// Lets every agent take an already queued call.
  void MarkAnyAgent(Slot& slot) { slot.in_any = any_.insert(*slot.in_skill).first; }

  /// The first call of a skill, or null.
  const QueueKey* HeadOfSkill(size_t skill) const;
  /// The first call any agent may take, or null.
  const QueueKey* HeadOfAny() const { return any_.empty() ? nullptr : &*any_.begin(); }

  size_t size() const { return all_.size(); }
  bool empty() const { return all_.empty(); }
  /// Calls ahead of `key` (0 = next in line).
  size_t CountAhead(const QueueKey& key) const { return all_.order_of_key(key); }
  /// The call that arrived first (smallest seq), whatever its priority.
  std::optional<QueueKey> Oldest() const;

  /// Calls in order, at most `limit`.
  template <class F>
  void ForEachInOrder(size_t limit, F&& f) const {
    for (auto it = all_.begin(); it != all_.end() && limit > 0; ++it, --limit) f(*it);
  }

  // For the invariant check.
  bool ContainsInSkill(const QueueKey& key, size_t skill) const {
    return skill < by_skill_.size() && by_skill_[skill].count(key) == 1;
  }
  bool ContainsAll(const QueueKey& key) const { return all_.find(key) != all_.end(); }
  bool ContainsAny(const QueueKey& key) const { return any_.count(key) == 1; }
  size_t SizeBySkills() const;
  size_t SizeAny() const { return any_.size(); }

 private:
  std::vector<std::set<QueueKey>> by_skill_;
  std::set<QueueKey> any_;
  OrderedTree all_;
};

}  // namespace hotline::acd
