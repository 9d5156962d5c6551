// fmt-style `{name}` templates of summaries, confirm commands and remediation.
// Placeholders are checked when a rule loads (every name must be a built-in
// or a capture of one of the rule's selections); filling never fails and never
// leaves a value silently empty: a missing value renders as `<what is missing>`.
//
//   std::vector<std::string> names; std::string why;
//   template_placeholders("ss -ltn 'sport = :{port}'", names, why);  // names == {"port"}
//   fill_template(tpl, binds, fill_mode::command);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsleuth/core/incident.hpp"

namespace migsleuth::classifiers {

// Placeholders every rule may use, filled from the incident itself.
inline constexpr std::string_view kBuiltinPlaceholders[] = {
    "instance", "domain", "source", "destination", "request_id", "migration_id"};

[[nodiscard]] bool is_builtin_placeholder(std::string_view name) noexcept;

// `{fact.<name>}` fills in an analyzer fact (README "Facts"); the loader
// checks the name against the declared facts.
inline constexpr std::string_view kFactPrefix = "fact.";

// Collects the placeholder names of `tpl` (in order, with repeats). False with
// `why` on a syntax error: unbalanced brace, positional `{}`, non-identifier.
bool template_placeholders(std::string_view tpl, std::vector<std::string>& names,
                           std::string& why);

using bindings = std::vector<std::pair<std::string, std::string>>;

// The built-in values for `inc` (empty ones included; fill renders them).
[[nodiscard]] bindings builtin_bindings(const incident& inc);

enum class fill_mode : std::uint8_t {
  prose,    // summaries, remediation: any value text
  command,  // shell commands: unsafe values are withheld (see below)
  check,    // as command, but each withheld value is readonly::kGapMark, for the checker
};

// Never throws. Values that are empty render as `<name>` / `<destination host>`
// so a reader sees the gap. In commands a value is also withheld when it holds
// a character outside [A-Za-z0-9._-:/@,+=], starts with '-' (it would be read
// as an option), or, for a host placeholder (source, destination, dest, and
// any name ending in "host"), is not an RFC 1123 host name or IP address.
[[nodiscard]] std::string fill_template(std::string_view tpl, const bindings& values,
                                        fill_mode mode);

// Whether `value` may stand for placeholder `name` in a command.
[[nodiscard]] bool command_safe_value(std::string_view name, std::string_view value) noexcept;

// A confirm command template filled with `values` and checked again as filled
// (engine/confirm_fill.cpp): the filled command when it is read-only, else the
// template with every value withheld when that is, else nullopt; `why` says
// what was refused. A template made in C++ that fails even with every value
// withheld is a bug: it asserts in debug and sanitizer builds.
[[nodiscard]] std::optional<std::string> checked_command(std::string_view tpl,
                                                         const bindings& values,
                                                         std::string& why);

}  // namespace migsleuth::classifiers
