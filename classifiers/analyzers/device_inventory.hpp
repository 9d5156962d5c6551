// Device inventory analyzer: which devices the instance has, from
// `openstack port show -f json` (binding_vnic_type, FMT-26) and the flavor of
// `openstack server show -f json` (pci_passthrough:alias, resources:VGPU,
// accel:device_profile), and how nova live-migrates each kind. A YAML rule
// can only say what a line says; a guest whose SR-IOV VF or PCI alias nova
// must unplug, or refuses to move, is a fact about the instance that no
// failure line has to repeat.
//
// What nova does per device kind (release notes and code of openstack/nova):
// - macvtap / virtio-forwarder ("indirect" SR-IOV): transparent since 20.0.0
//   (Train), releasenotes/notes/sriov-live-migration-0311dfb7102a48db.yaml.
// - direct / direct-physical (and remote-managed, 25.0.0 Yoga, vdpa): in
//   network/model.py VNIC_TYPES_DIRECT_PASSTHROUGH, hot-unplugged on the source
//   before the migration and re-plugged on the destination, since 20.0.0
//   (Train; same note); needs neutron's multiple port bindings and both
//   computes upgraded, else the conductor refuses ("Cannot live migrate VIF
//   with related PCI ...", conductor/tasks/live_migrate.py, DEV-01).
// - vdpa: refused with 409 before 26.0.0 (vdpa-cc2300d2c46c150b.yaml), hot-plug
//   live migration since 26.0.0 Zed (vdpa-suspend-detach-and-live-migrate-...).
// - accelerator-direct(-physical) ports and flavors with accel:device_profile:
//   the API refuses live migration in every release (compute/api.py
//   block_port_accelerators / block_accelerators on live_migrate).
// - flavor PCI alias (non-network PCI passthrough): refused by the conductor's
//   pre-check since 20.0.0 (live-migration-with-PCI-device-b96bdad273fa1d2b.yaml);
//   since 31.0.0 (2025.1 Epoxy) allowed when the alias and device_spec say
//   live_migratable and the device has a VFIO migration variant driver
//   (migrate-vfio-devices-using-kernel-variant-drivers-*.yaml, DEV-01).
// - vGPU (mdev, resources:VGPU): since 29.0.0 (2024.1 Caracal) with libvirt
//   >= 8.6.0, QEMU >= 8.1.0, kernel >= 5.18 (bp-libvirt-mdev-live-migrate-*.yaml);
//   refused before.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzers/registry.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

// How nova live-migrates a device kind, from least to most likely to fail.
enum class migration_path : std::uint8_t {
  transparent,  // copied like any virtio device (normal, macvtap, virtio-forwarder)
  hot_unplug,   // detached on the source, re-attached on the destination
  conditional,  // only with recent nova/libvirt/QEMU and device support
  refused,      // nova refuses to live-migrate it
};

struct guest_device {
  std::string what;     // "port" or "flavor"
  std::string id;       // port UUID, or the flavor name
  std::string kind;     // vnic type ("direct"), or "pci_passthrough:alias" / "resources:VGPU" / ...
  std::string value;    // the extra spec's value ("a1:1"); empty for ports
  std::string label;    // "SR-IOV VF", "PCI passthrough (flavor alias)", ...
  std::string host;     // binding_host_id of a port
  std::string pci_slot;  // from binding_profile
  migration_path path = migration_path::transparent;
  std::string how;      // one clause: what nova does with it on live migration
  const event* record = nullptr;  // the port / server record that shows it
};

struct device_inventory {
  std::vector<guest_device> devices;
  // The devices whose path is not transparent (what may have failed).
  [[nodiscard]] std::vector<const guest_device*> passthrough() const;
};

// Nothing when the incident holds no port record and no flavor device spec.
std::optional<device_inventory> collect_devices(const incident& inc);

// One fact per device, e.g. "device inventory: port 0f0de1cd-... vnic_type
// direct (SR-IOV VF, PCI 0000:81:11.1) bound to cmp-b: hot-unplugged ...".
std::vector<std::string> describe_devices(const device_inventory& inv);

// The facts rules may use (`devices.*`, README "Facts"), and the analyzer as
// registered: the facts and the notes. A rule quoting `devices.summary` gets
// the inventory as supporting evidence (record lines cited, one sentence
// added, port show to confirm); rules/causes/device_passthrough/
// device-inventory.yaml infers the class from them when no rule fired.
[[nodiscard]] std::span<const fact_spec> device_fact_specs();
void run_device_inventory(const incident& inc, analyzer_output& out);

}  // namespace migsleuth::classifiers
