// The read-only allowlist behind is_read_only_command(). Every pipeline or
// list segment must start with a known query verb whose arguments keep it a
// query; wrappers (ssh, sudo, timeout) are judged by what they run. Anything
// unknown is refused: a confirmation command that might change state is a
// worse bug than one the rule author has to rewrite.
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>

#include "engine/shell_words.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {
namespace {

using args_t = std::span<const std::string>;

constexpr int kMaxWrapDepth = 4;

bool judge(args_t words, std::string& why, int depth);

template <std::size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view w) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

bool is_option(std::string_view w) { return w.size() > 1 && w[0] == '-'; }

// True if a short-option cluster ("-zvw3") or the long form names the flag.
bool has_flag(args_t args, char short_flag, std::string_view long_flag = {}) {
  for (const auto& a : args) {
    if (a.size() > 1 && a[0] == '-' && a[1] != '-' && short_flag != 0 &&
        a.find(short_flag, 1) != std::string::npos) {
      return true;
    }
    if (!long_flag.empty() && a.rfind(long_flag, 0) == 0 &&
        (a.size() == long_flag.size() || a[long_flag.size()] == '=')) {
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> positionals(args_t args) {
  std::vector<std::string_view> out;
  for (const auto& a : args) {
    if (!is_option(a)) out.push_back(a);
  }
  return out;
}

bool refuse(std::string& why, std::string reason) {
  why = std::move(reason);
  return false;
}

constexpr std::array<std::string_view, 45> kVirshQueries{
    "list", "dominfo", "domjobinfo", "domstate", "dumpxml", "capabilities", "domcapabilities",
    "hypervisor-cpu-compare", "cpu-compare", "hypervisor-cpu-baseline", "cpu-baseline",
    "cpu-models", "nodeinfo", "version", "uri", "hostname", "sysinfo", "domifaddr", "domblklist",
    "domiflist", "domblkinfo", "domblkstat", "domblkerror", "domifstat", "dommemstat",
    "domstats", "domcontrol", "domuuid", "domname", "domid", "domdisplay", "vcpuinfo",
    "vcpucount", "nodedev-list", "nodedev-dumpxml", "nodememstats", "nodecpustats", "freecell",
    "freepages", "net-list", "net-dumpxml", "pool-list", "vol-list", "migrate-getspeed",
    "migrate-getmaxdowntime"};

bool judge_virsh(args_t args, std::string& why) {
  bool readonly = false;
  std::size_t i = 0;
  for (; i < args.size() && is_option(args[i]); ++i) {
    const std::string& a = args[i];
    if (a == "-r" || a == "--readonly") {
      readonly = true;
    } else if (a == "-c" || a == "--connect" || a == "-d" || a == "--debug") {
      ++i;  // takes a value
    } else if (a == "-q" || a == "--quiet" || a.rfind("--connect=", 0) == 0) {
      continue;
    } else {
      return refuse(why, "virsh option '" + a + "' is not known to be harmless");
    }
  }
  if (i >= args.size()) return refuse(why, "virsh without a subcommand opens a shell");
  // A read-only connection cannot change anything; libvirt enforces it.
  if (readonly || in(kVirshQueries, args[i])) return true;
  return refuse(why, "virsh " + args[i] + " is not a query (use 'virsh -r' and a query subcommand)");
}

constexpr std::array<std::string_view, 46> kOpenstackNouns{
    "server", "migration", "event", "hypervisor", "stats", "port", "compute", "service",
    "resource", "provider", "inventory", "allocation", "usage", "trait", "aggregate", "versions",
    "network", "agent", "subnet", "host", "flavor", "image", "volume", "availability", "zone",
    "console", "log", "url", "limits", "quota", "extension", "catalog", "endpoint", "security",
    "group", "rule", "floating", "ip", "router", "trunk", "subport", "keypair", "project",
    "region", "segment", "class"};

bool judge_openstack(args_t args, std::string& why) {
  std::size_t i = 0;
  // Global options come first; the --os-* ones take a value unless written with '='.
  for (; i < args.size() && is_option(args[i]); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--os-", 0) == 0) {
      if (a.find('=') == std::string::npos) ++i;
    } else if (a != "--insecure" && a != "-q" && a != "--quiet" && a != "-v" && a != "--debug") {
      return refuse(why, "openstack option '" + a + "' is not known to be harmless");
    }
  }
  for (; i < args.size(); ++i) {
    if (args[i] == "show" || args[i] == "list") return true;
    if (!in(kOpenstackNouns, args[i])) break;
  }
  return refuse(why, "openstack command is not a 'show' or 'list'");
}

constexpr std::array<std::string_view, 17> kNovaQueries{
    "show", "list", "migration-list", "server-migration-list", "server-migration-show",
    "hypervisor-show", "hypervisor-list", "hypervisor-servers", "hypervisor-stats",
    "instance-action-list", "instance-action", "service-list", "version-list",
    "availability-zone-list", "flavor-show", "flavor-list", "interface-list"};

bool judge_nova(args_t args, std::string& why) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--os-", 0) == 0) {
      if (args[i].find('=') == std::string::npos) ++i;
      continue;
    }
    if (is_option(args[i])) continue;
    if (in(kNovaQueries, args[i])) return true;
    return refuse(why, "nova " + args[i] + " is not a query");
  }
  return refuse(why, "nova without a subcommand");
}

bool judge_systemctl(args_t args, std::string& why) {
  constexpr std::array<std::string_view, 8> kQueries{
      "status", "is-active", "is-enabled", "is-failed", "show", "list-units", "list-timers", "cat"};
  auto pos = positionals(args);
  if (!pos.empty() && in(kQueries, pos[0])) return true;
  return refuse(why, "systemctl may only query (status, is-active, show, ...)");
}

bool judge_journalctl(args_t args, std::string& why) {
  constexpr std::array<std::string_view, 9> kWrites{
      "--vacuum-size", "--vacuum-time", "--vacuum-files", "--rotate", "--flush", "--sync",
      "--relinquish-var", "--setup-keys", "--update-catalog"};
  for (const auto& a : args) {
    const std::string_view name = std::string_view(a).substr(0, a.find('='));
    if (in(kWrites, name)) return refuse(why, "journalctl " + std::string(name) + " changes the journal");
  }
  return true;
}

bool judge_ip(args_t args, std::string& why) {
  constexpr std::array<std::string_view, 17> kObjects{
      "addr", "address", "a", "link", "l", "route", "r", "ro", "neigh", "neighbor", "neighbour",
      "n", "rule", "ru", "maddr", "netconf", "tunnel"};
  constexpr std::array<std::string_view, 6> kActions{"show", "sh", "list", "ls", "lst", "get"};
  std::size_t i = 0;
  for (; i < args.size() && is_option(args[i]); ++i) {
    if (args[i] == "-b" || args[i] == "-batch" || args[i] == "-force" || args[i] == "-n" ||
        args[i] == "-netns") {
      return refuse(why, "ip " + args[i] + " runs other commands");
    }
  }
  if (i >= args.size() || !in(kObjects, args[i])) return refuse(why, "ip object is not a queryable one");
  if (i + 1 >= args.size() || in(kActions, args[i + 1])) return true;
  return refuse(why, "ip " + args[i] + " " + args[i + 1] + " is not show/list/get");
}

bool judge_awk(args_t args, std::string& why) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-v" || a == "-F") {
      ++i;
      continue;
    }
    if (a.rfind("-v", 0) == 0 || a.rfind("-F", 0) == 0) continue;
    if (is_option(a)) return refuse(why, "awk option '" + a + "' (program files, in-place edits)");
    // The first positional is the program; the rest are input files.
    if (a.find("system") != std::string::npos || a.find('>') != std::string::npos ||
        a.find('|') != std::string::npos) {
      return refuse(why, "awk program may run commands or write files (system, >, |)");
    }
    return true;
  }
  return refuse(why, "awk without a program");
}

bool judge_sed(args_t args, std::string& why) {
  static const RE2 kPrintOnly(R"((?:(?:\d+|\$|/[^/]*/)(?:,(?:\d+|\$|/[^/]*/))?)?p)");
  if (has_flag(args, 'i', "--in-place")) return refuse(why, "sed -i edits files in place");
  if (!has_flag(args, 'n', "--quiet") && !has_flag(args, 0, "--silent")) {
    return refuse(why, "sed must be 'sed -n' with print-only scripts");
  }
  bool script_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string script;
    if (args[i] == "-e" && i + 1 < args.size()) {
      script = args[++i];
    } else if (args[i] == "-f" || args[i].rfind("--file", 0) == 0) {
      return refuse(why, "sed -f runs a script the command line does not show");
    } else if (is_option(args[i]) || script_seen) {
      continue;
    } else {
      script = args[i];
    }
    script_seen = true;
    if (!RE2::FullMatch(script, kPrintOnly)) {
      return refuse(why, "sed script '" + script + "' is not a print-only address");
    }
  }
  return script_seen || refuse(why, "sed without a script");
}

bool judge_openssl(args_t args, std::string& why) {
  if (args.empty()) return refuse(why, "openssl without a subcommand opens a shell");
  for (const auto& a : args) {
    if (a == "-out" || a == "-sess_out" || a == "-keylogfile" || a == "-msgfile" ||
        a == "-signkey") {
      return refuse(why, "openssl " + a + " writes a file");
    }
  }
  if (args[0] == "s_client" || args[0] == "version" || args[0] == "ciphers") return true;
  if (args[0] == "x509" && std::find(args.begin(), args.end(), "-noout") != args.end()) return true;
  return refuse(why, "openssl " + args[0] + " is not s_client or 'x509 -noout'");
}

// Wrappers: skip their own options, then judge the command they run.
bool judge_sudo(args_t args, std::string& why, int depth) {
  std::size_t i = 0;
  for (; i < args.size() && is_option(args[i]); ++i) {
    if (args[i] == "-u" || args[i] == "-g") {
      ++i;
    } else if (args[i] != "-n" && args[i] != "-E" && args[i] != "-H") {
      return refuse(why, "sudo option '" + args[i] + "' (shells and edits are refused)");
    }
  }
  return judge(args.subspan(std::min(i, args.size())), why, depth + 1);
}

bool judge_timeout(args_t args, std::string& why, int depth) {
  std::size_t i = 0;
  for (; i < args.size() && is_option(args[i]); ++i) {
    if (args[i] == "-s" || args[i] == "-k") ++i;
  }
  if (i >= args.size()) return refuse(why, "timeout without a duration");
  return judge(args.subspan(i + 1), why, depth + 1);
}

bool judge_ssh(args_t args, std::string& why, int depth) {
  constexpr std::string_view kWithValue = "BbcDEeFIiJLlmOopQRSWw";
  constexpr std::string_view kRefused = "DELNORSWfsM";  // forwarding, logs, control, no command
  std::size_t i = 0;
  for (; i < args.size() && is_option(args[i]); ++i) {
    const std::string& a = args[i];
    for (std::size_t k = 1; k < a.size(); ++k) {
      if (kRefused.find(a[k]) != std::string_view::npos) {
        return refuse(why, std::string("ssh -") + a[k] + " does more than run one command");
      }
      if (kWithValue.find(a[k]) != std::string_view::npos) {
        if (k + 1 == a.size()) ++i;  // the value is the next word
        break;
      }
    }
  }
  if (i + 1 >= args.size()) return refuse(why, "ssh without a remote command opens a shell");
  // The remote shell sees the remaining words joined by spaces, so judge that line.
  std::string remote;
  for (std::size_t k = i + 1; k < args.size(); ++k) remote += (remote.empty() ? "" : " ") + args[k];
  if (depth >= kMaxWrapDepth) return refuse(why, "wrappers nested too deeply");
  std::string inner_why;
  if (is_read_only_command(remote, inner_why)) return true;
  return refuse(why, "remote command: " + inner_why);
}

bool judge(args_t words, std::string& why, int depth) {
  if (depth > kMaxWrapDepth) return refuse(why, "wrappers nested too deeply");
  if (words.empty()) return refuse(why, "a wrapper with no command to run");
  const std::string& verb = words[0];
  const args_t args = words.subspan(1);
  constexpr std::array<std::string_view, 44> kAlwaysQueries{
      "grep", "egrep", "fgrep", "zgrep", "zegrep", "zcat", "xzcat", "bzcat", "zstdcat", "cat",
      "head", "tail", "ls", "stat", "wc", "lscpu", "numastat", "lspci", "free", "df", "getent",
      "host", "dig", "nslookup", "virt-host-validate", "uptime", "uname", "cut", "column", "jq",
      "ps", "pgrep", "lsblk", "findmnt", "du", "lsmod", "modinfo", "file", "readlink", "realpath",
      "nproc", "id", "whoami", "tr"};
  if (in(kAlwaysQueries, verb)) return true;
  if (verb == "virsh") return judge_virsh(args, why);
  if (verb == "openstack") return judge_openstack(args, why);
  if (verb == "nova") return judge_nova(args, why);
  if (verb == "systemctl") return judge_systemctl(args, why);
  if (verb == "journalctl") return judge_journalctl(args, why);
  if (verb == "ip") return judge_ip(args, why);
  if (verb == "awk" || verb == "gawk" || verb == "mawk") return judge_awk(args, why);
  if (verb == "sed") return judge_sed(args, why);
  if (verb == "openssl") return judge_openssl(args, why);
  if (verb == "sudo") return judge_sudo(args, why, depth);
  if (verb == "timeout") return judge_timeout(args, why, depth);
  if (verb == "ssh") return judge_ssh(args, why, depth);
  if (verb == "ss") {
    return (!has_flag(args, 'K', "--kill") && !has_flag(args, 'D', "--diag")) ||
           refuse(why, "ss -K kills sockets");
  }
  if (verb == "nc" || verb == "ncat" || verb == "netcat") {
    if (!has_flag(args, 'z')) return refuse(why, "nc must be a port probe ('nc -zv host port')");
    return (!has_flag(args, 'l') && !has_flag(args, 'e') && !has_flag(args, 'c') &&
            !has_flag(args, 'o')) ||
           refuse(why, "nc may not listen, execute or write");
  }
  if (verb == "ping") return has_flag(args, 'c') || refuse(why, "ping needs '-c N' so it ends");
  if (verb == "sort") return !has_flag(args, 'o', "--output") || refuse(why, "sort -o writes a file");
  if (verb == "uniq") return positionals(args).size() <= 1 || refuse(why, "uniq IN OUT writes OUT");
  if (verb == "hostname") return positionals(args).empty() || refuse(why, "hostname NAME sets it");
  if (verb == "date") {
    const auto pos = positionals(args);
    const bool sets = has_flag(args, 's', "--set") ||
                      std::any_of(pos.begin(), pos.end(), [](auto p) { return p[0] != '+'; });
    return !sets || refuse(why, "date with a date argument sets the clock");
  }
  if (verb == "timedatectl") {
    const auto pos = positionals(args);
    return pos.empty() || pos[0] == "status" || pos[0] == "show" ||
           pos[0] == "timesync-status" || refuse(why, "timedatectl may only show status");
  }
  if (verb == "qemu-img") {
    const auto pos = positionals(args);
    return (!pos.empty() && pos[0] == "info") || refuse(why, "qemu-img may only be 'info'");
  }
  return refuse(why, "'" + verb + "' is not on the read-only allowlist");
}

}  // namespace

bool is_read_only_command(const std::string& command, std::string& why) {
  std::vector<shell_words> segments;
  std::string split_why;
  if (!split_shell(command, segments, split_why)) {
    why = "command " + split_why;
    return false;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string seg_why;
    if (!judge(segments[i], seg_why, 0)) {
      why = segments.size() == 1 ? seg_why
                                 : "segment " + std::to_string(i + 1) + " ('" +
                                       segments[i][0] + " ...'): " + seg_why;
      return false;
    }
  }
  why.clear();
  return true;
}

}  // namespace migsleuth::classifiers
