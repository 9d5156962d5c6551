#include "work_budget.hpp"

#include <algorithm>

namespace migsleuth::ingest {
namespace {

std::uint64_t add_capped(std::uint64_t a, std::uint64_t b) noexcept {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

std::uint64_t left_after(std::uint64_t total, std::uint64_t used) noexcept {
  return used >= total ? 0 : total - used;
}

}  // namespace

// Unsigned arithmetic wraps, and the true sums stay below 2^64 (the caps are
// clamped), so a negative delta is just its two's complement.
void work_ledger::prefix_sums::add(std::size_t i, std::uint64_t delta) {
  for (std::size_t k = i + 1; k <= tree.size(); k += k & (~k + 1)) tree[k - 1] += delta;
}

std::uint64_t work_ledger::prefix_sums::before(std::size_t i) const {
  std::uint64_t sum = 0;
  for (std::size_t k = i; k > 0; k -= k & (~k + 1)) sum += tree[k - 1];
  return sum;
}

work_ledger::work_ledger(std::size_t tasks, work_amounts total, work_amounts per_task_cap)
    : total_(total), cap_(per_task_cap), done_(tasks, false) {
  // Until a task finishes it is assumed to use all it could. With absurd
  // limits (near 2^64 / tasks: no total could ever be reached) the
  // assumption is clamped so that the sums cannot wrap.
  const std::uint64_t room = UINT64_MAX / (static_cast<std::uint64_t>(tasks) + 1);
  cap_.bytes = std::min({cap_.bytes, total_.bytes, room});
  cap_.members = std::min({cap_.members, total_.members, room});
  bytes_.tree.assign(tasks, 0);
  members_.tree.assign(tasks, 0);
  unfinished_.tree.assign(tasks, 0);
  for (std::size_t t = 0; t < tasks; ++t) {
    bytes_.add(t, cap_.bytes);
    members_.add(t, cap_.members);
    unfinished_.add(t, 1);
  }
}

work_amounts work_ledger::allowance(std::size_t t, work_amounts want) {
  std::unique_lock lock(mutex_);
  for (;;) {
    const work_amounts bound{left_after(total_.bytes, bytes_.before(t)),
                             left_after(total_.members, members_.before(t))};
    const bool exact = unfinished_.before(t) == 0;
    if (exact || (bound.bytes >= want.bytes && bound.members >= want.members)) return bound;
    finished_.wait(lock);
  }
}

void work_ledger::finish(std::size_t t, work_amounts used) {
  {
    const std::lock_guard lock(mutex_);
    if (t >= done_.size() || done_[t]) return;
    done_[t] = true;
    bytes_.add(t, std::min(used.bytes, cap_.bytes) - cap_.bytes);
    members_.add(t, std::min(used.members, cap_.members) - cap_.members);
    unfinished_.add(t, ~std::uint64_t{0});  // -1
  }
  finished_.notify_all();
}

work_budget::work_budget(std::uint64_t max_bytes, std::uint64_t max_members,
                         work_ledger* ledger, std::size_t task)
    : cap_{max_bytes, max_members}, ledger_(ledger), task_(task) {}

work_budget::~work_budget() {
  if (ledger_ != nullptr) ledger_->finish(task_, used_);
}

bool work_budget::take_bytes(std::uint64_t n) { return take({n, 0}); }

bool work_budget::take_member() { return take({0, 1}); }

bool work_budget::take(work_amounts more) {
  if (used_up()) return false;
  const work_amounts next{add_capped(used_.bytes, more.bytes),
                          add_capped(used_.members, more.members)};
  if (next.bytes > cap_.bytes) {
    why_ = "decompressed size exceeds the limit of " + std::to_string(cap_.bytes) +
           " bytes (--max-decompressed, counted over the file and everything nested in it, "
           "sparse holes included)";
    return false;
  }
  if (next.members > cap_.members) {
    why_ = "more than " + std::to_string(cap_.members) +
           " archive members in this file (nested archives included)";
    return false;
  }
  if (ledger_ != nullptr && (next.bytes > granted_.bytes || next.members > granted_.members)) {
    granted_ = ledger_->allowance(task_, next);
    if (next.bytes > granted_.bytes) {
      why_ = "the analysis's total of " + std::to_string(ledger_->total().bytes) +
             " decompressed bytes (4 x --max-decompressed, over all files) is used up";
      return false;
    }
    if (next.members > granted_.members) {
      why_ = "the analysis's total of " + std::to_string(ledger_->total().members) +
             " archive members (over all files) is used up";
      return false;
    }
  }
  used_ = next;
  return true;
}

}  // namespace migsleuth::ingest
