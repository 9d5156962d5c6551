// Event: one normalized fact from one log line, citing where it came from.
// Parsers make them; correlate groups them; classifiers read their text.
//
// Events own their strings: only relevant lines become events, so memory is
// bounded by what is kept, not by the size of the inputs. Each string an
// event keeps is at most kKeptTextBytes (cap_kept_text), so a hostile log
// of long lines costs what the report shows, not what was read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsleuth/core/event_kind.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/time.hpp"

namespace migsleuth {

std::string_view to_string(event_kind kind) noexcept;
bool parse_event_kind(std::string_view name, event_kind& out) noexcept;

using fields = std::vector<std::pair<std::string, std::string>>;

// Bytes [at, at + size) of an event's text; size 0: none.
struct text_span {
  std::uint32_t at = 0;
  std::uint32_t size = 0;
  [[nodiscard]] bool empty() const noexcept { return size == 0; }
  friend constexpr bool operator==(const text_span&, const text_span&) = default;
};

// The value names under which the openstack JSON parser stores the field
// its cited line holds (verdict.hpp cited_field): key path, value, record.
inline constexpr std::string_view kCitedKeyPath = "cited.key_path";
inline constexpr std::string_view kCitedValue = "cited.value";
inline constexpr std::string_view kCitedRecord = "cited.record";

struct event {
  timestamp time;             // UTC; unknown for lines without a clock
  bool local_clock = false;   // came from a naive local time (oslo.log text), shifted by the
                              // host's UTC offset as known when parsed
  event_kind kind = event_kind::log_line;
  input_kind source = input_kind::unrecognized;  // kind of the input it came from
  std::string host;
  std::string instance;       // nova instance UUID, lower-case, or empty
  std::string request_id;     // "req-..." or empty
  std::string global_request_id;
  std::string domain;         // libvirt domain name ("instance-0000002a") or empty
  std::string level;          // DEBUG/INFO/WARNING/ERROR/... or empty
  std::string logger;         // oslo logger name or empty
  std::string shape;          // id of the shape that produced it, or empty
  source_ref where;
  std::string text;           // the whole line as read (evidence)
  // oslo.log's user identity in the context bracket, after the request ids
  // ("[req-X <user> <project> - default default]"), as the parser found it in
  // `text`: what a display may fold to "..." (report's elide_line) without
  // reading the line again. Empty when the line has none or it was cut.
  text_span user_identity;
  std::string message;        // the message body (after the header)
  fields values;              // named captures of the shape
  bool linked_by_time = false;  // names neither the instance nor a request tied to it:
                                // correlate joined it by host and time only (weaker proof)
  bool text_cut = false;        // text or message was longer than kKeptTextBytes (cut)
  bool text_budget_cut = false; // text and message kept to kBudgetPrefixBytes: its file's kept
                                // text about its instance had passed the budget (ingest
                                // kept_text_budget); text ends in the line-cut marker
  bool instance_unknown = false;  // the line names an instance that is no UUID
                                  // ("[instance: foo]"): it is never given another
                                  // line's instance, by request, domain or time

  [[nodiscard]] std::string_view value(std::string_view name) const noexcept;
};

// What an event keeps of a line, its message and each captured value: an
// 8 KiB prefix. Shapes and their captures see the line's first 64 KiB
// (parsers' kShapeWindowBytes) when it is parsed; the rules, the timeline and the evidence
// see what is kept. Real nova/libvirt error lines are well under 1 KiB; the
// longest legitimate ones (a LibvirtLiveMigrateData dump) a few KiB.
inline constexpr std::size_t kKeptTextBytes = 8U << 10;
// What one file may keep of the lines about one instance (line, message and
// values, as kept) before its later lines keep only a kBudgetPrefixBytes
// prefix: header, identity and the start of the message (ingest
// kept_text_budget.hpp). Real incidents stay far below it.
inline constexpr std::size_t kKeptTextBudgetBytes = 4U << 20;
inline constexpr std::size_t kBudgetPrefixBytes = 512;

// `s` if it is at most kKeptTextBytes, else its start (cut on a UTF-8
// boundary) followed by " … [line cut: N bytes]" (N: the original length),
// in kKeptTextBytes at most, so that capping again changes nothing.
std::string capped_text(std::string_view s);
// The same for a text of `whole_size` bytes of which only `start` was kept
// (a record joined from many lines): the marker says `whole_size`.
std::string capped_text(std::string_view start, std::size_t whole_size);
// The same with a cap of `cap` bytes instead of kKeptTextBytes.
std::string capped_text(std::string_view start, std::size_t whole_size, std::size_t cap);
// The length of the line a kept text was made from: the N of its
// "[line cut: N bytes]" marker, else its own size.
std::size_t kept_line_length(std::string_view kept) noexcept;
bool cap_kept_text(std::string& s);  // in place; true if it cut
// Where `part`, a view into `line`, sits in `kept`, the copy of `line` an
// event keeps: empty when `part` is empty, not within `line`, or not kept
// whole (a cut line).
text_span span_in_copy(std::string_view line, std::string_view part, std::string_view kept);

// Caps text, message and every value; sets text_cut when the line (text or
// message) was cut. Parsers call it before they keep an event.
void cap_kept_text(event& ev);

// "This request worked on this instance", seen on any line (DEBUG included),
// even one not kept as an event: it lets correlate give an instance to lines
// that name only the request (rpc.server tracebacks, _compare_cpu errors).
struct identity_link {
  std::string request_id;
  std::string instance;
  friend auto operator<=>(const identity_link&, const identity_link&) = default;
};

}  // namespace migsleuth
