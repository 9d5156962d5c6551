// What the human formats share about findings tied to no attempt: a
// finding shown with the incident block's writers, and what a report says
// when it found no attempt and no recognised error (what was read, which
// kinds, what is missing) instead of a bare "0 incident(s)". A pasted
// fragment or the wrong folder is the usual cause of the latter.
#include <fmt/format.h>

#include <map>

#include "render_common.hpp"

namespace migsleuth::report {

std::vector<std::string> host_alias_lines(const report_data& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hosts) {
    if (h.aliases.empty()) continue;
    std::string names;
    for (const auto& a : h.aliases) names += (names.empty() ? "" : ", ") + a.name;
    out.push_back(h.name + " (also " + names + ")");
  }
  return out;
}

std::vector<std::string> nothing_found_lines(const report_data& r) {
  if (!r.incidents.empty() || !r.findings.empty()) return {};
  std::vector<std::string> out;
  std::map<std::string, std::size_t> kinds;
  std::uint64_t lines = 0;
  for (const auto& in : r.inputs) {
    ++kinds[std::string(to_string(in.kind))];
    lines += in.lines;
  }
  if (r.inputs.empty()) {
    out.push_back("nothing was read: no file under the given paths");
    return out;
  }
  std::string list;
  for (const auto& [kind, n] : kinds) list += fmt::format("{}{} {}", list.empty() ? "" : ", ", n, kind);
  out.push_back(fmt::format("read {} input(s), {} line(s): {}", r.inputs.size(), lines, list));
  const bool nova = kinds.count("nova-compute") > 0;
  const bool qemu = kinds.count("qemu-domain") > 0;
  const bool libvirtd = kinds.count("libvirtd") > 0;
  if (!nova && !qemu && !libvirtd) {
    out.push_back(
        "no nova-compute, libvirt QEMU or libvirtd log among them: migsleuth looks for "
        "var/log/nova/nova-compute.log* (or var/log/containers/nova/, a journal export, oslo.log "
        "JSON), var/log/libvirt/qemu/<domain>.log* and libvirtd/virtqemud logs, in one folder per "
        "host (kinds are decided from content; --explain says why each file got its kind)");
  } else {
    out.push_back(
        "no line of a live-migration attempt (nova's 'Starting monitoring of live migration', "
        "'Live Migration failure', 'pre_live_migration', a pre-check error; QEMU's 'initiating "
        "migration' or an -incoming start) and no error a cause rule recognises: the attempt "
        "may be in a rotated file that was not collected (nova-compute.log.1, .2.gz), or only "
        "on the other host");
  }
  if (!nova) out.push_back("missing: the nova-compute logs of the source and the destination");
  return out;
}

std::string decoded_text(const std::vector<decoded_layer>& layers, bool inferred) {
  if (layers.empty()) return {};
  std::string out;
  // "libvirt > libvirt" is one project wrapping its own error: name it once.
  std::string_view previous;
  for (const auto& l : layers) {
    if (l.layer != previous) out += (out.empty() ? "" : " > ") + l.layer;
    previous = l.layer;
  }
  // The innermost layer that names a cause decided; else say what the
  // innermost one recognised.
  const decoded_layer* decisive = &layers.back();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    if (it->verdict == "classified") {
      decisive = &*it;
      break;
    }
  }
  out += decisive->verdict == "classified" ? ": decided by " : ": innermost ";
  out += decisive->entry + " ('" + elide_line(decisive->text, 160) + "')";
  if (inferred) out += "; class inferred from the error's mechanism, not named by the message";
  return out;
}

verdict shown_as_verdict(const loose_finding& lf) {
  verdict v;
  v.evidence = lf.f.evidence;
  v.confirm = lf.f.confirm;
  v.remediation = lf.f.remediation;
  v.decoded = lf.f.decoded;
  v.inferred = lf.f.inferred;
  return v;
}

}  // namespace migsleuth::report
