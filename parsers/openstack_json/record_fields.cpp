#include "openstack_json/record_fields.hpp"

#include <algorithm>
#include <vector>

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/json_text.hpp"
#include "migsleuth/parsers/oslo_header.hpp"

namespace migsleuth::parsers {
namespace {

struct key_map {
  std::string_view key;   // normalized: lower-case, ' ', '-', ':' -> '_'
  std::string_view name;  // value name on the event
};

// FMT-25 (OSC column_map legacy keys) + SDK attribute names.
constexpr key_map kServerKeys[] = {
    {"id", "instance"},
    {"name", "name"},
    {"os_ext_srv_attr_host", "host"},
    {"compute_host", "host"},
    {"os_ext_srv_attr_hypervisor_hostname", "hypervisor_hostname"},
    {"hypervisor_hostname", "hypervisor_hostname"},
    {"os_ext_srv_attr_instance_name", "domain"},
    {"instance_name", "domain"},
    {"status", "status"},
    {"os_ext_sts_task_state", "task_state"},
    {"task_state", "task_state"},
    {"os_ext_sts_vm_state", "vm_state"},
    {"vm_state", "vm_state"},
    {"os_ext_sts_power_state", "power_state"},
    {"power_state", "power_state"},
    {"updated", "updated"},
    {"created", "created"},
};

// FMT-24: `server migration list` headers, `server migration show` headers,
// and the API's own names (FMT-24 observed record).
constexpr key_map kMigrationKeys[] = {
    {"id", "migration_id"},
    {"uuid", "migration_uuid"},
    {"source_node", "source_node"},
    {"dest_node", "dest_node"},
    {"source_compute", "source_compute"},
    {"dest_compute", "dest_compute"},
    {"dest_host", "dest_host"},
    {"status", "status"},
    {"server_uuid", "instance"},
    {"instance_uuid", "instance"},
    {"old_flavor", "old_flavor"},
    {"new_flavor", "new_flavor"},
    {"type", "type"},
    {"migration_type", "type"},
    {"project", "project"},
    {"user", "user"},
    {"created_at", "created_at"},
    {"updated_at", "updated_at"},
    {"memory_total_bytes", "memory_total_bytes"},
    {"memory_processed_bytes", "memory_processed_bytes"},
    {"memory_remaining_bytes", "memory_remaining_bytes"},
    {"disk_total_bytes", "disk_total_bytes"},
    {"disk_processed_bytes", "disk_processed_bytes"},
    {"disk_remaining_bytes", "disk_remaining_bytes"},
};

// FMT-23: `hypervisor show` (cpu_info handled apart).
constexpr key_map kHypervisorKeys[] = {
    {"id", "hypervisor_id"},
    {"hypervisor_hostname", "hypervisor_hostname"},
    {"service_host", "host"},
    {"host_ip", "host_ip"},
    {"hypervisor_type", "hypervisor_type"},
    {"hypervisor_version", "hypervisor_version"},
    {"state", "state"},
    {"status", "status"},
};

// FMT-26: OSC names, and the Neutron API names `port create/set` use.
constexpr key_map kPortKeys[] = {
    {"id", "port_id"},
    {"name", "name"},
    {"binding_vnic_type", "vnic_type"},
    {"binding_host_id", "binding_host"},
    {"binding_vif_type", "vif_type"},
    {"binding_profile", "binding_profile"},
    {"device_id", "device_id"},
    {"device_owner", "device_owner"},
    {"status", "status"},
    {"mac_address", "mac_address"},
    {"network_id", "network_id"},
    {"updated_at", "updated_at"},
};

// Error bodies: OSC/keystoneauth {"error": ...}, nova {"itemNotFound": {...}},
// neutron {"NeutronError": {...}}.
constexpr std::string_view kErrorKeys[] = {"error",     "itemnotfound", "badrequest",
                                           "forbidden", "conflict",     "computefault",
                                           "overlimit", "neutronerror", "unauthorized"};

std::string normalize_key(std::string_view key) {
  std::string out = lower_ascii(key);
  for (char& c : out) {
    if (c == ' ' || c == '-' || c == ':') c = '_';
  }
  return out;
}

template <std::size_t N>
std::string_view lookup(const key_map (&table)[N], std::string_view key) {
  for (const auto& k : table) {
    if (k.key == key) return k.name;
  }
  return {};
}


// How well a key's line says what the record is about, when the record is
// cited (0: not at all). "Status": "error" tells a reader why a migration is
// evidence; "Id": 641 does not. A server is cited by its fault, else by an
// ERROR status, else by a flavor that puts a device in the guest (what the
// device inventory cites it for), never by an ACTIVE status that proves
// nothing; a port by its vnic type, what kind of device it is.
int telling_rank(input_kind kind, std::string_view key, std::string_view value) {
  if (key == "id" || (kind == input_kind::cpu_info && key == "cpu_info")) {
    return kind == input_kind::cpu_info ? 2 : 1;
  }
  switch (kind) {
    case input_kind::migration_list:
      return key == "status" ? 2 : 0;
    case input_kind::port_show:
      return key == "binding_vnic_type" ? 2 : 0;  // "binding:vnic_type" normalizes to it
    case input_kind::server_show:
      if (key == "fault") return 4;
      if (key == "status") return value == "ERROR" ? 3 : 0;
      if (key == "flavor" || key == "flavor_extra_specs") {
        const bool device = value.find("pci_passthrough:alias") != std::string_view::npos ||
                            value.find(":VGPU") != std::string_view::npos ||
                            value.find("accel:device_profile") != std::string_view::npos;
        return device ? 2 : 0;
      }
      return 0;
    default:
      return 0;
  }
}

constexpr std::size_t kMaxCitedValue = 120;  // longer values are read on the line itself

// Reads a small nested object's string/number members into (key, text) pairs.
std::vector<std::pair<std::string, std::string>> object_members(std::string_view json_text) {
  std::vector<std::pair<std::string, std::string>> out;
  try {
    simdjson::padded_string padded(json_text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object o;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(o) != simdjson::SUCCESS) {
      return out;
    }
    for (auto f : o) {
      std::string_view key;
      simdjson::ondemand::value v;
      if (f.unescaped_key().get(key) != simdjson::SUCCESS ||
          f.value().get(v) != simdjson::SUCCESS) {
        break;
      }
      std::string text;
      if (!json::value_text(v, text)) break;
      out.emplace_back(std::string(key), std::move(text));
    }
  } catch (...) {
    out.clear();
  }
  return out;
}

std::vector<std::string> string_list(std::string_view json_text) {
  std::vector<std::string> out;
  try {
    simdjson::padded_string padded(json_text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::array a;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_array().get(a) != simdjson::SUCCESS) {
      return out;
    }
    for (auto item : a) {
      std::string_view s;
      if (item.get_string().get(s) != simdjson::SUCCESS) break;
      out.emplace_back(s);
    }
  } catch (...) {
    out.clear();
  }
  return out;
}

std::string_view label_of(input_kind kind) {
  switch (kind) {
    case input_kind::server_show: return "server";
    case input_kind::migration_list: return "migration";
    case input_kind::cpu_info: return "hypervisor";
    case input_kind::port_show: return "port";
    default: return "record";
  }
}

event_kind event_of(input_kind kind) {
  switch (kind) {
    case input_kind::migration_list: return event_kind::migration_record;
    case input_kind::cpu_info: return event_kind::hypervisor_record;
    case input_kind::port_show: return event_kind::port_record;
    default: return event_kind::server_record;
  }
}

}  // namespace

void record_fields::put(std::string_view name, std::string value) {
  if (value.empty()) return;  // null: absence says the same, with less noise
  for (const auto& [k, v] : values_) {
    if (k == name) return;  // first spelling wins (legacy key before SDK alias)
  }
  values_.emplace_back(std::string(name), std::move(value));
}

void record_fields::add(std::string_view key, std::string value, std::uint32_t line) {
  const std::string k = normalize_key(key);
  if (std::find(std::begin(kErrorKeys), std::end(kErrorKeys), k) != std::end(kErrorKeys)) {
    error_ = value;
    if (!value.empty() && value.front() == '{') {
      for (auto& [mk, mv] : object_members(value)) {
        if (mk == "message") error_ = mv;
      }
    }
    if (error_.empty()) error_ = std::string(key);
    return;
  }
  if (const int rank = telling_rank(kind_, k, value); rank > anchor_rank_) {
    anchor_line_ = line;
    anchor_rank_ = rank;
    anchor_key_ = std::string(key);
    std::string shown = value;
    if (k == "fault" && !value.empty() && value.front() == '{') {
      shown.clear();  // the fault is cited by what it says
      for (auto& [mk, mv] : object_members(value)) {
        if (mk == "message") shown = mv;
      }
    }
    const bool fits = shown.size() <= kMaxCitedValue && (shown.empty() || shown.front() != '{');
    anchor_value_ = fits ? shown : std::string();
  }
  std::string_view name;
  switch (kind_) {
    case input_kind::server_show:
      if (k == "fault") return add_fault(value);
      if (k == "flavor") return add_flavor(value);
      if (k == "flavor_extra_specs") return add_extra_specs(value);  // novaclient's flattened row
      if (k == "flavor_original_name") return put("flavor", std::move(value));
      name = lookup(kServerKeys, k);
      break;
    case input_kind::migration_list:
      name = lookup(kMigrationKeys, k);
      break;
    case input_kind::cpu_info:
      if (k == "cpu_info") return add_cpu_info(value);
      name = lookup(kHypervisorKeys, k);
      break;
    case input_kind::port_show:
      name = lookup(kPortKeys, k);  // "binding:vnic_type" normalizes to binding_vnic_type
      break;
    default:
      break;
  }
  if (name.empty()) return;  // a column no analysis reads
  put(name, std::move(value));
}

void record_fields::add_fault(std::string_view json_text) {
  if (json_text.empty() || json_text.front() != '{') return put("fault", std::string(json_text));
  for (auto& [k, v] : object_members(json_text)) {
    if (k == "message") put("fault", v);
    if (k == "code") put("fault_code", v);
    if (k == "created") put("fault_created", v);
  }
}

// Compute API >= 2.47 embeds the flavor in the server ({"original_name",
// "vcpus", "ram", "disk", "ephemeral", "swap", "extra_specs"}) and OSC's
// `server show -f json` prints it as that object (`_prep_server_detail`:
// DictColumn when `original_name` is present); older microversions give only
// "name (id)", which carries no extra specs.
void record_fields::add_flavor(std::string_view json_text) {
  if (json_text.empty() || json_text.front() != '{') return put("flavor", std::string(json_text));
  for (auto& [k, v] : object_members(json_text)) {
    if (k == "original_name") put("flavor", v);
    if (k == "extra_specs") add_extra_specs(v);
  }
}

// Only the extra specs that put a device into the guest (the device
// inventory analyzer reads them); the rest of the flavor is not evidence.
void record_fields::add_extra_specs(std::string_view json_text) {
  for (auto& [k, v] : object_members(json_text)) {
    if (k == "pci_passthrough:alias") put("pci_alias", v);
    if (k == "accel:device_profile") put("accel_device_profile", v);
    // resources:VGPU, or a granular group (resources1:VGPU, resources_gpu:VGPU).
    if (k.rfind("resources", 0) == 0 && k.size() > 5 && k.compare(k.size() - 5, 5, ":VGPU") == 0) {
      put("vgpu", v);
    }
  }
}

void record_fields::add_cpu_info(std::string_view json_text) {
  std::string_view text = trim(json_text);
  // Before microversion 2.28 (and in old clients) cpu_info is a JSON string;
  // value_text has already unescaped it, so both forms start with '{' here.
  if (!text.empty() && text.front() != '{') return put("cpu_info", std::string(text));
  for (auto& [k, v] : object_members(text)) {
    if (k == "model") put("cpu_model", v);
    if (k == "vendor") put("cpu_vendor", v);
    if (k == "arch") put("cpu_arch", v);
    if (k == "features") {
      auto list = string_list(v);
      std::sort(list.begin(), list.end());  // nova builds it from a set: no meaningful order
      std::string joined;
      for (const auto& f : list) joined += (joined.empty() ? "" : ",") + f;
      put("cpu_features", joined);
    }
    if (k == "topology") {
      std::string topo;
      for (auto& [tk, tv] : object_members(v)) {
        topo += (topo.empty() ? "" : ",") + tk + "=" + tv;
      }
      put("cpu_topology", topo);
    }
  }
}

std::string record_fields::record_name() const {
  std::string_view name;
  switch (kind_) {
    case input_kind::server_show: name = "instance"; break;
    case input_kind::migration_list: name = "migration_id"; break;
    case input_kind::port_show: name = "port_id"; break;
    case input_kind::cpu_info: name = "hypervisor_hostname"; break;
    default: break;
  }
  std::string_view id;
  for (const auto& [k, v] : values_) {
    if (k == name && id.empty()) id = v;
  }
  return id.empty() ? std::string(label_of(kind_))
                    : std::string(label_of(kind_)) + " " + std::string(id);
}

event record_fields::to_event() const {
  event ev;
  ev.kind = event_of(kind_);
  ev.values = values_;
  const auto value = [&](std::string_view name) { return std::string(ev.value(name)); };
  switch (kind_) {
    case input_kind::server_show:
      if (looks_like_uuid(value("instance"))) ev.instance = lower_ascii(value("instance"));
      ev.domain = value("domain");
      if (auto t = parse_iso_datetime(value("updated"))) ev.time = t->time;
      if (value("status") == "ERROR") ev.level = "ERROR";
      break;
    case input_kind::migration_list:
      if (looks_like_uuid(value("instance"))) ev.instance = lower_ascii(value("instance"));
      // `Created At` is UTC written without a zone (nova stores naive UTC).
      if (auto t = parse_iso_datetime(value("created_at"))) ev.time = t->time;
      if (value("status") == "failed" || value("status") == "error") ev.level = "ERROR";
      break;
    case input_kind::port_show: {
      const std::string owner = value("device_owner");
      if (owner.substr(0, 8) == "compute:" && looks_like_uuid(value("device_id"))) {
        ev.instance = lower_ascii(value("device_id"));
      }
      if (auto t = parse_iso_datetime(value("updated_at"))) ev.time = t->time;
      break;
    }
    default:
      break;
  }
  if (kind_ == input_kind::cpu_info && ev.value("host").empty() &&
      !ev.value("hypervisor_hostname").empty()) {
    ev.values.emplace_back("host", value("hypervisor_hostname"));
  }
  ev.message = std::string(label_of(kind_)) + ":";
  for (const auto& [k, v] : ev.values) {
    if (k == "binding_profile" || k == "cpu_features" || v.size() > 120) continue;
    ev.message += " " + k + "=" + v;
  }
  return ev;
}

}  // namespace migsleuth::parsers
