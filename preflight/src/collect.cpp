// Captures -> one host_facts per host. Files are found, opened and attributed
// to hosts by the same ingest as `analyze` (folders, tarballs, sosreports), so
// a host is named the same way in both commands.
#include <algorithm>
#include <map>
#include <set>

#include "migsleuth/correlate/host_index.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/preflight/preflight.hpp"

namespace migsleuth::preflight {
namespace {

std::string_view first_label(std::string_view name) { return name.substr(0, name.find('.')); }

// What each host is printed as: the first label of the analysis' name for
// it (the matrix is read by people who call hosts cmp-07), unless another
// host of the fleet has the same first label or the name is an address.
std::map<std::string, std::string> printed_names(const std::set<std::string>& identities) {
  std::map<std::string, int> labels;
  for (const auto& id : identities) {
    if (!correlate::is_address(id)) ++labels[std::string(first_label(id))];
  }
  std::map<std::string, std::string> out;
  for (const auto& id : identities) {
    const std::string label(first_label(id));
    const bool shared = correlate::is_address(id) || labels[label] > 1;
    out.emplace(id, shared ? id : label);
  }
  return out;
}

void merge(host_facts& into, host_facts from, capture_kind kind, const std::string& source) {
  into.sources.push_back(source + " (" + std::string(to_string(kind)) + ")");
  if (into.vendor.empty()) into.vendor = from.vendor;
  if (into.arch.empty()) into.arch = from.arch;
  if (from.has_host_cpu) {
    // capabilities is libvirt's own word; nova's cpu_info is a copy of it made
    // when nova-compute started, so capabilities wins when both are there.
    if (!into.has_host_cpu || kind == capture_kind::capabilities) {
      if (into.has_host_cpu && into.host_cpu_model != from.host_cpu_model) {
        into.warnings.push_back("cpu_info says model " + into.host_cpu_model +
                                " but capabilities says " + from.host_cpu_model +
                                " (nova-compute not restarted since a change?); using capabilities");
      }
      into.has_host_cpu = true;
      into.host_cpu_model = std::move(from.host_cpu_model);
      into.host_cpu_features = std::move(from.host_cpu_features);
    }
    if (!from.vendor.empty() && !into.vendor.empty() && from.vendor != into.vendor) {
      into.warnings.push_back("captures disagree on the vendor: " + into.vendor + " and " +
                              from.vendor);
    }
  }
  if (from.has_domcaps) {
    if (into.has_domcaps) {
      into.warnings.push_back("more than one domcapabilities capture; using the first");
      return;
    }
    into.has_domcaps = true;
    into.passthrough_supported = from.passthrough_supported;
    into.host_model_supported = from.host_model_supported;
    into.host_model = std::move(from.host_model);
    into.host_model_require = std::move(from.host_model_require);
    into.host_model_disable = std::move(from.host_model_disable);
    into.models = std::move(from.models);
  }
}

// The host names as analyze joins them (correlate's host_index) from the
// inputs, `events` and what each hypervisor show says of its host (the
// record host_index reads in an analysis: its service host and its
// hypervisor name are one host).
identity_index host_names(const std::vector<input>& inputs,
                          const std::vector<ingest::kept_text>& kept, std::vector<event> events) {
  for (const auto& k : kept) {
    if (k.input >= inputs.size()) continue;
    const capture c = parse_capture(k.text);
    if (c.named_host.empty()) continue;
    event ev;
    ev.kind = event_kind::hypervisor_record;
    ev.where.input = k.input;
    ev.host = inputs[k.input].host;
    ev.values = {{"host", c.named_host}, {"hypervisor_hostname", c.named_node}};
    events.push_back(std::move(ev));
  }
  identity_index hosts;
  correlate::host_index::build(inputs, events).publish(hosts);
  return hosts;
}

}  // namespace

fleet facts_from(const std::vector<input>& inputs, const std::vector<ingest::kept_text>& kept,
                 const identity_index& hosts) {
  fleet f;
  for (const auto& in : inputs) f.any_unreadable = f.any_unreadable || in.unreadable;
  struct read_capture {
    const ingest::kept_text* from;
    capture c;
    std::string identity;
  };
  std::vector<read_capture> read;
  std::set<std::string> identities;
  for (const auto& k : kept) {
    if (k.input >= inputs.size()) continue;
    const input& in = inputs[k.input];
    capture c = parse_capture(k.text);
    if (c.kind == capture_kind::none && c.error.empty()) continue;
    std::string identity = hosts.host(!c.named_host.empty() ? c.named_host : in.host.str());
    if (identity.empty()) identity = in.path;
    identities.insert(identity);
    read.push_back({&k, std::move(c), std::move(identity)});
  }
  const std::map<std::string, std::string> printed = printed_names(identities);
  std::map<std::string, host_facts> by_host;  // by printed name: the fleet's order
  for (auto& r : read) {
    const input& in = inputs[r.from->input];
    const std::string& host = printed.at(r.identity);
    host_facts& h = by_host[host];
    h.host = host;
    h.identity = r.identity;
    if (!r.c.error.empty()) {
      h.warnings.push_back(in.path + ": " + r.c.error);
      f.warnings.push_back(host + ": " + in.path + ": " + r.c.error);
      continue;
    }
    if (r.from->cut) h.warnings.push_back(in.path + ": cut at the kept-size limit");
    merge(h, std::move(r.c.facts), r.c.kind, in.path);
  }
  for (auto& [name, h] : by_host) {
    if (!h.has_host_cpu && !h.has_domcaps) {
      f.warnings.push_back(name + ": no readable CPU facts; left out of the matrix");
      continue;
    }
    f.hosts.push_back(std::move(h));
  }
  return f;
}

fleet facts_from(const std::vector<input>& inputs, const std::vector<ingest::kept_text>& kept) {
  return facts_from(inputs, kept, host_names(inputs, kept, {}));
}

fleet collect(const std::vector<std::string>& paths) {
  ingest::ingest_options opt;
  opt.paths = paths;
  opt.keep_text = [](std::string_view path, std::string_view head) {
    return is_cpu_capture(path, head);
  };
  opt.kept_only = true;
  try {
    // A kept file may still be detected as a log kind whose parser needs the
    // shapes; the embedded ones are cheap to load.
    diags errors;
    auto shapes = parsers::shape_set::load({}, errors);
    ingest::analysis_input a = ingest::ingest(opt, std::move(shapes));
    const identity_index hosts = host_names(a.inputs, a.kept, std::move(a.events));
    fleet f = facts_from(a.inputs, a.kept, hosts);
    f.inputs = std::move(a.inputs);
    f.any_unreadable = f.any_unreadable || a.any_unreadable;
    return f;
  } catch (const std::exception& e) {
    fleet f;
    f.warnings.push_back(std::string("reading the inputs failed: ") + e.what());
    f.any_unreadable = true;
    return f;
  }
}

}  // namespace migsleuth::preflight
