// A nova-compute oslo.log text file parsed in ranges: the seam between the
// nova parsers and ingest's split files (ingest/src/split_file.cpp), which
// cut a large plain log at record starts, read the ranges on several threads
// and merge them into exactly what one pass gives.
//
// What a range leaves besides its events, its `range_memory`, is the nova
// parser's own business (the first and last listing per instance, the
// identity tracker's calls recorded for replay); ingest only merges it, range
// after range in file order, and takes the listings and request links at the
// end. What it does not do: cut, read or number lines (ingest does).
//
//   if (!nova_log_is_text(head)) return;           // read the file in one piece
//   auto p = make_nova_log_range_parser(shapes, ctx);  // one per range
//   ... p->feed_line(line, n) ...
//   nova_range_result r = p->finish_range();
//   file_memory.merge_later(r.memory, lines_before_the_range);   // in file order
//   file_memory.take_listings(events); links = file_memory.links();
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::parsers {

class listing_memory;    // private (nova_compute/listing_memory.hpp)
class identity_tracker;  // private (nova_compute/identity_tracker.hpp)

// A file's or a range's listings and request-identity tracker. Default: a
// file's, into which the ranges are merged.
class range_memory {
 public:
  range_memory();
  // A range's (the parser's): listings as seen, the tracker a recorder().
  range_memory(listing_memory&& listings, identity_tracker&& ids);
  ~range_memory();
  range_memory(range_memory&&) noexcept;
  range_memory& operator=(range_memory&&) noexcept;
  range_memory(const range_memory&) = delete;
  range_memory& operator=(const range_memory&) = delete;

  // Adds what `later` (a range read after everything merged so far) holds,
  // its line numbers shifted by `line_offset`, the lines before it in the
  // file; the recorded tracker calls are replayed here, so the window of
  // recent requests slides exactly as over the file in one piece. `later`
  // is left empty.
  void merge_later(range_memory& later, std::uint32_t line_offset);
  // The first then last listing per instance, by instance; then none.
  void take_listings(std::vector<event>& out);
  // Links for the requests kept events needed, as one pass finds them.
  [[nodiscard]] std::vector<identity_link> links() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

// One range of an oslo.log text file cut at a record start: what it gives
// before the ranges are merged.
struct nova_range_result {
  parse_result result;  // events in line order without the listings; no links
  range_memory memory;
  bool saw_json = false;  // a JSON record line: only the whole file can be read right
};

class nova_range_parser : public line_parser {
 public:
  parse_result finish() override { return std::move(finish_range().result); }
  virtual nova_range_result finish_range() = 0;
};

// The nova-compute router for a range of a file whose head it reads as text.
std::unique_ptr<nova_range_parser> make_nova_log_range_parser(
    std::shared_ptr<const shape_set> shapes, line_context ctx);
// True when the router reads the file with this head as oslo.log text (its
// first non-blank line is no JSON), as every range of it must be.
bool nova_log_is_text(std::string_view head);

}  // namespace migsleuth::parsers
