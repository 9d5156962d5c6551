// Lines that frame a captured command output (virsh domjobinfo, virsh list):
// the `date` line an operator runs before each capture, the shell command line
// itself ("$ virsh domjobinfo instance-0000002a --completed") and virsh's own
// "error: ..." text. Shared by the capture parsers (domjobinfo, virsh, libvirtd,
// openstack_json, oslo_json) and by ingest (kind detection, sosreport dates);
// its source is in parsers/common/.
//
// What it does not do: read the tables themselves (each parser does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/text.hpp"  // trim, lower_ascii: this header's users read them too
#include "migsleuth/core/time.hpp"

namespace migsleuth::parsers {

// A `date` line: C locale "Tue May 21 14:02:11 UTC 2024", en_US
// "Tue 21 May 2024 02:02:11 PM UTC", or ISO ("2024-05-21T14:02:11+00:00",
// "2024-05-21 14:02:11"). `zone_known` is false when the line had no zone or
// a zone abbreviation other than UTC/GMT: the time is then naive (host-local).
struct date_line {
  timestamp time;
  bool zone_known = false;
  std::string zone;  // as written, for the warning about an unknown zone
};
std::optional<date_line> parse_date_line(std::string_view line) noexcept;

// "$ virsh domjobinfo X --completed", "[root@cmp-a ~]# virsh -c qemu:///system list --all",
// "$ while true; do date; virsh domjobinfo X; sleep 5; done", "watch -n 5 virsh ...":
// the virsh subcommand and its non-option arguments, after a prompt or the
// shell that runs it (never prose: "I ran virsh list" is not a command line).
struct virsh_command {
  std::string subcommand;              // "domjobinfo", "list", ...
  std::vector<std::string> arguments;  // non-option words after the subcommand
  std::vector<std::string> options;    // "--completed", "--all", ...
  std::string uri_host;                // "-c qemu+ssh://cmp-b/system" -> "cmp-b"
};
std::optional<virsh_command> parse_virsh_command(std::string_view line);

// The host in a shell prompt that starts `line`: "[root@cmp-a ~]# ..." and
// "root@cmp-a:~$ ..." -> "cmp-a"; "" when the line starts with no prompt.
std::string prompt_host(std::string_view line);

// Who a capture was taken on, from its own lines: a virsh connection URI's
// host (the domains are that host's wherever virsh ran), else the shell
// prompt, else the output of a `hostname` command. Fed every line; `feed`
// returns true for a line that only framed the capture (a prompt line, the
// hostname output, the ^C that ended a loop), which the parser then does not
// count as not understood.
class capture_host {
 public:
  bool feed(std::string_view line);
  [[nodiscard]] const std::string& host() const noexcept { return host_; }
  [[nodiscard]] const std::string& why() const noexcept { return why_; }

 private:
  void offer(std::string host, int rank, std::string why);
  std::string host_, why_;
  int rank_ = 0;
  bool after_hostname_ = false;
};

// Domain named by a capture's file name: "domjobinfo-instance-0000002a.txt" ->
// "instance-0000002a" (prefix `stem` and any extension removed); any other
// name holding nova's "instance-%08x" or a UUID ("watch-instance-0000002a.log")
// -> that; else "".
std::string domain_from_capture_name(std::string_view file_name, std::string_view stem);

}  // namespace migsleuth::parsers
