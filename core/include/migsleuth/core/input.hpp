// The inputs of an analysis: every file looked at, recognized or not.
// Mirrors report-v1 `inputs[]`; the JSON spelling of every enum is here.
//
// What it does not do: read files (that is ingest/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/input_path.hpp"
#include "migsleuth/core/shared_text.hpp"
#include "migsleuth/core/text_list.hpp"

namespace migsleuth {

enum class input_kind : std::uint8_t {
  nova_compute,
  qemu_domain,
  domjobinfo,
  cpu_info,
  server_show,
  migration_list,
  port_show,
  virsh_list,
  libvirtd,
  unrecognized,
};

enum class compression : std::uint8_t { none, gzip, bzip2, xz, zstd };

std::string_view to_string(input_kind kind) noexcept;
std::string_view to_string(compression c) noexcept;
// Inverse of to_string(input_kind); false if `name` is not a kind.
bool parse_input_kind(std::string_view name, input_kind& out) noexcept;

using input_id = std::uint32_t;

// One per file: a bundle of 1,000,000 files holds 1,000,000 of these until
// the report lists them, so what files say alike is a shared_text, a path
// is its folder's and its name, and warnings cost a pointer until there is
// one: 80 bytes (136 as strings and a vector).
struct input {
  input_path path;       // as given, or "archive!member"
  shared_text host;      // empty when not attributed (its folder's files share it)
  shared_text host_from; // how the host was attributed ("folder name", ...)
  shared_text kind_reason;  // why this kind (for --explain)
  shared_text clock;        // naive times only: the UTC offset applied and why
  std::uint64_t lines = 0;
  std::uint64_t skipped_lines = 0;
  text_list warnings;
  input_kind kind = input_kind::unrecognized;
  compression packing = compression::none;
  bool unreadable = false;  // could not be read at all (exit code 3)
};

// The file name of an input path: its last component, after a folder's '/'
// or an archive's '!' ("b/sos.tar.xz!sos/var/log/nova/nova-compute.log" ->
// "nova-compute.log").
// (A plain loop: find_last_of looks each byte up in its set with memchr,
// and this runs for every file several times.)
constexpr std::string_view input_file_name(std::string_view path) noexcept {
  std::size_t start = path.size();
  while (start > 0 && path[start - 1] != '/' && path[start - 1] != '!') --start;
  return path.substr(start);
}

// A place in an input that evidence cites: input index + 1-based line.
struct source_ref {
  input_id input = 0;
  std::uint32_t line = 0;
  friend constexpr auto operator<=>(const source_ref&, const source_ref&) = default;
};

}  // namespace migsleuth
