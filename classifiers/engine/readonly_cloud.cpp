// Read-only allowlists of virsh, openstack and nova. A read-only libvirt
// connection (-r) no longer makes a subcommand safe: the URI it opens can run
// a command (qemu+ext, ?command=, ?netcat=), so the URI is checked and the
// subcommand must be a query. openstack and nova read their global options
// from anywhere in the line, so one allowlist applies to every word; options
// that send the credentials or the requests elsewhere are on none.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "engine/readonly_spec.hpp"

namespace migsleuth::classifiers::readonly {
namespace {

constexpr takes V = takes::value;

template <std::size_t K>
bool in(const std::string_view (&set)[K], std::string_view w) {
  return std::find(std::begin(set), std::end(set), w) != std::end(set);
}

// virsh's own options (getopt_long with '+': they end at the subcommand). No
// -l/--log (writes), -k/-K, -e.
constexpr option kVirshGlobal[] = {{'r', "readonly"}, {'c', "connect", V}, {'q', "quiet"},
                                   {'d', "debug", V}};

constexpr std::string_view kVirshQueries[] = {
    "list", "dominfo", "domjobinfo", "domstate", "dumpxml", "capabilities", "domcapabilities",
    "hypervisor-cpu-compare", "cpu-compare", "hypervisor-cpu-baseline", "cpu-baseline",
    "cpu-models", "nodeinfo", "version", "uri", "hostname", "sysinfo", "domifaddr", "domblklist",
    "domiflist", "domblkinfo", "domblkstat", "domblkerror", "domifstat", "dommemstat",
    "domstats", "domcontrol", "domuuid", "domname", "domid", "domdisplay", "vcpuinfo",
    "vcpucount", "nodedev-list", "nodedev-dumpxml", "nodememstats", "nodecpustats", "freecell",
    "freepages", "net-list", "net-dumpxml", "pool-list", "vol-list", "migrate-getspeed",
    "migrate-getmaxdowntime", "secret-list"};

// The options virsh's query subcommands take (virsh matches them exactly).
constexpr option kVirshCommand[] = {
    {0, "all"},         {0, "inactive"},      {0, "details"},      {0, "completed"},
    {0, "name"},        {0, "uuid"},          {0, "table"},        {0, "title"},
    {0, "state-running"}, {0, "state-paused"}, {0, "state-shutoff"}, {0, "state-other"},
    {0, "persistent"},  {0, "transient"},     {0, "autostart"},    {0, "no-autostart"},
    {0, "migratable"},  {0, "update-cpu"},    {0, "xpath", V},     {0, "wrap"},
    {0, "domain", V},   {0, "interface", V},  {0, "source", V},    {0, "full"},
    {0, "human"},       {0, "live"},          {0, "config"},       {0, "current"},
    {0, "maximum"},     {0, "guest"},         {0, "pool", V},      {0, "type", V},
    {0, "virttype", V}, {0, "emulatorbin", V}, {0, "arch", V},     {0, "machine", V},
    {0, "cap", V},      {0, "device", V},     {0, "file", V},      {0, "features"},
    {0, "pretty"},      {0, "raw"},           {0, "keep-completed"}, {0, "reason"},
};

// Transports whose URI cannot run a command; no query parameters at all
// (command=, netcat=, socket=, keyfile=, known_hosts=, ... change what runs).
constexpr std::string_view kLibvirtSchemes[] = {"qemu", "qemu+ssh", "qemu+tcp", "qemu+tls",
                                                "qemu+unix", "qemu+libssh", "qemu+libssh2"};

// `keyfile=/etc/nova/migration/identity` on an ssh transport only names the
// key ssh offers: a plain absolute path, nothing else in the query.
bool keyfile_parameter(std::string_view scheme, std::string_view query) {
  constexpr std::string_view kKey = "keyfile=/";
  if (scheme != "qemu+ssh" && scheme != "qemu+libssh" && scheme != "qemu+libssh2") return false;
  if (query.substr(0, kKey.size()) != kKey) return false;
  const std::string_view path = query.substr(kKey.size() - 1);
  return path.find("..") == std::string_view::npos &&
         std::all_of(path.begin(), path.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '.' ||
                  c == '_' || c == '-';
         });
}

bool libvirt_uri(std::string_view uri, std::string& why) {
  if (has_gap(uri)) return true;
  const std::size_t scheme_end = uri.find("://");
  const std::string_view scheme = uri.substr(0, scheme_end);
  if (scheme_end == std::string_view::npos || !in(kLibvirtSchemes, scheme)) {
    return refuse(why, "virsh URI '" + std::string(uri) +
                           "': only qemu, qemu+ssh, qemu+tcp, qemu+tls, qemu+unix and "
                           "qemu+libssh(2) transports are allowed");
  }
  if (const std::size_t q = uri.find('?'); q != std::string_view::npos &&
                                            keyfile_parameter(scheme, uri.substr(q + 1))) {
    uri = uri.substr(0, q);  // the key a migration user's check must use
  }
  if (uri.find_first_of("?#&;") != std::string_view::npos) {
    return refuse(why, "virsh URI '" + std::string(uri) +
                           "' has parameters (only an ssh transport's keyfile=/PATH is allowed)");
  }
  std::string_view rest = uri.substr(scheme_end + 3);
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (const std::size_t at = authority.find('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (const std::size_t colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    if (!is_number(authority.substr(colon + 1))) return refuse(why, "virsh URI port is not a number");
    authority = authority.substr(0, colon);
  }
  if (!authority.empty() && !is_host_name(authority)) {
    return refuse(why, "virsh URI host '" + std::string(authority) + "' is not a host name");
  }
  if (path != "/system" && path != "/session" && path != "/system/" && path != "/session/") {
    return refuse(why, "virsh URI path must be /system or /session");
  }
  return true;
}

bool judge_virsh(args_t args, const context&, std::string& why) {
  invocation global;
  if (!parse_options(args, {"virsh", syntax::gnu_leading, kVirshGlobal}, global, why)) {
    return false;
  }
  for (const auto& uri : global.values("connect")) {
    if (!libvirt_uri(uri, why)) return false;
  }
  if (global.operands.empty()) return refuse(why, "virsh without a subcommand opens a shell");
  const std::string& sub = global.operands[0];
  if (!in(kVirshQueries, sub)) return refuse(why, "virsh " + sub + " is not a query");
  // One argument holding ';' would be read as several virsh commands.
  for (const auto& w : global.operands) {
    if (w.find_first_of(";\n") != std::string::npos) {
      return refuse(why, "virsh argument '" + w + "' holds a command separator");
    }
  }
  invocation cmd;
  return parse_options(args_t(global.operands).subspan(1), {"virsh " + sub, syntax::gnu, kVirshCommand},
                       cmd, why);
}

// openstack: the global options allowed (the cloud, region and API versions
// come from the operator's own clouds.yaml / environment). Not --os-auth-url,
// --os-token, --os-endpoint, --os-url, --os-username/password/project-*,
// --os-cacert, --log-file (writes), --debug (prints the token), and not
// --insecure: without TLS verification the token goes to whoever answers.
// Then the options of show/list commands.
constexpr option kOpenstack[] = {
    {0, "os-compute-api-version", V}, {0, "os-placement-api-version", V},
    {0, "os-network-api-version", V}, {0, "os-volume-api-version", V},
    {0, "os-image-api-version", V},   {0, "os-cloud", V},
    {0, "os-region-name", V},         {0, "os-interface", V},
    {'q', "quiet"},                   {'v', "verbose"},
    {'f', "format", V},  {'c', "column", V},    {0, "long"},          {0, "server", V},
    {0, "host", V},      {0, "service", V},     {0, "fit-width"},     {0, "noindent"},
    {0, "max-width", V}, {0, "sort-column", V}, {0, "sort-ascending"}, {0, "sort-descending"},
    {0, "quote", V},     {0, "print-empty"},    {0, "prefix", V},     {0, "all-projects"},
    {0, "status", V},    {0, "limit", V},       {0, "changes-since", V}, {0, "project", V},
    {0, "changes-before", V},
    {0, "network", V},   {0, "device-id", V},   {0, "device-owner", V}, {0, "agent-type", V},
    {0, "binary", V},    {0, "name", V},        {0, "type", V},       {0, "user", V},
    {0, "uuid", V},      {0, "migration-type", V}, {0, "instance", V},
};

// "console url show" is not here: it creates a console session.
constexpr std::string_view kOpenstackNouns[] = {
    "server", "migration", "event", "hypervisor", "stats", "port", "compute", "service",
    "resource", "provider", "inventory", "allocation", "usage", "trait", "aggregate", "versions",
    "network", "agent", "subnet", "host", "flavor", "image", "volume", "availability", "zone",
    "console", "log", "limits", "quota", "extension", "catalog", "endpoint", "security",
    "group", "rule", "floating", "ip", "router", "trunk", "subport", "keypair", "project",
    "region", "segment", "class", "secret"};

// `openstack extension list --network` (--compute, --volume, --identity):
// there these are flags, elsewhere --network takes a value.
std::vector<std::string> without_extension_flags(args_t args) {
  std::vector<std::string> out(args.begin(), args.end());
  const auto ext = std::find(out.begin(), out.end(), "extension");
  if (ext == out.end() || ext + 1 == out.end() || *(ext + 1) != "list") return out;
  std::erase_if(out, [](const std::string& w) {
    return w == "--network" || w == "--compute" || w == "--volume" || w == "--identity";
  });
  return out;
}

bool judge_openstack(args_t all_args, const context&, std::string& why) {
  const std::vector<std::string> words = without_extension_flags(all_args);
  const args_t args(words);
  invocation inv;
  if (!parse_options(args, {"openstack", syntax::argparse, kOpenstack}, inv, why)) return false;
  for (const auto& w : inv.operands) {
    if (w == "show" || w == "list") return true;
    if (!in(kOpenstackNouns, w)) break;
  }
  return refuse(why, "openstack command is not a 'show' or 'list'");
}

constexpr option kNova[] = {
    {0, "os-compute-api-version", V}, {0, "os-region-name", V}, {0, "os-endpoint-type", V},
    {0, "all-tenants"}, {0, "host", V},   {0, "status", V},  {0, "instance-uuid", V},
    {0, "migration-type", V}, {0, "fields", V}, {0, "minimal"}, {0, "limit", V},
    {0, "changes-since", V}, {0, "binary", V}, {0, "wrap", V},
};

constexpr std::string_view kNovaQueries[] = {
    "show", "list", "migration-list", "server-migration-list", "server-migration-show",
    "hypervisor-show", "hypervisor-list", "hypervisor-servers", "hypervisor-stats",
    "instance-action-list", "instance-action", "service-list", "version-list",
    "availability-zone-list", "flavor-show", "flavor-list", "interface-list"};

bool judge_nova(args_t args, const context&, std::string& why) {
  invocation inv;
  if (!parse_options(args, {"nova", syntax::argparse, kNova}, inv, why)) return false;
  if (inv.operands.empty()) return refuse(why, "nova without a subcommand");
  if (in(kNovaQueries, inv.operands[0])) return true;
  return refuse(why, "nova " + inv.operands[0] + " is not a query");
}

constexpr tool_spec kCloud[] = {
    {"virsh", {}, nullptr, judge_virsh},
    {"openstack", {}, nullptr, judge_openstack},
    {"nova", {}, nullptr, judge_nova},
};

}  // namespace

std::span<const tool_spec> cloud_tools() noexcept { return kCloud; }

}  // namespace migsleuth::classifiers::readonly
