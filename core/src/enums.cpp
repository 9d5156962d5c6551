// The JSON/YAML spelling of every core enum, in one table each, so a name
// and its value can never drift apart.
#include <array>
#include <string_view>
#include <utility>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth {
namespace {

// Plain arrays so a new enumerator needs one line here and no size to update.
template <typename E, std::size_t N>
using name_table = std::pair<E, std::string_view>[N];

constexpr std::pair<input_kind, std::string_view> kInputKinds[] = {
    {input_kind::nova_compute, "nova-compute"},
    {input_kind::qemu_domain, "qemu-domain"},
    {input_kind::domjobinfo, "domjobinfo"},
    {input_kind::cpu_info, "cpu-info"},
    {input_kind::server_show, "server-show"},
    {input_kind::migration_list, "migration-list"},
    {input_kind::port_show, "port-show"},
    {input_kind::virsh_list, "virsh-list"},
    {input_kind::libvirtd, "libvirtd"},
    {input_kind::unrecognized, "unrecognized"},
};

constexpr std::pair<compression, std::string_view> kCompressions[] = {
    {compression::none, "none"},
    {compression::gzip, "gzip"},
    {compression::bzip2, "bzip2"},
    {compression::xz, "xz"},
    {compression::zstd, "zstd"},
};


constexpr std::pair<outcome, std::string_view> kOutcomes[] = {
    {outcome::failed, "failed"},
    {outcome::succeeded, "succeeded"},
    {outcome::stuck, "stuck"},
    {outcome::unknown, "unknown"},
};

constexpr std::pair<attempt_phase, std::string_view> kPhases[] = {
    {attempt_phase::requested, "requested"},
    {attempt_phase::prechecked, "pre-checked"},
    {attempt_phase::transferring, "transferring"},
    {attempt_phase::post_copy, "post-copy"},
    {attempt_phase::completing, "completing"},
    {attempt_phase::succeeded, "succeeded"},
    {attempt_phase::failed, "failed"},
    {attempt_phase::rolled_back, "rolled back"},
    {attempt_phase::stuck_pre_copy, "stuck (pre-copy)"},
    {attempt_phase::stuck_post_copy, "stuck (post-copy)"},
    {attempt_phase::unknown, "unknown"},
};

constexpr std::pair<classification, std::string_view> kClassifications[] = {
    {classification::cpu_incompatibility, "cpu_incompatibility"},
    {classification::non_convergence, "non_convergence"},
    {classification::device_passthrough, "device_passthrough"},
    {classification::storage, "storage"},
    {classification::network, "network"},
    {classification::capacity, "capacity"},
    {classification::unknown, "unknown"},
};

constexpr std::pair<run_where, std::string_view> kRunWhere[] = {
    {run_where::source, "source"},
    {run_where::destination, "destination"},
    {run_where::both, "both"},
    {run_where::controller, "controller"},
};

template <typename E, std::size_t N>
std::string_view name_of(const name_table<E, N>& table, E value) noexcept {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename E, std::size_t N>
bool value_of(const name_table<E, N>& table, std::string_view name, E& out) noexcept {
  for (const auto& [v, n] : table) {
    if (n == name) {
      out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(input_kind k) noexcept { return name_of(kInputKinds, k); }
std::string_view to_string(compression c) noexcept { return name_of(kCompressions, c); }
std::string_view to_string(event_kind k) noexcept { return traits(k).name; }
std::string_view to_string(outcome o) noexcept { return name_of(kOutcomes, o); }
std::string_view to_string(attempt_phase p) noexcept { return name_of(kPhases, p); }
std::string_view to_string(classification c) noexcept { return name_of(kClassifications, c); }
std::string_view to_string(run_where w) noexcept { return name_of(kRunWhere, w); }

bool parse_input_kind(std::string_view n, input_kind& out) noexcept {
  return value_of(kInputKinds, n, out);
}
bool parse_event_kind(std::string_view n, event_kind& out) noexcept {
  for (const auto& row : kEventKindTraits) {
    if (row.name == n) {
      out = row.kind;
      return true;
    }
  }
  return false;
}
bool parse_classification(std::string_view n, classification& out) noexcept {
  return value_of(kClassifications, n, out);
}
bool parse_run_where(std::string_view n, run_where& out) noexcept {
  return value_of(kRunWhere, n, out);
}

}  // namespace migsleuth
