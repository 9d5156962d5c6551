// Classifiers: Incident -> Verdict. Cause rules (rules/causes/**/*.yaml) are
// loaded strictly, checked against their own inline samples, and evaluated
// over an incident's events; the arbiter picks one primary finding by
// priority and confidence and keeps the rest as secondary.
//
// What it does not do: read files or group events (parsers/, correlate/), or
// format output (report/). Confirmation commands it emits are read-only by
// construction: the loader refuses a rule whose confirm command is not.
//
//   diags errors;
//   auto book = rule_book::load({}, errors);   // embedded packs only
//   verdict v = book.classify(incident, inputs);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsleuth/classifiers/facts.hpp"
#include "migsleuth/core/diag.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::rulepack {
class message_catalog;
}

namespace migsleuth::classifiers {

struct cause_rule;  // defined in engine/, opaque to callers

struct rule_info {
  std::string id;
  std::string title;
  std::string status;
  classification cls = classification::unknown;
  int priority = 0;
  double confidence = 0.0;
  std::string file;
};

// How one rule saw one incident, for `analyze --explain`. A rule is traced
// when it fired (selections + condition held: it made a finding, which the
// arbiter then made primary or secondary) or *nearly* fired: one of its hints
// occurred in a line of the right kind, or one of its selections matched, but
// the rule as a whole did not hold (condition false, or a required input kind
// missing). Rules that saw nothing are not traced. See engine/explain.cpp.
struct rule_trace {
  std::string rule;
  classification cls = classification::unknown;
  bool fired = false;
  std::string why;                  // one sentence: what matched, what did not
  std::vector<source_ref> lines;    // first line per matched selection (or hinted line)
};

// One line of an incident as the message catalog read it, for `--explain`:
// its layers (outermost first) and the entry that decided, if any.
struct line_decoding {
  source_ref where;
  std::vector<decoded_layer> layers;
  std::string decided_by;  // catalog entry id, empty when no layer names a cause
  std::string cause;       // that entry's cause id
};

// How much of the embedded packs is checked at load. `rules lint|test` and the
// test suite check everything (`full`); an analysis trusts what they checked
// in CI (`trust_embedded`): embedded catalog regexes compile on first use and
// embedded rules are not run on their samples, which was most of the start-up
// time of every analysis. A pack from --rules is always checked in full.
enum class pack_checks : std::uint8_t { full, trust_embedded };

class rule_book {
 public:
  // Embedded packs plus every `extra_dirs` entry (each holding causes/...).
  // Load errors (file:line:col) go to `errors`; rules with errors are dropped.
  static rule_book load(const std::vector<std::string>& extra_dirs, diags& errors,
                        pack_checks checks);
  // Only the rules below `dir` (for `rules lint DIR` / `rules test DIR`).
  static rule_book load_dir_only(const std::string& dir, diags& errors);

  [[nodiscard]] std::size_t size() const noexcept { return rules_.size(); }
  [[nodiscard]] std::vector<rule_info> list() const;
  // Runs every rule's inline match / no-match samples through the whole rule
  // (selection + condition); each failure is one diag.
  [[nodiscard]] diags test_samples() const;

  // Failed / stuck / unknown incidents get a verdict (class `unknown` with an
  // honest summary when nothing supports a class). Succeeded ones are not
  // classified: the result has cls == unknown and an empty cause, and the
  // report prints classification null for them. Every outcome gets the
  // device inventory (port / server show captures) as verdict notes.
  // `provider` adds the facts computed above classifiers (facts.hpp).
  [[nodiscard]] verdict classify(const incident& inc, std::span<const input> inputs,
                                 const fact_provider* provider = nullptr) const;
  // Per rule, fired or nearly fired, in rule-id order; a rule deciding from
  // facts is traced when a fact it requires or cites is known.
  [[nodiscard]] std::vector<rule_trace> explain(const incident& inc,
                                                std::span<const input> inputs,
                                                const fact_provider* provider = nullptr) const;

  // Every line of `inc` the catalog recognises something in, except lines
  // that are benign as a whole (seen in successful migrations too).
  [[nodiscard]] std::vector<line_decoding> decode_lines(const incident& inc) const;
  // One text as `rules decode` shows it (where is left empty).
  [[nodiscard]] line_decoding decode_text(std::string_view text) const;

  // Lines no attempt holds (correlate's loose lines) that a cause rule
  // recognises, as top-level findings: grouped by host and instance (or
  // request), each group's rules ranked as for an incident, one finding per
  // rule that cites a line no better-ranked one cites. Confidence is the
  // rule's times kLooseFactor. Ordered by (time, host, id).
  [[nodiscard]] std::vector<loose_finding> loose_findings(std::vector<event> lines,
                                                          std::span<const input> inputs) const;
  // Cheap pre-check for a line of any log kind (a pasted fragment, a log line
  // ingest may defer): does any log kind's selection hint occur in it? False
  // negatives never; it is what keeps such lines for the findings.
  [[nodiscard]] bool may_recognise_fragment(std::string_view line) const;
  // The same pre-check on a log line as loose_findings() makes before it
  // groups lines: false for a line it drops unread.
  [[nodiscard]] bool may_recognise_loose(const event& ev) const;
  // How many catalog entries and regex selections have a hint in `line`
  // (0 = may_recognise_fragment is false). A wrapped line joined to the one
  // before it counts more than the two apart only when a hint spans the wrap.
  [[nodiscard]] std::size_t recognisable_hints(std::string_view line) const;

 private:
  std::vector<std::shared_ptr<const cause_rule>> rules_;
  // What catalog selections and the decoded chains read lines with: the
  // embedded catalog plus each pack's `catalog/` (rules/catalog/).
  std::shared_ptr<const rulepack::message_catalog> catalog_;
};

// True when `command` is provably read-only: every segment is an allowlisted
// tool whose options, parsed as the tool parses them and spelled exactly as on
// its allowlist, keep it a query (engine/readonly*.cpp). `why` says which
// segment failed and why.
bool is_read_only_command(const std::string& command, std::string& why);

// How code outside the rule packs makes a confirm command: `tpl`'s `{name}`
// placeholders are filled from `values` (a value that could be read as an
// option, holds shell syntax or is not a host name where a host belongs is
// withheld as `<name>`), and the result is checked as filled. nullopt when
// even the form with every value withheld is not read-only (a bug: it
// asserts in debug and sanitizer builds).
//   make_confirm_command("openstack hypervisor show {source} -f json", {{"source", h}});
// A command as a report shows it: each `<name>` gap (a withheld value, see
// make_confirm_command) is one opaque word the operator fills in; the rest is
// judged as is_read_only_command does. For commands migsleuth printed only:
// on other text a `<x>` would be a redirection, not a gap.
bool is_read_only_shown_command(const std::string& shown, std::string& why);

std::optional<std::string> make_confirm_command(
    std::string_view tpl, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace migsleuth::classifiers
