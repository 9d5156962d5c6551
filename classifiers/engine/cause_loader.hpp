// Strict loading of one cause rule file: every key checked, every regex
// compiled, every placeholder and confirm command validated, and the rule run
// against its own samples. All problems are reported, each with file:line:col.
//
//   diags errors;
//   auto rule = load_cause_rule(source, catalog, errors);   // nullopt if any error
//
// `catalog` is what catalog selections read lines with (nullptr: a rule
// with one is refused, saying no catalog was loaded). `run_samples` false
// skips running the rule on its samples: only for the embedded rules at an
// analysis, which `rules lint|test` and the test suite run in full (rule_book::load).
#pragma once

#include <optional>

#include "engine/cause_rule.hpp"
#include "migsleuth/core/diag.hpp"
#include "migsleuth/rulepack/sources.hpp"

namespace migsleuth::classifiers {

std::optional<cause_rule> load_cause_rule(
    const rulepack::rule_source& source,
    const std::shared_ptr<const rulepack::message_catalog>& catalog, diags& errors,
    bool run_samples = true);

}  // namespace migsleuth::classifiers
