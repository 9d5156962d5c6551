#include "migsleuth/pipeline/pipeline.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

// glibc's own allocator, not a sanitizer's: malloc_trim walks glibc's arenas,
// which under ASan (its allocator replaces malloc) are not set up.
#if defined(__GLIBC__)
#define MIGSLEUTH_GLIBC_MALLOC 1
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#undef MIGSLEUTH_GLIBC_MALLOC
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#undef MIGSLEUTH_GLIBC_MALLOC
#endif
#endif
#ifdef MIGSLEUTH_GLIBC_MALLOC
#include <malloc.h>
#endif

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/classifiers/deployment.hpp"
#include "migsleuth/core/text.hpp"
#include "migsleuth/correlate/usable_events.hpp"
#include "migsleuth/ingest/ingested.hpp"
#include "migsleuth/preflight/preflight.hpp"

namespace migsleuth::pipeline {
namespace {

// Preflight's CPU comparison of an attempt's two hosts, as facts the cause
// rules quote (`quotes: [cpu.host_diff]`, rules/README.md "Facts"): when the
// bundle holds both hosts' CPU captures (hypervisor show cpu_info, virsh
// capabilities / domcapabilities), the missing features and the baseline
// model (README "Preflight"). Computed here, before classification, because
// classifiers sit below preflight; here, so that analyze and scan say the same.
class cpu_facts final : public classifiers::fact_provider {
 public:
  explicit cpu_facts(preflight::fleet hosts) : hosts_(std::move(hosts)) {}

  void add_facts(const incident& inc, classifiers::fact_set& out) const override {
    if (hosts_.hosts.size() < 2) return;
    // explain_pair compares whole feature sets and CPU models: once a pair.
    const std::lock_guard<std::mutex> lock(mutex_);
    auto key = std::make_pair(inc.source, inc.destination);
    auto it = by_pair_.find(key);
    if (it == by_pair_.end()) it = by_pair_.emplace(std::move(key), facts_of(inc)).first;
    out.insert(out.end(), it->second.begin(), it->second.end());
  }

 private:
  classifiers::fact_set facts_of(const incident& inc) const {
    classifiers::fact_set out;
    const auto e = preflight::explain_pair(hosts_, inc.source, inc.destination);
    if (!e.known) return out;
    classifiers::fact diff = classifiers::text_fact("cpu.host_diff", e.sentence);
    if (auto c = classifiers::make_confirm_command("virsh -r domcapabilities", {})) {
      diff.confirm.push_back({run_where::destination, std::move(*c),
                              "usable CPU models and their blockers on the destination"});
    }
    if (auto c = classifiers::make_confirm_command(
            "openstack hypervisor show {source} -c cpu_info -f json", {{"source", inc.source}})) {
      diff.confirm.push_back({run_where::controller, std::move(*c),
                              "the source CPU that nova compares with the destination"});
    }
    out.push_back(std::move(diff));
    std::string missing;
    for (const auto& feature : e.missing_passthrough) {
      missing += (missing.empty() ? "" : ", ") + feature;
    }
    if (!missing.empty()) out.push_back(classifiers::text_fact("cpu.missing_features", missing));
    if (!e.baseline_model.empty()) {
      out.push_back(classifiers::text_fact("cpu.baseline_model", e.baseline_model));
    }
    return out;
  }

  preflight::fleet hosts_;
  mutable std::mutex mutex_;
  mutable std::map<std::pair<std::string, std::string>, classifiers::fact_set> by_pair_;
};

// Hosts whose nova logs are all of control-plane services, by file name
// (nova-conductor.log, nova-scheduler.log, nova-api.log; rotations too), and
// that hold no compute-side input (nova-compute, libvirt, QEMU).
std::vector<std::string> control_plane_hosts(const std::vector<input>& inputs) {
  std::set<std::string> control, compute;
  for (const auto& in : inputs) {
    if (in.host.empty() || in.kind == input_kind::unrecognized) continue;
    const std::string path = in.path.str();
    const std::string_view name = input_file_name(path);
    const bool service_log = name.starts_with("nova-conductor") ||
                             name.starts_with("nova-scheduler") || name.starts_with("nova-api");
    if (in.kind == input_kind::nova_compute && service_log) {
      control.insert(in.host);
    } else if (in.kind == input_kind::nova_compute || in.kind == input_kind::qemu_domain ||
               in.kind == input_kind::libvirtd) {
      compute.insert(in.host);
    }
  }
  std::vector<std::string> out;
  for (const auto& h : control) {
    if (compute.count(h) == 0) out.push_back(h);
  }
  return out;
}

analysis cancelled_run() {
  analysis a;
  a.cancelled = true;
  return a;
}

// "migrat" in any case: Migration, live_migration, MigrationPreCheckError,
// "job 'migration out'", "Unable to migrate".
bool speaks_of_migration(std::string_view line) {
  return find_ignoring_case(line, "migrat") != std::string_view::npos;
}

}  // namespace

rule_packs load_rules(const std::vector<std::string>& extra_dirs, diags& errors) {
  rule_packs r;
  r.shapes = parsers::shape_set::load(extra_dirs, errors);
  r.causes =
      classifiers::rule_book::load(extra_dirs, errors, classifiers::pack_checks::trust_embedded);
  return r;
}

analysis run(const ingest::ingest_options& options, correlate::options co,
             const rule_packs& rules, std::optional<deployment_kind> deployment) {
  ingest::ingest_options in = options;
  if (!in.keep_text) {
    in.keep_text = [](std::string_view path, std::string_view head) {
      return preflight::is_cpu_capture(path, head);
    };
  }
  in.fragment_filter = [&rules](std::string_view line) {
    return rules.causes.recognisable_hints(line);
  };
  // A log line of an instance with no migration line is a finding only when
  // it speaks of a migration: the same wordings come from builds (a vif-plug
  // timeout while spawning), starts and reboots, which are not this tool's.
  in.keep_for_findings = [&rules](std::string_view line) {
    return speaks_of_migration(line) && rules.causes.may_recognise_fragment(line);
  };
  // A QEMU boot or a nova teardown line about an instance waits on disk
  // until correlate knows the instance migrated, unless something reads it
  // anyway: a loose finding (its text or message, whichever a rule
  // matches), a host's name, a deployment's sign.
  in.needed_anyway = [&rules](const event& ev) {
    const auto worded = [&] {
      // Another operation's line is read by loose findings only as a mark
      // (marks_operation below), not for its wording.
      if (ev.kind == event_kind::other_operation) return false;
      if (rules.causes.may_recognise_fragment(ev.text)) return true;
      // Hints are literals: a message found inside its line's text holds no
      // hint the text lacks, and each test costs every rule's hints.
      return ev.text.find(ev.message) == std::string::npos &&
             rules.causes.may_recognise_fragment(ev.message);
    };
    return worded() || correlate::names_a_host(ev) || classifiers::shows_deployment(ev);
  };
  // A build's failure line about an instance that never migrated tells loose
  // findings that the instance's errors on that host are the build's: the
  // group of lines is skipped, whichever and however many such lines it
  // holds. So one per host and instance waits in memory; the others on disk,
  // read back only inside an attempt of a migrating instance.
  in.marks_operation = [&rules](const event& ev) {
    return rules.causes.may_recognise_loose(ev);
  };
  const auto stop = [&] { return ingest::cancel_requested(in); };
  // Ingest's events behind one interface, their identities resolved once
  // (HACKING "Identity index"); correlate pulls from it the lines it may
  // use and joins host names over them: a deferred line about an instance
  // that never migrated is never decoded. A line that may become a finding
  // was not deferred: ingest_options::keep_for_findings kept it in memory.
  ingest::ingested data = ingest::ingest_events(in, rules.shapes);
#ifdef MIGSLEUTH_GLIBC_MALLOC
  // The reading threads' allocator arenas hold what parsing freed: pages that
  // stay resident through correlate, where the peak of a large bundle is,
  // unless given back now (3.7 MiB of a 4 GiB sos fleet's 51).
  malloc_trim(0);
#endif
  if (data.cancelled() || stop()) return cancelled_run();
  correlate::usable_events usable(data, data.inputs());
  if (stop()) return cancelled_run();
  // Each host once: a million files of ten hosts are ten names, not a
  // million copies (correlate only asks whether a host is among them).
  std::set<std::string> with_inputs;
  for (const auto& input : data.inputs()) {
    if (!input.host.empty() && input.kind != input_kind::unrecognized) {
      with_inputs.emplace(input.host);
    }
  }
  co.hosts_with_inputs.assign(with_inputs.begin(), with_inputs.end());
  co.control_plane_hosts = control_plane_hosts(data.inputs());
  analysis out;
  out.hosts = usable.hosts().identities();
  out.host_refusals = usable.hosts().refusals();
  out.deployments = classifiers::detect_deployments(data.inputs(), usable.events());
  if (deployment) classifiers::force_deployment(out.deployments, *deployment);
  // --instance is applied here rather than in correlate, so that the
  // attempts it did not select can be listed when it selects none.
  correlate::options every = co;
  every.instance.clear();
  // --instance/--since/--until select attempts; loose lines have none to
  // select, so none are gathered (they were every line of every other instance).
  const bool selecting = !co.instance.empty() || co.since.known() || co.until.known();
  std::vector<event> loose;
  out.incidents = usable.correlate(every, selecting ? nullptr : &loose);
  std::set<std::string> attempted;
  for (const auto& inc : out.incidents) {
    attempted.insert(inc.domain.empty() ? inc.instance : inc.instance + " (" + inc.domain + ")");
  }
  out.attempted.assign(attempted.begin(), attempted.end());
  if (!co.instance.empty()) {
    std::erase_if(out.incidents, [&co](const incident& inc) {
      return co.instance != inc.instance && co.instance != inc.domain;
    });
  }
  out.verdicts.reserve(out.incidents.size());
  const cpu_facts cpus(preflight::facts_from(data.inputs(), data.kept(), data.identities()));
  for (const auto& inc : out.incidents) {
    if (stop()) return cancelled_run();
    out.verdicts.push_back(rules.causes.classify(inc, data.inputs(), &cpus));
  }
  if (!selecting) {
    out.findings = rules.causes.loose_findings(std::move(loose), data.inputs());
  }
  out.inputs = std::move(data.inputs());
  out.kept = std::move(data.kept());
  out.any_unreadable = data.any_unreadable();
  out.identities = std::move(data.identities());
  classifiers::render_for_deployments(out.incidents, out.verdicts, out.findings, out.deployments);
  return out;
}

}  // namespace migsleuth::pipeline
