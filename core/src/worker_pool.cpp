// The pool's thread policy (worker_pool.hpp) in one place: `team` starts the
// threads and tolerates a refused one, `first_failure` keeps the one
// exception to rethrow; for_each_task and run_ordered_slots only say how a
// thread takes its next index.
#include "migsleuth/core/worker_pool.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>

namespace migsleuth {
namespace {

constexpr auto kTick = std::chrono::milliseconds(200);  // progress redraw and ^C latency

unsigned resolve_jobs(unsigned jobs) noexcept {
  return jobs != 0 ? jobs : std::max(1U, std::thread::hardware_concurrency());
}

bool stopped(const std::atomic<bool>* stop) noexcept {
  return stop != nullptr && stop->load(std::memory_order_relaxed);
}

// The first exception of any thread; `happened` tells the others to take no
// more work.
class first_failure {
 public:
  void keep(std::exception_ptr e) noexcept {
    const std::lock_guard lock(mu_);
    if (!first_) first_ = std::move(e);
    happened_.store(true, std::memory_order_release);
  }
  bool happened() const noexcept { return happened_.load(std::memory_order_acquire); }
  // Only once every thread that could keep one is joined.
  void rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::mutex mu_;
  std::exception_ptr first_;
  std::atomic<bool> happened_{false};
};

// Up to `count` threads running `body`, joined on destruction. A thread the
// system refuses (no thread, or no memory for one) ends the starting: the ones
// running share the work. `body`
// must not throw (each caller catches into its first_failure).
class team {
 public:
  team(std::size_t count, const std::function<void()>& body) {
    threads_.reserve(count);
    for (std::size_t t = 0; t < count; ++t) {
      try {
        threads_.emplace_back(body);
      } catch (const std::system_error&) {
        break;
      } catch (const std::bad_alloc&) {  // no memory for one more thread's state
        break;
      }
    }
  }
  team(const team&) = delete;
  team& operator=(const team&) = delete;
  ~team() { join(); }

  bool empty() const noexcept { return threads_.empty(); }
  void join() noexcept {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  std::vector<std::thread> threads_;
};

}  // namespace

bool for_each_task(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                   const std::function<void(std::size_t)>& task) {
  if (n == 0) return true;
  const std::size_t threads = std::min<std::size_t>(resolve_jobs(jobs), n);
  std::atomic<std::size_t> next{0};
  first_failure failure;
  const std::function<void()> take_tasks = [&]() noexcept {
    try {
      while (!stopped(stop) && !failure.happened()) {
        const std::size_t t = next.fetch_add(1, std::memory_order_relaxed);
        if (t >= n) return;
        task(t);
      }
    } catch (...) {
      failure.keep(std::current_exception());
    }
  };
  {
    const team helpers(threads - 1, take_tasks);  // the calling thread is the last one
    take_tasks();
  }
  failure.rethrow();
  return next.load(std::memory_order_relaxed) >= n;
}

namespace detail {

std::size_t ordered_window(std::size_t n, unsigned jobs) noexcept {
  const std::size_t window = 2 * static_cast<std::size_t>(resolve_jobs(jobs));
  return std::max<std::size_t>(1, std::min(window, n));
}

bool run_ordered_slots(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                       const ordered_slots& e) {
  if (n == 0) return true;
  const std::size_t window = e.window;
  const auto skip = [&](std::size_t i) { return e.skip != nullptr && (*e.skip)(i); };
  const auto tick = [&] {
    if (e.tick != nullptr) (*e.tick)();
  };

  std::mutex mu;
  std::condition_variable done_cv, space_cv;
  std::vector<char> ready(window, 0);  // slot i % window holds index i's result
  std::size_t next_take = 0, next_write = 0;
  bool quit = false;  // the writer gave up, or a worker failed: take nothing more
  first_failure failure;

  const std::function<void()> worker = [&]() noexcept {
    try {
      for (;;) {
        std::size_t i = 0;
        {
          std::unique_lock lk(mu);
          for (;;) {
            while (next_take < n && skip(next_take)) ++next_take;
            if (quit || stopped(stop) || next_take >= n) return;
            if (next_take < next_write + window) break;
            space_cv.wait_for(lk, kTick);
          }
          i = next_take++;
        }
        e.work(i, i % window);
        {
          const std::lock_guard lk(mu);
          ready[i % window] = 1;
        }
        done_cv.notify_all();
      }
    } catch (...) {
      failure.keep(std::current_exception());
      {
        const std::lock_guard lk(mu);
        quit = true;
      }
      space_cv.notify_all();
      done_cv.notify_all();
    }
  };

  team workers(std::min<std::size_t>(resolve_jobs(jobs), n), worker);
  // Not even one: the calling thread computes each index before emitting it.
  const bool inline_work = workers.empty();
  // The writer's own exceptions leave only after every worker is joined.
  const auto finish = [&] {
    {
      const std::lock_guard lk(mu);
      quit = true;
    }
    space_cv.notify_all();
    workers.join();
  };

  bool complete = true;
  try {
    for (std::size_t w = 0; w < n && complete; ++w) {
      if (failure.happened()) {
        complete = false;
        break;
      }
      if (skip(w)) {
        if (stopped(stop) || !e.emit(w, ordered_slots::kSkipped)) complete = false;
      } else {
        const std::size_t slot = w % window;
        bool have = false;
        if (inline_work) {
          if (!stopped(stop)) {
            e.work(w, slot);
            have = true;
          }
        } else {
          std::unique_lock lk(mu);
          while (ready[slot] == 0) {
            if (failure.happened()) break;
            // Stopped before anyone took it: it will never come.
            if (stopped(stop) && w >= next_take) break;
            lk.unlock();
            tick();
            lk.lock();
            if (ready[slot] == 0) done_cv.wait_for(lk, kTick);
          }
          have = ready[slot] != 0 && !failure.happened();
          ready[slot] = 0;
        }
        if (!have || !e.emit(w, slot)) complete = false;
      }
      {
        const std::lock_guard lk(mu);
        next_write = w + 1;
        if (!complete) quit = true;
      }
      space_cv.notify_all();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
  failure.rethrow();
  return complete;
}

}  // namespace detail
}  // namespace migsleuth
