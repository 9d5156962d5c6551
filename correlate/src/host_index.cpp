#include "migsleuth/correlate/host_index.hpp"

#include <algorithm>
#include <re2/re2.h>
#include <set>

#include "migsleuth/core/captures.hpp"
#include "migsleuth/core/text.hpp"

namespace migsleuth::correlate {
namespace {

std::string_view first_label(std::string_view name) { return name.substr(0, name.find('.')); }

// Values a configuration or record holds when it names no host of its own.
bool names_no_host(std::string_view v) noexcept {
  static constexpr std::string_view kNone[] = {"none",      "null", "-",       "localhost",
                                               "127.0.0.1", "::1",  "0.0.0.0", "::"};
  const std::string l = lower_ascii(v);
  return v.empty() || std::find(std::begin(kNone), std::end(kNone), l) != std::end(kNone);
}

std::string cited(std::span<const input> inputs, const event& ev) {
  if (ev.where.input >= inputs.size()) return "";
  const input& in = inputs[ev.where.input];
  return " (" + in.path + (ev.where.line > 0 ? ":" + std::to_string(ev.where.line) : "") + ")";
}

}  // namespace

bool is_address(std::string_view name) noexcept {
  if (name.empty()) return false;
  if (name.find(':') != std::string_view::npos) return true;  // IPv6 (host names hold none)
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

std::string host_named_in(const event& ev) {
  if (auto d = ev.value(capture::dest); !d.empty()) return std::string(d);
  static const RE2 kNamed(
      R"((?:qemu\+\w+://(?:[^@/\s]+@)?\[?([A-Za-z0-9_.:-]+?)\]?[:/])|(?:unable to connect to server at '([A-Za-z0-9_.-]+):\d+'))");
  std::string uri_host, server_host;
  if (RE2::PartialMatch(ev.message, kNamed, &uri_host, &server_host)) {
    return uri_host.empty() ? server_host : uri_host;
  }
  return {};
}

bool names_a_host(const event& ev) { return !host_named_in(ev).empty(); }

std::size_t host_index::add_name(std::string_view name) {
  std::string key = lower_ascii(name);
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  const std::size_t n = nodes_.size();
  node nd;
  nd.name = std::string(name);
  nd.parent = n;
  nd.address = is_address(name);
  nodes_.push_back(std::move(nd));
  filed_.emplace_back();
  by_key_.emplace(std::move(key), n);
  return n;
}

std::size_t host_index::root(std::size_t n) const {
  while (nodes_[n].parent != n) n = nodes_[n].parent;
  return n;
}

// root() while the index is built: halves the path it walks, so a long
// chain of joins costs no more than a short one.
std::size_t host_index::find(std::size_t n) {
  while (nodes_[n].parent != n) {
    nodes_[n].parent = nodes_[nodes_[n].parent].parent;
    n = nodes_[n].parent;
  }
  return n;
}

void host_index::join(std::size_t a, std::size_t b, std::string why) {
  const std::size_t ra = find(a), rb = find(b);
  if (ra == rb) return;
  // The first labels the bundle's own files are filed under, in each group
  // (kept per root: a join costs the smaller group's labels, not every name).
  std::set<std::string>& filed_a = filed_[ra];
  std::set<std::string>& filed_b = filed_[rb];
  const bool two_filed_hosts = !filed_a.empty() && !filed_b.empty() && filed_a != filed_b;
  joined_.push_back({a, b, std::move(why), two_filed_hosts});
  if (two_filed_hosts) return;
  // The lower index stays the root: the result does not depend on which
  // name of a pair came first in a statement.
  const std::size_t keep = std::min(ra, rb), gone = std::max(ra, rb);
  nodes_[gone].parent = keep;
  std::set<std::string>& into = filed_[keep];
  std::set<std::string>& from = filed_[gone];
  if (from.size() > into.size()) into.swap(from);
  into.merge(from);
  from.clear();
}

void host_index::join_short_names() {
  // first label -> the distinct FQDNs that begin with it
  std::map<std::string, std::vector<std::size_t>> fqdns;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const node& nd = nodes_[i];
    if (nd.address || nd.name.find('.') == std::string::npos) continue;
    fqdns[lower_ascii(first_label(nd.name))].push_back(i);
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const node& nd = nodes_[i];
    if (nd.address || nd.name.find('.') != std::string::npos) continue;
    const auto it = fqdns.find(lower_ascii(nd.name));
    if (it == fqdns.end()) continue;
    // Two FQDNs with this first label may be one host (cmp-07.example.net and
    // cmp-07.internalapi.example.net) or two (cmp-07.dc1, cmp-07.dc2): only
    // when the data already joined them is the short name theirs.
    std::set<std::size_t> roots;
    for (std::size_t f : it->second) roots.insert(find(f));
    if (roots.size() != 1) continue;
    join(i, it->second.front(),
         "'" + nd.name + "' is the short name of '" + nodes_[it->second.front()].name +
             "', the only FQDN in the data that begins with it");
  }
}

void host_index::settle() {
  // Per group, the name the report uses: one its files were collected under
  // (most files), else nova's own name for it, else a name over an address,
  // the longer (FQDN) over the shorter, then the first in byte order.
  std::map<std::size_t, std::size_t> best;
  const auto better = [this](std::size_t x, std::size_t y) {
    const node &a = nodes_[x], &b = nodes_[y];
    if (a.inputs != b.inputs) return a.inputs > b.inputs;
    if (a.service_name != b.service_name) return a.service_name;
    if (a.address != b.address) return !a.address;
    if (a.name.size() != b.name.size()) return a.name.size() > b.name.size();
    return a.name < b.name;
  };
  // Every name points at its group's root from here on: root() is one step.
  for (std::size_t i = 0; i < nodes_.size(); ++i) nodes_[i].parent = find(i);
  filed_.clear();
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const std::size_t r = root(i);
    auto [it, fresh] = best.emplace(r, i);
    if (!fresh && better(i, it->second)) it->second = i;
  }
  for (const auto& [r, chosen] : best) {
    canonical_of_root_[r] = chosen;
    const node& nd = nodes_[chosen];
    canonical_why_[r] = nd.inputs > 0      ? "the name its files are filed under (" + nd.inputs_from + ")"
                        : nd.service_name ? "the name nova runs it under"
                        : nd.address      ? "only addresses name it"
                                          : "its longest name";
  }
}

host_index host_index::build(std::span<const input> inputs, std::span<const event> events) {
  host_index x;
  for (const auto& in : inputs) {
    if (in.host.empty()) continue;
    const std::size_t n = x.add_name(in.host);
    node& nd = x.nodes_[n];
    if (nd.inputs++ == 0) nd.inputs_from = in.host_from;
    x.filed_[n].insert(lower_ascii(first_label(nd.name)));
  }
  const auto pair = [&x](std::string_view a, std::string_view b, std::string why, bool a_is_service) {
    if (names_no_host(a) || names_no_host(b)) return;
    const std::size_t na = x.add_name(a), nb = x.add_name(b);
    if (a_is_service) x.nodes_[na].service_name = true;
    x.join(na, nb, std::move(why));
  };
  for (const auto& ev : events) {
    switch (ev.kind) {
      case event_kind::host_config: {
        const std::string option(ev.value(capture::option));
        const std::string value(ev.value(capture::value));
        if (ev.host.empty() || names_no_host(value)) break;
        if (option == "host") x.nodes_[x.add_name(value)].service_name = true;
        pair(ev.host, value,
             "its nova service logged " + option + " = " + value + " at start" + cited(inputs, ev),
             false);
        break;
      }
      case event_kind::migration_record: {
        const std::string id(ev.value("migration_id"));
        for (const char* side : {"source", "dest"}) {
          const std::string compute(ev.value(std::string(side) + "_compute"));
          const std::string node_name(ev.value(std::string(side) + "_node"));
          pair(compute, node_name,
               "migration record " + id + ": " + side + "_compute " + compute + ", " + side +
                   "_node " + node_name + cited(inputs, ev),
               true);
        }
        const std::string dest(ev.value("dest_compute")), address(ev.value("dest_host"));
        pair(dest, address,
             "migration record " + id + ": dest_host (the destination's address) " + address +
                 cited(inputs, ev),
             true);
        break;
      }
      case event_kind::server_record:
      case event_kind::hypervisor_record: {
        const std::string service(ev.value("host")), hypervisor(ev.value("hypervisor_hostname"));
        pair(service, hypervisor,
             std::string(ev.kind == event_kind::server_record ? "server show" : "hypervisor show") +
                 ": host " + service + ", hypervisor_hostname " + hypervisor + cited(inputs, ev),
             true);
        const std::string address(ev.value("host_ip"));
        pair(hypervisor.empty() ? service : hypervisor, address,
             "hypervisor show: host_ip " + address + cited(inputs, ev), false);
        break;
      }
      // Every other kind: a name a line gives a host (a URI, "on host X") is
      // a name to know, joined to nothing by that alone.
      case event_kind::log_line:
      case event_kind::migration_started:
      case event_kind::migration_progress:
      case event_kind::migration_completed:
      case event_kind::postcopy_started:
      case event_kind::migration_succeeded:
      case event_kind::migration_failed:
      case event_kind::migration_aborted:
      case event_kind::migration_timeout:
      case event_kind::precheck_failed:
      case event_kind::dest_pre_migration:
      case event_kind::pre_migration_done:
      case event_kind::dest_post_migration:
      case event_kind::rollback:
      case event_kind::task_pending:
      case event_kind::instance_listed:
      case event_kind::qemu_started:
      case event_kind::qemu_incoming:
      case event_kind::qemu_migration_out:
      case event_kind::qemu_shutdown:
      case event_kind::qemu_message:
      case event_kind::job_stats:
      case event_kind::port_record:
      case event_kind::domain_state:
      case event_kind::other_operation:
        if (auto named = host_named_in(ev); !named.empty() && !names_no_host(named)) {
          x.add_name(named);
        }
        break;
    }
  }
  x.join_short_names();
  x.settle();
  return x;
}

std::string host_index::canonical(std::string_view name) const {
  if (name.empty()) return {};
  const auto it = by_key_.find(lower_ascii(name));
  if (it == by_key_.end()) return std::string(name);
  return nodes_[canonical_of_root_.at(root(it->second))].name;
}

std::vector<host_identity> host_index::identities() const {
  // Each name's reason: the first join made that names it.
  std::vector<const std::string*> why_of(nodes_.size(), nullptr);
  for (const auto& e : joined_) {
    if (e.refused) continue;
    for (std::size_t n : {e.a, e.b}) {
      if (why_of[n] == nullptr) why_of[n] = &e.why;
    }
  }
  std::map<std::size_t, host_identity> groups;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const std::size_t r = root(i);
    host_identity& h = groups[r];
    const std::size_t chosen = canonical_of_root_.at(r);
    h.name = nodes_[chosen].name;
    h.why = canonical_why_.at(r);
    h.has_inputs = h.has_inputs || nodes_[i].inputs > 0;
    if (i == chosen) continue;
    h.aliases.push_back({nodes_[i].name, why_of[i] != nullptr ? *why_of[i] : std::string()});
  }
  std::vector<host_identity> out;
  for (auto& [r, h] : groups) {
    if (!h.has_inputs && h.aliases.empty()) continue;
    std::sort(h.aliases.begin(), h.aliases.end(),
              [](const host_alias& a, const host_alias& b) { return a.name < b.name; });
    out.push_back(std::move(h));
  }
  std::sort(out.begin(), out.end(),
            [](const host_identity& a, const host_identity& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> host_index::refusals() const {
  std::vector<std::string> out;
  for (const auto& e : joined_) {
    if (!e.refused) continue;
    out.push_back("'" + nodes_[e.a].name + "' and '" + nodes_[e.b].name +
                  "' kept apart: the bundle has files of each under another name, although " +
                  e.why);
  }
  return out;
}

void host_index::publish(identity_index& into) const {
  std::vector<std::pair<std::string, std::string>> names;
  names.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    names.emplace_back(nodes_[i].name, nodes_[canonical_of_root_.at(root(i))].name);
  }
  into.learn_hosts(names);
}

void host_index::rename(std::vector<event>& events, std::vector<input>& inputs) const {
  for (auto& ev : events) {
    if (!ev.host.empty()) ev.host = canonical(ev.host);
  }
  for (auto& in : inputs) {
    if (!in.host.empty()) in.host = canonical(in.host);
  }
}

}  // namespace migsleuth::correlate
