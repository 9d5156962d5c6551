// The compiled form of one cause rule (rules/causes/<class>/<name>.yaml) and
// the matching primitives shared by incident evaluation and sample tests.
//
// What it does not do: read YAML (cause_loader) or rank findings (arbiter).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/condition.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"
#include "migsleuth/rulepack/pattern.hpp"

namespace migsleuth::classifiers {

// Which compute host a selection looks at; `any` ignores the role.
enum class host_role : std::uint8_t { any, source, destination };

struct selection {
  std::string name;
  input_kind source = input_kind::unrecognized;
  host_role role = host_role::any;
  rulepack::pattern pat;
};

struct rule_sample {
  input_kind source = input_kind::unrecognized;
  host_role role = host_role::any;  // the sample's host, when the rule cares
  std::string line;
  int yaml_line = 0;
  int yaml_column = 0;
};

struct confirm_template {
  run_where where = run_where::source;
  std::string command;
  std::string why;
};

struct cause_rule {
  std::string id;
  std::string title;
  std::string status;
  classification cls = classification::unknown;
  int priority = 0;
  double confidence = 0.0;
  std::string description;
  std::vector<std::string> references;
  std::vector<std::string> falsepositives;
  std::vector<input_kind> requires_any;  // at least one of these input kinds
  std::vector<input_kind> requires_all;  // every one of these
  std::vector<selection> selections;
  std::string condition_text;
  condition cond;
  std::string summary;
  std::vector<confirm_template> confirm;
  std::vector<std::string> remediation;
  std::vector<rule_sample> match_samples;
  std::vector<rule_sample> no_match_samples;
  std::string file;  // for diagnostics
};

// One line seen by a selection: does it come from the right kind and host
// role, and does the pattern match? Captures are appended when asked.
[[nodiscard]] bool selection_matches(const selection& sel, input_kind kind, host_role role,
                                     std::string_view text, fields* captures = nullptr);

// Runs the whole rule (selections + condition) on one sample line.
[[nodiscard]] bool rule_fires_on(const cause_rule& rule, const rule_sample& sample);

// The role of `host` within `inc`; `any` when it cannot be told.
[[nodiscard]] host_role role_of(const incident& inc, std::string_view host) noexcept;

bool parse_host_role(std::string_view name, host_role& out) noexcept;

}  // namespace migsleuth::classifiers
