#include "analyzers/device_inventory.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {
namespace {

struct vnic_info {
  std::string_view type, label;
  migration_path path;
  std::string_view how;
};

// Neutron vnic types nova knows (nova/network/model.py); see the header for
// where each path comes from.
constexpr vnic_info kVnicTypes[] = {
    {"normal", "virtio on the host's virtual switch", migration_path::transparent,
     "migrates with the guest"},
    {"macvtap", "SR-IOV VF behind macvtap", migration_path::transparent,
     "migrates transparently since nova 20.0.0 (Train)"},
    {"virtio-forwarder", "SR-IOV VF behind virtio-forwarder", migration_path::transparent,
     "migrates transparently since nova 20.0.0 (Train)"},
    {"direct", "SR-IOV VF", migration_path::hot_unplug,
     "nova unplugs it before and re-plugs it after a live migration (nova >= 20.0.0 Train, "
     "neutron multiple port bindings, a free VF on the destination)"},
    {"direct-physical", "SR-IOV PF, the whole NIC", migration_path::hot_unplug,
     "nova unplugs it before and re-plugs it after a live migration (nova >= 20.0.0 Train, "
     "neutron multiple port bindings, a free PF on the destination)"},
    {"remote-managed", "SR-IOV VF of a DPU (remote-managed)", migration_path::hot_unplug,
     "nova unplugs it before and re-plugs it after a live migration"},
    {"vdpa", "vDPA device", migration_path::hot_unplug,
     "refused before nova 26.0.0 (Zed), unplugged and re-plugged since"},
    {"accelerator-direct", "Cyborg accelerator VF", migration_path::refused,
     "nova's API refuses to live-migrate instances with accelerator ports"},
    {"accelerator-direct-physical", "Cyborg accelerator PF", migration_path::refused,
     "nova's API refuses to live-migrate instances with accelerator ports"},
};

const vnic_info* vnic(std::string_view type) {
  for (const auto& v : kVnicTypes) {
    if (v.type == type) return &v;
  }
  return nullptr;
}

std::string pci_slot_of(std::string_view profile) {
  static const RE2 re(R"re("pci_slot"\s*:\s*"([^"]+)")re");
  std::string slot;
  RE2::PartialMatch(profile, re, &slot);
  return slot;
}

void add_port(device_inventory& inv, const event& ev) {
  guest_device d;
  d.what = "port";
  d.id = std::string(ev.value("port_id"));
  d.kind = std::string(ev.value("vnic_type"));
  d.host = std::string(ev.value("binding_host"));
  d.pci_slot = pci_slot_of(ev.value("binding_profile"));
  d.record = &ev;
  if (d.kind.empty()) d.kind = "normal";  // neutron's default when the column is absent
  if (const vnic_info* v = vnic(d.kind)) {
    d.label = v->label;
    d.path = v->path;
    d.how = v->how;
  } else {
    // A vnic type newer than this table: say so rather than guess its path.
    d.label = "unknown vnic type";
    d.path = migration_path::conditional;
    d.how = "a vnic type this analyzer does not know; check nova's support for it";
  }
  const bool seen = std::any_of(inv.devices.begin(), inv.devices.end(), [&](const guest_device& o) {
    return o.what == "port" && o.id == d.id;
  });
  if (!seen) inv.devices.push_back(std::move(d));
}

void add_flavor_spec(device_inventory& inv, const event& ev, std::string_view name,
                     std::string_view kind, std::string_view label, migration_path path,
                     std::string_view how) {
  const std::string_view value = ev.value(name);
  if (value.empty()) return;
  guest_device d;
  d.what = "flavor";
  d.id = std::string(ev.value("flavor"));
  d.kind = std::string(kind);
  d.value = std::string(value);
  d.label = std::string(label);
  d.path = path;
  d.how = std::string(how);
  d.record = &ev;
  inv.devices.push_back(std::move(d));
}

// The short reason a device matters, for a summary (the notes say more).
std::string_view path_phrase(migration_path p) {
  switch (p) {
    case migration_path::hot_unplug: return "nova must unplug and re-plug it";
    case migration_path::conditional: return "live-migratable only with recent nova, libvirt and QEMU";
    case migration_path::refused: return "nova refuses to live-migrate it";
    default: return "migrates with the guest";
  }
}

std::string device_sentence(const guest_device& d) {
  std::string s;
  if (d.what == "port") {
    s = "port " + d.id + " vnic_type " + d.kind + " (" + d.label;
    if (!d.pci_slot.empty()) s += ", PCI " + d.pci_slot;
    s += ")";
    if (!d.host.empty()) s += " bound to " + d.host;
  } else {
    s = "flavor" + (d.id.empty() ? std::string() : " " + d.id) + " " + d.kind + "=" + d.value +
        " (" + d.label + ")";
  }
  return s;
}

// Uncredited: the rule that cites the fact (`cites:`) is named on the line.
void cite(std::vector<evidence_line>& out, const event& ev) {
  const bool cited = std::any_of(out.begin(), out.end(), [&](const evidence_line& e) {
    return e.where == ev.where;
  });
  if (!cited) {
    out.push_back(evidence_of(ev, {}));
    out.back().linked_by_time = false;
  }
}

// Adds the read-only checks of the devices, once each (a rule's own virsh
// dumpxml check may already be there).
void add_confirm(std::vector<confirm_command>& out, const incident& inc,
                 const std::vector<const guest_device*>& devs) {
  std::vector<confirm_command> mine;
  bindings values = builtin_bindings(inc);
  auto add = [&mine, &values](run_where where, std::string_view tpl, std::string_view why) {
    if (auto c = make_confirm_command(tpl, values)) mine.push_back({where, std::move(*c), std::string(why)});
  };
  for (const guest_device* d : devs) {
    if (d->what != "port") continue;
    values.emplace_back("port_id", d->id);
    add(run_where::controller,
        "openstack port show {port_id} -c binding_vnic_type -c binding_host_id -c binding_profile "
        "-f json",
        "The port's vnic type, the host it is bound to and the PCI slot of its VF");
    values.pop_back();
  }
  if (std::any_of(devs.begin(), devs.end(), [](const guest_device* d) { return d->what == "flavor"; })) {
    add(run_where::controller, "openstack server show {instance} -c flavor -f json",
        "The flavor's extra specs that request PCI devices, vGPUs or accelerators");
  }
  // SR-IOV VFs of a port are written as <interface type='hostdev'>, not <hostdev>.
  add(run_where::source,
      "virsh -r dumpxml {domain} | grep -E -B2 -A8 \"<hostdev|<interface type='hostdev'\"",
      "Which host devices the guest really has attached (SR-IOV ports as <interface "
      "type='hostdev'>)");
  for (auto& c : mine) {
    const bool have = std::any_of(out.begin(), out.end(), [&](const confirm_command& o) {
      return o.command == c.command;
    });
    if (!have) out.push_back(std::move(c));
  }
}

}  // namespace

std::vector<const guest_device*> device_inventory::passthrough() const {
  std::vector<const guest_device*> out;
  for (const auto& d : devices) {
    if (d.path != migration_path::transparent) out.push_back(&d);
  }
  return out;
}

std::optional<device_inventory> collect_devices(const incident& inc) {
  device_inventory inv;
  const event* server = nullptr;
  for (const auto& ev : inc.events) {
    if (ev.kind == event_kind::port_record && ev.instance == inc.instance) add_port(inv, ev);
    if (ev.kind == event_kind::server_record && ev.instance == inc.instance) server = &ev;
  }
  if (server != nullptr) {  // the last capture: what the flavor is now
    add_flavor_spec(inv, *server, "pci_alias", "pci_passthrough:alias",
                    "PCI passthrough by flavor alias", migration_path::refused,
                    "nova refuses to live-migrate it before 31.0.0 (2025.1 Epoxy), and since "
                    "only when the alias is live_migratable");
    add_flavor_spec(inv, *server, "vgpu", "resources:VGPU", "vGPU (mdev)",
                    migration_path::conditional,
                    "live-migratable only since nova 29.0.0 (2024.1 Caracal) with libvirt >= "
                    "8.6.0, QEMU >= 8.1.0 and the same mdev type on the destination");
    add_flavor_spec(inv, *server, "accel_device_profile", "accel:device_profile",
                    "Cyborg accelerator", migration_path::refused,
                    "nova's API refuses to live-migrate instances with accelerators");
  }
  if (inv.devices.empty()) return std::nullopt;
  return inv;
}

std::vector<std::string> describe_devices(const device_inventory& inv) {
  std::vector<std::string> out;
  for (const auto& d : inv.devices) {
    out.push_back("device inventory: " + device_sentence(d) + ": " + d.how);
  }
  return out;
}

namespace {

constexpr fact_spec kFacts[] = {
    {"devices.count", fact_type::number, "devices the port and server captures show"},
    {"devices.passthrough", fact_type::flag,
     "a device nova does not migrate like memory: unplugged and re-plugged, conditional or "
     "refused"},
    {"devices.refused", fact_type::flag, "a device nova refuses to live-migrate"},
    {"devices.passthrough_list", fact_type::text,
     "the passthrough devices, each with what nova must do with it, '; '-separated: 'port "
     "<id> vnic_type direct (SR-IOV VF, PCI <slot>) bound to <host> (nova must unplug and "
     "re-plug it)'"},
    {"devices.summary", fact_type::text,
     "'Device inventory: <device>; <device>.' for the passthrough devices, citing their "
     "port / server records, with port show and dumpxml checks: what a device verdict quotes"},
};

}  // namespace

std::span<const fact_spec> device_fact_specs() { return kFacts; }

void run_device_inventory(const incident& inc, analyzer_output& out) {
  const auto inv = collect_devices(inc);
  if (!inv) return;
  out.notes = describe_devices(*inv);
  const auto devs = inv->passthrough();
  out.facts.push_back(number_fact("devices.count", static_cast<double>(inv->devices.size())));
  out.facts.push_back(flag_fact("devices.passthrough", !devs.empty()));
  out.facts.push_back(flag_fact(
      "devices.refused", std::any_of(devs.begin(), devs.end(), [](const guest_device* d) {
        return d->path == migration_path::refused;
      })));
  if (!devs.empty()) {
    std::string list;
    std::string with_paths;
    for (const guest_device* d : devs) {
      list += (list.empty() ? "" : "; ") + device_sentence(*d);
      with_paths += (with_paths.empty() ? "" : "; ") + device_sentence(*d) + " (" +
                    std::string(path_phrase(d->path)) + ")";
    }
    out.facts.push_back(text_fact("devices.passthrough_list", std::move(with_paths)));
    fact quoted = text_fact("devices.summary", "Device inventory: " + list + ".");
    for (const guest_device* d : devs) cite(quoted.evidence, *d->record);
    add_confirm(quoted.confirm, inc, devs);
    quoted.skip_known_commands = true;
    out.facts.push_back(std::move(quoted));
  }
}

}  // namespace migsleuth::classifiers
