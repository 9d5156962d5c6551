#include "sosreport.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "parser_seam.hpp"

namespace migsleuth::ingest {
namespace {

std::string_view base_name(std::string_view path) noexcept {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}
bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Log layouts, relative to a sosreport root. A trailing '*' matches any
// rest of the path (rotations .1, .2.gz and sos's .tailed included).
constexpr std::array<std::string_view, 13> kMatters{
    "var/log/nova/nova-compute.log*",
    "var/log/containers/nova/nova-compute.log*",
    "var/log/libvirt/libvirtd.log*",
    "var/log/libvirt/virtqemud.log*",
    "var/log/containers/libvirt/libvirtd.log*",
    "var/log/containers/libvirt/virtqemud.log*",
    "var/log/messages*",
    "sos_commands/logs/journalctl_*",
    "sos_commands/virsh/*",
    "sos_commands/libvirt/virsh_*",
    "sos_commands/host/hostname",
    "etc/hostname",
    "sos_commands/date/*",
};

bool glob_prefix_match(std::string_view pattern, std::string_view rel) noexcept {
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    // "dir/*" matches files directly in dir only: the qemu folder holds logs,
    // not sub-trees.
    if (!rel.starts_with(pattern)) return false;
    return pattern.back() != '/' || rel.find('/', pattern.size()) == std::string_view::npos;
  }
  return rel == pattern;
}

constexpr std::array<std::string_view, 9> kArchiveSuffixes{
    ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tzst"};

}  // namespace

bool archive_named(std::string_view name) noexcept {
  return std::any_of(kArchiveSuffixes.begin(), kArchiveSuffixes.end(),
                     [&](std::string_view s) { return name.ends_with(s); });
}

bool sos_path_matters(std::string_view rel) noexcept {
  if (archive_named(base_name(rel))) return true;
  // QEMU domain logs only (instance-*.log and rotations), not sub-folders.
  if (glob_prefix_match("var/log/libvirt/qemu/*", rel) ||
      glob_prefix_match("var/log/containers/libvirt/qemu/*", rel)) {
    return base_name(rel).find(".log") != std::string_view::npos;
  }
  return std::any_of(kMatters.begin(), kMatters.end(),
                     [&](std::string_view p) { return glob_prefix_match(p, rel); });
}

int sos_host_file_rank(std::string_view rel) noexcept {
  if (rel == "sos_commands/host/hostname") return 3;
  if (rel == "etc/hostname") return 2;
  return 0;
}

std::string host_from_sos_name(std::string_view name) {
  name = base_name(name);
  if (!name.starts_with("sosreport-")) return {};
  name.remove_prefix(10);
  for (auto s : kArchiveSuffixes) {
    if (name.ends_with(s)) {
      name.remove_suffix(s.size());
      break;
    }
  }
  // sos 3/4: <name>[-<case id>]-<YYYY>-<MM>-<DD>-<random>. Host names may hold
  // dashes, so parts are taken off the right and only when they fit exactly.
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto dash = name.find('-', start);
    parts.push_back(name.substr(start, dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  const std::size_t n = parts.size();
  if (n >= 5 && parts[n - 4].size() == 4 && all_digits(parts[n - 4]) &&
      parts[n - 3].size() == 2 && all_digits(parts[n - 3]) && parts[n - 2].size() == 2 &&
      all_digits(parts[n - 2])) {
    std::size_t keep = n - 4;
    // A support case number (Red Hat: 8 digits) is not part of a host name.
    if (keep >= 2 && parts[keep - 1].size() >= 5 && all_digits(parts[keep - 1])) --keep;
    const auto end = static_cast<std::size_t>(parts[keep - 1].data() + parts[keep - 1].size() -
                                              name.data());
    return std::string(name.substr(0, end));
  }
  return std::string(name);
}

bool obfuscated_host(std::string_view host) noexcept {
  return host.starts_with("host") && all_digits(host.substr(4));
}

std::string hostname_from_content(std::string_view content) {
  const auto nl = content.find('\n');
  std::string_view line = content.substr(0, nl);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  // A host name is one token of [A-Za-z0-9.-_]; anything else (a command's
  // error text, binary) is not trusted.
  if (line.empty() || line.size() > 253) return {};
  for (const char c : line) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return {};
  }
  return std::string(line);
}

std::size_t sos_root_end(std::string_view path) noexcept {
  std::size_t root = std::string_view::npos;
  for (std::size_t start = 0; start < path.size();) {
    const auto slash = path.find('/', start);
    if (slash == std::string_view::npos) break;  // the last part is the file itself
    const std::string_view part = path.substr(start, slash - start);
    if (part.starts_with("sosreport-") && !archive_named(part)) {
      root = slash;
    } else if (part == "sos_commands" || part == "sos_reports") {
      return start == 0 ? 0 : start - 1;
    }
    start = slash + 1;
  }
  return root;
}

std::string_view sos_kind_note(std::string_view rel) noexcept {
  if (sos_host_file_rank(rel) > 0) return "sosreport host name file";
  if (rel.starts_with("sos_commands/date/")) {
    return "sosreport date capture (the host's clock and zone when sos ran)";
  }
  return {};
}

sos_metadata read_sos_metadata(std::string_view note, std::string_view text) {
  sos_metadata m;
  m.reason = std::string(note);
  const bool host_file = note.starts_with("sosreport host name file");
  bool said = false;
  for (std::size_t start = 0; start < text.size();) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    ++m.lines;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (said) {
      ++m.not_understood;  // a host name or a date is one line
    } else if (host_file) {
      const std::string name = hostname_from_content(line);
      said = !name.empty();
      if (said && m.reason.find("names the host") == std::string::npos) {
        m.reason += ": names the host '" + name + "'";
      }
      if (!said) ++m.not_understood;
    } else if (const auto d = parse_date_line(line)) {
      said = true;
      m.reason += d->zone_known ? ": sos ran at " + format_rfc3339(d->time)
                                : ": sos ran at " + std::string(trim(line)) +
                                      " (the host's local clock)";
    } else {
      ++m.not_understood;
    }
  }
  return m;
}

bool sos_tailed(std::string_view name) noexcept { return base_name(name).ends_with(".tailed"); }

std::string sanitize_member_name(std::string_view name, bool& changed) {
  changed = false;
  std::string out;
  for (std::size_t start = 0; start <= name.size();) {
    auto slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    const std::string_view part = name.substr(start, slash - start);
    if (part == "..") {
      changed = true;
    } else if (part.empty() || part == ".") {
      // "./x" is how GNU tar names members: not worth a warning; "/x" is.
      if (part.empty() && start == 0 && slash < name.size()) changed = true;
    } else {
      if (!out.empty()) out.push_back('/');
      out.append(part);
    }
    start = slash + 1;
  }
  return out;
}

}  // namespace migsleuth::ingest
