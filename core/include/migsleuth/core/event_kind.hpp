// The vocabulary of events: what a line means for the migration story, and,
// in one row per kind, what correlate and the report need to know of it.
// Adding a kind is one enumerator and one row of kEventKindTraits (the
// static_assert below names a missing or misplaced row); every switch on
// event_kind is written without `default:`, so -Wswitch (an error in CI) names
// each one that must decide about the new kind. HACKING "Adding an event
// kind" walks through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace migsleuth {

// What a line means for the migration story. Shape files name these in
// `event:`; the spelling of to_string() is the YAML spelling.
enum class event_kind : std::uint8_t {
  log_line,                // a WARNING/ERROR line with no more specific shape
  migration_started,       // source: the live migration began
  migration_progress,      // source: "Migration running for N secs, memory N% remaining"
  migration_completed,     // source: the libvirt/QEMU job completed
  postcopy_started,        // source: the job switched to post-copy; the guest now runs on
                           // the destination, whatever happens next
  migration_succeeded,     // source: nova finished the whole move
  migration_failed,        // source: the operation failed
  migration_aborted,       // source: the monitor aborted/cancelled the job
  migration_timeout,       // source: completion/progress timeout hit
  precheck_failed,         // destination or controller: a pre-check refused the move
  dest_pre_migration,      // destination: pre_live_migration ran
  pre_migration_done,      // source: the destination's pre_live_migration returned (nova >= 18
                           // logs it at INFO, so it is there when debug is off); names `dest`
  dest_post_migration,     // destination: post live migration started
  rollback,                // either side: rollback / cleanup after failure
  task_pending,            // power-state sync skipped: task_state still set
  instance_listed,         // the host's periodic tasks list the instance as its own
  qemu_started,            // QEMU process started (any role)
  qemu_incoming,           // QEMU started with -incoming: migration destination
  qemu_migration_out,      // libvirt: "initiating migration"
  qemu_shutdown,           // libvirt: "shutting down[, reason=...]"
  qemu_message,            // QEMU stderr line (warnings, load errors)
  job_stats,               // migration job counters: virsh domjobinfo, libvirtd query-migrate
  server_record,           // `openstack server show -f json`: one server
  migration_record,        // `openstack server migration list -f json`: one migration
  hypervisor_record,       // `openstack hypervisor show -f json`: host + cpu_info
  port_record,             // `openstack port show -f json`: one neutron port
  domain_state,            // `virsh list --all`: one row (domain, state)
  other_operation,         // a line that belongs to another nova operation (a build that
                           // failed to spawn): its errors are not a migration's
  host_config,             // the service's own configuration as logged at start (oslo.config
                           // log_opt_values): host, my_ip, live_migration_inbound_addr; names
                           // of the host, read by correlate's host_index and then dropped
};

// Which end of the move writes lines of a kind: its lines vote for that host's
// role (correlate/roles.cpp). `either` is a kind both ends or the controller
// write (a rollback, a QEMU message), which says nothing about the role.
enum class event_side : std::uint8_t { either, source, destination };

struct event_kind_traits {
  event_kind kind;
  std::string_view name;     // the YAML (shape `event:`) and JSON spelling
  event_side side;           // who writes it (roles)
  bool marks_migration;      // an attempt is rebuilt around it (correlate/attempts.cpp);
                             // a migration record marks one only for type live-migration
  bool milestone;            // a step of the story the report lists on its own
  bool failure;              // where an attempt failed (the report's failure point)
};

// One row per kind, in the enum's order.
inline constexpr event_kind_traits kEventKindTraits[] = {
    // kind                               name                   side                     marks  milestone failure
    {event_kind::log_line,            "log_line",            event_side::either,      false, false, false},
    {event_kind::migration_started,   "migration_started",   event_side::source,      true,  true,  false},
    {event_kind::migration_progress,  "migration_progress",  event_side::source,      true,  false, false},
    {event_kind::migration_completed, "migration_completed", event_side::source,      true,  true,  false},
    {event_kind::postcopy_started,    "postcopy_started",    event_side::source,      true,  true,  false},
    {event_kind::migration_succeeded, "migration_succeeded", event_side::source,      true,  true,  false},
    {event_kind::migration_failed,    "migration_failed",    event_side::source,      true,  true,  true},
    {event_kind::migration_aborted,   "migration_aborted",   event_side::source,      true,  true,  true},
    {event_kind::migration_timeout,   "migration_timeout",   event_side::source,      true,  true,  true},
    {event_kind::precheck_failed,     "precheck_failed",     event_side::destination, true,  true,  true},
    {event_kind::dest_pre_migration,  "dest_pre_migration",  event_side::destination, true,  true,  false},
    {event_kind::pre_migration_done,  "pre_migration_done",  event_side::source,      true,  true,  false},
    {event_kind::dest_post_migration, "dest_post_migration", event_side::destination, true,  true,  false},
    {event_kind::rollback,            "rollback",            event_side::either,      false, true,  false},
    {event_kind::task_pending,        "task_pending",        event_side::either,      false, false, false},
    {event_kind::instance_listed,     "instance_listed",     event_side::either,      false, false, false},
    {event_kind::qemu_started,        "qemu_started",        event_side::either,      false, false, false},
    {event_kind::qemu_incoming,       "qemu_incoming",       event_side::destination, true,  true,  false},
    {event_kind::qemu_migration_out,  "qemu_migration_out",  event_side::source,      true,  true,  false},
    {event_kind::qemu_shutdown,       "qemu_shutdown",       event_side::either,      false, true,  false},
    {event_kind::qemu_message,        "qemu_message",        event_side::either,      false, false, false},
    {event_kind::job_stats,           "job_stats",           event_side::either,      false, false, false},
    {event_kind::server_record,       "server_record",       event_side::either,      false, true,  false},
    {event_kind::migration_record,    "migration_record",    event_side::either,      true,  true,  false},
    {event_kind::hypervisor_record,   "hypervisor_record",   event_side::either,      false, false, false},
    {event_kind::port_record,         "port_record",         event_side::either,      false, false, false},
    {event_kind::domain_state,        "domain_state",        event_side::either,      false, false, false},
    {event_kind::other_operation,     "other_operation",     event_side::either,      false, false, false},
    {event_kind::host_config,         "host_config",         event_side::either,      false, false, false},
};

inline constexpr std::size_t kEventKindCount = std::size(kEventKindTraits);

constexpr bool event_kind_rows_in_order() {
  for (std::size_t i = 0; i < kEventKindCount; ++i) {
    if (static_cast<std::size_t>(kEventKindTraits[i].kind) != i) return false;
  }
  return static_cast<std::size_t>(event_kind::host_config) + 1 == kEventKindCount;
}
static_assert(event_kind_rows_in_order(),
              "kEventKindTraits needs one row per event_kind, in the enum's order "
              "(and host_config above must stay the last enumerator)");

constexpr const event_kind_traits& traits(event_kind k) noexcept {
  return kEventKindTraits[static_cast<std::size_t>(k)];
}

}  // namespace migsleuth
