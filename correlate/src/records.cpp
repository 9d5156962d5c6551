// What the controller says about an attempt: `openstack server migration
// list` gives the migration id, both computes and nova's own status; `server
// show` gives where nova thinks the instance is now. Logs decide first; these
// records fill what the logs leave open and are cited in notes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "internal.hpp"

namespace migsleuth::correlate {
namespace {

outcome outcome_of_status(std::string_view status) {
  if (status == "completed") return outcome::succeeded;
  if (status == "failed" || status == "error" || status == "cancelled") return outcome::failed;
  if (status == "running" || status == "running (post-copy)" || status == "preparing" ||
      status == "queued" || status == "accepted") {
    return outcome::stuck;
  }
  return outcome::unknown;
}

const event* last_of(const incident& inc, event_kind kind) {
  const event* last = nullptr;
  for (const auto& ev : inc.events) {
    if (ev.kind == kind) last = &ev;
  }
  return last;
}

}  // namespace

bool record_names_role(const incident& inc, std::string_view field) {
  const event* migration = last_of(inc, event_kind::migration_record);
  return migration != nullptr && !migration->value(field).empty();
}

std::optional<outcome> recorded_outcome(const incident& inc, outcome from_logs) {
  if (from_logs != outcome::unknown && from_logs != outcome::stuck) return std::nullopt;
  outcome result = from_logs;
  for (const auto& ev : inc.events) {
    if (ev.kind != event_kind::migration_record) continue;
    const outcome o = outcome_of_status(ev.value("status"));
    if (o != outcome::unknown) result = o;
  }
  if (result == from_logs) return std::nullopt;
  return result;
}

void apply_records(incident& inc, const instance_context& ctx) {
  const event* migration = last_of(inc, event_kind::migration_record);
  const event* server = last_of(inc, event_kind::server_record);
  if (migration != nullptr) {
    const std::string id(migration->value("migration_id"));
    inc.migration_id = id.empty() ? std::string(migration->value("migration_uuid")) : id;
    const std::string src(migration->value("source_compute"));
    const std::string dst(migration->value("dest_compute"));
    if (inc.source.empty() && !src.empty()) {
      inc.source = known_host(inc, ctx, src);
      inc.source_from = "the migration record (server migration list)";
    }
    if (inc.destination.empty() && !dst.empty()) {
      inc.destination = known_host(inc, ctx, dst);
      inc.destination_from = "the migration record (server migration list)";
    }
    const std::string status(migration->value("status"));
    if (!status.empty()) {
      const auto named = [](std::string_view h) {
        return h.empty() ? std::string("(not recorded)") : std::string(h);
      };
      inc.notes.push_back("nova's migration record " + inc.migration_id + " says '" + status +
                          "' (" + named(src) + " -> " + named(dst) + ")");
    }
  }
  if (server != nullptr) {
    std::string note = "server show";
    if (server->time.known()) note += " (updated " + format_rfc3339(server->time) + ")";
    note += ": status " + std::string(server->value("status"));
    if (auto task = server->value("task_state"); !task.empty() && task != "None") {
      note += ", task_state " + std::string(task);
    }
    if (auto host = server->value("host"); !host.empty()) note += ", on " + std::string(host);
    inc.notes.push_back(note);
  }
}

// "stuck" is inferred from the absence of an end in the logs; a record that
// says the migration ended is positive evidence and wins over it.
void outcome_from_records(incident& inc) {
  if (inc.result != outcome::unknown && inc.result != outcome::stuck) return;
  for (const auto& ev : inc.events) {
    if (ev.kind != event_kind::migration_record) continue;
    const outcome o = outcome_of_status(ev.value("status"));
    if (o == outcome::unknown || o == inc.result) continue;
    // The record answers what decide_outcome() could not say (which asked
    // recorded_outcome() first, so wrote no note this contradicts).
    inc.result = o;
    if (o != outcome::stuck && !inc.ended.known()) {
      if (auto t = parse_iso_datetime(ev.value("updated_at")); t) inc.ended = t->time;
    }
    inc.notes.push_back("outcome taken from nova's migration record (status '" +
                        std::string(ev.value("status")) + "'): the logs alone did not tell");
  }
}

}  // namespace migsleuth::correlate
