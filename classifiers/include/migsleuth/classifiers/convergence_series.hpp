// The convergence analyzer's samples as a series, for the report's plot
// (report/src/html_convergence.cpp draws it and computes nothing): memory
// remaining per nova progress line and per job-stats capture, and the copy
// and dirty rates over a sliding window of the progress lines. The same
// analyzer (classifiers/analyzers/) turns the samples into the facts rules
// read (`convergence.*`, rules/README.md "Facts").
#pragma once

#include <vector>

#include "migsleuth/core/incident.hpp"

namespace migsleuth::classifiers {

struct convergence_sample {
  double secs = 0;       // since the job started
  double remaining = 0;  // bytes
  double processed = 0;  // bytes (progress lines)
  double total = 0;      // bytes
  double bandwidth = 0;  // bytes/s (job stats only)
  double dirty = 0;      // bytes/s (job stats only)
};

struct convergence_rate {
  double secs = 0;
  double copy = 0;   // bytes/s
  double dirty = 0;  // bytes/s
};

struct convergence_series {
  std::vector<convergence_sample> progress;  // nova progress lines with counters
  std::vector<convergence_sample> jobs;      // virsh domjobinfo, libvirtd query-migrate
  // From the progress lines over a window of a twentieth of them (1 to 10
  // intervals: one interval swings with every copy round); a window that
  // spans a counter reset (a new job) is skipped.
  std::vector<convergence_rate> rates;
};

[[nodiscard]] convergence_series convergence_series_of(const incident& inc);

}  // namespace migsleuth::classifiers
