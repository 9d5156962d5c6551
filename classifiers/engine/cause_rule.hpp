// The compiled form of one cause rule (rules/causes/<class>/<name>.yaml) and
// the matching primitives shared by incident evaluation and sample tests.
//
// What it does not do: read YAML (cause_loader) or rank findings (arbiter).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/condition.hpp"
#include "engine/fact_condition.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/pattern.hpp"

namespace migsleuth::classifiers {

// Which compute host a selection looks at; `any` ignores the role.
enum class host_role : std::uint8_t { any, source, destination };

// How a selection recognises a line: by its own hint + regex, or by what the
// message catalog read in it (rules/README.md "Catalog selections").
enum class selection_mode : std::uint8_t {
  regex,             // hint + regex over the line
  catalog_decides,   // the decoded line is decided as this rule's cause
  catalog_entries,   // the decoded chain holds one of `entries`
};

struct selection {
  std::string name;
  input_kind source = input_kind::unrecognized;  // regex selections
  host_role role = host_role::any;
  rulepack::pattern pat;
  selection_mode mode = selection_mode::regex;
  std::vector<input_kind> kinds;     // catalog selections: allowed kinds, empty = any log kind
  std::vector<std::string> entries;  // catalog_entries: ids, or prefixes ending in '*'
  bool wrapped = false;              // the entry must sit inside another layer's error
  bool also_regex = false;           // catalog selections: `pat` must match the line too
  std::string cause;                 // catalog_decides: the rule's id
  std::vector<std::string> captures; // names a match can bind (regex groups or entries')
  // catalog selections: placeholder <- "text" (what the deciding entry
  // matched) or an entry capture, so a rule's summary written for its regex
  // captures reads the same when the catalog decided (`bind: {detail: text}`).
  std::vector<std::pair<std::string, std::string>> binds;
  // regex selections: the value a capture takes when the wording leaves it
  // out but implies it (`defaults: {port: '16509'}` for a qemu+tcp URI
  // written without its port).
  std::vector<std::pair<std::string, std::string>> defaults;
};

// The catalog's reading of one line, decoded on first use and kept: every
// rule of an incident asks about the same lines.
class line_reading {
 public:
  line_reading() = default;
  line_reading(const rulepack::message_catalog* catalog, std::string_view text)
      : catalog_(catalog), text_(text) {}
  [[nodiscard]] const std::vector<rulepack::catalog_match>& chain() const;

 private:
  const rulepack::message_catalog* catalog_ = nullptr;
  std::string_view text_;
  mutable bool decoded_ = false;
  mutable std::vector<rulepack::catalog_match> chain_;
};

// What a selection is shown of one line.
struct line_view {
  input_kind kind = input_kind::unrecognized;
  host_role role = host_role::any;
  std::string_view text;
  const line_reading* reading = nullptr;  // nullptr: no catalog
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
  std::optional<fact_condition> when;  // shown only when it is met
};

struct cause_rule {
  std::string id;
  std::string title;
  std::string status;
  classification cls = classification::unknown;
  int priority = 0;
  double confidence = 0.0;  // without facts (`confidence: X` or its `default`)
  // `confidence: {default, when: ...}`: the value given the incident's facts.
  fact_confidence confidence_by_facts;
  std::string description;
  std::vector<std::string> references;
  std::vector<std::string> falsepositives;
  std::vector<input_kind> requires_any;  // at least one of these input kinds
  std::vector<input_kind> requires_all;  // every one of these
  std::vector<fact_condition> requires_facts;  // analyzer facts that must hold (README "Facts")
  // Facts appended to the verdict when this rule is its primary cause: the
  // fact's text to the summary, its lines to the evidence, its checks to
  // the confirm commands.
  std::vector<std::string> quotes;
  // Facts whose lines are this rule's evidence and whose checks are its
  // confirm commands (`cites:`); the lines are credited to this rule
  // wherever another rule quotes the fact.
  std::vector<std::string> cites;
  // Decides only when no other rule fired; otherwise a secondary of a
  // verdict of another class (`fallback: true`).
  bool fallback = false;
  std::vector<selection> selections;
  std::string condition_text;
  condition cond;
  // Sentences joined by a space; one that names a fact the incident does not
  // have is left out (a one-sentence summary is always shown).
  std::vector<std::string> summary;
  std::vector<confirm_template> confirm;
  std::vector<conditional_text> remediation;
  std::vector<rule_sample> match_samples;
  std::vector<rule_sample> no_match_samples;
  std::string file;  // for diagnostics
  // No `match`: the rule decides from its required facts alone.
  [[nodiscard]] bool from_facts_only() const noexcept { return selections.empty(); }
  // A mechanism fallback (rules/README.md): the class is inferred from an
  // errno or a device type, not read from a message naming the cause.
  bool inferred = false;
  // The catalog its catalog selections (and samples) read lines with.
  std::shared_ptr<const rulepack::message_catalog> catalog;
};

// One line seen by a selection: does it come from the right kind and host
// role, and does the pattern match? Captures are appended when asked.
[[nodiscard]] bool selection_matches(const selection& sel, const line_view& line,
                                     fields* captures = nullptr);
// nova-compute, libvirtd and QEMU domain logs: the kinds whose lines carry
// messages (the others are captures and records).
[[nodiscard]] bool is_log_kind(input_kind k) noexcept;
// A catalog selection's entry name: an id, or an id prefix ending in '*'.
[[nodiscard]] bool entry_named(std::string_view wanted, std::string_view id) noexcept;

// Whether `sel` could look at a line of this kind at all.
[[nodiscard]] bool selection_reads(const selection& sel, input_kind kind) noexcept;

// The chain as the report shows it (outermost first, texts bounded).
[[nodiscard]] std::vector<decoded_layer> to_decoded(const std::vector<rulepack::catalog_match>& chain,
                                                    std::string_view text);

// Runs the whole rule (selections + condition) on one sample line.
[[nodiscard]] bool rule_fires_on(const cause_rule& rule, const rule_sample& sample);

// The role of `host` within `inc`; `any` when it cannot be told.
[[nodiscard]] host_role role_of(const incident& inc, std::string_view host) noexcept;

bool parse_host_role(std::string_view name, host_role& out) noexcept;

}  // namespace migsleuth::classifiers
