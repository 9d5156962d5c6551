// The one worker pool (migsleuth/core/worker_pool.hpp): for_each_task runs
// each task once and stops on a prefix, run_ordered emits in index order within
// its window; both rethrow a task's first exception on the caller after the
// join and take nothing after it; a thread the system refuses is no error.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "migsleuth/core/worker_pool.hpp"

using namespace migsleuth;

namespace {

// Task durations in microseconds, 0 .. 1500, the same on every run: tasks
// finish out of order, which is what the ordering must survive.
std::vector<int> random_durations(std::size_t n) {
  std::mt19937 gen(20261207);
  std::uniform_int_distribution<int> d(0, 1500);
  std::vector<int> out(n);
  for (auto& v : out) v = d(gen);
  return out;
}

void sleep_us(int us) { std::this_thread::sleep_for(std::chrono::microseconds(us)); }

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define POOL_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define POOL_TEST_SANITIZED 1
#endif
#endif

// The process's address space in bytes (VmSize), 0 when unknown.
std::uint64_t address_space_bytes() {
  std::ifstream status("/proc/self/status");
  std::string word;
  while (status >> word) {
    if (word == "VmSize:") {
      std::uint64_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

// In a child process whose address space has no room left for a thread's
// stack, so that every std::thread the pool asks for is refused: exit 0 when
// both entry points still ran every task, on the calling thread; 77 when the
// system gave a thread anyway (nothing proven); 1 otherwise.
[[noreturn]] void child_without_threads() {
  const std::uint64_t now = address_space_bytes();
  const rlimit cap{now + (1U << 20), now + (1U << 20)};  // 1 MiB for the heap, not 8 for a stack
  if (now == 0 || setrlimit(RLIMIT_AS, &cap) != 0) _exit(77);
  try {
    std::thread probe([] {});
    probe.join();
    _exit(77);
  } catch (const std::system_error&) {
  }
  const auto me = std::this_thread::get_id();
  std::vector<std::thread::id> ran_on(8);
  std::vector<int> runs(8, 0);
  const bool all = for_each_task(8, 4, nullptr, [&](std::size_t i) {
    ++runs[i];
    ran_on[i] = std::this_thread::get_id();
  });
  ordered_hooks<std::size_t> h;
  h.work = [&](std::size_t i) {
    ran_on[i] = std::this_thread::get_id();
    return i;
  };
  std::size_t emitted = 0;
  h.emit = [&](std::size_t i, std::size_t* r) {
    if (r != nullptr && *r == i && i == emitted) ++emitted;
    return true;
  };
  const bool ordered = run_ordered(8, 4, nullptr, h);
  bool ok = all && ordered && emitted == 8;
  for (std::size_t i = 0; i < 8; ++i) ok = ok && runs[i] == 1 && ran_on[i] == me;
  _exit(ok ? 0 : 1);
}

}  // namespace

TEST_CASE("for_each_task runs every task once, on at most min(jobs, tasks) threads",
          "[core][pool]") {
  for (const unsigned jobs : {0U, 1U, 2U, 3U, 4U, 16U}) {
    constexpr std::size_t kN = 50;
    const auto durations = random_durations(kN);
    std::vector<std::atomic<int>> runs(kN);
    std::mutex mu;
    std::set<std::thread::id> threads;
    CHECK(for_each_task(kN, jobs, nullptr, [&](std::size_t i) {
      sleep_us(durations[i]);
      ++runs[i];
      const std::lock_guard lock(mu);
      threads.insert(std::this_thread::get_id());
    }));
    for (std::size_t i = 0; i < kN; ++i) CHECK(runs[i] == 1);
    if (jobs != 0) CHECK(threads.size() <= jobs);
    // The calling thread is one of them: one job is this thread alone.
    if (jobs == 1) CHECK(threads == std::set<std::thread::id>{std::this_thread::get_id()});
  }
  // More jobs than tasks: no idle threads, every task still runs once.
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::atomic<int> ran{0};
  CHECK(for_each_task(3, 64, nullptr, [&](std::size_t) {
    sleep_us(2000);
    ++ran;
    const std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
  }));
  CHECK(ran == 3);
  CHECK(threads.size() <= 3);
}

TEST_CASE("the pool with zero tasks calls nothing and is complete", "[core][pool]") {
  bool called = false;
  CHECK(for_each_task(0, 4, nullptr, [&](std::size_t) { called = true; }));
  ordered_hooks<int> h;
  h.work = [&](std::size_t) {
    called = true;
    return 0;
  };
  h.emit = [&](std::size_t, int*) {
    called = true;
    return true;
  };
  for (const unsigned jobs : {1U, 4U}) CHECK(run_ordered(0, jobs, nullptr, h));
  CHECK_FALSE(called);
}

TEST_CASE("for_each_task: a stop runs exactly a prefix of the tasks", "[core][pool]") {
  for (const unsigned jobs : {1U, 2U, 3U, 4U}) {
    constexpr std::size_t kN = 200;
    std::atomic<bool> stop{false};
    std::vector<std::atomic<int>> runs(kN);
    CHECK_FALSE(for_each_task(kN, jobs, &stop, [&](std::size_t i) {
      sleep_us(300);
      ++runs[i];
      if (i == 20) stop = true;
    }));
    // Taken in index order and every taken task runs: tasks 0..k-1, nothing else.
    std::size_t k = 0;
    while (k < kN && runs[k] == 1) ++k;
    CHECK(k > 20);
    CHECK(k < kN);
    for (std::size_t i = k; i < kN; ++i) CHECK(runs[i] == 0);
  }
}

TEST_CASE("for_each_task: the first exception is rethrown once and stops the others",
          "[core][pool]") {
  for (const unsigned jobs : {1U, 2U, 4U}) {
    constexpr std::size_t kN = 200;
    std::atomic<int> ran{0};
    const auto task = [&](std::size_t i) {
      if (i == 5) throw std::runtime_error("task 5");
      if (i == 6 && jobs == 1) throw 42;  // never reached: nothing runs after task 5
      ++ran;
      sleep_us(20000);
    };
    try {
      for_each_task(kN, jobs, nullptr, task);
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "task 5");
    }
    // Without the stop, the 199 others would run (4 s of sleeping): each
    // thread ends the task in hand and takes no more.
    if (jobs == 1) CHECK(ran == 5);
    CHECK(ran < static_cast<int>(kN) / 2);
  }
  // Several tasks throw: one exception reaches the caller, none terminates.
  for (const unsigned jobs : {1U, 4U}) {
    CHECK_THROWS(for_each_task(40, jobs, nullptr, [](std::size_t i) {
      if (i % 3 == 0) throw std::bad_alloc();
      sleep_us(500);
    }));
  }
}

TEST_CASE("run_ordered emits in order within its window, whatever the task durations",
          "[core][pool]") {
  constexpr std::size_t kN = 120;
  const auto durations = random_durations(kN);
  for (const unsigned jobs : {1U, 2U, 3U, 4U}) {
    std::vector<std::size_t> order;
    std::atomic<long> started{0}, emitted{0};
    std::atomic<long> most_ahead{0};  // results started and not yet emitted, at most
    ordered_hooks<std::string> h;
    h.skip = [](std::size_t i) { return i % 11 == 4; };
    h.work = [&](std::size_t i) {
      const long ahead = ++started - emitted;
      long seen = most_ahead;
      while (ahead > seen && !most_ahead.compare_exchange_weak(seen, ahead)) {
      }
      sleep_us(durations[i]);
      return "result " + std::to_string(i);
    };
    int ticks = 0;
    h.tick = [&] { ++ticks; };
    h.emit = [&](std::size_t i, std::string* r) {
      CHECK((r == nullptr) == (i % 11 == 4));
      if (r != nullptr) {
        CHECK(*r == "result " + std::to_string(i));
        ++emitted;
      }
      order.push_back(i);
      return true;
    };
    CHECK(run_ordered(kN, jobs, nullptr, h));
    REQUIRE(order.size() == kN);
    for (std::size_t i = 0; i < kN; ++i) CHECK(order[i] == i);
    // A skipped index is never computed.
    CHECK(started == static_cast<long>(kN - (kN + 6) / 11));
    // The window: a worker starts an index only within 2 x jobs of the next
    // one to emit, so finished results never pile up behind a slow one.
    CHECK(most_ahead <= 2 * static_cast<long>(jobs));
    CHECK(ticks > 0);  // the writer waited, and said so
  }
}

TEST_CASE("run_ordered: a stop or a false emit leaves exactly a prefix", "[core][pool]") {
  constexpr std::size_t kN = 60;
  for (const unsigned jobs : {1U, 2U, 3U, 4U}) {
    ordered_hooks<std::size_t> h;
    h.work = [](std::size_t i) {
      sleep_us(300);
      return i;
    };
    std::vector<std::size_t> order;
    std::atomic<bool> stop{false};
    h.emit = [&](std::size_t i, std::size_t* r) {
      CHECK(*r == i);
      order.push_back(i);
      if (i == 7) stop = true;  // as a SIGINT would, from outside the pool
      return true;
    };
    CHECK_FALSE(run_ordered(kN, jobs, &stop, h));
    REQUIRE(order.size() >= 8);
    CHECK(order.size() < kN);
    for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);

    order.clear();
    h.emit = [&](std::size_t i, std::size_t*) {
      order.push_back(i);
      return i != 9;  // this one could not be written: nothing after it is
    };
    CHECK_FALSE(run_ordered(kN, jobs, nullptr, h));
    CHECK(order.size() == 10);
    CHECK(order.back() == 9);
  }
}

TEST_CASE("run_ordered: a task's exception ends the run and is rethrown once", "[core][pool]") {
  constexpr std::size_t kN = 200;
  for (const unsigned jobs : {1U, 2U, 4U}) {
    std::atomic<int> computed{0};
    std::vector<std::size_t> order;
    ordered_hooks<int> h;
    h.work = [&](std::size_t i) -> int {
      if (i == 6) throw std::runtime_error("bundle 6");
      ++computed;
      sleep_us(5000);
      return 0;
    };
    h.emit = [&](std::size_t i, int*) {
      order.push_back(i);
      return true;
    };
    CHECK_THROWS_WITH(run_ordered(kN, jobs, nullptr, h), "bundle 6");
    // A prefix, and the failed index is not in it.
    CHECK(order.size() <= 6);
    for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
    CHECK(computed < static_cast<int>(kN) / 2);
  }
}

TEST_CASE("run_ordered: an exception of emit leaves after the workers are joined",
          "[core][pool]") {
  ordered_hooks<int> h;
  std::atomic<int> running{0};
  h.work = [&](std::size_t) {
    ++running;
    sleep_us(1000);
    --running;
    return 0;
  };
  h.emit = [](std::size_t i, int*) -> bool {
    if (i == 3) throw std::bad_alloc();
    return true;
  };
  CHECK_THROWS_AS(run_ordered(40, 4, nullptr, h), std::bad_alloc);
  CHECK(running == 0);  // no worker outlives the call
}

TEST_CASE("the pool without threads: every task runs on the calling thread", "[core][pool]") {
#ifdef POOL_TEST_SANITIZED
  WARN("a sanitizer's address space cannot be capped: not run in this build");
#else
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) child_without_threads();
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) {
    WARN("threads could not be refused here: not proven");
  } else {
    CHECK(WEXITSTATUS(status) == 0);
  }
#endif
}
