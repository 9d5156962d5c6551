// The vocabulary of the read-only checker (engine/readonly*.cpp): a tool is
// described by the options it may be given, spelled exactly, and parsed the
// way the tool itself parses them (getopt_long, argparse, OpenSSL's -word
// options). What the parser does not understand is refused; a long option is
// accepted only when spelled exactly as on the allowlist, because getopt_long
// and argparse also accept any unambiguous prefix, and a prefix the checker
// resolved differently from the tool would be a way round it.
//
//   constexpr option kHead[] = {{'n', "lines", takes::value}, {'q', "quiet"}};
//   invocation inv;
//   if (!parse_options(args, {"head", syntax::gnu, kHead}, inv, why)) ...
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::classifiers::readonly {

using args_t = std::span<const std::string>;

// In the text checked after a template is filled, every withheld value (the
// `<name>` an operator completes) is this one character: an opaque word the
// checker accepts wherever a value may stand, and never as an option.
inline constexpr char kGapMark = '\x1e';
[[nodiscard]] inline bool has_gap(std::string_view w) noexcept {
  return w.find(kGapMark) != std::string_view::npos;
}

enum class takes : std::uint8_t {
  none,
  value,     // required: attached (-n5, --lines=5) or the next word
  optional,  // only attached (-e1, --extended=list), as getopt's "::"
  number,    // optional; a next word that is a number is taken too (journalctl -n 20, -b -1)
};

struct option {
  char short_name = 0;         // 0 when the option has no one-letter spelling
  std::string_view long_name;  // without its dashes; empty when none
  takes arg = takes::none;
};

enum class syntax : std::uint8_t {
  gnu,          // getopt_long: bundled -zvw5, --name[=value]; options anywhere until "--"
  gnu_leading,  // the same, but options end at the first operand ("+" optstring, BSD getopt)
  argparse,     // Python argparse: like gnu; a value word may not start with '-'
  single_dash,  // OpenSSL and friends: -name or --name, -name=value, no bundling
};

struct tool_syntax {
  std::string_view tool;  // for messages
  syntax style = syntax::gnu;
  std::span<const option> options;
};

struct given_option {
  const option* spec = nullptr;
  std::string value;       // empty when none was given
  bool has_value = false;
};

struct invocation {
  std::vector<given_option> options;
  std::vector<std::string> operands;

  [[nodiscard]] bool has(std::string_view long_name) const noexcept;
  [[nodiscard]] bool has_short(char short_name) const noexcept;
  // The values given to the option, in order.
  [[nodiscard]] std::vector<std::string_view> values(std::string_view long_name) const;
};

// Splits `args` into allowlisted options and operands. False with `why` for an
// option not on the list (every abbreviation included), a value missing or
// given to a flag, or a word the tool would read as an option in a way this
// parser cannot be sure of.
bool parse_options(args_t args, const tool_syntax& syn, invocation& out, std::string& why);

// The context a judge runs in: how deep in wrappers, and whether gaps are allowed.
struct context {
  int depth = 0;
  bool gaps = false;
};

// Judges one command (a pipeline segment's words). Defined in readonly.cpp;
// the wrappers (ssh, sudo, timeout) call it for the command they run.
bool judge(args_t words, const context& ctx, std::string& why);
// Judges a whole shell line (ssh's remote command).
bool judge_line(const std::string& line, const context& ctx, std::string& why);

bool refuse(std::string& why, std::string reason);

// Value checks shared by the tool tables. Each accepts a gap.
[[nodiscard]] bool is_host_name(std::string_view v) noexcept;    // RFC 1123 name or IP literal
[[nodiscard]] bool is_number(std::string_view v) noexcept;       // digits
[[nodiscard]] bool is_duration(std::string_view v) noexcept;     // 5, 1.5, 10s, 2m

// One allowlisted tool. Table tools are parsed with `syn` and their operands
// checked by `operands`; tools with subcommands or a command to run (virsh,
// openstack, ssh, sudo, ...) are judged by `custom` alone.
using judge_fn = bool (*)(args_t args, const context& ctx, std::string& why);
using operands_fn = bool (*)(const invocation& inv, const context& ctx, std::string& why);
struct tool_spec {
  std::string_view name;
  tool_syntax syn;
  operands_fn operands = nullptr;  // nullptr: any operands (files, patterns)
  judge_fn custom = nullptr;
};

// The tools, by family: readonly_text.cpp (files and text), readonly_host.cpp
// (host facts, systemd, journal), readonly_net.cpp (network, TLS, wrappers),
// readonly_cloud.cpp (virsh, openstack, nova), readonly_container.cpp
// (podman/docker exec and logs, kubectl exec and logs).
std::span<const tool_spec> text_tools() noexcept;
std::span<const tool_spec> host_tools() noexcept;
std::span<const tool_spec> net_tools() noexcept;
std::span<const tool_spec> cloud_tools() noexcept;
std::span<const tool_spec> container_tools() noexcept;  // readonly_container.cpp

// Parses `args` with `spec.syn` and checks the operands: the whole judgement
// of a table tool.
bool judge_table(const tool_spec& spec, args_t args, const context& ctx, std::string& why);

}  // namespace migsleuth::classifiers::readonly
