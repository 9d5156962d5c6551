// Captures -> one host_facts per host. Files are found, opened and attributed
// to hosts by the same ingest as `analyze` (folders, tarballs, sosreports), so
// a host is named the same way in both commands.
#include <algorithm>
#include <map>

#include "migsleuth/preflight/preflight.hpp"

namespace migsleuth::preflight {
namespace {

// cmp-a.example.com and cmp-a are one host: nova names hypervisors by FQDN,
// sosreports and bundle folders by short name.
std::string short_host(std::string_view h) { return std::string(h.substr(0, h.find('.'))); }

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

}  // namespace

fleet facts_from(const std::vector<input>& inputs, const std::vector<parsers::kept_text>& kept) {
  fleet f;
  std::map<std::string, host_facts> by_host;
  for (const auto& in : inputs) f.any_unreadable = f.any_unreadable || in.unreadable;
  for (const auto& k : kept) {
    if (k.input >= inputs.size()) continue;
    const input& in = inputs[k.input];
    capture c = parse_capture(k.text);
    std::string host = short_host(!c.named_host.empty() ? c.named_host : in.host);
    if (host.empty()) host = in.path;
    if (c.kind == capture_kind::none && c.error.empty()) continue;
    host_facts& h = by_host[host];
    h.host = host;
    if (!c.error.empty()) {
      h.warnings.push_back(in.path + ": " + c.error);
      f.warnings.push_back(host + ": " + in.path + ": " + c.error);
      continue;
    }
    if (k.cut) h.warnings.push_back(in.path + ": cut at the kept-size limit");
    merge(h, std::move(c.facts), c.kind, in.path);
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

fleet collect(const std::vector<std::string>& paths) {
  parsers::ingest_options opt;
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
    parsers::analysis_input a = parsers::ingest(opt, std::move(shapes));
    fleet f = facts_from(a.inputs, a.kept);
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
