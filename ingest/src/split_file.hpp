// A large plain nova-compute text log read in ranges, on whichever threads
// take them, merged into exactly what reading it in one piece gives.
//
// Each range (cut at a record start: record_cuts.hpp) gets its own parser,
// numbers its lines from 1 and puts its deferred events as its own piece.
// As soon as the ranges before it are merged, a range is merged in file
// order: line numbers shifted by the lines before it, first/last listings
// kept across ranges, the identity tracker's recorded calls replayed into
// one tracker (the same window of recent requests as one pass: same links).
//
//   auto s = split_file::plan(origin, part, size, opt, shapes, deferred);  // or nullptr
//   if (s->read_range(k)) s->finish(st);   // the thread that read the last range
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "kept_text_budget.hpp"
#include "parser_seam.hpp"
#include "read_stream.hpp"

namespace migsleuth::ingest {

// Frees the calling thread's range buffer (read_stream.hpp:
// release_thread_buffers).
void release_range_buffer();

class split_file {
 public:
  // A plan when `o` is a plain regular file larger than two ranges
  // (ingest_options::split_bytes) whose head is nova-compute oslo.log text,
  // not kept whole, with at least one cut; else nullptr.
  static std::unique_ptr<split_file> plan(const file_origin& o, std::size_t part,
                                           const ingest_options& opt,
                                           std::shared_ptr<const shape_set> shapes,
                                           deferred_events* deferred);

  [[nodiscard]] std::size_t ranges() const noexcept { return starts_.size(); }
  [[nodiscard]] std::uint64_t range_bytes(std::size_t k) const noexcept;

  // Reads range k (any thread). True for the call that completed the file:
  // that thread then calls finish().
  bool read_range(std::size_t k);
  // Lists the file as one input with its events and links in `st` (the
  // file's part). False when a range held a JSON record line: nothing was
  // listed, and the file must be read in one piece (after discarding what
  // its ranges deferred).
  bool finish(ingest_state& st);

 private:
  struct range_out {
    std::vector<event> events;  // not deferred, in line order, lines from 1
    nova_range_result parsed;
    std::uint32_t lines = 0;  // lines read (the next range starts after them)
    std::uint64_t long_lines = 0;
    std::uint64_t cut_lines = 0;  // kept text cut to kKeptTextBytes
    std::string error;
    bool done = false;
  };
  split_file(const file_origin& o, std::size_t part, const ingest_options& opt,
             std::shared_ptr<const shape_set> shapes, deferred_events* deferred);
  void merge_ready();  // with mu_ held

  file_origin origin_;
  std::size_t part_;
  const ingest_options& opt_;
  std::shared_ptr<const shape_set> shapes_;
  deferred_events* deferred_;
  input input_;  // kind and why, from the head
  std::vector<std::uint64_t> starts_;
  std::uint64_t size_ = 0;

  std::mutex mu_;
  std::vector<range_out> ranges_;
  std::size_t merged_ = 0;  // ranges[0, merged_) are in the fields below
  std::vector<event> events_;
  kept_text_budget budget_;  // the merged resident events, charged in line order
  range_memory memory_;  // listings and request links, the ranges merged so far
  std::uint64_t lines_read_ = 0, lines_ = 0, skipped_ = 0, long_lines_ = 0, cut_lines_ = 0;
  std::vector<std::string> warnings_;
  std::string error_;  // the first read error
  bool saw_json_ = false;
};

}  // namespace migsleuth::ingest
