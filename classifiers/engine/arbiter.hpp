// Turns the findings of all rules into one verdict: the primary finding is
// the highest priority, then confidence, then rule id (so ties are decided
// the same way every run); the rest become `secondary`. With no finding, a
// failed/stuck/unknown incident gets an honest `unknown` verdict built from
// its ERROR lines and generic read-only commands.
#pragma once

#include <vector>

#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

// The line an `unknown` verdict quotes: the failure line when there is one,
// else the last error (one naming the attempt before one joined by time).
[[nodiscard]] const event* most_telling_error(const incident& inc);

[[nodiscard]] verdict arbitrate(std::vector<finding> findings, const incident& inc);

}  // namespace migsleuth::classifiers
