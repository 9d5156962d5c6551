#include "detect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "migsleuth/core/time.hpp"
#include "parser_seam.hpp"

namespace migsleuth::ingest {
namespace {

constexpr std::size_t kProbeLines = 200;

bool contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

struct probe_counts {
  std::size_t lines = 0;
  std::size_t oslo = 0;
  std::size_t libvirt_stamped = 0;  // "YYYY-MM-DD HH:MM:SS.mmm+0000: "
  std::size_t qemu_cmdline = 0;     // "LC_ALL=C \" / "-name guest="
  std::size_t jobinfo = 0;          // "Job type:"
  std::size_t binary = 0;
  std::size_t oslo_json = 0;        // oslo.log JSONFormatter records ("levelname" key)
  std::size_t libvirtd = 0;         // "<stamp>: <thread>: <level> : <func>:<line> : " or journal tag
  std::size_t virsh_list = 0;       // " Id   Name   State" table header
  std::size_t virsh_error = 0;      // "error: ..." (virsh's own failure text)
  std::size_t virsh_domjobinfo = 0; // "$ virsh domjobinfo <dom>" command line
  char first = '\0';                // first non-blank byte of the file
};

constexpr std::string_view kLibvirtLevels[] = {": debug : ", ": info : ", ": warning : ",
                                               ": error : "};

// "2016-01-26 10:30:51.197+0000: 8591: debug : func:264 : msg" (FMT-19), or a
// journal line of a libvirt daemon with no stamp of its own.
bool libvirtd_line(std::string_view line) {
  bool wrapped = false;
  const std::string_view body = strip_syslog_prefix(line, wrapped);
  if (auto t = parse_iso_datetime(body); t && t->has_zone && body.substr(t->consumed, 2) == ": ") {
    const std::string_view rest = body.substr(t->consumed + 2, 40);
    for (auto l : kLibvirtLevels) {
      if (rest.find(l) != std::string_view::npos) return true;
    }
    return false;
  }
  const std::string_view head = line.substr(0, std::min<std::size_t>(line.size(), 120));
  return wrapped && (contains(head, " libvirtd[") || contains(head, " virtqemud["));
}

// One oslo.log JSON record per line ('{' ... "levelname"), maybe syslog-wrapped,
// or the "levelname" member of a pretty-printed record.
bool oslo_json_line(std::string_view line, std::string_view t) {
  if (t.substr(0, 12) == "\"levelname\":") return true;
  bool wrapped = false;
  const std::string_view body = trim(strip_syslog_prefix(line, wrapped));
  return !body.empty() && body.front() == '{' && contains(body, "\"levelname\"") &&
         (contains(body, "\"name\"") || contains(body, "\"asctime\""));
}

probe_counts probe(std::string_view head, parsers::parsed_headers* parsed) {
  probe_counts c;
  while (!head.empty() && c.lines < kProbeLines) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (line.empty()) continue;
    ++c.lines;
    if (line.find('\0') != std::string_view::npos) ++c.binary;
    const std::string_view tl = trim(line);
    if (c.first == '\0' && !tl.empty()) c.first = tl.front();
    if (parsed != nullptr ? parsed->parse(line) : parse_oslo_header(line).has_value()) {
      ++c.oslo;
    } else if (oslo_json_line(line, tl)) {
      ++c.oslo_json;
    } else if (libvirtd_line(line)) {
      ++c.libvirtd;
    } else if (tl.substr(0, 2) == "Id" && contains(tl, "Name") && contains(tl, "State")) {
      ++c.virsh_list;
    } else if (tl.substr(0, 6) == "error:") {
      ++c.virsh_error;
    } else if (auto cmd = parse_virsh_command(tl); cmd && cmd->subcommand == "domjobinfo") {
      ++c.virsh_domjobinfo;
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

// "name says nova-compute; 4 of the first 4 lines are oslo.log records":
// 100,000 small logs say it in a handful of ways, each made once on a
// thread rather than formatted per file.
std::string oslo_reason(bool named_nova, std::size_t oslo, std::size_t lines) {
  struct made {
    bool named_nova;
    std::size_t oslo, lines;
    std::string text;
  };
  constexpr std::size_t kKept = 32;
  thread_local std::vector<made> seen;
  for (const made& m : seen) {
    if (m.named_nova == named_nova && m.oslo == oslo && m.lines == lines) return m.text;
  }
  std::string text = fmt::format("{}{} of the first {} lines are oslo.log records",
                                 named_nova ? "name says nova-compute; " : "", oslo, lines);
  if (seen.size() < kKept) seen.push_back({named_nova, oslo, lines, text});
  return text;
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Names operators give captures of command output. The name only helps: the
// content must agree, or the file is unrecognized with the reason.
struct named_kind {
  input_kind kind;
  std::string_view patterns[4];
};
constexpr named_kind kNamedCaptures[] = {
    {input_kind::libvirtd, {"libvirtd", "virtqemud"}},
    {input_kind::domjobinfo, {"domjobinfo"}},
    {input_kind::virsh_list, {"virsh-list", "virsh_list", "list-all", "list_all"}},
    {input_kind::server_show, {"server-show", "server_show"}},
    {input_kind::migration_list, {"migration-list", "migration_list", "migrations"}},
    {input_kind::cpu_info, {"hypervisor-show", "hypervisor_show", "cpu-info", "cpu_info"}},
    {input_kind::port_show, {"port-show", "port_show"}},
};

input_kind named_capture(std::string_view name) {
  for (const auto& n : kNamedCaptures) {
    for (auto p : n.patterns) {
      if (!p.empty() && contains(name, p)) return n.kind;
    }
  }
  return input_kind::unrecognized;
}

// `openstack ... -f json` documents, by the keys only that command prints
// (FMT-23..26). The head is at most 64 KiB; these keys come early.
input_kind json_capture_kind(std::string_view head) {
  if (contains(head, "\"cpu_info\"")) return input_kind::cpu_info;
  if (contains(head, "\"binding_vnic_type\"") || contains(head, "\"binding_host_id\"") ||
      contains(head, "\"binding:vnic_type\"")) {
    return input_kind::port_show;
  }
  if (contains(head, "\"Source Compute\"") || contains(head, "\"Dest Compute\"") ||
      contains(head, "\"source_compute\"")) {
    return input_kind::migration_list;
  }
  if (contains(head, "\"OS-EXT-SRV-ATTR:") || contains(head, "\"OS-EXT-STS:")) {
    return input_kind::server_show;
  }
  return input_kind::unrecognized;
}

// The start of the content, whitespace squeezed (a pretty-printed error body
// reads on one line).
std::string first_line_of(std::string_view head) {
  std::string out;
  for (const char c : trim(head.substr(0, 400))) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
    if (out.size() >= 120) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace

detection detect_kind(std::string_view path, std::string_view head,
                      parsers::parsed_headers* parsed) {
  const std::string_view name = base_name(path);
  const bool named_nova = contains(name, "nova-compute") || contains(name, "nova_compute");
  const bool named_qemu = contains(path, "libvirt/qemu/") && contains(name, ".log");
  const bool named_syslog = name.substr(0, 8) == "messages" || contains(name, "journal");
  const probe_counts c = probe(head, parsed);

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
    return {input_kind::nova_compute, oslo_reason(named_nova, c.oslo, c.lines)};
  }
  if (c.oslo_json > 0 && (c.first == '{' || c.oslo_json * 2 >= c.lines || named_syslog ||
                          named_nova)) {
    return {input_kind::nova_compute,
            fmt::format("{}oslo.log JSON records: {} of the first {} lines",
                        named_nova ? "name says nova-compute; " : "", c.oslo_json, c.lines)};
  }
  const input_kind named = named_capture(name);
  const std::string_view named_as = to_string(named);
  const std::string because_named =
      named == input_kind::unrecognized ? "" : fmt::format("name says {}; ", named_as);
  if (c.libvirtd > 0 && (named == input_kind::libvirtd || named_syslog ||
                         c.libvirtd * 2 >= c.lines)) {
    return {input_kind::libvirtd,
            fmt::format("{}{} of the first {} lines are libvirtd daemon log lines",
                        because_named, c.libvirtd, c.lines)};
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
  // A capture of the command that failed ("error: Requested operation is not
  // valid: domain is not running") is still that capture: its parser says so.
  if (c.virsh_domjobinfo > 0 || (named == input_kind::domjobinfo && c.virsh_error > 0)) {
    return {input_kind::domjobinfo,
            fmt::format("{}a virsh domjobinfo capture with no job data ({} virsh error lines)",
                        because_named, c.virsh_error)};
  }
  if (c.virsh_list > 0) {
    return {input_kind::virsh_list, "holds a virsh list table header (Id, Name, State)"};
  }
  if (named == input_kind::virsh_list && c.virsh_error > 0) {
    return {input_kind::virsh_list, "name says virsh-list; a capture of a virsh error"};
  }
  if (c.first == '{' || c.first == '[') {
    const input_kind json_kind = json_capture_kind(head);
    if (json_kind != input_kind::unrecognized &&
        (named == input_kind::unrecognized || named == json_kind)) {
      return {json_kind, fmt::format("{}JSON with the keys of `openstack {} -f json`",
                                     because_named, json_kind == input_kind::cpu_info
                                                        ? "hypervisor show"
                                                    : json_kind == input_kind::migration_list
                                                        ? "server migration list"
                                                    : json_kind == input_kind::port_show
                                                        ? "port show"
                                                        : "server show")};
    }
    if (named != input_kind::unrecognized) {
      return {input_kind::unrecognized,
              fmt::format("name says {} but the JSON has none of its keys (it starts: {})",
                          named_as, first_line_of(head))};
    }
  }
  if (named != input_kind::unrecognized) {
    return {input_kind::unrecognized,
            fmt::format("name says {} but the content is not that output (it starts: {})",
                        named_as, first_line_of(head))};
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

}  // namespace migsleuth::ingest
