// The values the code reads from events that shapes (rules/shapes/*.yaml)
// capture: one row per event kind and named group, with who reads it. The
// names are the contract between a shape's regex and the code, so they are
// written once, here. The shape loader (parsers/shapes/shape_loader.cpp)
// refuses a named group no row declares for the shape's event (a typo or a
// rename in YAML), and a loaded set in which no shape captures a row's value
// (a rename in C++ or a shape removed): either used to read as empty, and a
// number as 0, with no error. Adding a capture is one row here, the group in
// the shape, and the read through the constant (HACKING "Adding a capture").
//
// Values that C++ parsers set themselves (job statistics, controller
// records, QEMU command lines) are written and read by code on both sides:
// they need no loader check.
#pragma once

#include <string_view>

#include "migsleuth/core/event_kind.hpp"

namespace migsleuth {
namespace capture {
// migration_progress: "Migration running for N secs, memory P% remaining
// (bytes processed=N, remaining=N, total=N)".
inline constexpr std::string_view secs = "secs";
inline constexpr std::string_view mem_pct = "mem_pct";
inline constexpr std::string_view mem_processed = "mem_processed";
inline constexpr std::string_view mem_remaining = "mem_remaining";
inline constexpr std::string_view mem_total = "mem_total";
// task_pending: the task nova's power-state sync found ("migrating").
inline constexpr std::string_view task = "task";
// instance_listed: the instance a host's sync lists as its own.
inline constexpr std::string_view listed = "listed";
// host_config: one option of nova's start-up configuration dump.
inline constexpr std::string_view option = "option";
inline constexpr std::string_view value = "value";
// migration_succeeded, pre_migration_done: the destination the source names.
inline constexpr std::string_view dest = "dest";
}  // namespace capture

struct shape_capture {
  event_kind kind;
  std::string_view name;
  std::string_view read_by;  // for the loader's messages and the reader of this table
};

inline constexpr shape_capture kShapeCaptures[] = {
    {event_kind::migration_progress, capture::secs, "convergence analysis and HTML plot (time axis)"},
    {event_kind::migration_progress, capture::mem_pct, "convergence analysis (remaining share)"},
    {event_kind::migration_progress, capture::mem_processed, "convergence analysis and HTML plot"},
    {event_kind::migration_progress, capture::mem_remaining, "convergence analysis and HTML plot"},
    {event_kind::migration_progress, capture::mem_total,
     "convergence analysis and HTML plot (a line without a total is no sample)"},
    {event_kind::task_pending, capture::task,
     "correlate: a pending 'migrating' task belongs to the attempt past its tail"},
    {event_kind::instance_listed, capture::listed, "parsers: the listed instance's UUID"},
    {event_kind::host_config, capture::option, "correlate host index: which name option"},
    {event_kind::host_config, capture::value, "correlate host index: the host's other name"},
    {event_kind::migration_succeeded, capture::dest,
     "correlate roles and host index: the destination the source names"},
    {event_kind::pre_migration_done, capture::dest,
     "correlate roles and host index: the destination the source names"},
};

// The row for `name` on `kind`, or null: no code reads it.
[[nodiscard]] constexpr const shape_capture* find_shape_capture(event_kind kind,
                                                                std::string_view name) noexcept {
  for (const auto& c : kShapeCaptures) {
    if (c.kind == kind && c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace migsleuth
