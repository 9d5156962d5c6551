// Roles from content, not from host names: the source is where the migration
// job runs (monitor, progress, "initiating migration"); the destination is
// where pre_live_migration and the pre-checks run and QEMU starts with
// -incoming. A destination that left no logs can still be named by the
// source's own lines ("Migrating instance to X", "qemu+tcp://X/system").
#include <algorithm>
#include <map>

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {
namespace {

bool is_source_side(event_kind k) noexcept { return traits(k).side == event_side::source; }

bool is_destination_side(event_kind k) noexcept {
  return traits(k).side == event_side::destination;
}

// The conductor orchestrates the pre-checks and logs their refusal through
// nova.scheduler.utils (set_vm_state_and_notify) or its own task loggers; that
// host is neither end of the move (a port binding refused for the destination
// is logged only there, NET-11). The API service (nova.api, nova.compute.api)
// logs the request that started it, under the same request id.
bool is_controller_logger(const event& ev) noexcept {
  return ev.logger.starts_with("nova.conductor") || ev.logger.starts_with("nova.scheduler") ||
         ev.logger.starts_with("nova.api") || ev.logger.starts_with("nova.osapi_compute") ||
         ev.logger.starts_with("nova.compute.api");
}

bool is_record(event_kind k) noexcept {
  return k == event_kind::server_record || k == event_kind::migration_record ||
         k == event_kind::hypervisor_record || k == event_kind::port_record;
}

std::string top_vote(const std::map<std::string, int>& votes, const std::string& exclude) {
  std::string best;
  int most = 0;
  for (const auto& [host, n] : votes) {
    if (host == exclude || host.empty()) continue;
    if (n > most) {
      best = host;
      most = n;
    }
  }
  return best;
}


// The host that held the instance last before the attempt began (periodic
// power-state sync lists only a host's own instances).
std::string host_holding(const instance_context& ctx, timestamp start, const std::string& not_host) {
  std::string found;
  for (const auto& ev : ctx.listings) {
    if (ev.host.empty() || ev.host == not_host) continue;
    if (start.known() && ev.time.known() && start < ev.time) continue;
    found = ev.host;  // listings are time-ordered: the last one wins
  }
  return found;
}

// What the QEMU logs say of the domain on each host, for a stuck attempt:
// before anyone resets the instance's state, it must be clear which host
// really runs it.
void note_domain_owners(incident& inc) {
  for (const std::string* host : {&inc.source, &inc.destination}) {
    if (host->empty()) continue;
    const event* last = nullptr;
    for (const auto& ev : inc.events) {
      const bool qemu = ev.kind == event_kind::qemu_started || ev.kind == event_kind::qemu_incoming ||
                        ev.kind == event_kind::qemu_shutdown ||
                        ev.kind == event_kind::qemu_migration_out;
      if (qemu && ev.host == *host) last = &ev;
    }
    const std::string role = host == &inc.source ? "source" : "destination";
    if (last == nullptr) {
      inc.notes.push_back("domain on the " + role + " " + *host +
                          ": no QEMU log line in the data; check with virsh -r list --all");
    } else if (last->kind == event_kind::qemu_shutdown) {
      inc.notes.push_back("domain on the " + role + " " + *host + ": shut down at " +
                          format_rfc3339(last->time) + " (" + last->message + ")");
    } else {
      inc.notes.push_back("domain on the " + role + " " + *host + ": QEMU still running at the "
                          "end of the data (last: " + std::string(to_string(last->kind)) + " at " +
                          format_rfc3339(last->time) + ")");
    }
  }
  inc.notes.push_back("verify which host really runs the domain (virsh -r list --all on both) "
                      "before any nova reset-state");
}

}  // namespace

bool same_first_label(const std::string& a, const std::string& b) noexcept {
  return !a.empty() && !b.empty() && !is_address(a) && !is_address(b) &&
         a.substr(0, a.find('.')) == b.substr(0, b.find('.'));
}

std::string known_host(const incident& inc, const instance_context& ctx, const std::string& name) {
  if (ctx.identities != nullptr && ctx.identities->knows_hosts()) {
    return ctx.identities->host(name);
  }
  for (const auto& ev : inc.events) {
    if (same_first_label(ev.host, name)) return ev.host;
  }
  return name;
}

void assign_roles(incident& inc, const instance_context& ctx) {
  const auto control_plane = [&ctx](const std::string& host) {
    return ctx.control_plane_hosts != nullptr &&
           std::find(ctx.control_plane_hosts->begin(), ctx.control_plane_hosts->end(), host) !=
               ctx.control_plane_hosts->end();
  };
  std::map<std::string, int> src, dst;
  std::map<std::string, int> hosts;
  for (const auto& ev : inc.events) {
    ++hosts[ev.host];
    if (is_source_side(ev.kind)) ++src[ev.host];
    if (is_destination_side(ev.kind) && !is_controller_logger(ev) && !control_plane(ev.host)) {
      ++dst[ev.host];
    }
  }
  inc.source = top_vote(src, {});
  if (!inc.source.empty()) inc.source_from = "source-side migration lines (monitor, progress, job)";
  inc.destination = top_vote(dst, inc.source);
  if (!inc.destination.empty()) {
    inc.destination_from = "destination-side lines (pre-checks, pre_live_migration, -incoming)";
  }
  if (inc.destination.empty() && !inc.request_id.empty()) {
    // Any line of the attempt's own request on another compute host (its
    // rollback, its rpc.server error, its port updates): nova runs an
    // attempt's request on its two computes and the conductor only.
    std::map<std::string, int> of_request;
    for (const auto& ev : inc.events) {
      if (ev.request_id != inc.request_id || ev.host.empty() || ev.host == inc.source ||
          is_controller_logger(ev) || is_record(ev.kind) || control_plane(ev.host)) {
        continue;
      }
      ++of_request[ev.host];
    }
    if (of_request.size() == 1) {
      inc.destination = of_request.begin()->first;
      inc.destination_from = "lines of the attempt's request " + inc.request_id +
                             " on a host other than the source";
    }
  }
  if (inc.destination.empty()) {
    for (const auto& ev : inc.events) {
      if (ev.host != inc.source || ev.host.empty()) continue;
      if (auto named = host_named_in(ev); !named.empty()) {
        inc.destination = known_host(inc, ctx, named);
        inc.destination_from = "named in a source line";
        break;
      }
    }
  }
  if (inc.source.empty()) {
    // Where the domain was running (its QEMU started without -incoming).
    for (const auto& ev : inc.events) {
      if (ev.kind == event_kind::qemu_started && ev.host != inc.destination && !ev.host.empty()) {
        inc.source = ev.host;
        inc.source_from = "the domain runs there (QEMU log, no -incoming)";
      }
    }
  }
  if (inc.source.empty()) {
    // Controller captures are not moments of the attempt: a port's
    // `updated_at` can be weeks older than the move.
    timestamp start;
    for (const auto& ev : inc.events) {
      if (ev.time.known() && !is_record(ev.kind)) {
        start = ev.time;
        break;
      }
    }
    if (auto held = host_holding(ctx, start, inc.destination); !held.empty()) {
      inc.source = held;
      inc.source_from = "the host's power-state sync listed the instance as its own before the "
                        "attempt";
    }
  }
  // A role the controller's migration record names is filled from it
  // (apply_records), so it is not reported missing.
  if (inc.source.empty() && !record_names_role(inc, "source_compute")) {
    inc.notes.push_back(
        "source host not identified: no source-side migration lines in the data (are the "
        "source's nova-compute logs in the bundle?)");
  }
  auto has_inputs = [&ctx](const std::string& host) {
    if (ctx.hosts_with_inputs == nullptr) return false;
    for (const auto& h : *ctx.hosts_with_inputs) {
      if (same_first_label(h, host)) return true;
    }
    return false;
  };
  auto note_silence = [&](const std::string& host, const char* role) {
    if (host.empty() || hosts.count(host) > 0) return;
    if (has_inputs(host)) {
      // Only WARNING+ and shaped lines are kept, so the host's DEBUG lines
      // may well name the instance (a source whose only part was a DEBUG
      // check). Counting those per host would need the parsers to count
      // them (identity links carry no host): say only what is known.
      inc.notes.push_back(std::string("the ") + role + " host '" + host +
                          "' has logs in the data, but no line migsleuth keeps from them "
                          "(WARNING or above, or a known migration step) names this attempt; "
                          "their DEBUG/INFO lines may still do");
    } else {
      inc.notes.push_back(std::string("no logs from the ") + role + " host '" + host +
                          "' in the data: " + role + "-side evidence may be missing");
    }
  };
  if (inc.destination.empty() && !record_names_role(inc, "dest_compute")) {
    inc.notes.push_back(
        "destination host not identified: no destination-side lines and the source names none");
  }
  note_silence(inc.destination, "destination");
  note_silence(inc.source, "source");
}

bool is_destination_rollback(const incident& inc, const event& ev) noexcept {
  // nova's teardown lines are generic; only the attempt's own request on its
  // destination makes one this attempt's rollback.
  return ev.kind == event_kind::rollback && !inc.request_id.empty() &&
         ev.request_id == inc.request_id && !inc.destination.empty() &&
         ev.host == inc.destination;
}

bool transfer_left_source(const incident& inc, const event& ev) noexcept {
  // A destination QEMU never logs reason=migrated for its incoming guest.
  return ev.kind == event_kind::qemu_shutdown && ev.value("reason") == "migrated" &&
         (inc.destination.empty() || ev.host != inc.destination);
}

void decide_outcome(incident& inc) {
  bool failure = false, success = false, timeout = false, started = false, error_line = false;
  // nova rolls the destination back only after a failed attempt (OK-04: no
  // "Rolling back" line exists, so the destination's teardown under the
  // attempt's request id is the failure signal when the source failed before
  // any libvirt job, e.g. a vif-plugged timeout).
  bool rolled_back = false;
  timestamp end, rollback_end;
  auto mark_end = [&end, &inc](const event& ev) {
    const timestamp t = corrected_time(inc, ev);
    if (t.known() && (!end.known() || end < t)) end = t;
  };
  for (const auto& ev : inc.events) {
    switch (ev.kind) {
      case event_kind::migration_failed:
      case event_kind::migration_aborted:
      case event_kind::precheck_failed:
        failure = true;
        mark_end(ev);
        break;
      case event_kind::migration_succeeded:
      case event_kind::dest_post_migration:
        success = true;
        mark_end(ev);
        break;
      case event_kind::migration_completed:
        success = success || ev.host == inc.source;
        mark_end(ev);
        break;
      case event_kind::migration_timeout:
        timeout = true;
        mark_end(ev);
        break;
      case event_kind::rollback:
        if (is_destination_rollback(inc, ev)) {
          rolled_back = true;
          const timestamp t = corrected_time(inc, ev);
          if (t.known() && (!rollback_end.known() || rollback_end < t)) rollback_end = t;
        }
        break;
      case event_kind::migration_started:
      case event_kind::migration_progress:
      case event_kind::postcopy_started:
      case event_kind::dest_pre_migration:
      case event_kind::pre_migration_done:
      case event_kind::qemu_migration_out:
        started = true;
        break;
      case event_kind::qemu_shutdown:
        // The source domain shut down because it migrated: the transfer
        // completed, so the attempt is not stuck whatever nova's lines lack.
        if (transfer_left_source(inc, ev)) {
          success = true;
          mark_end(ev);
        }
        break;
      // Kinds that say nothing of the outcome themselves: an ERROR line of the
      // attempt's own request still means something went wrong.
      case event_kind::log_line:
      case event_kind::task_pending:
      case event_kind::instance_listed:
      case event_kind::qemu_started:
      case event_kind::qemu_incoming:
      case event_kind::qemu_message:
      case event_kind::job_stats:
      case event_kind::server_record:
      case event_kind::migration_record:
      case event_kind::hypervisor_record:
      case event_kind::port_record:
      case event_kind::domain_state:
      case event_kind::other_operation:
      case event_kind::host_config:
        if (ev.level == "ERROR" && !inc.request_id.empty() && ev.request_id == inc.request_id) {
          error_line = true;
          mark_end(ev);
        }
        break;
    }
  }
  if (failure || (timeout && !success)) {
    inc.result = outcome::failed;
  } else if (success) {
    inc.result = outcome::succeeded;
  } else if (error_line || rolled_back) {
    inc.result = outcome::failed;
    if (!error_line) end = rollback_end;
  } else if (started) {
    inc.result = outcome::stuck;
    end = {};
    const event* last = nullptr;
    for (const auto& ev : inc.events) {
      if (ev.time.known()) last = &ev;
    }
    // A controller record that says how it ended wins (outcome_from_records):
    // then the logs' "never completed" is no note. Where the domain runs stays
    // either way: facts of the logs, worth checking before anyone resets it.
    if (last != nullptr && !recorded_outcome(inc, outcome::stuck)) {
      inc.notes.push_back("started but never completed nor rolled back within the data; last "
                          "line " + format_rfc3339(last->time) + " on " + last->host + " (" +
                          std::string(to_string(last->kind)) + ")");
    }
    note_domain_owners(inc);
  } else {
    inc.result = outcome::unknown;
    if (!recorded_outcome(inc, outcome::unknown)) {
      inc.notes.push_back("not enough evidence to tell how this attempt ended");
    }
  }
  inc.ended = end;
}

}  // namespace migsleuth::correlate
