// Ordered parallel map with a bounded window. Workers take the next index
// only while it is within `window` of the next one to write, so a slow bundle
// holds the others back instead of letting finished results pile up.
#include "worker_pool.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace migsleuth::scan {
namespace {

constexpr auto kTick = std::chrono::milliseconds(200);  // progress redraw and ^C latency

// `work` must not throw; if it does anyway, the bundle is an error and the
// thread lives on: an exception leaving a thread is std::terminate, which
// would take every bundle in flight with it.
bundle_result guarded(const pool_hooks& hooks, std::size_t i) noexcept {
  try {
    return hooks.work(i);
  } catch (const std::bad_alloc&) {
    bundle_result r;
    r.status = "error";
    r.reason = "out of memory while analyzing this bundle";
    return r;
  } catch (...) {
    bundle_result r;
    r.status = "error";
    r.reason = "the analysis failed unexpectedly";
    return r;
  }
}

}  // namespace

bool run_ordered(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                 const pool_hooks& hooks) {
  if (jobs == 0) jobs = 1;
  const std::size_t window = static_cast<std::size_t>(jobs) * 2;
  auto stopped = [&] { return stop != nullptr && stop->load(std::memory_order_relaxed); };

  std::mutex mu;
  std::condition_variable done_cv, space_cv;
  std::vector<std::optional<bundle_result>> results(n);
  std::vector<bool> taken(n, false);
  std::size_t next_take = 0, next_write = 0;
  bool quit = false;  // the writer gave up: workers take nothing more

  auto worker = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lk(mu);
        for (;;) {
          while (next_take < n && hooks.skip(next_take)) ++next_take;
          if (quit || stopped() || next_take >= n) return;
          if (next_take < next_write + window) break;
          space_cv.wait_for(lk, kTick);
        }
        i = next_take++;
        taken[i] = true;
      }
      bundle_result r = guarded(hooks, i);
      {
        std::lock_guard lk(mu);
        results[i] = std::move(r);
      }
      done_cv.notify_all();
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned t = 0; t < jobs; ++t) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error&) {
      break;  // the system has no more threads: those started share the work
    }
  }
  // Not even one: the calling thread analyzes each bundle before writing it.
  const bool inline_work = threads.empty();

  bool complete = true;
  // The writer's own exceptions (std::bad_alloc while writing) leave only
  // after every worker is joined: a joinable std::thread destroyed is
  // std::terminate.
  const auto finish = [&] {
    {
      std::lock_guard lk(mu);
      quit = true;
    }
    space_cv.notify_all();
    for (auto& t : threads) t.join();
  };
  try {
    for (std::size_t w = 0; w < n && complete; ++w) {
      if (hooks.skip(w)) {
        if (stopped() || !hooks.emit(w, nullptr)) complete = false;
      } else {
        std::optional<bundle_result> r;
        if (inline_work) {
          if (!stopped()) r = guarded(hooks, w);
        } else {
          std::unique_lock lk(mu);
          while (!results[w]) {
            // Stopped before anyone took it: it will never come.
            if (stopped() && !taken[w]) break;
            lk.unlock();
            hooks.tick();
            lk.lock();
            if (!results[w]) done_cv.wait_for(lk, kTick);
          }
          if (results[w]) {
            r = std::move(results[w]);
            results[w].reset();
          }
        }
        if (!r || !hooks.emit(w, &*r)) complete = false;
      }
      {
        std::lock_guard lk(mu);
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
  return complete;
}

}  // namespace migsleuth::scan
