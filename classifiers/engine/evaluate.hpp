// Runs one compiled cause rule over an incident's events and, when its
// condition holds, builds the finding: evidence lines, filled summary,
// confirm commands and remediation, and a confidence adjusted for how direct
// the evidence is.
//
// What it does not do: choose between findings (arbiter).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/cause_rule.hpp"
#include "migsleuth/classifiers/facts.hpp"

namespace migsleuth::classifiers {

inline constexpr std::size_t kMaxEvidence = 8;
// Evidence from one host only, while the other host's logs are absent: the
// missing side could hold a more direct cause, so trust the finding less.
inline constexpr double kOneSidedFactor = 0.8;
// Every cited line names neither the instance nor its request (correlate
// joined them by host and time): they may belong to something else that
// happened there then.
inline constexpr double kTimeLinkedFactor = 0.8;

// The catalog's reading of each of `inc`'s events, in event order: made once
// per incident and shared by every rule (a line is decoded on first use).
[[nodiscard]] std::vector<line_reading> read_lines(const rulepack::message_catalog* catalog,
                                                   const incident& inc);

// `readings` is read_lines(catalog, inc); `facts` the analyzers' facts of
// `inc` (analyze_incident), for `requires: {facts: ...}` and `{fact.<name>}`.
[[nodiscard]] std::optional<finding> evaluate_rule(const cause_rule& rule, const incident& inc,
                                                   std::span<const input> inputs,
                                                   std::span<const line_reading> readings,
                                                   const fact_set& facts);

// The text a rule's selections are matched against (the message of an oslo
// JSON record, else the whole line), whether the rule's `requires:` input
// kinds are present and whether its required facts hold. Shared with
// explain.cpp so --explain sees what classify sees.
[[nodiscard]] std::string_view match_subject(const event& e);
[[nodiscard]] bool requirements_met(const cause_rule& rule, const incident& inc,
                                    std::span<const input> inputs);
[[nodiscard]] bool required_facts_hold(const cause_rule& rule, const fact_set& facts);

// Which rule a fact's lines are credited to when a verdict quotes it: the
// first rule (in `rules`' order, by id) that cites it (`cites:`); a fact no
// rule cites is credited to the quoting rule.
using fact_credits = std::vector<std::pair<std::string, std::string>>;  // fact, rule id
[[nodiscard]] fact_credits credit_facts(std::span<const std::shared_ptr<const cause_rule>> rules);

// The quoted facts (rule.quotes) of `primary`, appended to `v`: each known
// one's text to the summary, its lines not yet cited to the evidence
// (then ordered), its confirm commands.
void quote_facts(verdict& v, const cause_rule& primary, const fact_set& facts,
                 const fact_credits& credits);

// Sorts by (time, host, input, line) and drops repeats of the same line.
void order_evidence(std::vector<evidence_line>& lines);
// The same order and the same repeats dropped for events `picked` (indexes
// into inc.events) before any evidence line is made of them: only the ones
// a verdict keeps (kMaxEvidence) are then copied, not every matched line.
[[nodiscard]] std::vector<std::size_t> order_evidence_events(const incident& inc,
                                                             std::vector<std::size_t> picked);

}  // namespace migsleuth::classifiers
