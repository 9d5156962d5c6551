// Read-only allowlists of the network tools (nc, ping, ss, ip, dig, openssl)
// and the wrappers that run another command (ssh, sudo, timeout), which are
// judged by their own options and then by the command they run.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "engine/readonly_spec.hpp"
#include "engine/shell_words.hpp"
#include "migsleuth/core/text.hpp"

namespace migsleuth::classifiers::readonly {
namespace {

constexpr takes V = takes::value;

template <std::size_t K>
bool in(const std::string_view (&set)[K], std::string_view w) {
  return std::find(std::begin(set), std::end(set), w) != std::end(set);
}

// nc / ncat / netcat: a port probe only. No long option at all (--listen,
// --sh-exec, --exec, --lua-exec, --output, ...), no -l/-e/-c/-o.
constexpr option kNc[] = {{'z', ""}, {'v', ""}, {'w', "", V}, {'n', ""},
                          {'4', ""}, {'6', ""}, {'u', ""}};

bool nc_operands(const invocation& inv, const context&, std::string& why) {
  if (!inv.has_short('z')) return refuse(why, "nc must be a port probe ('nc -zv host port')");
  for (const auto& w : inv.values("")) {
    if (!is_number(w)) return refuse(why, "nc -w wants a number of seconds");
  }
  if (inv.operands.size() != 2 || !is_host_name(inv.operands[0])) {
    return refuse(why, "nc wants a host name and a port");
  }
  const std::string& port = inv.operands[1];
  const std::size_t dash = port.find('-');
  const bool ok = dash == std::string::npos
                      ? is_number(port)
                      : is_number(port.substr(0, dash)) && is_number(port.substr(dash + 1));
  return ok || refuse(why, "nc port '" + port + "' is not a port number or range");
}

// No -f (flood), -p (payload), -I is an interface or address (read only).
constexpr option kPing[] = {{'c', "", V}, {'W', "", V}, {'w', "", V}, {'i', "", V},
                            {'q', ""},    {'n', ""},    {'4', ""},    {'6', ""},
                            {'I', "", V}, {'s', "", V}, {'D', ""},    {'O', ""}};

bool ping_operands(const invocation& inv, const context&, std::string& why) {
  bool counted = false;
  for (const auto& g : inv.options) {
    if (g.spec->short_name == 'c') counted = is_number(g.value);
  }
  if (!counted) return refuse(why, "ping needs '-c N' so it ends");
  if (inv.operands.size() != 1 || !is_host_name(inv.operands[0])) {
    return refuse(why, "ping wants one host name or address");
  }
  return true;
}

// No -K/--kill, -D/--diag (dumps to a file), -E/--events (never ends), -N (netns).
constexpr option kSs[] = {
    {'t', "tcp"},     {'u', "udp"},     {'l', "listening"}, {'n', "numeric"},
    {'p', "processes"}, {'a', "all"},   {'e', "extended"},  {'m', "memory"},
    {'o', "options"}, {'i', "info"},    {'s', "summary"},   {'r', "resolve"},
    {'4', "ipv4"},    {'6', "ipv6"},    {'x', "unix"},      {'w', "raw"},
    {'H', "no-header"}, {'O', "oneline"}, {'f', "family", V}, {'A', "query", V},
    {'S', "sctp"},    {'M', "mptcp"},   {'Z', "context"},   {'z', "contexts"},
};

// ip: single-dash words matched exactly (ip itself takes any prefix, so only
// spellings known to resolve to these are listed); no -b/-batch, -force,
// -n/-netns (they run other commands), -rc.
constexpr option kIp[] = {
    {0, "s"},  {0, "stats"},   {0, "statistics"}, {0, "d"},     {0, "details"},
    {0, "br"}, {0, "brief"},   {0, "4"},          {0, "6"},     {0, "o"},
    {0, "oneline"}, {0, "j"},  {0, "json"},       {0, "p"},     {0, "pretty"},
};
constexpr std::string_view kIpObjects[] = {
    "addr", "address", "a", "link", "l", "route", "r", "ro", "neigh", "neighbor", "neighbour",
    "n", "rule", "ru", "maddr", "maddress", "netconf", "tunnel"};
constexpr std::string_view kIpActions[] = {"show", "list", "get"};

bool ip_operands(const invocation& inv, const context&, std::string& why) {
  if (inv.operands.empty() || !in(kIpObjects, inv.operands[0])) {
    return refuse(why, "ip object is not a queryable one (addr, link, route, neigh, rule, ...)");
  }
  if (inv.operands.size() == 1 || in(kIpActions, inv.operands[1])) return true;
  return refuse(why, "ip " + inv.operands[0] + " " + inv.operands[1] +
                         " is not show/list/get (written in full)");
}

constexpr option kDig[] = {{'t', "", V}, {'x', "", V}, {'4', ""}, {'6', ""},
                           {'p', "", V}, {'q', "", V}, {'c', "", V}};
constexpr std::string_view kDigQueryOptions[] = {
    "+short", "+noall", "+answer", "+nocmd", "+nocomments", "+nostats", "+search", "+tcp",
    "+trace", "+multiline"};

bool dig_operands(const invocation& inv, const context&, std::string& why) {
  for (const auto& o : inv.operands) {
    if (!o.empty() && o[0] == '+' && !in(kDigQueryOptions, o)) {
      return refuse(why, "dig query option '" + o + "' is not on its read-only allowlist");
    }
  }
  return true;
}

// host: no -w (waits forever), -l (zone transfers).
constexpr option kHost[] = {{'t', "", V}, {'a', ""}, {'v', ""}, {'4', ""}, {'6', ""},
                            {'W', "", V}, {'s', ""}, {'C', ""}, {'r', ""}, {'T', ""}};
constexpr option kNslookup[] = {{0, "type", takes::optional}, {0, "query", takes::optional},
                                {0, "port", takes::optional}, {0, "timeout", takes::optional},
                                {0, "retry", takes::optional}, {0, "debug"}};

bool nslookup_operands(const invocation& inv, const context&, std::string& why) {
  // With no name nslookup is interactive.
  return (!inv.operands.empty() && inv.operands[0] != "-") ||
         refuse(why, "nslookup without a name is interactive");
}

// openssl: per subcommand, OpenSSL's own -word options, exactly; -out,
// -writerand, -keylogfile, -sess_out, -msgfile, -proxy ... are on no list.
constexpr option kSClient[] = {
    {0, "connect", V}, {0, "servername", V}, {0, "verify_return_error"}, {0, "showcerts"},
    {0, "brief"},      {0, "CAfile", V},     {0, "CApath", V},          {0, "verify", V},
    {0, "tls1_2"},     {0, "tls1_3"},        {0, "tls1_1"},             {0, "tls1"},
    {0, "state"},      {0, "status"},        {0, "quiet"},              {0, "starttls", V},
    {0, "alpn", V},    {0, "verify_hostname", V}, {0, "no_tls1_3"},
};
constexpr option kX509[] = {
    {0, "noout"},   {0, "in", V},        {0, "inform", V},   {0, "subject"},
    {0, "issuer"},  {0, "dates"},        {0, "enddate"},     {0, "startdate"},
    {0, "ext", V},  {0, "text"},         {0, "fingerprint"}, {0, "serial"},
    {0, "nameopt", V}, {0, "certopt", V}, {0, "checkend", V}, {0, "purpose"},
    {0, "email"},   {0, "ocsp_uri"},     {0, "hash"},        {0, "subject_hash"},
    {0, "issuer_hash"}, {0, "modulus"},  {0, "sha256"},      {0, "sha1"},
};
constexpr option kOpensslVersion[] = {{0, "a"}, {0, "v"}, {0, "b"}, {0, "o"},
                                      {0, "f"}, {0, "p"}, {0, "d"}};
constexpr option kCiphers[] = {{0, "v"}, {0, "V"}, {0, "s"}, {0, "tls1_2"}, {0, "tls1_3"},
                               {0, "stdname"}};

bool judge_openssl(args_t args, const context&, std::string& why) {
  if (args.empty()) return refuse(why, "openssl without a subcommand opens a shell");
  const std::string& sub = args[0];
  std::span<const option> opts;
  if (sub == "s_client") {
    opts = kSClient;
  } else if (sub == "x509") {
    opts = kX509;
  } else if (sub == "version") {
    opts = kOpensslVersion;
  } else if (sub == "ciphers") {
    opts = kCiphers;
  } else {
    return refuse(why, "openssl " + sub + " is not s_client, 'x509 -noout', version or ciphers");
  }
  invocation inv;
  const std::string tool = "openssl " + sub;
  if (!parse_options(args.subspan(1), {tool, syntax::single_dash, opts}, inv, why)) return false;
  if (sub == "x509" && !inv.has("noout")) return refuse(why, "openssl x509 needs -noout");
  if ((sub == "x509" || sub == "s_client" || sub == "version") && !inv.operands.empty()) {
    return refuse(why, tool + " takes no operand ('" + inv.operands[0] + "')");
  }
  return true;
}

// Wrappers: their own options (up to the command), then the command.
constexpr option kSudo[] = {{'n', "non-interactive"}, {'u', "user", V}, {'g', "group", V},
                            {'E', ""}, {'H', "set-home"}};

bool judge_sudo(args_t args, const context& ctx, std::string& why) {
  invocation inv;
  if (!parse_options(args, {"sudo", syntax::gnu_leading, kSudo}, inv, why)) return false;
  return judge(inv.operands, {ctx.depth + 1, ctx.gaps}, why);
}

constexpr option kTimeout[] = {{'s', "signal", V}, {'k', "kill-after", V},
                               {0, "preserve-status"}, {0, "foreground"}, {'v', "verbose"}};

bool judge_timeout(args_t args, const context& ctx, std::string& why) {
  invocation inv;
  if (!parse_options(args, {"timeout", syntax::gnu_leading, kTimeout}, inv, why)) return false;
  for (const auto& d : inv.values("kill-after")) {
    if (!is_duration(d)) return refuse(why, "timeout -k wants a duration");
  }
  if (inv.operands.empty() || !is_duration(inv.operands[0])) {
    return refuse(why, "timeout needs a duration (5, 10s, 2m) before the command");
  }
  return judge(args_t(inv.operands).subspan(1), {ctx.depth + 1, ctx.gaps}, why);
}

// ssh: no -F (another config), -J (jumps), forwarding, control sockets, -E
// (a log file), -G/-N/-f; -o only with these keys (ssh reads them without case).
constexpr option kSsh[] = {{'l', "", V}, {'p', "", V}, {'i', "", V}, {'o', "", V},
                           {'q', ""},    {'T', ""},    {'n', ""},    {'4', ""},
                           {'6', ""},    {'v', ""}};


bool ssh_config_option(std::string_view kv, std::string& why) {
  if (has_gap(kv)) return refuse(why, "ssh -o needs a literal KEY=VALUE");
  const std::size_t sep = kv.find_first_of("= \t");
  const std::string key = lower_ascii(kv.substr(0, sep));
  std::string_view value = sep == std::string_view::npos ? "" : kv.substr(sep + 1);
  while (!value.empty() && (value[0] == ' ' || value[0] == '=')) value.remove_prefix(1);
  const std::string v = lower_ascii(value);
  bool ok = false;
  if (key == "batchmode" || key == "passwordauthentication") {
    ok = v == "yes" || v == "no";
  } else if (key == "connecttimeout" || key == "connectionattempts" ||
             key == "serveraliveinterval" || key == "serveralivecountmax") {
    ok = is_number(v);
  } else if (key == "loglevel") {
    ok = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
  } else if (key == "stricthostkeychecking") {
    ok = v == "yes";  // no / accept-new write known_hosts
  } else if (key == "addressfamily") {
    ok = v == "any" || v == "inet" || v == "inet6";
  } else {
    return refuse(why, "ssh -o " + std::string(kv) +
                           ": only BatchMode, ConnectTimeout, ConnectionAttempts, "
                           "ServerAliveInterval/CountMax, LogLevel, AddressFamily and "
                           "StrictHostKeyChecking=yes are allowed");
  }
  return ok || refuse(why, "ssh -o " + std::string(kv) + " has a value that is not allowed");
}

bool ssh_target(std::string_view host) {
  const std::size_t at = host.find('@');
  if (at != std::string_view::npos) {
    const std::string_view user = host.substr(0, at);
    if (user.empty() || user[0] == '-' || !std::all_of(user.begin(), user.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' ||
                 c == '.' || c == kGapMark;
        })) {
      return false;
    }
    host.remove_prefix(at + 1);
  }
  return is_host_name(host);
}

bool judge_ssh(args_t args, const context& ctx, std::string& why) {
  // ssh reads options before the host and again right after it (ssh HOST -o K=V CMD).
  invocation before;
  if (!parse_options(args, {"ssh", syntax::gnu_leading, kSsh}, before, why)) return false;
  if (before.operands.empty()) return refuse(why, "ssh without a host");
  const std::string host = before.operands[0];
  invocation after;
  if (!parse_options(args_t(before.operands).subspan(1), {"ssh", syntax::gnu_leading, kSsh},
                     after, why)) {
    return false;
  }
  for (const invocation* inv : {&before, &after}) {
    for (const auto& g : inv->options) {
      if (g.spec->short_name == 'o' && !ssh_config_option(g.value, why)) return false;
      if (g.spec->short_name == 'p' && !is_number(g.value)) return refuse(why, "ssh -p wants a port");
    }
  }
  if (!ssh_target(host)) return refuse(why, "ssh host '" + host + "' is not a host name");
  if (after.operands.empty()) return refuse(why, "ssh without a remote command opens a shell");
  // The remote shell sees the remaining words joined by spaces, so judge that line.
  std::string remote;
  for (const auto& w : after.operands) remote += (remote.empty() ? "" : " ") + w;
  std::replace(remote.begin(), remote.end(), kGlobMark, '*');  // the remote shell expands it
  std::string inner;
  if (judge_line(remote, {ctx.depth + 1, ctx.gaps}, inner)) return true;
  return refuse(why, "remote command: " + inner);
}

constexpr tool_syntax syn(std::string_view name, std::span<const option> o,
                          syntax s = syntax::gnu) {
  return {name, s, o};
}

constexpr tool_spec kNet[] = {
    {"nc", syn("nc", kNc), nc_operands},
    {"ncat", syn("ncat", kNc), nc_operands},
    {"netcat", syn("netcat", kNc), nc_operands},
    {"ping", syn("ping", kPing), ping_operands},
    {"ss", syn("ss", kSs)},
    {"ip", syn("ip", kIp, syntax::single_dash), ip_operands},
    {"dig", syn("dig", kDig), dig_operands},
    {"host", syn("host", kHost)},
    {"nslookup", syn("nslookup", kNslookup, syntax::single_dash), nslookup_operands},
    {"openssl", {}, nullptr, judge_openssl},
    {"sudo", {}, nullptr, judge_sudo},
    {"timeout", {}, nullptr, judge_timeout},
    {"ssh", {}, nullptr, judge_ssh},
};

}  // namespace

std::span<const tool_spec> net_tools() noexcept { return kNet; }

}  // namespace migsleuth::classifiers::readonly
