// Verdict: why an incident failed, the lines that prove it and the read-only
// commands that confirm it. Made by classifiers/, printed by report/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth {

enum class classification : std::uint8_t {
  cpu_incompatibility,
  non_convergence,
  device_passthrough,
  storage,
  network,
  capacity,
  unknown,
};
std::string_view to_string(classification c) noexcept;
bool parse_classification(std::string_view name, classification& out) noexcept;

enum class run_where : std::uint8_t { source, destination, both, controller };
std::string_view to_string(run_where w) noexcept;
bool parse_run_where(std::string_view name, run_where& out) noexcept;

// For a line of an `openstack -f json` capture, the field it holds: a line
// such as `    "Status": "error",` says little pasted alone, so the human
// formats show "Status: error of migration 4412" beside it. `text` stays
// the source line itself, so path:line citations still hold. Empty for log lines.
struct cited_field {
  std::string key_path;  // "[0].Status" (record 0 of a list), "status" (one object)
  std::string value;     // "error"; empty for an object or a long value
  std::string record;    // "migration 4412", "server <uuid>", "port <id>"
  [[nodiscard]] bool empty() const noexcept { return key_path.empty(); }
};

struct evidence_line {
  std::string host;
  source_ref where;
  timestamp time;
  std::string text;
  std::string rule;  // rule or analyzer id that cited it
  bool linked_by_time = false;  // the event's link to the incident is by host and time only
  cited_field field;            // what a JSON capture's line holds (see above)
  text_span user_identity;      // the event's (event.hpp): where its line may be folded
};

// The evidence line for an event, cited by `rule` (empty for none).
inline evidence_line evidence_of(const event& e, std::string rule) {
  evidence_line out{e.host, e.where, e.time, e.text, std::move(rule), e.linked_by_time, {},
                    e.user_identity};
  out.field.key_path = std::string(e.value(kCitedKeyPath));
  if (!out.field.key_path.empty()) {
    out.field.value = std::string(e.value(kCitedValue));
    out.field.record = std::string(e.value(kCitedRecord));
  }
  return out;
}

struct confirm_command {
  run_where where = run_where::source;
  std::string command;  // filled in with the incident's values; read-only
  std::string why;
};

// One layer of an error line as the message catalog read it, outermost
// first: nova's "Live Migration failure: <libvirt>" -> libvirt's "job
// 'migration out' failed: <qemu>" -> QEMU's text -> an errno text.
struct decoded_layer {
  std::string layer;    // nova | libvirt | qemu | kernel-os
  std::string entry;    // catalog entry id (rules/catalog/<layer>/*.yaml)
  std::string verdict;  // classified | context | wrapper | benign
  std::string text;     // what the entry matched, at most kMaxDecodedText bytes
};
inline constexpr std::size_t kMaxDecodedText = 300;

struct finding {
  std::string rule;  // stable id, e.g. "network.migration-port-refused"
  classification cls = classification::unknown;
  int priority = 0;
  double confidence = 0.0;
  std::string summary;  // filled template
  std::vector<evidence_line> evidence;
  std::vector<confirm_command> confirm;
  std::vector<std::string> remediation;
  // The decoded layers of the line the finding rests on (empty when the
  // catalog knows none of it), and whether the class was inferred from the
  // error's mechanism (an errno, a device type) rather than read from a
  // message that names the cause.
  std::vector<decoded_layer> decoded;
  bool inferred = false;
};

// An error line that matches a cause but belongs to no migration attempt the
// data could rebuild (report `findings[]`): it names no instance and no
// request tied to one, its instance has no migration request in the data, or
// it is a pasted fragment. Said with less confidence than an incident's cause.
struct loose_finding {
  std::string id;         // "find-" + 16 hex digits, stable for the same inputs
  std::string host;       // the host whose files hold the lines, or empty
  std::string instance;   // when the lines name one, or empty
  std::string why_loose;  // one sentence: why no attempt holds it
  finding f;
};

struct verdict {
  classification cls = classification::unknown;
  std::string cause;  // rule id of the primary finding, empty if none
  double confidence = 0.0;
  std::string summary;
  std::vector<evidence_line> evidence;
  std::vector<finding> secondary;
  std::vector<confirm_command> confirm;
  std::vector<std::string> remediation;
  std::vector<decoded_layer> decoded;  // the primary finding's (see finding)
  bool inferred = false;
  // Facts an analyzer established whatever the outcome (the device inventory):
  // printed after the incident's notes, never a claim about the cause.
  std::vector<std::string> notes;
};

}  // namespace migsleuth
