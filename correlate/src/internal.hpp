// Private steps of correlate(), each testable on its own.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/incident.hpp"

namespace migsleuth::correlate {

// Fills missing instance UUIDs from the domain name (QEMU logs) and from the
// request id (rpc.server lines with no [instance: U] marker).
void fill_identities(std::vector<event>& events, std::span<const identity_link> links);

// True for event kinds that only happen during a live migration.
bool is_migration_marker(const event& ev) noexcept;

// Splits one instance's time-ordered events into attempts.
std::vector<incident> split_attempts(const std::string& instance, std::vector<event> events);

// Decides source, destination and outcome of one attempt; adds notes.
void assign_roles(incident& inc);
void decide_outcome(incident& inc);

// Orders by time (unknown last), then host, input and line.
void sort_events(std::vector<event>& events);

}  // namespace migsleuth::correlate
