// libvirt's named x86 CPU models (src/cpu_map/x86_*.xml) with their full
// feature lists, so that a "model + extra features" description (nova
// cpu_info, virsh capabilities, domcapabilities host-model) can be expanded
// into a feature set and two hosts compared feature by feature.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::preflight {

using feature_set = std::set<std::string>;  // libvirt spellings, sorted

struct model_def {
  std::string_view name;
  std::string_view vendor;  // "Intel", "AMD", or "" for QEMU's generic models
  int rank = 0;             // generation order within a vendor (README "Preflight")
  feature_set features;
};

// The model called `name`, or nullptr when the table does not know it.
const model_def* find_model(std::string_view name);
// Every known model, in table order (generic, then Intel, then AMD, oldest first).
const std::vector<model_def>& all_models();

// One spelling per feature: libvirt's (lahf_lm, sse4.1, tsc-deadline). QEMU's
// spellings and old aliases (lahf-lm, sse4-1, pclmulqdq, sse3) map onto it.
std::string canonical_feature(std::string_view name);

// expand(model) + extra, minus removed; unknown model: only the extras (known=false).
feature_set expand(std::string_view model, const std::vector<std::string>& extra,
                   const std::vector<std::string>& removed, bool& known);

// CPUID bits of the host that KVM never gives a guest (ACPI thermal, debug
// store, SMX, VMX-less monitor, invariant TSC which blocks migration, Intel PT
// with KVM's default pt_mode=0, SVM internals): in cpu_info and capabilities,
// never in domcapabilities' host-model nor in a guest, so never "missing".
bool host_only_feature(std::string_view libvirt_name);

// Flags that nova documents for cpu_model_extra_flags (mitigations, pcid, 1G
// pages): offered on top of a baseline when every host has them.
const std::vector<std::string_view>& recommended_extra_flags();

}  // namespace migsleuth::preflight
