// N workers analyze bundles; the calling thread writes their results in
// bundle order. Output is therefore the same for every --jobs, and memory
// holds at most `jobs` analyses plus a window of finished results.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

#include "bundle_result.hpp"

namespace migsleuth::scan {

struct pool_hooks {
  std::function<bool(std::size_t)> skip;  // true: nothing to analyze, emit gets null
  std::function<bundle_result(std::size_t)> work;  // on a worker thread; must not throw
  std::function<bool(std::size_t, bundle_result*)> emit;  // in index order; false = stop now
  std::function<void()> tick;  // on the calling thread while it waits
};

// True when every index was emitted; false when `stop` (or emit) ended it
// early: then exactly a prefix 0..k-1 was emitted and nothing after it.
bool run_ordered(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                 const pool_hooks& hooks);

}  // namespace migsleuth::scan
