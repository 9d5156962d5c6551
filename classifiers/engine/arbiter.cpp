#include "engine/arbiter.hpp"

#include <algorithm>

#include "engine/evaluate.hpp"
#include "engine/post_copy_guidance.hpp"
#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {
namespace {

// Honest about how little an unmatched failure tells: a class of `unknown`
// with some confidence that the incident did fail, not that we know why.
constexpr double kUnknownConfidence = 0.25;

bool is_error_line(const event& e) {
  return e.level == "ERROR" || e.level == "CRITICAL" || e.kind == event_kind::migration_failed ||
         e.kind == event_kind::precheck_failed || e.kind == event_kind::migration_aborted;
}

}  // namespace

const event* most_telling_error(const incident& inc) {
  const event* last_error = nullptr;
  const event* failure = nullptr;  // the line that says what failed, when there is one
  for (const auto& e : inc.events) {
    if (e.kind == event_kind::migration_failed || e.kind == event_kind::precheck_failed) {
      failure = &e;
    }
    if (!is_error_line(e)) continue;
    // A line joined by time only may be another operation's: it is the most
    // telling one only when no line naming the attempt is an error.
    if (!e.linked_by_time || last_error == nullptr || last_error->linked_by_time) last_error = &e;
  }
  return failure != nullptr ? failure : last_error;
}

namespace {

verdict unknown_verdict(const incident& inc) {
  verdict v;
  v.cls = classification::unknown;
  v.confidence = kUnknownConfidence;
  std::vector<std::size_t> errors;
  for (std::size_t i = 0; i < inc.events.size(); ++i) {
    if (is_error_line(inc.events[i])) errors.push_back(i);
  }
  const event* last_error = most_telling_error(inc);
  errors = order_evidence_events(inc, std::move(errors));
  // The last errors are nearest the failure itself; keep those (and copy
  // only those: an incident may hold thousands of long error lines).
  if (errors.size() > kMaxEvidence) {
    errors.erase(errors.begin(), errors.end() - static_cast<std::ptrdiff_t>(kMaxEvidence));
  }
  for (std::size_t i : errors) v.evidence.push_back(evidence_of(inc.events[i], {}));
  const std::string what = inc.result == outcome::stuck ? "stuck migration" : "failed migration";
  v.summary = "No cause rule matched this " + what + ".";
  if (last_error != nullptr) {
    const std::string_view msg = last_error->message.empty() ? last_error->text : last_error->message;
    v.summary += " The most telling error line" +
                 (last_error->host.empty() ? std::string() : " (on " + last_error->host + ")") +
                 " is: " + std::string(msg);  // whole: a summary is pasted and searched
  } else {
    v.summary += " No ERROR-level line was found in the data for this incident.";
  }
  const bindings values = builtin_bindings(inc);
  auto cmd = [&](run_where where, std::string_view tpl, std::string_view why) {
    if (auto command = make_confirm_command(tpl, values)) {
      v.confirm.push_back({where, std::move(*command), std::string(why)});
    }
  };
  cmd(run_where::controller, "openstack server migration list --server {instance}",
      "What nova recorded for this migration (status, hosts, times)");
  cmd(run_where::controller, "openstack server event list {instance}",
      "The instance actions around the attempt, with their request ids");
  cmd(run_where::both, "grep {instance} /var/log/nova/nova-compute.log",
      "All nova-compute lines for the instance on each host, including ones not collected");
  if (inc.result == outcome::stuck) {
    cmd(run_where::both, "virsh -r list --all",
        "Which host really runs the domain right now");
    cmd(run_where::source, "virsh -r domjobinfo {domain}",
        "Whether a migration job is still active on the source");
    // After a switch to post-copy the guidance (post_copy_guidance.cpp) says
    // which side holds the guest; this pre-copy advice would contradict it.
    if (!inc.post_copy) {
      v.remediation.push_back(
          "Before any 'nova reset-state' or 'virsh destroy': run 'virsh -r list --all' on BOTH "
          "hosts and confirm which one runs the domain, and that no migration job is still "
          "active ('virsh -r domjobinfo'); resetting the wrong side loses the running guest.");
    }
  }
  return v;
}

// A success is not classified, but it still gets a sentence to paste.
verdict success_verdict(const incident& inc) {
  verdict v;
  v.summary = "Live migration of " + inc.instance + " from " +
              (inc.source.empty() ? std::string("an unidentified host") : inc.source) + " to " +
              (inc.destination.empty() ? std::string("an unidentified host") : inc.destination) +
              " succeeded";
  if (inc.started.known() && inc.ended.known()) {
    v.summary += " in " + std::to_string((inc.ended.micros - inc.started.micros) / 1'000'000) +
                 " s";
  }
  v.summary += ".";
  return v;
}

// A lower-ranked finding of the same class that cites only lines the primary
// already cites tells the reader nothing new.
bool adds_nothing(const finding& f, const finding& primary) {
  if (f.cls != primary.cls) return false;
  return std::all_of(f.evidence.begin(), f.evidence.end(), [&](const evidence_line& e) {
    return std::any_of(primary.evidence.begin(), primary.evidence.end(),
                       [&](const evidence_line& p) { return p.where == e.where; });
  });
}

}  // namespace

verdict arbitrate(std::vector<finding> findings, const incident& inc) {
  if (inc.result == outcome::succeeded) return success_verdict(inc);
  if (findings.empty()) {
    verdict v = unknown_verdict(inc);
    add_post_copy_guidance(v, inc);
    return v;
  }
  // A finding resting only on lines joined by host and time (a kernel OOM
  // kill, a libvirtd error naming nothing) may be another operation's: it
  // decides only when no finding rests on the attempt's own lines.
  auto time_only = [](const finding& f) {
    return !f.evidence.empty() && std::all_of(f.evidence.begin(), f.evidence.end(),
                                              [](const evidence_line& e) { return e.linked_by_time; });
  };
  std::sort(findings.begin(), findings.end(), [&](const finding& a, const finding& b) {
    if (time_only(a) != time_only(b)) return time_only(b);
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.rule < b.rule;
  });
  verdict v;
  for (std::size_t i = 1; i < findings.size(); ++i) {
    if (!adds_nothing(findings[i], findings.front())) v.secondary.push_back(findings[i]);
  }
  finding& primary = findings.front();
  v.cls = primary.cls;
  v.cause = primary.rule;
  v.confidence = primary.confidence;
  v.summary = std::move(primary.summary);
  v.evidence = std::move(primary.evidence);
  v.confirm = std::move(primary.confirm);
  v.remediation = std::move(primary.remediation);
  v.decoded = std::move(primary.decoded);
  v.inferred = primary.inferred;
  if (inc.result == outcome::stuck && !inc.post_copy) {
    v.remediation.push_back(
        "The migration looks stuck: before any 'nova reset-state', run 'virsh -r list --all' on "
        "both hosts to see which one runs the domain.");
  }
  add_post_copy_guidance(v, inc);
  return v;
}

}  // namespace migsleuth::classifiers
