// How much work reading one file on disk, and one whole analysis, may cost:
// decompressed bytes (every layer of every stream, sparse holes included)
// and archive members (nested archives included). A decompression bomb,
// a sparse member with a terabyte hole or a tarball of tarballs of bombs
// stops in seconds with a warning on the input where a limit was hit; the
// rest of the analysis goes on.
//
// Files are read in parallel, yet which file a used-up analysis total cuts
// must not depend on --jobs. work_ledger gives the files (tasks, in their
// fixed order) their share deterministically: task t may use what the tasks
// before it left, total - sum(used before t). While an earlier task is still
// running its whole per-file cap is assumed, so nobody waits as long as the
// total exceeds the caps of the tasks running together; a task that reaches
// that lower bound waits for earlier ones to finish, and is cut only once
// the bound is exact.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace migsleuth::ingest {

struct work_amounts {
  std::uint64_t bytes = 0;    // decompressed bytes, sparse holes included
  std::uint64_t members = 0;  // archive member headers read
};

class work_ledger {
 public:
  work_ledger(std::size_t tasks, work_amounts total, work_amounts per_task_cap);
  // A lower bound of task `t`'s allowance that is at least `want` in each
  // amount, or exact when it cannot be (then every earlier task is done).
  // Blocks while earlier tasks may still leave more.
  work_amounts allowance(std::size_t t, work_amounts want);
  // Task `t` used `used` in all.
  void finish(std::size_t t, work_amounts used);
  [[nodiscard]] work_amounts total() const noexcept { return total_; }

 private:
  // Prefix sums over tasks (Fenwick trees): assumed use and unfinished count.
  struct prefix_sums {
    std::vector<std::uint64_t> tree;
    void add(std::size_t i, std::uint64_t delta);
    [[nodiscard]] std::uint64_t before(std::size_t i) const;  // sum over [0, i)
  };
  work_amounts total_;
  work_amounts cap_;
  std::mutex mutex_;
  std::condition_variable finished_;
  prefix_sums bytes_, members_, unfinished_;
  std::vector<bool> done_;
};

// One file on disk and everything inside it (members, nested archives). One
// thread uses it; the ledger, when given, holds the analysis-wide totals.
class work_budget {
 public:
  explicit work_budget(std::uint64_t max_bytes, std::uint64_t max_members = UINT64_MAX,
                       work_ledger* ledger = nullptr, std::size_t task = 0);
  ~work_budget();
  work_budget(const work_budget&) = delete;
  work_budget& operator=(const work_budget&) = delete;

  // False when `n` more bytes (or one more member) would pass a limit; then
  // why() says which, and every later call is false too.
  bool take_bytes(std::uint64_t n);
  bool take_member();
  [[nodiscard]] bool used_up() const noexcept { return !why_.empty(); }
  [[nodiscard]] const std::string& why() const noexcept { return why_; }
  [[nodiscard]] work_amounts used() const noexcept { return used_; }

 private:
  bool take(work_amounts more);

  work_amounts cap_;
  work_ledger* ledger_;
  std::size_t task_;
  work_amounts granted_{};  // what the ledger already guaranteed
  work_amounts used_{};
  std::string why_;
};

}  // namespace migsleuth::ingest
