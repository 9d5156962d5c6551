// Where an attempt got to, walked line by line through the states of
// HACKING.md "Attempt states", after decide_outcome() has said how it ended.
//
// Two facts change what an operator may safely do, and only the walk sees them:
// - post-copy: once the job switched (nova's "Switching to post-copy migration
//   mode", the lifecycle event "VM Postcopy started", a migration record in
//   'running (post-copy)'), the guest runs on the destination and pulls its
//   memory from the source. A stall after that is not a pre-copy that can be
//   abandoned: the guest is on the destination and the source copy is stale.
// - a completed transfer: the source QEMU shutting down with reason=migrated
//   (or the libvirt job completing) means the guest left the source; the
//   attempt is then never `stuck`, whatever nova's own lines are missing.
#include <algorithm>
#include <string>

#include "internal.hpp"

namespace migsleuth::correlate {
namespace {

bool later(timestamp a, timestamp b) { return a.known() && (!b.known() || b < a); }

bool has_kind(const incident& inc, event_kind k) {
  return std::any_of(inc.events.begin(), inc.events.end(),
                     [k](const event& ev) { return ev.kind == k; });
}

struct walk {
  attempt_phase reached = attempt_phase::unknown;
  timestamp post_copy_at;       // the first line that shows the switch
  const event* post_copy_line = nullptr;
  const event* transfer_done = nullptr;  // the first line that shows the guest left

  void reach(attempt_phase p) {
    if (reached == attempt_phase::unknown || static_cast<int>(reached) < static_cast<int>(p)) {
      reached = p;
    }
  }
};

walk walk_events(const incident& inc) {
  walk w;
  for (const auto& ev : inc.events) {
    const timestamp t = corrected_time(inc, ev);
    switch (ev.kind) {
      case event_kind::precheck_failed:
        w.reach(attempt_phase::requested);
        break;
      case event_kind::dest_pre_migration:
      case event_kind::pre_migration_done:
        w.reach(attempt_phase::prechecked);
        break;
      case event_kind::migration_started:
      case event_kind::migration_progress:
      case event_kind::qemu_migration_out:
      case event_kind::qemu_incoming:
        w.reach(attempt_phase::transferring);
        break;
      case event_kind::postcopy_started:
        w.reach(attempt_phase::post_copy);
        if (w.post_copy_line == nullptr) {
          w.post_copy_line = &ev;
          w.post_copy_at = t;
        }
        break;
      case event_kind::migration_completed:
      case event_kind::dest_post_migration:
      case event_kind::migration_succeeded:
        w.reach(attempt_phase::completing);
        if (w.transfer_done == nullptr) w.transfer_done = &ev;
        break;
      case event_kind::qemu_shutdown:
        if (transfer_left_source(inc, ev)) {
          w.reach(attempt_phase::completing);
          if (w.transfer_done == nullptr) w.transfer_done = &ev;
        }
        break;
      case event_kind::migration_record:
        if (ev.value("status") == "running (post-copy)") {
          w.reach(attempt_phase::post_copy);
          if (w.post_copy_line == nullptr) w.post_copy_line = &ev;
        }
        break;
      case event_kind::migration_failed:
      case event_kind::migration_aborted:
      case event_kind::migration_timeout:
      case event_kind::log_line:
      case event_kind::rollback:
      case event_kind::task_pending:
      case event_kind::instance_listed:
      case event_kind::qemu_started:
      case event_kind::qemu_message:
      case event_kind::job_stats:
      case event_kind::server_record:
      case event_kind::hypervisor_record:
      case event_kind::port_record:
      case event_kind::domain_state:
      case event_kind::other_operation:
      case event_kind::host_config:
        break;
    }
  }
  return w;
}

std::string where_line(const event& ev) {
  std::string s = "on " + (ev.host.empty() ? std::string("an unattributed host") : ev.host);
  if (ev.time.known()) s += " at " + format_rfc3339(ev.time);
  return s;
}

std::string named(const std::string& host, const char* role) {
  return host.empty() ? std::string("the ") + role + " (not identified)" : host;
}

void settle_post_copy(incident& inc, const walk& w) {
  inc.post_copy = true;
  inc.post_copy_at = w.post_copy_at;
  inc.guest_host = inc.destination;
  const std::string dest = named(inc.destination, "destination");
  const std::string switched = "switched to post-copy " + where_line(*w.post_copy_line);
  switch (inc.result) {
    case outcome::succeeded:
      inc.phase = attempt_phase::succeeded;
      inc.notes.push_back("completed in post-copy (" + switched + ")");
      return;
    case outcome::failed: {
      inc.phase = attempt_phase::failed;
      std::string note =
          "failed after the job " + switched + ": from that moment the guest ran on " + dest +
          " and pulled its memory from the source, so it may now be paused or lost there and "
          "the source's copy is stale; find which host holds the running domain (virsh -r "
          "domstate on both) before any reset, destroy or new migration";
      // nova's rollback does not know about post-copy: it tears the
      // destination down as after any failure, and that is where the guest ran.
      for (const auto& ev : inc.events) {
        if (is_destination_rollback(inc, ev) && !later(w.post_copy_at, corrected_time(inc, ev))) {
          note += "; nova then rolled the destination back (" + where_line(ev) +
                  "), which stops the guest that ran there: its memory since the switch may be "
                  "lost";
          break;
        }
      }
      inc.notes.push_back(std::move(note));
      return;
    }
    case outcome::stuck:
    case outcome::unknown:
      inc.phase = inc.result == outcome::stuck ? attempt_phase::stuck_post_copy
                                               : attempt_phase::post_copy;
      inc.notes.push_back(
          "stuck in post-copy: the job " + switched + " and never completed within the data; "
          "the guest runs on " + dest + " while its memory is still pulled from the source, so "
          "neither host may be reset or destroyed: stopping the source loses the guest");
      return;
  }
}

// nova's own end of the move: post_live_migration on either side, or its
// migration record saying 'completed'.
bool nova_ended(const incident& inc) {
  return has_kind(inc, event_kind::migration_succeeded) ||
         has_kind(inc, event_kind::dest_post_migration) ||
         std::any_of(inc.events.begin(), inc.events.end(), [](const event& ev) {
           return ev.kind == event_kind::migration_record && ev.value("status") == "completed";
         });
}

}  // namespace

void settle_phase(incident& inc) {
  const walk w = walk_events(inc);
  if (w.post_copy_line != nullptr) {
    settle_post_copy(inc, w);
    return;
  }
  switch (inc.result) {
    case outcome::succeeded:
      // nova's own end of the move (post_live_migration on either side) or
      // only the transfer's: "completing" says which steps are not in the data.
      inc.phase = nova_ended(inc) ? attempt_phase::succeeded : attempt_phase::completing;
      if (inc.phase == attempt_phase::completing && w.transfer_done != nullptr) {
        inc.notes.push_back("the transfer completed (" +
                            std::string(to_string(w.transfer_done->kind)) + " " +
                            where_line(*w.transfer_done) +
                            "); nova's own end of the move is not in the data: the source's "
                            "nova-compute log would show whether its post-migration steps ran");
      }
      inc.guest_host = inc.destination;
      return;
    case outcome::failed:
      // Before the switch to post-copy a failed job leaves the guest where it
      // was: libvirt resumes it on the source.
      inc.phase = std::any_of(inc.events.begin(), inc.events.end(),
                              [&inc](const event& ev) { return is_destination_rollback(inc, ev); })
                      ? attempt_phase::rolled_back
                      : attempt_phase::failed;
      inc.guest_host = inc.source;
      return;
    case outcome::stuck:
      inc.phase = attempt_phase::stuck_pre_copy;
      inc.guest_host = inc.source;
      return;
    case outcome::unknown:
      inc.phase = w.reached;
      return;
  }
}

}  // namespace migsleuth::correlate
