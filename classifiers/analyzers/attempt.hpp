// Attempt analyzer: what a rule deciding from facts needs to know about the
// attempt itself, as facts (`attempt.*`, rules/README.md "Facts"): how it
// ended, whether it switched to post-copy, and the line that says it failed.
// A rule then writes `requires: {facts: [{fact: attempt.outcome, is: failed}]}`
// or `{when: {fact: attempt.post_copy, is: false}, text: ...}` instead of
// code testing the outcome.
#pragma once

#include <span>

#include "analyzers/registry.hpp"

namespace migsleuth::classifiers {

[[nodiscard]] std::span<const fact_spec> attempt_fact_specs();
void run_attempt(const incident& inc, analyzer_output& out);

// The line that says the attempt failed: the first migration or pre-check
// failure, else the last ERROR / CRITICAL line; nullptr when there is none.
[[nodiscard]] const event* failure_line(const incident& inc);

}  // namespace migsleuth::classifiers
