// Lines that frame a captured command output (virsh domjobinfo, virsh list):
// the `date` line an operator runs before each capture, the shell command line
// itself ("$ virsh domjobinfo instance-0000002a --completed") and virsh's own
// "error: ..." text. Shared by parsers/domjobinfo and parsers/virsh.
//
// What it does not do: read the tables themselves (each parser does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/time.hpp"

namespace migsleuth::parsers {

std::string_view trim(std::string_view s) noexcept;
std::string lower_ascii(std::string_view s);

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

// "$ virsh domjobinfo X --completed", "[root@cmp-a ~]# virsh -c qemu:///system list --all":
// the virsh subcommand and its non-option arguments, after any prompt.
struct virsh_command {
  std::string subcommand;              // "domjobinfo", "list", ...
  std::vector<std::string> arguments;  // non-option words after the subcommand
  std::vector<std::string> options;    // "--completed", "--all", ...
};
std::optional<virsh_command> parse_virsh_command(std::string_view line);

// Domain named by a capture's file name: "domjobinfo-instance-0000002a.txt" ->
// "instance-0000002a" (prefix `stem` and any extension removed), or "".
std::string domain_from_capture_name(std::string_view file_name, std::string_view stem);

}  // namespace migsleuth::parsers
