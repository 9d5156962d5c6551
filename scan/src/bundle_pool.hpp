// Bundles through the core ordered pool (migsleuth/core/worker_pool.hpp): N
// workers analyze bundles and the calling thread writes their results in
// bundle order, so output is the same for every --jobs and memory holds at
// most `jobs` analyses plus a window of finished results.
//
// One rule is scan's own: a bundle whose analysis throws anyway (it should
// not: analyze_bundle turns its failures into a result) is that bundle's
// `error`, and the other bundles go on. The core pool would end the run and
// rethrow, which is right for one analysis, not for a fleet.
#pragma once

#include <atomic>
#include <cstddef>
#include <new>

#include "bundle_result.hpp"
#include "migsleuth/core/worker_pool.hpp"

namespace migsleuth::scan {

// skip: nothing to analyze, emit gets null; work: on a worker thread;
// emit: in bundle order, false = stop now; tick: while the writer waits.
using pool_hooks = ordered_hooks<bundle_result>;

inline bundle_result bundle_error(const char* reason) {
  bundle_result r;
  r.status = "error";
  r.reason = reason;
  return r;
}

// True when every bundle was written; false when `stop` (or emit) ended it
// early: then exactly a prefix 0..k-1 was written and nothing after it.
inline bool run_bundles(std::size_t n, unsigned jobs, const std::atomic<bool>* stop,
                        const pool_hooks& hooks) {
  pool_hooks guarded = hooks;
  guarded.work = [&hooks](std::size_t i) {
    try {
      return hooks.work(i);
    } catch (const std::bad_alloc&) {
      return bundle_error("out of memory while analyzing this bundle");
    } catch (...) {
      return bundle_error("the analysis failed unexpectedly");
    }
  };
  return run_ordered(n, jobs, stop, guarded);
}

}  // namespace migsleuth::scan
