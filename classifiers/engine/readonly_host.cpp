// Read-only allowlists of the host-fact tools (lscpu, free, df, ps, date,
// hostname, ...) and of systemd's and QEMU's query commands. Setting the
// clock or the host name, following the journal, vacuuming or rotating it,
// or talking to another machine's manager (-H/--host, -M) is not on any list.
#include <algorithm>
#include <array>
#include <cctype>

#include "engine/readonly_spec.hpp"

namespace migsleuth::classifiers::readonly {
namespace {

constexpr takes V = takes::value;
constexpr takes O = takes::optional;
constexpr takes N = takes::number;
constexpr std::array<option, 0> kNone{};

// No -s/--set, no operand but +FORMAT (an operand sets the clock).
constexpr option kDate[] = {
    {'u', "utc"}, {0, "universal"}, {'d', "date", V}, {'R', "rfc-email"},
    {'I', "iso-8601", O}, {0, "rfc-3339", V}, {'r', "reference", V},
};

// No operand (sets the name), no -F/--file or -b/--boot (set it from a file).
constexpr option kHostname[] = {
    {'f', "fqdn"}, {0, "long"}, {'s', "short"}, {'d', "domain"}, {'i', "ip-address"},
    {'I', "all-ip-addresses"}, {'A', "all-fqdns"}, {'a', "alias"},
};

constexpr option kUptime[] = {{'p', "pretty"}, {'s', "since"}};
constexpr option kUname[] = {
    {'a', "all"}, {'s', "kernel-name"}, {'n', "nodename"}, {'r', "kernel-release"},
    {'v', "kernel-version"}, {'m', "machine"}, {'p', "processor"},
    {'i', "hardware-platform"}, {'o', "operating-system"},
};
constexpr option kNproc[] = {{0, "all"}, {0, "ignore", V}};
constexpr option kId[] = {{'u', "user"}, {'g', "group"}, {'G', "groups"}, {'n', "name"},
                          {'r', "real"}, {'z', "zero"}, {'a', ""}, {'Z', "context"}};
constexpr option kLscpu[] = {
    {'a', "all"}, {'b', "online"}, {'c', "offline"}, {'e', "extended", O},
    {'p', "parse", O}, {'J', "json"}, {'x', "hex"}, {'y', "physical"},
    {'B', "bytes"}, {0, "output-all"}, {'C', "caches", O},
};
constexpr option kNumastat[] = {{'c', ""}, {'m', ""}, {'n', ""}, {'p', "", V}, {'v', ""},
                                {'z', ""}};
// No -x (reading undefined config space can crash devices), -q/-Q (DNS), -H (raw access).
constexpr option kLspci[] = {
    {'n', ""}, {'k', ""}, {'v', ""}, {'D', ""}, {'t', ""}, {'m', ""}, {'P', ""},
    {'b', ""}, {'s', "", V}, {'d', "", V},
};
// No -s/-c (repeat forever).
constexpr option kFree[] = {
    {'b', "bytes"}, {'k', "kibi"}, {'m', "mebi"}, {'g', "gibi"}, {0, "kilo"}, {0, "mega"},
    {0, "giga"}, {'h', "human"}, {0, "si"}, {'t', "total"}, {'w', "wide"}, {'l', "lohi"},
};
// No --sync (flushes every file system first).
constexpr option kDf[] = {
    {'h', "human-readable"}, {'H', "si"}, {'T', "print-type"}, {'i', "inodes"},
    {'a', "all"}, {'l', "local"}, {'P', "portability"}, {'k', ""},
    {0, "block-size", V}, {'t', "type", V}, {'x', "exclude-type", V}, {0, "output", O},
    {0, "total"},
};
constexpr option kLsblk[] = {
    {'a', "all"}, {'b', "bytes"}, {'d', "nodeps"}, {'f', "fs"}, {'l', "list"},
    {'m', "perms"}, {'n', "noheadings"}, {'o', "output", V}, {'p', "paths"},
    {'r', "raw"}, {'t', "topology"}, {'J', "json"}, {'O', "output-all"}, {'P', "pairs"},
    {'S', "scsi"},
};
// No -p/--poll or -w/--timeout (wait for changes).
constexpr option kFindmnt[] = {
    {'l', "list"}, {'n', "noheadings"}, {'o', "output", V}, {'t', "types", V},
    {'J', "json"}, {'r', "raw"}, {'D', "df"}, {'s', "fstab"}, {'m', "mtab"},
    {'k', "kernel"}, {'T', "target", V}, {'S', "source", V}, {'A', "all"},
    {'u', "notruncate"},
};
constexpr option kModinfo[] = {
    {'F', "field", V}, {'n', "filename"}, {'0', "null"}, {'a', "author"},
    {'d', "description"}, {'l', "license"}, {'p', "parameters"}, {'k', "", V},
};
constexpr option kPs[] = {
    {'e', ""}, {'f', ""}, {'F', ""}, {'l', ""}, {'y', ""}, {'A', ""}, {'a', ""},
    {'x', ""}, {'L', ""}, {'T', ""}, {'H', ""}, {'w', ""},
    {'o', "format", V}, {'p', "pid", V}, {'C', "", V}, {'q', "quick-pid", V},
    {'u', "user", V}, {0, "ppid", V}, {0, "forest"}, {0, "no-headers"}, {0, "sort", V},
};
constexpr option kPgrep[] = {
    {'f', "full"}, {'l', "list-name"}, {'a', "list-full"}, {'x', "exact"},
    {'n', "newest"}, {'o', "oldest"}, {'c', "count"}, {'i', "ignore-case"},
    {'v', "inverse"}, {'u', "euid", V}, {'U', "uid", V}, {'P', "parent", V},
    {'g', "pgroup", V}, {'G', "group", V}, {'t', "terminal", V}, {'d', "delimiter", V},
};
constexpr option kVirtHostValidate[] = {{'q', "quiet"}};
constexpr option kGetent[] = {{'i', "no-idn"}};

constexpr option kSystemctl[] = {
    {0, "no-pager"}, {'l', "full"}, {'a', "all"}, {'t', "type", V}, {0, "state", V},
    {'p', "property", V}, {0, "value"}, {'n', "lines", V}, {'o', "output", V},
    {0, "plain"}, {0, "no-legend"}, {'q', "quiet"}, {0, "system"}, {0, "user"},
};
constexpr std::string_view kSystemctlQueries[] = {
    "status", "is-active", "is-enabled", "is-failed", "show", "list-units", "list-timers",
    "cat", "list-unit-files", "list-sockets", "list-dependencies", "is-system-running"};

// No -f/--follow, --vacuum-*, --rotate, --flush, --sync, --relinquish-var,
// --setup-keys, --update-catalog, --cursor-file (writes), -M/--machine.
constexpr option kJournalctl[] = {
    {'u', "unit", V}, {'S', "since", V}, {'U', "until", V}, {0, "no-pager"},
    {'o', "output", V}, {'b', "boot", N}, {'n', "lines", N}, {'t', "identifier", V},
    {'p', "priority", V}, {'g', "grep", V}, {0, "case-sensitive", O}, {'k', "dmesg"},
    {0, "utc"}, {'a', "all"}, {'q', "quiet"}, {'r', "reverse"}, {'x', "catalog"},
    {'D', "directory", V}, {0, "file", V}, {'m', "merge"}, {0, "list-boots"},
    {0, "no-hostname"}, {0, "output-fields", V}, {0, "disk-usage"}, {'l', "full"},
    {0, "no-full"}, {'e', "pager-end"}, {0, "system"}, {0, "user"}, {0, "no-tail"},
    {'F', "field", V}, {'N', "fields"}, {0, "cursor", V}, {0, "after-cursor", V},
    {0, "show-cursor"},
};

// No -H/--host, -M/--machine, --adjust-system-clock.
constexpr option kTimedatectl[] = {{0, "no-pager"}, {'a', "all"}, {'p', "property", V},
                                   {0, "value"}};
constexpr std::string_view kTimedatectlQueries[] = {"status", "show", "timesync-status",
                                                    "show-timesync", "list-timezones"};

// chronyc: only the reports that read chronyd's state, one per line, no
// options but -n (no DNS lookups): not -h/-p (another chronyd), -m (several
// commands), -f (another config); chronyc with no command is interactive and
// the rest (makestep, settime, burst, offline, ...) change the clock or NTP.
constexpr option kChronyc[] = {{'n', ""}};
constexpr std::string_view kChronycQueries[] = {"tracking", "sources", "sourcestats"};

// `qemu-img info` only; no --object (defines objects), no --image-opts.
constexpr option kQemuImg[] = {{'f', "format", V}, {0, "output", V}, {0, "backing-chain"},
                               {'U', "force-share"}};

// getfacl and namei only read (setfacl is another tool).
constexpr option kGetfacl[] = {
    {'a', "access"}, {'d', "default"}, {'c', "omit-header"}, {'e', "all-effective"},
    {'E', "no-effective"}, {'s', "skip-base"}, {'R', "recursive"}, {'L', "logical"},
    {'P', "physical"}, {'t', "tabular"}, {'n', "numeric"}, {'p', "absolute-names"},
    {0, "one-file-system"},
};
constexpr option kNamei[] = {{'l', "long"},        {'m', "modes"},       {'o', "owners"},
                             {'n', "nosymlinks"},  {'v', "vertical"},    {'x', "mountpoints"},
                             {'Z', "context"}};
// lvs / vgs / pvs report options only; no --config (another lvm.conf), no
// --foreign / --ignorelockingfailure or anything that takes a lock to change.
constexpr option kLvmReport[] = {
    {'o', "options", V}, {'O', "sort", V},  {'S', "select", V}, {0, "noheadings"},
    {0, "nosuffix"},     {0, "units", V},   {0, "separator", V}, {'a', "all"},
    {0, "reportformat", V}, {0, "readonly"}, {'v', "verbose"},   {0, "segments"},
    {0, "binary"},       {0, "aligned"},    {0, "nameprefixes"}, {0, "rows"},
};
// dmesg: no -c/--read-clear, -C/--clear, -D/--console-off, -E/--console-on,
// -n/--console-level (they change the kernel's buffer or console), and no
// -w/-W (follow, never end).
constexpr option kDmesg[] = {
    {'T', "ctime"},   {'H', "human"},     {'k', "kernel"},   {'l', "level", V},
    {'f', "facility", V}, {'x', "decode"}, {'t', "notime"},  {'L', "color", O},
    {0, "time-format", V}, {'e', "reltime"}, {'r', "raw"},   {'s', "buffer-size", V},
    {'S', "syslog"},  {'u', "userspace"}, {'P', "nopager"},  {'J', "json"},
    {'F', "file", V}, {'d', "show-delta"},
};
// mdevctl list / types only (no start, stop, define, undefine, modify).
constexpr option kMdevctl[] = {{'d', "defined"}, {0, "dumpjson"}, {'u', "uuid", V},
                               {'p', "parent", V}};

template <std::size_t K>
bool in(const std::string_view (&set)[K], std::string_view w) {
  return std::find(std::begin(set), std::end(set), w) != std::end(set);
}

bool date_operands(const invocation& inv, const context&, std::string& why) {
  for (const auto& o : inv.operands) {
    if (o.empty() || o[0] != '+') return refuse(why, "date with a date argument sets the clock");
  }
  return true;
}

bool no_operands(const invocation& inv, const context&, std::string& why) {
  return inv.operands.empty() ||
         refuse(why, "'" + inv.operands.front() + "' as an operand would set something");
}

bool verb_in(const invocation& inv, std::string_view tool, std::string_view what,
             bool (*known)(std::string_view), std::string& why) {
  if (inv.operands.empty()) return refuse(why, std::string(tool) + " needs a query verb");
  if (known(inv.operands.front())) return true;
  return refuse(why, std::string(tool) + " " + inv.operands.front() + " is not " +
                         std::string(what));
}

bool systemctl_operands(const invocation& inv, const context&, std::string& why) {
  return verb_in(inv, "systemctl", "a query (status, is-active, show, ...)",
                 [](std::string_view v) { return in(kSystemctlQueries, v); }, why);
}

bool timedatectl_operands(const invocation& inv, const context&, std::string& why) {
  if (inv.operands.empty()) return true;  // same as status
  return verb_in(inv, "timedatectl", "a query (status, show, timesync-status)",
                 [](std::string_view v) { return in(kTimedatectlQueries, v); }, why);
}

// FIELD=VALUE matches and '+' between groups of them.
bool journalctl_operands(const invocation& inv, const context&, std::string& why) {
  for (const auto& o : inv.operands) {
    const std::size_t eq = o.find('=');
    const bool field = eq != std::string::npos && eq > 0 &&
                       std::all_of(o.begin(), o.begin() + static_cast<std::ptrdiff_t>(eq),
                                   [](char c) {
                                     return std::isupper(static_cast<unsigned char>(c)) != 0 ||
                                            std::isdigit(static_cast<unsigned char>(c)) != 0 ||
                                            c == '_';
                                   });
    if (!field && o != "+") {
      return refuse(why, "journalctl operand '" + o + "' is not a FIELD=VALUE match");
    }
  }
  return true;
}

bool chronyc_operands(const invocation& inv, const context&, std::string& why) {
  if (inv.operands.size() == 1 && in(kChronycQueries, inv.operands[0])) return true;
  return refuse(why, "chronyc may only be 'chronyc tracking', 'chronyc sources' or "
                     "'chronyc sourcestats'");
}

bool mdevctl_operands(const invocation& inv, const context&, std::string& why) {
  if (inv.operands.size() == 1 && (inv.operands[0] == "list" || inv.operands[0] == "types")) {
    return true;
  }
  return refuse(why, "mdevctl may only be 'mdevctl list' or 'mdevctl types'");
}

bool qemu_img_operands(const invocation& inv, const context&, std::string& why) {
  if (inv.operands.size() == 2 && inv.operands[0] == "info") return true;
  return refuse(why, "qemu-img may only be 'qemu-img info FILE'");
}

constexpr tool_syntax syn(std::string_view name, std::span<const option> o) {
  return {name, syntax::gnu, o};
}

constexpr tool_spec kHost[] = {
    {"date", syn("date", kDate), date_operands},
    {"hostname", syn("hostname", kHostname), no_operands},
    {"uptime", syn("uptime", kUptime), no_operands},
    {"uname", syn("uname", kUname), no_operands},
    {"nproc", syn("nproc", kNproc), no_operands},
    {"id", syn("id", kId)},
    {"whoami", syn("whoami", kNone), no_operands},
    {"lscpu", syn("lscpu", kLscpu), no_operands},
    {"numastat", syn("numastat", kNumastat)},
    {"lspci", syn("lspci", kLspci), no_operands},
    {"free", syn("free", kFree), no_operands},
    {"df", syn("df", kDf)},
    {"lsblk", syn("lsblk", kLsblk)},
    {"findmnt", syn("findmnt", kFindmnt)},
    {"lsmod", syn("lsmod", kNone), no_operands},
    {"modinfo", syn("modinfo", kModinfo)},
    {"ps", syn("ps", kPs)},
    {"pgrep", syn("pgrep", kPgrep)},
    {"virt-host-validate", syn("virt-host-validate", kVirtHostValidate)},
    {"getent", syn("getent", kGetent)},
    {"systemctl", syn("systemctl", kSystemctl), systemctl_operands},
    {"journalctl", syn("journalctl", kJournalctl), journalctl_operands},
    {"timedatectl", syn("timedatectl", kTimedatectl), timedatectl_operands},
    {"qemu-img", syn("qemu-img", kQemuImg), qemu_img_operands},
    {"getfacl", syn("getfacl", kGetfacl)},
    {"namei", syn("namei", kNamei)},
    {"lvs", syn("lvs", kLvmReport)},
    {"vgs", syn("vgs", kLvmReport)},
    {"pvs", syn("pvs", kLvmReport)},
    {"dmesg", syn("dmesg", kDmesg), no_operands},
    {"mdevctl", syn("mdevctl", kMdevctl), mdevctl_operands},
    {"chronyc", {"chronyc", syntax::gnu_leading, kChronyc}, chronyc_operands},
};

}  // namespace

std::span<const tool_spec> host_tools() noexcept { return kHost; }

}  // namespace migsleuth::classifiers::readonly
