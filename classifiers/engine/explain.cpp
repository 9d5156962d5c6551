// rule_book::explain(): the same matching classify() does, kept per
// selection instead of folded into one boolean, so `analyze --explain` can say
// which rules fired and which nearly did, and why the others stayed silent.
// It decides nothing: classify() stays the only source of verdicts.
#include <fmt/format.h>

#include <algorithm>

#include "analyzers/registry.hpp"
#include "engine/evaluate.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/rulepack/catalog.hpp"

namespace migsleuth::classifiers {
namespace {

struct selection_seen {
  bool matched = false;
  bool hinted = false;  // a hint occurred in a line of the selection's kind
  source_ref first;     // first matched (else hinted) line
};

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string describe(const std::vector<fact_condition>& conditions) {
  std::vector<std::string> parts;
  for (const auto& c : conditions) parts.push_back(c.describe());
  return join(parts);
}

// A rule deciding from facts is traced when it fired, or nearly did: every
// fact it requires is known (its analyzers looked) but one has another value.
// Its lines are those of the facts it cites.
std::optional<rule_trace> trace_facts_rule(const cause_rule& rule, const incident& inc,
                                           std::span<const input> inputs, const fact_set& facts) {
  const bool looked = std::all_of(
      rule.requires_facts.begin(), rule.requires_facts.end(),
      [&](const fact_condition& c) { return find_fact(facts, c.name) != nullptr; });
  if (!looked) return std::nullopt;
  rule_trace t{rule.id, rule.cls, false, {}, {}};
  std::vector<fact_condition> failing;
  for (const auto& c : rule.requires_facts) {
    if (!c.met(facts)) failing.push_back(c);
  }
  const bool judged = inc.result != outcome::succeeded;
  t.fired = judged && failing.empty() && requirements_met(rule, inc, inputs);
  if (!judged) {
    t.why = "decides from facts; a succeeded attempt is not classified.";
  } else if (!failing.empty()) {
    t.why = "decides from facts; a required fact does not hold:";
    for (std::size_t i = 0; i < failing.size(); ++i) {
      // Every required fact is known here (else the rule is not traced).
      t.why += std::string(i == 0 ? " " : ", ") + failing[i].describe() + " (it is " +
               find_fact(facts, failing[i].name)->rendered() + ")";
    }
    t.why += ".";
  } else if (!t.fired) {
    t.why = "decides from facts; a required input kind is missing.";
  } else {
    t.why = "the required facts hold (" + describe(rule.requires_facts) + ").";
  }
  for (const auto& name : rule.cites) {
    const fact* f = find_fact(facts, name);
    if (f == nullptr) continue;
    for (const auto& line : f->evidence) {
      if (std::find(t.lines.begin(), t.lines.end(), line.where) == t.lines.end()) {
        t.lines.push_back(line.where);
      }
    }
  }
  return t;
}

std::optional<rule_trace> trace_rule(const cause_rule& rule, const incident& inc,
                                     std::span<const input> inputs,
                                     std::span<const line_reading> readings,
                                     const fact_set& facts) {
  std::vector<selection_seen> seen(rule.selections.size());
  for (std::size_t ei = 0; ei < inc.events.size(); ++ei) {
    const event& e = inc.events[ei];
    const line_view line{e.source, role_of(inc, e.host), match_subject(e), &readings[ei]};
    for (std::size_t si = 0; si < rule.selections.size(); ++si) {
      const selection& sel = rule.selections[si];
      selection_seen& s = seen[si];
      if (s.matched || !selection_reads(sel, e.source)) continue;
      if (selection_matches(sel, line)) {
        s.matched = true;
        s.first = e.where;
      } else if (!s.hinted && sel.mode == selection_mode::regex && !sel.pat.hints().empty() &&
                 sel.pat.candidate(line.text)) {
        s.hinted = true;
        s.first = e.where;
      }
    }
  }
  std::vector<bool> hits;
  std::vector<std::string> matched, hinted, missing;
  rule_trace t{rule.id, rule.cls, false, {}, {}};
  for (std::size_t si = 0; si < seen.size(); ++si) {
    hits.push_back(seen[si].matched);
    const std::string& name = rule.selections[si].name;
    if (seen[si].matched) {
      matched.push_back(name);
    } else if (seen[si].hinted) {
      hinted.push_back(name);
    } else {
      missing.push_back(name);
    }
    if (seen[si].matched || seen[si].hinted) t.lines.push_back(seen[si].first);
  }
  if (matched.empty() && hinted.empty()) return std::nullopt;
  const bool kinds_present = requirements_met(rule, inc, inputs);
  const bool facts_hold = required_facts_hold(rule, facts);
  const bool required = kinds_present && facts_hold;
  t.fired = required && rule.cond.eval(hits);
  if (!matched.empty()) t.why += "matched: " + join(matched) + ". ";
  if (!hinted.empty()) t.why += "hint seen but regex did not match: " + join(hinted) + ". ";
  if (!missing.empty()) t.why += "no line for: " + join(missing) + ". ";
  if (!kinds_present) {
    t.why += "a required input kind is missing. ";
  } else if (!facts_hold) {
    t.why += "a required fact does not hold (" + describe(rule.requires_facts) + "). ";
  } else if (!t.fired) {
    t.why += "condition '" + rule.condition_text + "' is false. ";
  } else {
    t.why += "condition '" + rule.condition_text + "' holds.";
  }
  while (!t.why.empty() && t.why.back() == ' ') t.why.pop_back();
  return t;
}

}  // namespace

std::vector<rule_trace> rule_book::explain(const incident& inc, std::span<const input> inputs,
                                           const fact_provider* provider) const {
  std::vector<rule_trace> out;
  const std::vector<line_reading> readings = read_lines(catalog_.get(), inc);
  const incident_analysis analysis = analyze_incident(inc, provider);
  for (const auto& r : rules_) {
    if (r->status == "deprecated") continue;  // classify() never runs them either
    auto t = r->from_facts_only() ? trace_facts_rule(*r, inc, inputs, analysis.facts)
                                  : trace_rule(*r, inc, inputs, readings, analysis.facts);
    if (t) out.push_back(std::move(*t));
  }
  return out;
}

line_decoding rule_book::decode_text(std::string_view text) const {
  line_decoding d;
  if (catalog_ == nullptr) return d;
  const auto chain = catalog_->decode(text);
  d.layers = to_decoded(chain, text);
  if (const auto* decided = rulepack::message_catalog::decision(chain)) {
    d.decided_by = decided->id;
    d.cause = decided->cause;
  }
  return d;
}

std::vector<line_decoding> rule_book::decode_lines(const incident& inc) const {
  std::vector<line_decoding> out;
  const std::vector<line_reading> readings = read_lines(catalog_.get(), inc);
  for (std::size_t i = 0; i < inc.events.size(); ++i) {
    const auto& chain = readings[i].chain();
    const bool benign = std::any_of(chain.begin(), chain.end(), [](const auto& m) {
      return m.entry->verdict == rulepack::catalog_verdict::benign;
    });
    if (chain.empty() || benign) continue;
    line_decoding d;
    d.where = inc.events[i].where;
    d.layers = to_decoded(chain, match_subject(inc.events[i]));
    if (const auto* decided = rulepack::message_catalog::decision(chain)) {
      d.decided_by = decided->id;
      d.cause = decided->cause;
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace migsleuth::classifiers
