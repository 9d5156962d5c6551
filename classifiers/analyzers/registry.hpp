// The analyzers: code that reads an incident as a whole (trends, inventories)
// where a rule reads lines. Each is registered once, in registry.cpp, with
// the facts it produces; classify() runs every one once per incident, and
// the rules decide what the facts mean for a verdict (README "Facts"): no
// analyzer names a rule id or a class.
//
// Adding a fact: declare it in the analyzer's fact_spec table and set it in
// the analyzer's run function (HACKING "Adding an analyzer fact").
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/classifiers/facts.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

// What one analyzer made of one incident. An analyzer has no finding of its
// own: rules decide from its facts (rules/causes/*/ with `cites:` and no
// `match`, e.g. non_convergence/progress-trend.yaml).
struct analyzer_output {
  fact_set facts;
  // Shown whatever the outcome (the device inventory).
  std::vector<std::string> notes;
};

struct analyzer {
  std::string_view id;
  std::span<const fact_spec> produces;
  void (*run)(const incident& inc, analyzer_output& out);
};

[[nodiscard]] std::span<const analyzer> registered_analyzers();

// Every analyzer's output on `inc`, in registration order; their facts, and
// those the provider may add (kProvidedFacts), gathered in `facts`.
struct incident_analysis {
  std::vector<analyzer_output> outputs;  // facts moved out into `facts`
  fact_set facts;
};
[[nodiscard]] incident_analysis analyze_incident(const incident& inc,
                                                 const fact_provider* provider);

}  // namespace migsleuth::classifiers
