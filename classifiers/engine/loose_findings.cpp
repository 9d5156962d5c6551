// Findings tied to no attempt (report `findings[]`). A pasted fragment, a
// traceback whose instance never shows a migration request, a libvirtd error
// that names nothing: the cause rules still recognise what the line says, so
// the operator gets the class, the evidence and the confirm commands, said
// with less confidence and with why no attempt holds it.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/evaluate.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/core/stable_hash.hpp"
#include "migsleuth/rulepack/catalog.hpp"

namespace migsleuth::classifiers {
namespace {

// No attempt confirms the line is about a live migration that failed, and
// its roles are unknown (every role-specific selection got the benefit of the
// doubt): trust it less than the same line inside an attempt.
constexpr double kLooseFactor = 0.7;

struct group_key {
  std::string host;
  std::string instance;
  std::string request_id;
  friend auto operator<=>(const group_key&, const group_key&) = default;
};

group_key key_of(const event& ev) {
  // A request without an instance still groups its own lines (a traceback);
  // lines with neither are grouped per host (one pasted fragment).
  return {ev.host, ev.instance, ev.instance.empty() ? ev.request_id : std::string()};
}

std::string why_loose(const group_key& k) {
  if (!k.instance.empty()) {
    return "instance " + k.instance +
           " has no live-migration request in the data (no migration line of nova, libvirt or "
           "QEMU names it), so no attempt could be rebuilt";
  }
  if (!k.request_id.empty()) {
    return "its request " + k.request_id +
           " is tied to no instance in the data (the line that names both was not collected)";
  }
  return "it names no instance, domain or request, and no attempt's time and host hold it";
}

std::string finding_id(const group_key& k, const finding& f) {
  stable_hash h;
  h.mix(k.host);
  h.mix(k.instance);
  h.mix(k.request_id);
  h.mix(f.rule);
  if (!f.evidence.empty()) {
    h.mix(std::to_string(f.evidence.front().where.input));
    h.mix(std::to_string(f.evidence.front().where.line));
  }
  return fmt::format("find-{:016x}", h.value());
}

// Every line `f` cites is cited by `better` already.
bool adds_nothing(const finding& f, const finding& better) {
  return std::all_of(f.evidence.begin(), f.evidence.end(), [&](const evidence_line& e) {
    return std::any_of(better.evidence.begin(), better.evidence.end(),
                       [&](const evidence_line& b) { return b.where == e.where; });
  });
}


// An `unknown` finding is as sure as an unknown verdict, and less: it does
// not even know an attempt failed.
constexpr double kUnknownConfidence = 0.25;

// A line the catalog reads as a failure state but that names no cause a rule
// judges: "domain is not running", a QEMU core dump, a footer read error.
// A pasted line counts whatever its level (it was pasted because it
// mattered); a log line must be an error: a warning says too little alone.
const rulepack::catalog_match* failure_state(const event& ev, bool pasted,
                                             const line_reading& reading) {
  const bool error_level = ev.level == "ERROR" || ev.level == "CRITICAL" ||
                           (ev.level.empty() && ev.source != input_kind::nova_compute);
  if (!pasted && !error_level) return nullptr;
  const auto& chain = reading.chain();
  const rulepack::catalog_match* state = nullptr;
  for (const auto& m : chain) {
    if (m.entry->verdict == rulepack::catalog_verdict::benign) return nullptr;
    if (m.entry->verdict != rulepack::catalog_verdict::wrapper) state = &m;
  }
  return state;
}

// The honest answer for a group no rule recognised although the catalog
// knows what its lines say: class unknown, the lines, and what they mean.
std::optional<finding> unknown_finding(const incident& group,
                                       std::span<const line_reading> readings,
                                       std::span<const source_ref> pasted) {
  finding f;
  f.cls = classification::unknown;
  f.confidence = kUnknownConfidence;
  const rulepack::catalog_match* first = nullptr;
  for (std::size_t i = 0; i < group.events.size(); ++i) {
    const event& ev = group.events[i];
    const bool was_pasted = std::find(pasted.begin(), pasted.end(), ev.where) != pasted.end();
    // A libvirtd line naming nothing (an "End of file" of any client) is
    // everyday noise; one about an instance, one an operator pasted, a
    // nova-compute error (an RPC call that failed) or a line of a domain's
    // own QEMU log is not.
    const bool own_log = ev.source == input_kind::qemu_domain ||
                         (ev.source == input_kind::nova_compute && !ev.level.empty());
    if (!was_pasted && group.instance.empty() && !own_log) continue;
    const auto* state = failure_state(ev, was_pasted, readings[i]);
    if (state == nullptr) continue;
    const bool cited = std::any_of(f.evidence.begin(), f.evidence.end(),
                                   [&](const evidence_line& e) { return e.where == ev.where; });
    if (cited) continue;  // a pasted line is offered as three log kinds
    if (first == nullptr) {
      first = state;
      f.decoded = to_decoded(readings[i].chain(), match_subject(ev));
    }
    f.evidence.push_back(evidence_of(ev, {}));
    f.evidence.back().linked_by_time = false;
  }
  if (first == nullptr) return std::nullopt;
  order_evidence(f.evidence);
  if (f.evidence.size() > kMaxEvidence) f.evidence.resize(kMaxEvidence);
  f.summary = "No cause rule recognises these line(s); the message catalog reads the first as: " +
              first->entry->meaning;
  if (first->entry->verdict == rulepack::catalog_verdict::classified) {
    f.summary += " (catalog cause " + first->entry->cause + ", which no loaded rule judges)";
  }
  return f;
}

}  // namespace

std::size_t rule_book::recognisable_hints(std::string_view line) const {
  std::size_t n = catalog_ != nullptr ? catalog_->candidates(line).size() : 0;
  for (const auto& r : rules_) {
    for (const auto& sel : r->selections) {
      if (sel.mode == selection_mode::regex && is_log_kind(sel.source) &&
          sel.pat.candidate(line)) {
        ++n;
      }
    }
  }
  return n;
}

bool rule_book::may_recognise_fragment(std::string_view line) const {
  if (catalog_ != nullptr && catalog_->may_match(line)) return true;
  for (const auto& r : rules_) {
    for (const auto& sel : r->selections) {
      if (sel.mode == selection_mode::regex && is_log_kind(sel.source) &&
          sel.pat.candidate(line)) {
        return true;
      }
    }
  }
  return false;
}

bool rule_book::may_recognise_loose(const event& ev) const {
  const bool log_line = is_log_kind(ev.source) || ev.source == input_kind::unrecognized;
  return log_line && may_recognise_fragment(match_subject(ev));
}

std::vector<loose_finding> rule_book::loose_findings(std::vector<event> lines,
                                                     std::span<const input> inputs) const {
  // Most loose lines are a host's everyday warnings: no rule's hint is in
  // them, and grouping them would cost every rule a pass over each.
  std::erase_if(lines, [this](const event& ev) { return !may_recognise_loose(ev); });
  // A fragment line's kind is unknown: it is offered to every log kind's
  // selections (the rule's wording decides; evidence cites the line once).
  const std::size_t given = lines.size();
  std::vector<source_ref> pasted;  // a fragment keeps at most 200 lines per file
  for (std::size_t i = 0; i < given; ++i) {
    if (lines[i].source != input_kind::unrecognized) continue;
    pasted.push_back(lines[i].where);
    for (const input_kind k : {input_kind::qemu_domain, input_kind::libvirtd}) {
      event copy = lines[i];
      copy.source = k;
      lines.push_back(std::move(copy));
    }
    lines[i].source = input_kind::nova_compute;
  }
  std::map<group_key, incident> groups;
  for (auto& ev : lines) {
    if (!is_log_kind(ev.source)) continue;
    const group_key k = key_of(ev);
    incident& inc = groups[k];
    inc.instance = k.instance;
    inc.request_id = k.request_id;
    inc.events.push_back(std::move(ev));
  }
  std::vector<loose_finding> out;
  for (auto& [k, inc] : groups) {
    // A build that failed to spawn binds ports and claims resources too; its
    // errors are that operation's, and a migration verdict on them misleads.
    // One such line is enough: ingest keeps one per host and instance in
    // memory (ingest_options::marks_operation), the others wait on disk.
    if (std::any_of(inc.events.begin(), inc.events.end(),
                    [](const event& ev) { return ev.kind == event_kind::other_operation; })) {
      continue;
    }
    std::vector<finding> found;
    const std::vector<line_reading> readings = read_lines(catalog_.get(), inc);
    const fact_set no_facts;  // no attempt: no analyzer has anything to say
    for (const auto& r : rules_) {
      if (r->status == "deprecated") continue;
      if (auto f = evaluate_rule(*r, inc, inputs, readings, no_facts)) found.push_back(std::move(*f));
    }
    std::sort(found.begin(), found.end(), [](const finding& a, const finding& b) {
      return std::tie(b.priority, b.confidence, a.rule) < std::tie(a.priority, a.confidence, b.rule);
    });
    if (found.empty()) {
      if (auto f = unknown_finding(inc, readings, pasted)) found.push_back(std::move(*f));
    }
    std::vector<const finding*> kept;
    for (auto& f : found) {
      if (std::any_of(kept.begin(), kept.end(),
                      [&](const finding* better) { return adds_nothing(f, *better); })) {
        continue;
      }
      kept.push_back(&f);
      loose_finding lf;
      lf.host = k.host;
      lf.instance = k.instance;
      lf.why_loose = why_loose(k);
      lf.f = f;
      if (f.cls != classification::unknown) lf.f.confidence *= kLooseFactor;
      lf.id = finding_id(k, lf.f);
      out.push_back(std::move(lf));
    }
  }
  auto first_time = [](const loose_finding& lf) {
    return lf.f.evidence.empty() ? timestamp{} : lf.f.evidence.front().time;
  };
  std::sort(out.begin(), out.end(), [&](const loose_finding& a, const loose_finding& b) {
    return std::make_tuple(first_time(a), a.host, a.id) <
           std::make_tuple(first_time(b), b.host, b.id);
  });
  return out;
}

}  // namespace migsleuth::classifiers
