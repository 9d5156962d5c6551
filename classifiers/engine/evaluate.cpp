#include "engine/evaluate.hpp"

#include <algorithm>
#include <tuple>

#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {

// Rules are written against log messages. A text line carries its message
// after the header, so the whole line works; an oslo.log JSON record carries
// it in "message", and its raw line would let `.*` captures swallow JSON.
std::string_view match_subject(const event& e) {
  return !e.text.empty() && e.text.front() == '{' ? std::string_view(e.message)
                                                  : std::string_view(e.text);
}

bool requirements_met(const cause_rule& rule, const incident& inc, std::span<const input> inputs) {
  auto present = [&](input_kind k) {
    return std::any_of(inputs.begin(), inputs.end(), [&](const input& in) { return in.kind == k; }) ||
           std::any_of(inc.events.begin(), inc.events.end(),
                       [&](const event& e) { return e.source == k; });
  };
  if (!rule.requires_any.empty() &&
      std::none_of(rule.requires_any.begin(), rule.requires_any.end(), present)) {
    return false;
  }
  return std::all_of(rule.requires_all.begin(), rule.requires_all.end(), present);
}

bool required_facts_hold(const cause_rule& rule, const fact_set& facts) {
  return std::all_of(rule.requires_facts.begin(), rule.requires_facts.end(),
                     [&](const fact_condition& c) { return c.met(facts); });
}

fact_credits credit_facts(std::span<const std::shared_ptr<const cause_rule>> rules) {
  fact_credits out;
  for (const auto& r : rules) {  // in id order: the smallest id citing a fact has it
    for (const auto& name : r->cites) {
      const bool taken = std::any_of(out.begin(), out.end(),
                                     [&](const auto& c) { return c.first == name; });
      if (!taken) out.emplace_back(name, r->id);
    }
  }
  return out;
}

namespace {

// A fact's lines not cited yet (credited to `rule` where the analyzer left
// them uncredited) and its checks, to a verdict or a finding.
void add_fact_support(const fact& f, const std::string& rule, std::vector<evidence_line>& evidence,
                      std::vector<confirm_command>& confirm) {
  for (const auto& line : f.evidence) {
    const bool cited = std::any_of(evidence.begin(), evidence.end(),
                                   [&](const evidence_line& e) { return e.where == line.where; });
    if (cited) continue;
    evidence.push_back(line);
    if (evidence.back().rule.empty()) evidence.back().rule = rule;
  }
  if (!f.evidence.empty()) order_evidence(evidence);
  for (const auto& c : f.confirm) {
    // A provider outside classifiers made these: checked again here, so
    // every command a verdict shows went through the read-only checker.
    std::string why;
    if (!is_read_only_shown_command(c.command, why)) continue;
    const bool shown = std::any_of(confirm.begin(), confirm.end(),
                                   [&](const confirm_command& o) { return o.command == c.command; });
    if (!f.skip_known_commands || !shown) confirm.push_back(c);
  }
}

// Facts a rule may fill in but the incident may lack: known when present
// (a text when not empty).
bool fact_known(const fact_set& facts, std::string_view name) {
  const fact* f = find_fact(facts, name);
  return f != nullptr && (f->type != fact_type::text || !f->text.empty());
}

}  // namespace

void quote_facts(verdict& v, const cause_rule& primary, const fact_set& facts,
                 const fact_credits& credits) {
  for (const auto& name : primary.quotes) {
    const fact* f = find_fact(facts, name);
    if (f == nullptr || !f->holds()) continue;
    if (!v.summary.empty()) v.summary += ' ';
    v.summary += f->text;
    const auto credit = std::find_if(credits.begin(), credits.end(),
                                     [&](const auto& c) { return c.first == name; });
    add_fact_support(*f, credit == credits.end() ? primary.id : credit->second, v.evidence,
                     v.confirm);
  }
}

namespace {

// A line joined by time only is not known to be about this attempt, so it
// cross-checks nothing.
bool has_events_from(const incident& inc, const std::string& host) {
  return !host.empty() &&
         std::any_of(inc.events.begin(), inc.events.end(),
                     [&](const event& e) { return e.host == host && !e.linked_by_time; });
}

}  // namespace

namespace {

// Evidence order: by time, host and place, a repeat (the same place, host
// and text) kept once. `as_line(x)` is what an item shows as evidence: an
// evidence line, or the event one would be made from (they share the fields).
template <typename T, typename AsLine>
void order_and_drop_repeats(std::vector<T>& items, AsLine as_line) {
  const auto key = [&](const T& x) {
    const auto& e = as_line(x);
    return std::tie(e.time, e.host, e.where);
  };
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return key(a) < key(b); });
  items.erase(std::unique(items.begin(), items.end(),
                          [&](const T& a, const T& b) {
                            const auto& x = as_line(a);
                            const auto& y = as_line(b);
                            return x.where == y.where && x.host == y.host && x.text == y.text;
                          }),
              items.end());
}

}  // namespace

void order_evidence(std::vector<evidence_line>& lines) {
  order_and_drop_repeats(lines, [](const evidence_line& e) -> const evidence_line& { return e; });
}

std::vector<std::size_t> order_evidence_events(const incident& inc,
                                               std::vector<std::size_t> picked) {
  order_and_drop_repeats(picked, [&inc](std::size_t i) -> const event& { return inc.events[i]; });
  return picked;
}

std::vector<line_reading> read_lines(const rulepack::message_catalog* catalog,
                                     const incident& inc) {
  std::vector<line_reading> out;
  out.reserve(inc.events.size());
  for (const auto& e : inc.events) out.emplace_back(catalog, match_subject(e));
  return out;
}

namespace {

// The line whose decoding the finding shows: the first one a catalog
// selection took, else the first cited line the catalog knows anything of.
std::vector<decoded_layer> decoded_of(const cause_rule& rule, const incident& inc,
                                      std::span<const line_reading> readings,
                                      const std::vector<std::vector<std::size_t>>& matched) {
  std::optional<std::size_t> chosen;
  for (int pass = 0; pass < 2 && !chosen; ++pass) {
    for (std::size_t si = 0; si < rule.selections.size(); ++si) {
      const bool by_catalog = rule.selections[si].mode != selection_mode::regex;
      if (!rule.cond.positive()[si] || (pass == 0 && !by_catalog)) continue;
      for (std::size_t ei : matched[si]) {
        if (readings[ei].chain().empty()) continue;
        if (!chosen || inc.events[ei].time < inc.events[*chosen].time) chosen = ei;
        break;
      }
    }
  }
  if (!chosen) return {};
  return to_decoded(readings[*chosen].chain(), match_subject(inc.events[*chosen]));
}

// The summary's first sentence, then each further one whose facts are all
// known, joined by a space.
std::string summary_of(const cause_rule& rule, const bindings& values, const fact_set& facts) {
  std::string out;
  for (std::size_t i = 0; i < rule.summary.size(); ++i) {
    std::vector<std::string> names;
    std::string why;
    if (i > 0 && template_placeholders(rule.summary[i], names, why) &&
        std::any_of(names.begin(), names.end(), [&](const std::string& n) {
          return n.starts_with(kFactPrefix) &&
                 !fact_known(facts, std::string_view(n).substr(kFactPrefix.size()));
        })) {
      continue;
    }
    if (!out.empty()) out += ' ';
    out += fill_template(rule.summary[i], values, fill_mode::prose);
  }
  return out;
}

}  // namespace

std::optional<finding> evaluate_rule(const cause_rule& rule, const incident& inc,
                                     std::span<const input> inputs,
                                     std::span<const line_reading> readings,
                                     const fact_set& facts) {
  if (!requirements_met(rule, inc, inputs) || !required_facts_hold(rule, facts)) {
    return std::nullopt;
  }
  const std::size_t nsel = rule.selections.size();
  std::vector<bool> hits(nsel, false);
  std::vector<std::vector<std::size_t>> matched(nsel);
  std::vector<fields> captures(nsel);
  for (std::size_t ei = 0; ei < inc.events.size(); ++ei) {
    const event& e = inc.events[ei];
    const line_view line{e.source, role_of(inc, e.host), match_subject(e), &readings[ei]};
    for (std::size_t si = 0; si < nsel; ++si) {
      // The first matching line of a selection supplies its captures: it is
      // closest to the start of the failure in a time-ordered incident.
      fields* want = hits[si] ? nullptr : &captures[si];
      if (!selection_matches(rule.selections[si], line, want)) continue;
      hits[si] = true;
      matched[si].push_back(ei);
    }
  }
  if (!rule.from_facts_only() && !rule.cond.eval(hits)) return std::nullopt;

  finding f;
  f.rule = rule.id;
  f.cls = rule.cls;
  f.priority = rule.priority;
  f.confidence = rule.confidence_by_facts.for_facts(facts);
  f.inferred = rule.inferred;
  f.decoded = decoded_of(rule, inc, readings, matched);

  bindings values = builtin_bindings(inc);
  for (const auto& known : facts) {
    values.emplace_back(std::string(kFactPrefix) + known.name, known.rendered());
  }
  std::vector<std::size_t> cited;
  for (std::size_t si = 0; si < nsel; ++si) {
    // Lines of a selection that only appears under `not` argue against the
    // rule; they are never cited as its evidence.
    if (!hits[si] || !rule.cond.positive()[si]) continue;
    for (const auto& capture : captures[si]) {
      // (no structured binding: clang 14, used for fuzzing, cannot capture one)
      const bool bound = std::any_of(values.begin(), values.end(),
                                     [&](const auto& kv) { return kv.first == capture.first; });
      if (!bound) values.emplace_back(capture.first, capture.second);
    }
    cited.insert(cited.end(), matched[si].begin(), matched[si].end());
  }
  cited = order_evidence_events(inc, std::move(cited));
  // Before the cut below: every cited line counts.
  const bool by_time_only =
      !cited.empty() && std::all_of(cited.begin(), cited.end(), [&inc](std::size_t ei) {
        return inc.events[ei].linked_by_time;
      });
  if (cited.size() > kMaxEvidence) cited.resize(kMaxEvidence);
  for (std::size_t ei : cited) f.evidence.push_back(evidence_of(inc.events[ei], rule.id));
  // The cited facts' lines: few, chosen by their analyzer, never cut.
  std::vector<confirm_command> fact_checks;
  for (const auto& name : rule.cites) {
    if (const fact* cited_fact = find_fact(facts, name)) {
      add_fact_support(*cited_fact, rule.id, f.evidence, fact_checks);
    }
  }

  f.summary = summary_of(rule, values, facts);
  // A rule deciding from facts has its confidence written for what the
  // facts can say; the cross-checks below are about lines a rule matched.
  const bool from_lines = !rule.from_facts_only();
  const bool have_source = has_events_from(inc, inc.source);
  const bool have_dest = has_events_from(inc, inc.destination);
  if (from_lines && (!have_source || !have_dest)) {
    f.confidence *= kOneSidedFactor;
    const char* missing = !have_source && !have_dest ? "either compute host (or hosts unknown)"
                          : !have_source            ? "the source host"
                                                    : "the destination host";
    // Say what is known: the host may have logs that simply hold no line of
    // this attempt (correlate's notes tell which).
    f.summary += std::string(" Confidence lowered: no line from ") + missing +
                 " about this attempt to cross-check.";
  }
  if (from_lines && by_time_only) {
    f.confidence *= kTimeLinkedFactor;
    f.summary += " Confidence lowered: the lines it rests on name neither the instance nor its "
                 "request; they are tied to this attempt by host and time only.";
  }
  for (const auto& c : rule.confirm) {
    if (c.when && !c.when->met(facts)) continue;
    // The loader checked the template; this checks it as filled from the logs
    // (a value that fails it is withheld; the form cannot fail, having loaded).
    if (auto command = make_confirm_command(c.command, values)) {
      f.confirm.push_back(
          {c.where, std::move(*command), fill_template(c.why, values, fill_mode::prose)});
    }
  }
  for (auto& c : fact_checks) {
    const bool shown = std::any_of(f.confirm.begin(), f.confirm.end(),
                                   [&](const confirm_command& o) { return o.command == c.command; });
    if (!shown) f.confirm.push_back(std::move(c));
  }
  for (const auto& r : rule.remediation) {
    if (r.when && !r.when->met(facts)) continue;
    f.remediation.push_back(fill_template(r.text, values, fill_mode::prose));
  }
  return f;
}

}  // namespace migsleuth::classifiers
