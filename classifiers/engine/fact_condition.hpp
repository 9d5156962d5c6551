// What a cause rule asks of the analyzers' facts, beyond "this fact holds"
// (rules/README.md "Facts"), and the parts of a rule that depend on them:
//
//   requires: {facts: [devices.passthrough, {fact: attempt.outcome, is: failed}]}
//   confidence: {default: 0.3, when: {fact: devices.refused, is: true, then: 0.4}}
//   remediation: [{when: {fact: attempt.post_copy, is: false}, text: '...'}]
//   confirm: [{where: source, when: convergence.numbers, command: '...', why: '...'}]
//
// Parsing is strict like the rest of the loader: an unknown fact, or an `is`
// of the wrong type for the fact, is refused at its file:line:col.
//
// What it does not do: compute facts (analyzers/) or fill templates.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsleuth/classifiers/facts.hpp"
#include "migsleuth/core/diag.hpp"
#include "migsleuth/rulepack/yaml_tree.hpp"

namespace YAML {
class Node;
}

namespace migsleuth::classifiers {

// `name` alone: the fact holds (a flag true, a number measured, a text
// known). With `is`: the fact is known and has that value (a flag true or
// false, a number equal, a text equal to one of `texts`).
struct fact_condition {
  std::string name;
  bool compares = false;  // written with `is:`
  fact_type type = fact_type::text;
  bool flag = false;
  double number = 0;
  std::vector<std::string> texts;

  [[nodiscard]] bool met(const fact_set& facts) const;
  // As --explain says it: "convergence.converging is false".
  [[nodiscard]] std::string describe() const;
};

// A confidence that depends on facts: the first `when` met gives its value,
// else `value` (`confidence: 0.9` is a rule with no `when`).
struct fact_confidence {
  double value = 0.5;
  std::vector<std::pair<fact_condition, double>> when;
  [[nodiscard]] double for_facts(const fact_set& facts) const;
};

// A template shown only when its condition is met (none: always).
struct conditional_text {
  std::string text;
  std::optional<fact_condition> when;
};

// Reads the YAML of one rule's fact-dependent parts; every problem is one
// diag at its node.
class fact_yaml {
 public:
  fact_yaml(std::string file, diags& errors) : file_(std::move(file)), errors_(errors) {}

  // A fact name, or a map {fact, is} (`also` lists other keys the map may
  // hold, e.g. `then`). nullopt after an error.
  std::optional<fact_condition> condition(const rulepack::yaml_node& node, std::string_view key,
                                          std::initializer_list<std::string_view> also = {});
  // `quotes`, `cites`: a list of declared fact names (`text_only`: each a
  // text fact, whose text is what a verdict quotes).
  std::vector<std::string> names(const rulepack::yaml_node& node, std::string_view key, bool text_only);
  // `requires.facts`: a list of conditions.
  std::vector<fact_condition> conditions(const rulepack::yaml_node& node, std::string_view key);
  // `confidence`: a number, or {default, when: one or a list of {fact, is, then}}.
  // Values outside 0..1 are refused.
  fact_confidence confidence(const rulepack::yaml_node& node);
  // `remediation`: a list of texts or {when, text}.
  std::vector<conditional_text> texts(const rulepack::yaml_node& node, std::string_view key);

 private:
  void error(const rulepack::yaml_node& at, std::string message, std::string help = {});
  std::optional<double> unit_number(const rulepack::yaml_node& node, std::string_view key);

  std::string file_;
  diags& errors_;
};

}  // namespace migsleuth::classifiers
