// The one worker pool. Every parallel stage runs its tasks through it, so the
// rules for threads are written once:
//   - `jobs` threads at most, never more than there are tasks; 0 = one per core.
//   - A thread the system refuses (std::system_error) is not an error: the
//     threads that did start share the work, and with none the calling thread
//     does it alone.
//   - No exception leaves a thread (that would be std::terminate for every
//     analysis in the process). The first one is kept, no task is started
//     after it, and it is rethrown on the calling thread once every thread is
//     joined. Later ones are dropped.
//   - `stop` (may be null) is read before each task is taken: once it is true
//     nothing more is started, and a task already taken runs to its end (it
//     reads the flag itself if it should end early).
//   - Tasks are taken in index order: the caller orders them (largest first,
//     path order) to choose what runs first.
//
// Two entry points share those rules:
//
// for_each_task: unordered. Each thread, the calling one included, takes the
// next index from a counter; results are the task's business (merge them under
// its own lock, or in slots of a vector indexed by task).
//
//   std::mutex mu;
//   std::uint64_t total = 0;
//   for_each_task(files.size(), jobs, &cancel, [&](std::size_t i) {
//     const std::uint64_t n = count_lines(files[i]);  // on any thread
//     const std::lock_guard lock(mu);
//     total += n;
//   });
//
// run_ordered: results handed to the calling thread in index order. `jobs`
// workers compute; the calling thread waits, emits, and calls `tick` at least
// every 200 ms while it waits. A worker takes an index only while it is within
// 2 x jobs of the next one to emit, so a slow task holds the others back
// instead of letting finished results pile up: memory holds at most `jobs`
// results in the making plus that window. Output is the same for every jobs.
//
//   ordered_hooks<summary> h;
//   h.skip = [&](std::size_t i) { return already_done[i]; };     // emit gets null
//   h.work = [&](std::size_t i) { return summarize(bundles[i]); };  // a worker
//   h.emit = [&](std::size_t i, summary* s) {                     // calling thread
//     if (s != nullptr) out << s->json << '\n';
//     return bool(out);  // false: stop here
//   };
//   h.tick = [&] { redraw_progress(); };
//   const bool complete = run_ordered(bundles.size(), jobs, &stop, h);
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace migsleuth {

// Runs task(0) .. task(n-1), each once, on min(jobs, n) threads of which the
// calling thread is one. Returns true when every task ran; false when `stop`
// ended it first (the tasks taken before it did run). A task's exception is
// rethrown here, after the join.
bool for_each_task(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                   const std::function<void(std::size_t)>& task);

template <typename Result>
struct ordered_hooks {
  // Called on any thread, concurrently: must only read. True: index i has
  // nothing to compute, and emit gets a null result for it. Empty: none.
  std::function<bool(std::size_t)> skip;
  // On a worker thread (the calling one when no thread could be started).
  std::function<Result(std::size_t)> work;
  // On the calling thread, in index order. False: stop now (nothing after i
  // is emitted). The result may be moved from.
  std::function<bool(std::size_t, Result*)> emit;
  // On the calling thread while it waits for a result. Empty: none.
  std::function<void()> tick;
};

namespace detail {

// run_ordered without the result type: results live in the caller's `window`
// slots, index i in slot i % window.
struct ordered_slots {
  static constexpr std::size_t kSkipped = static_cast<std::size_t>(-1);
  std::size_t window = 1;
  const std::function<bool(std::size_t)>* skip = nullptr;
  std::function<void(std::size_t index, std::size_t slot)> work;
  std::function<bool(std::size_t index, std::size_t slot)> emit;  // slot kSkipped: skipped
  const std::function<void()>* tick = nullptr;
};

std::size_t ordered_window(std::size_t n, unsigned jobs) noexcept;
bool run_ordered_slots(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                       const ordered_slots& e);

}  // namespace detail

// Emits every index 0 .. n-1 in order. True when all were emitted; false when
// `stop` or emit ended it early: then exactly a prefix 0..k-1 was emitted and
// nothing after it. A `stop` seen while waiting still emits the result of a
// task already taken, never one no worker took. An exception of `work` ends
// the run (nothing more is emitted) and is rethrown here; so is one of emit,
// tick or skip, after every worker is joined.
template <typename Result>
bool run_ordered(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                 const ordered_hooks<Result>& hooks) {
  detail::ordered_slots e;
  e.window = detail::ordered_window(n, jobs);
  std::vector<std::optional<Result>> slots(e.window);
  e.skip = hooks.skip ? &hooks.skip : nullptr;
  e.tick = hooks.tick ? &hooks.tick : nullptr;
  e.work = [&](std::size_t i, std::size_t slot) { slots[slot].emplace(hooks.work(i)); };
  e.emit = [&](std::size_t i, std::size_t slot) {
    if (slot == detail::ordered_slots::kSkipped) return hooks.emit(i, nullptr);
    // Out of its slot first: the slot is free for index i + window as soon
    // as this returns, and the result is gone once emitted.
    std::optional<Result> r = std::move(slots[slot]);
    slots[slot].reset();
    return hooks.emit(i, &*r);
  };
  return detail::run_ordered_slots(n, jobs, stop, e);
}

}  // namespace migsleuth
