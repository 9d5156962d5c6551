// What the human-facing writers (text, markdown, html) share: counts, times
// and durations, the skew-corrected time of an event, each event's lane, the
// failure point, log-line elision and confirm-command grouping. Keeping it in
// one place keeps the three formats telling the same story.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/report/report.hpp"

namespace migsleuth::report {

struct report_counts {
  std::size_t inputs = 0;
  std::uint64_t warnings = 0;
  std::uint64_t skipped_lines = 0;
  std::size_t incidents = 0;
  std::size_t failed = 0;
  std::map<std::string, std::size_t> by_class;  // not-succeeded incidents per class
};
report_counts count(const report_data& r);

// With no incident and no finding: what was read, which kinds, what is
// missing (findings_render.cpp). Empty otherwise.
std::vector<std::string> nothing_found_lines(const report_data& r);

// One line per host the data names in more than one way: "cmp-07 (also
// 10.0.0.7, cmp-07.example.net)". The report uses the first name everywhere.
std::vector<std::string> host_alias_lines(const report_data& r);

// A finding's lines, commands and remediation in a verdict, so the incident
// block's evidence and action writers show them.
verdict shown_as_verdict(const loose_finding& lf);

// How the message catalog read the decisive line, for the human formats:
// "nova > libvirt > qemu: decided by qemu.vfio.x ('...')" or "" when the
// catalog knew none of it. `inferred` adds that the class is the mechanism's.
std::string decoded_text(const std::vector<decoded_layer>& layers, bool inferred);

// "2024-06-18T13:05:01.321000Z", or "?" when unknown.
std::string when(timestamp t);
// "2024-06-18 13:05:01.321" (milliseconds, no zone letter) for tables.
std::string short_time(timestamp t);
// "13 min 23 s", "3 s", "5 ms", or "" when either end is unknown.
std::string duration_text(timestamp from, timestamp to);

std::string input_path(std::span<const input> inputs, source_ref where);

// The lane an event belongs to: source, destination, controller (openstack
// records, and lines of a host that is neither end and logged as
// nova-conductor / nova-scheduler in this attempt), other (a third host) or
// unknown (no host). The JSON timeline's `role` is lane_name() of it.
enum class lane : std::uint8_t { source, destination, controller, other, unknown };
bool is_openstack_record(event_kind k) noexcept;  // server/migration/port/hypervisor show
lane lane_of(const incident& inc, const event& ev);
std::string_view lane_name(lane l) noexcept;
// "the source", "the destination", "the controller", "another host", "a host
// not identified": for "failed at ... on <phrase>".
std::string_view lane_phrase(lane l) noexcept;

// What the human formats print instead of a host nobody could identify, so
// a blank cell never passes for a value: "(destination host not identified)"
// for lane::destination, "(source host not identified)" for lane::source,
// "(host not identified)" otherwise. Unescaped: plain ASCII.
std::string_view host_not_identified(lane l) noexcept;


// Where it went wrong: the first failure, abort, refused pre-check or timeout;
// else nullptr (the writers then point at the first evidence line).
const event* failure_point(const incident& inc);

// Lines from logs are long: the oslo user identity the parser found in the
// line (`user_identity`, event.hpp: "[req-X <user> <project> - default
// default]") is folded to "[req-X ...]" and oslo's DEBUG suffix
// (" func /path/x.py:123") dropped first, then the middle is elided, on
// UTF-8 boundaries, so the head (when, who) and the tail (the message: why)
// stay. A text with no such span (a decoded message layer) is only elided.
// Returns raw text: escape it for the target format afterwards.
std::string elide_line(std::string_view line, std::size_t max_bytes,
                       text_span user_identity = {});

// The field a JSON capture's evidence line holds, in words: "Status: error
// of migration 4412 (key path [0].Status)"; "" for a log line. Raw text.
// cited_key is the key itself ("Status"), the last step of the key path.
std::string cited_text(const cited_field& f);
std::string cited_key(const cited_field& f);

// "source (cmp-a)", "destination (cmp-b)", "both hosts", "the controller".
std::string where_label(run_where w, const incident& inc);
// Confirm commands in a fixed order of places, each group in rule order.
struct command_group {
  run_where where;
  std::vector<const confirm_command*> commands;
};
std::vector<command_group> group_commands(const verdict& v);

// What the confirm commands are written for, per host of `names` (source,
// destination): "cmp-a, cmp-b: TripleO/RHOSP containers (logs under
// var/log/containers/nova/ (TripleO/RHOSP))"; empty when no host is known.
std::string deployment_text(std::span<const host_deployment> hosts,
                            std::span<const std::string> names);

// "failed", "succeeded", ... with the class, cause and confidence when not a success.
std::string verdict_line(const incident& inc, const verdict& v);

// Where the attempt got to and where the guest is, for the human formats:
// "stuck (post-copy); switched to post-copy at 2024-07-15T16:03:36.967Z; guest on cmp-2".
// Empty when nothing is known.
std::string state_text(const incident& inc);

// Events a reader needs to follow the story (start, pre-checks, failure,
// rollback, completion, QEMU start/stop), without progress lines and noise.
bool is_milestone(event_kind k) noexcept;

}  // namespace migsleuth::report
