// Parsers: bytes of one input -> typed events. One parser per input kind;
// the shapes of rules/shapes/<kind>.yaml say which message means which event.
//
// What it does not do: find files, decompress or decide kinds (ingest/),
// or group events into incidents (correlate/). Nothing here throws or prints;
// a line that cannot be understood is counted in `skipped_lines`.
//
//   diags errors;
//   auto shapes = shape_set::load({}, errors);
//   line_context ctx{.host = "cmp-a", .input = 0};
//   nova_compute_parser p(shapes, ctx);
//   p.feed_line(line, 1); ...; auto r = p.finish();
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/diag.hpp"
#include "migsleuth/core/event.hpp"
#include "migsleuth/core/input.hpp"

namespace migsleuth::parsers {

struct shape_entry;  // private
class parsed_headers;  // oslo_header.hpp

// All shapes, grouped by input kind, compiled once and shared read-only.
class shape_set {
 public:
  static std::shared_ptr<const shape_set> load(const std::vector<std::string>& extra_dirs,
                                               diags& errors);
  // Only the shapes under `dir` (`rules lint|test DIR`: a pack on its own, so
  // the repository's rules/ does not clash with its embedded copy).
  static std::shared_ptr<const shape_set> load_dir_only(const std::string& dir, diags& errors);
  // The shapes of one kind, in file order (first match wins). Listed once,
  // when loaded: each parser made (one a file) holds this list.
  [[nodiscard]] const std::vector<const shape_entry*>& for_kind(input_kind kind) const;
  [[nodiscard]] std::size_t size() const noexcept { return shapes_.size(); }

  // Every shape's inline sample lines, for `rules test` and the test suite:
  // parsed as a one-line input of `kind`, each must yield an event of `shape`.
  struct sample {
    std::string shape;
    input_kind kind = input_kind::unrecognized;
    event_kind produces = event_kind::log_line;
    std::string line;
  };
  [[nodiscard]] std::vector<sample> samples() const;
  // The values code reads (core/captures.hpp) that no shape here captures,
  // one error each; load() adds them to its errors.
  [[nodiscard]] diags captures_no_shape_gives() const;
  ~shape_set();
  shape_set();
  shape_set(const shape_set&) = delete;
  shape_set& operator=(const shape_set&) = delete;

 private:
  void list_by_kind();

  std::vector<std::unique_ptr<shape_entry>> shapes_;
  std::array<std::vector<const shape_entry*>,
             static_cast<std::size_t>(input_kind::unrecognized) + 1>
      by_kind_;
};

// Shapes see at most this much of a message: nova's, libvirt's and QEMU's
// decisive words (the exception, the libvirt error, the peer) come in its
// first few hundred bytes, and an event keeps only kKeptTextBytes of it
// anyway. A megabyte line then costs the hint filter and the regexes what a
// 64 KiB one does (a capture running to the end of the line stops here too;
// the kept text still says the line's whole length).
inline constexpr std::size_t kShapeWindowBytes = 64U << 10;

// `shapes` is what shape_set::for_kind(kind) returned.
// The cheap test: false means no shape of this kind can match `message` (one
// pass of the kind's multi-literal hint filter). Parsers call it before they
// build an event, so lines that matter to nothing cost no allocation.
bool shapes_may_match(const std::vector<const shape_entry*>& shapes, std::string_view message);

// Matches a message against one kind's shapes; fills kind, shape id, values.
// False when no shape matched (event left untouched). Only the shapes with a
// hint in the message run their regex.
bool apply_shapes(const std::vector<const shape_entry*>& shapes, std::string_view message,
                  event& ev);

struct line_context {
  std::string host;
  input_id input = 0;
  std::int64_t utc_offset_seconds = 0;  // local time = UTC + offset (naive clocks only)
  std::string file_name;                // base name, e.g. "instance-0000002a.log"
  // For a file no kind claims: which of its lines (unquoted) to keep as
  // fragment events (a pasted excerpt). Null: none, the lines are only counted.
  const std::function<std::size_t(std::string_view)>* fragment_filter = nullptr;
  // The headers of the input's first lines, as kind detection parsed them
  // (ingest), for the nova-compute parser not to parse them again. Null: none.
  parsed_headers* parsed = nullptr;
};

struct parse_result {
  std::vector<event> events;
  std::vector<identity_link> links;  // distinct, sorted
  std::uint64_t lines = 0;
  std::uint64_t skipped_lines = 0;
  std::vector<std::string> warnings;
  // The host the content itself names (a capture's shell prompt or virsh
  // URI) and how; ingest uses it when the path names no host.
  std::string content_host;
  std::string content_host_from;
};

// Line-at-a-time parsers so that callers can stream inputs of any size.
class line_parser {
 public:
  virtual ~line_parser() = default;
  virtual void feed_line(std::string_view line, std::uint32_t line_no) = 0;
  // Moves the events complete so far into `out`, so that a streaming caller
  // need not hold a whole file's events. Parsers that settle events only in
  // finish() keep them until then.
  virtual void drain(std::vector<event>& out) { (void)out; }
  virtual parse_result finish() = 0;
};

std::unique_ptr<line_parser> make_parser(input_kind kind,
                                         std::shared_ptr<const shape_set> shapes,
                                         line_context ctx);

// Convenience for tests and small inputs: splits `text` on '\n' and parses it.
parse_result parse_text(input_kind kind, std::string_view text,
                        std::shared_ptr<const shape_set> shapes, const line_context& ctx);

}  // namespace migsleuth::parsers
