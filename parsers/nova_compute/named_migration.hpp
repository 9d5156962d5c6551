// The migration a nova line names when it names no instance. Placement's
// client logs a migration's allocations under the migration's UUID, the
// consumer nova moves a source host's allocation to for the length of a move
// (nova/scheduler/client/report.py delete_allocation_for_instance with
// consumer_type='migration', nova >= 23 Wallaby; called after a live
// migration by the compute manager's _delete_allocation_after_move):
//
//   WARNING nova.scheduler.client.report [req-...] Unable to delete allocation
//   for migration 6e1e9334-101a-454a-b551-084a6c1bfcd6: (409 {...})
//
// Such a line gets the migration's UUID as the value `migration_uuid`, and
// identity_index::resolve gives it the instance a controller record
// (`openstack server migration list -f json`) says that migration is of.
//
// What it does not do: read numeric migration ids ("migration 42"), which
// other numbers in a message can look like.
#pragma once

#include <string>
#include <string_view>

#include "migsleuth/core/event.hpp"

namespace migsleuth::parsers {

// The UUID after "migration " or "Migration(" in `message` (lower case), or "".
[[nodiscard]] std::string named_migration(std::string_view message);

// For a line that names no instance (and is not marked as naming one that
// is no UUID): records the migration its message names, if any.
void note_named_migration(event& ev);

}  // namespace migsleuth::parsers
