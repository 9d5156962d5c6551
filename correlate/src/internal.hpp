// Private steps of correlate(), each testable on its own.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/correlate/host_index.hpp"

namespace migsleuth::correlate {

// True for event kinds that only happen during a live migration.
bool is_migration_marker(const event& ev) noexcept;

// The power-state sync skipped the instance because a migration is still its
// task: the one kind of line that belongs to an attempt past its tail.
bool shows_migration_pending(const event& ev) noexcept;

// One instance's attempts as its migration lines define them (attempt_plan.cpp):
// one per request id seen on a migration line, or a single one without, in
// order of first line. A line of an attempt's request is that attempt's; any
// other line joins the latest attempt started by its time, if it falls from
// kAttemptLeadSeconds before that attempt's first migration line to
// kAttemptTailSeconds after its last (a pending-migration sync at any time).
class attempt_plan {
 public:
  struct attempt {
    std::string request_id;
    timestamp first;        // its first migration line of its request
    timestamp last_marker;  // its last migration line, of its request or joined by time
  };
  explicit attempt_plan(std::span<const event* const> markers);
  [[nodiscard]] const std::vector<attempt>& attempts() const noexcept { return attempts_; }
  // Index of the attempt `ev` belongs to, or nullopt: no attempt's.
  [[nodiscard]] std::optional<std::size_t> place(const event& ev) const;

 private:
  [[nodiscard]] std::optional<std::size_t> of_request(const std::string& request_id) const;
  [[nodiscard]] std::size_t home_of(timestamp t) const;
  std::vector<attempt> attempts_;
};

// An instance_listed line as the one question asked of it needs it ("which
// host held the instance last before a moment"): its host and time, and
// where it was read, which orders lines of one time. An instance listed by
// every host it lived on, in every rotated file, is thousands of these: a
// whole event each was most of a large bundle's memory at its peak.
struct listing {
  timestamp time;
  std::string host;
  source_ref where;
};

// What is known of an instance outside any one attempt.
struct instance_context {
  std::string domain;            // libvirt domain name, from any QEMU log
  std::vector<listing> listings;  // instance_listed: a host held the instance then
  const std::vector<std::string>* hosts_with_inputs = nullptr;  // null: not known
  // Host names (identity_index::host); null or none learnt: names matched by first label.
  const identity_index* identities = nullptr;
  // The instance's attempts as line_filter planned them; null: split_attempts plans.
  const attempt_plan* plan = nullptr;
  const std::vector<std::string>* control_plane_hosts = nullptr;  // null: none known
};

// The host of the data that `name` (from a line or a record) refers to:
// through the host index when there is one, else the host of `inc`'s
// events with the same first label, else `name`.
std::string known_host(const incident& inc, const instance_context& ctx, const std::string& name);

// Two spellings of one host's name by their first label (cmp-07,
// cmp-07.example.net); for data without a host index.
bool same_first_label(const std::string& a, const std::string& b) noexcept;

// Of time-ordered listings, keeps the first and last of each run of one
// host's: which host listed the instance last before a moment (the only
// question asked of them) has the same answer, and an instance listed every
// 10 minutes in 20,000 rotated files no longer costs a pair per file.
void keep_run_ends(std::vector<listing>& listings);
// Orders listings as sort_events orders the events they were made from.
void sort_listings(std::vector<listing>& listings);

// Splits one instance's time-ordered events into attempts.
std::vector<incident> split_attempts(const std::string& instance, std::vector<event> events,
                                     const instance_context& ctx);

// Decides source, destination and outcome of one attempt; adds notes.
void assign_roles(incident& inc, const instance_context& ctx);
void decide_outcome(incident& inc);
// The destination's teardown under the attempt's own request id.
bool is_destination_rollback(const incident& inc, const event& ev) noexcept;
// The source QEMU shut down with reason=migrated: the guest left the source.
bool transfer_left_source(const incident& inc, const event& ev) noexcept;

// Controller-side records (records.cpp): migration id, roles the logs left
// open, notes; the migration status as a last resort for the outcome.
// Notes are written once the records are known, never taken back: roles
// and outcome ask record_names_role() / recorded_outcome() before noting a
// gap the records fill.
void apply_records(incident& inc, const instance_context& ctx);
void outcome_from_records(incident& inc);
// The attempt's migration record names `field` (source_compute, dest_compute).
bool record_names_role(const incident& inc, std::string_view field);
// The outcome the records turn `from_logs` (unknown or stuck) into, if any.
std::optional<outcome> recorded_outcome(const incident& inc, outcome from_logs);

// The attempt's state (attempt_state.cpp): walks its lines through the
// states of HACKING.md "Attempt states" once the outcome is known; sets the
// phase, the post-copy switch and where the guest runs, and corrects the
// outcome where a line proves more (post-copy, a completed transfer).
void settle_phase(incident& inc);

// Lines that name no instance, no domain and no request tied to one
// instance (unowned.cpp): WARNING and above, or any shaped line, with a time
// and a host.
bool is_unowned(const event& ev) noexcept;
// The same kind of line with no host either (standard input, a file with no
// host folder): nothing joins it to an attempt; it can only be loose.
bool is_hostless_unowned(const event& ev) noexcept;
// Joins each of events[unowned] to the one attempt whose span (plus a small
// margin) on its source or destination holds it, marking it linked_by_time;
// to none when several do. Adds notes saying what was joined or left out.
// Roles and outcomes must be decided before: these lines never change them.
// Returns the indexes of the unowned lines no attempt took. Then the lines
// `later` hands over (event_source::take_unowned: no rule reads them alone)
// are joined the same way, one at a time; those no attempt takes are
// dropped. An attempt's joined lines keep the order they were read in.
std::vector<std::size_t> attach_unowned(std::vector<incident>& incidents,
                                        std::vector<event>& events,
                                        std::span<const std::size_t> unowned,
                                        const later_unowned& later = {});

// Orders by time (unknown last), then host, input and line.
void sort_events(std::vector<event>& events);

// Bounds the destination's clock offset from ordered cross-host pairs and
// decides whether to apply it (clock.cpp); corrected_time() (core/incident.hpp)
// applies it.
void estimate_skew(incident& inc);
// Re-sorts an incident's events on corrected times.
void sort_corrected(incident& inc);

}  // namespace migsleuth::correlate
