// Preflight: which compute hosts can take which live-migrated guests, per
// nova [libvirt] cpu_mode, and which named CPU model would make the whole
// fleet (or each vendor's part of it) compatible. Reads per host
// `openstack hypervisor show -f json` (cpu_info), `virsh -r capabilities`
// and `virsh -r domcapabilities` captures; nothing here runs a command.
//
// What it does not do: print (app/ does), or change anything anywhere.
// Nothing here throws on content; a capture it cannot read is a warning.
//
//   auto f = preflight::collect({"hosts/"});
//   auto r = preflight::analyze(f, {});
//   std::string out = preflight::write_json(r);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/ingest/ingest.hpp"

namespace migsleuth::preflight {

inline constexpr int kSchemaVersion = 1;  // "schema_version" of the JSON (README "Preflight")

enum class cpu_mode : std::uint8_t { host_passthrough, host_model, custom };
std::string_view to_string(cpu_mode m) noexcept;

// A model of domcapabilities' <mode name='custom'> list.
struct named_model {
  std::string name;
  std::string vendor;
  bool usable = false;
  bool has_blockers = false;          // a <blockers model='...'> element was there
  std::vector<std::string> blockers;  // libvirt spellings
};

// Everything known about one host's CPU, merged from its captures.
struct host_facts {
  std::string host;      // as printed: the first label of `identity`, unless another host
                         // has the same one, or it is an address (then `identity`)
  std::string identity;  // the analysis' name for the host (identity_index::host)
  std::vector<std::string> sources;   // "path (kind)"
  std::vector<std::string> warnings;  // captures that could not be read, and why
  std::string vendor, arch;
  // The host CPU as libvirt's capabilities (and nova's cpu_info) describe it:
  // a model name plus the features beyond that model.
  bool has_host_cpu = false;
  std::string host_cpu_model;
  std::vector<std::string> host_cpu_features;
  // domcapabilities
  bool has_domcaps = false;
  bool passthrough_supported = false;
  bool host_model_supported = false;
  std::string host_model;  // <mode name='host-model'><model>
  std::vector<std::string> host_model_require, host_model_disable;
  std::vector<named_model> models;  // <mode name='custom'>
};

enum class capture_kind : std::uint8_t { none, domcapabilities, capabilities, hypervisor_show };
std::string_view to_string(capture_kind k) noexcept;

struct capture {
  capture_kind kind = capture_kind::none;
  std::string error;       // non-empty: not readable (tool error text, cut XML, ...)
  std::string named_host;  // the host the capture names itself (hypervisor show), or empty
  std::string named_node;  // hypervisor show's hypervisor_hostname, or empty
  host_facts facts;
};

// A capture's kind and content; `text` is the whole file.
capture parse_capture(std::string_view text);
// For ingest_options::keep_text: files worth keeping (by name or first bytes).
bool is_cpu_capture(std::string_view path, std::string_view head);

struct fleet {
  std::vector<host_facts> hosts;  // sorted by host name
  std::vector<input> inputs;      // every file looked at (collect() only)
  std::vector<std::string> warnings;
  bool any_unreadable = false;
};

// Merges kept captures into per-host facts: a capture is of the host
// ingest attributed it to, or of the host a hypervisor show names, and which
// names are one host is the analysis' answer (`hosts`, from correlate's
// host_index), never a rule of its own. `inputs` is read, not copied: the
// analysis holds one per file (1,000,000 tiny files: hundreds of MB).
fleet facts_from(const std::vector<input>& inputs, const std::vector<ingest::kept_text>& kept,
                 const identity_index& hosts);
// The same, the host names joined by host_index from the inputs and what the
// captures say of themselves (hypervisor show's service host and name).
fleet facts_from(const std::vector<input>& inputs, const std::vector<ingest::kept_text>& kept);
// Walks `paths` (files, folders, tarballs, sosreports) like analyze does.
fleet collect(const std::vector<std::string>& paths);

struct pair_result {
  std::string source, destination;
  bool compatible = false;
  std::vector<std::string> missing;  // features the destination lacks
  std::vector<std::string> notes;    // vendor, approximations
};

struct mode_matrix {
  cpu_mode mode = cpu_mode::host_passthrough;
  std::string cpu_model;  // custom only
  std::vector<pair_result> pairs;  // source-major, both in host order
};

struct host_blockers {
  std::string host;
  std::vector<std::string> features;
};

struct baseline {
  std::string scope;               // "fleet" or "vendor Intel" ...
  std::vector<std::string> hosts;
  bool found = false;
  std::string model, vendor;
  std::vector<std::string> extra_flags;  // recommended flags every host has
  std::vector<std::string> nova_conf;    // the [libvirt] lines
  // The next more capable model: where it is blocked, and what removing
  // those flags would take (cpu_model_extra_flags = -flag ...).
  bool has_next = false;
  std::string next_model;
  std::vector<host_blockers> next_blocked_on;
  std::vector<std::string> next_remove_flags;
  std::vector<std::string> held_back_by;  // hosts that block the next model
  std::vector<std::string> notes;
};

struct options {
  std::string cpu_model;                 // --cpu-model: adds the custom-mode matrix
  std::vector<std::string> extra_flags;  // --extra-flags for that model
};

struct result {
  std::vector<host_facts> hosts;
  std::vector<mode_matrix> matrices;
  baseline fleet_baseline;
  std::vector<baseline> vendor_baselines;  // only when vendors are mixed
  std::vector<std::string> confirm;        // read-only commands
  std::vector<std::string> warnings;
};

result analyze(const fleet& f, const options& opt);

std::string write_json(const result& r);
std::string write_text(const result& r);
std::string write_markdown(const result& r);

// For analyze: what a CPU-incompatibility incident's bundle says about its
// two hosts (named as the analysis names them: host_facts::identity).
// known=false when either host has no CPU facts.
struct pair_explanation {
  bool known = false;
  std::vector<std::string> missing_passthrough;  // source host CPU vs destination
  std::vector<std::string> missing_host_model;   // source host-model vs destination
  std::string baseline_model;                    // for these two hosts
  std::string sentence;                          // ready to append to a summary
};
pair_explanation explain_pair(const fleet& f, std::string_view source,
                              std::string_view destination);

}  // namespace migsleuth::preflight
