// Hand-written parser for the oslo.log text header (no regex on the hot path):
//   2024-07-11 22:10:59.946 2 ERROR nova.virt.libvirt.driver [None req-X u p - - d d] [instance: U] msg
// Accepts every form in evidence.md FMT-01..FMT-12: pre-Zed and Zed+ context
// brackets, `[-]`, no msecs / no pid (Folsom, devstack), traceback
// continuations (no bracket, maybe `[instance: U]`), and rsyslog/journald
// wrapping ("Jul 11 18:10:59 host nova_compute[129891]: ...").
//
// Shared by every parser of oslo.log and syslog-wrapped lines and by ingest,
// which probes kinds, cuts large files at record starts and unwraps pod logs
// with it; its source is in parsers/common/ with the other shared helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "migsleuth/core/text.hpp"  // looks_like_uuid, for this header's users
#include "migsleuth/core/time.hpp"

namespace migsleuth::parsers {

struct oslo_header {
  timestamp local_time;        // naive (local clock of the host)
  std::string_view pid;        // may be empty
  std::string_view level;      // DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, AUDIT
  std::string_view logger;
  bool has_context = false;    // false: a continuation line (traceback) or no bracket
  std::string_view request_id;         // "req-..." or empty
  std::string_view global_request_id;  // "req-..." or empty
  // What follows the request ids in the bracket ("<user> <project> - default
  // default"), or empty: event::user_identity.
  std::string_view user_identity;
  std::string_view instance;           // UUID from "[instance: U]" or empty
  // "[instance: X]" is there but X is no UUID (a cut, corrupt or forged
  // line): the line names an instance that cannot be told, which is not the
  // same as naming none. `message` then starts at the marker.
  bool instance_malformed = false;
  std::string_view message;            // the rest, trailing "#033[00m" removed
  bool syslog_wrapped = false;
};

// The syslog / journal prefix before a daemon's message, in the forms rsyslog
// and `journalctl -o` write:
//   "Jul 11 18:10:59 host prog[pid]: "                 (rsyslog, short)
//   "Jul 11 18:10:59.946123 host prog[pid]: "          (short-precise)
//   "2024-07-11T18:10:59+0000 host prog[pid]: "        (short-iso)
//   "2024-07-11T18:10:59.946123+00:00 host prog[pid]: " (short-iso-precise)
// `tag` is "prog[pid]" or, for a daemon without a pid (the kernel), "prog".
struct syslog_prefix {
  std::string_view stamp;    // as written
  bool iso = false;          // stamp is ISO 8601 with a zone (exact time)
  std::string_view host;
  std::string_view tag;
  std::string_view message;  // what follows "tag: "
};
std::optional<syslog_prefix> parse_syslog_prefix(std::string_view line) noexcept;

// Strips a syslog/journald prefix of a daemon with a pid if any (above).
std::string_view strip_syslog_prefix(std::string_view line, bool& stripped) noexcept;

std::optional<oslo_header> parse_oslo_header(std::string_view line) noexcept;

// What parse_oslo_header said of lines of one buffer, for a reader that
// parses the same lines again: ingest's kind detection parses a file's first
// lines, then the nova-compute parser is fed those very lines (views into
// the same buffer). An answer is given back only for the same bytes at the
// same address, in the order they were added; any other line is parsed.
// The buffer must not change while answers are taken: clear() before it is
// freed or reused.
class parsed_headers {
 public:
  // Parses `line`: whether it is an oslo.log header, which is then kept.
  bool parse(std::string_view line);
  // The header kept for `line` if it is the next one kept after the last
  // asked (lines asked in their order; lines in between are passed over),
  // or null (then parse it).
  const oslo_header* find(std::string_view line) noexcept;
  // Forgets every answer (the memory stays, for the next file).
  void clear() noexcept {
    kept_.clear();
    next_ = 0;
  }
  // The same, and the memory goes.
  void release() noexcept {
    std::vector<kept>().swap(kept_);
    next_ = 0;
  }

 private:
  struct kept {
    const char* at = nullptr;
    std::size_t size = 0;
    oslo_header header;
  };
  std::vector<kept> kept_;
  std::size_t next_ = 0;
};

}  // namespace migsleuth::parsers
