// Incident: one live-migration attempt rebuilt from both hosts' events.
//
// What it does not do: say why it failed (that is a verdict, classifiers/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth {

enum class outcome : std::uint8_t { failed, succeeded, stuck, unknown };
std::string_view to_string(outcome o) noexcept;

struct incident {
  std::string id;             // stable: hash of instance, source, first event time
  std::string instance;       // UUID
  std::string domain;         // libvirt domain name, or empty
  std::string request_id;
  std::string migration_id;
  std::string source;         // host names, empty when unknown
  std::string destination;
  std::string source_from;    // how the role was decided (for --explain / notes)
  std::string destination_from;
  timestamp started;
  timestamp ended;
  outcome result = outcome::unknown;
  std::vector<event> events;  // time-ordered, both hosts
  std::vector<std::string> notes;  // e.g. "no logs from the destination host"
};

}  // namespace migsleuth
