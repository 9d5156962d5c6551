#include "ingest/detect.hpp"

#include <fmt/format.h>

#include "migsleuth/core/time.hpp"
#include "nova_compute/oslo_header.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::size_t kProbeLines = 200;

struct probe_counts {
  std::size_t lines = 0;
  std::size_t oslo = 0;
  std::size_t libvirt_stamped = 0;  // "YYYY-MM-DD HH:MM:SS.mmm+0000: "
  std::size_t qemu_cmdline = 0;     // "LC_ALL=C \" / "-name guest="
  std::size_t jobinfo = 0;          // "Job type:"
  std::size_t binary = 0;
};

probe_counts probe(std::string_view head) {
  probe_counts c;
  while (!head.empty() && c.lines < kProbeLines) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (line.empty()) continue;
    ++c.lines;
    if (line.find('\0') != std::string_view::npos) ++c.binary;
    if (parse_oslo_header(line)) {
      ++c.oslo;
    } else if (auto t = parse_iso_datetime(line); t && t->has_zone) {
      if (line.substr(t->consumed, 2) == ": ") ++c.libvirt_stamped;
    } else if (line.substr(0, 7) == "LC_ALL=" || line.substr(0, 12) == "-name guest=") {
      ++c.qemu_cmdline;
    } else if (line.substr(0, 9) == "Job type:") {
      ++c.jobinfo;
    }
  }
  return c;
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

}  // namespace

detection detect_kind(std::string_view path, std::string_view head) {
  const std::string_view name = base_name(path);
  const bool named_nova = contains(name, "nova-compute") || contains(name, "nova_compute");
  const bool named_qemu = contains(path, "libvirt/qemu/") && contains(name, ".log");
  const bool named_syslog = name.substr(0, 8) == "messages" || contains(name, "journal");
  const probe_counts c = probe(head);

  if (c.lines == 0) {
    return {input_kind::unrecognized, "empty file"};
  }
  if (c.binary * 4 > c.lines) {
    return {input_kind::unrecognized,
            fmt::format("binary content: {} of the first {} lines hold NUL bytes", c.binary,
                        c.lines)};
  }
  // A syslog/journal file mixes many daemons; a few nova-compute records are enough.
  if (c.oslo > 0 && (c.oslo * 2 >= c.lines || named_syslog || named_nova)) {
    return {input_kind::nova_compute,
            fmt::format("{}{} of the first {} lines are oslo.log records",
                        named_nova ? "name says nova-compute; " : "", c.oslo, c.lines)};
  }
  if (c.libvirt_stamped + c.qemu_cmdline > 0 &&
      (named_qemu || (c.libvirt_stamped + c.qemu_cmdline) * 2 >= c.lines ||
       contains(head.substr(0, 4096), "starting up libvirt version"))) {
    return {input_kind::qemu_domain,
            fmt::format("{}{} libvirt-stamped and {} QEMU command-line lines in the first {}",
                        named_qemu ? "under libvirt/qemu/; " : "", c.libvirt_stamped,
                        c.qemu_cmdline, c.lines)};
  }
  if (c.jobinfo > 0) {
    return {input_kind::domjobinfo, "holds a 'Job type:' line (virsh domjobinfo capture)"};
  }
  if (named_nova) {
    return {input_kind::unrecognized,
            fmt::format("name says nova-compute but none of the first {} lines is an "
                        "oslo.log record",
                        c.lines)};
  }
  if (named_qemu) {
    return {input_kind::unrecognized,
            fmt::format("under libvirt/qemu/ but none of the first {} lines looks like a "
                        "libvirt domain log",
                        c.lines)};
  }
  return {input_kind::unrecognized,
          fmt::format("no known layout in the first {} lines", c.lines)};
}

}  // namespace migsleuth::parsers
