// The two halves of reading a log that a whole file and a range of one
// (split_file.cpp) share: cutting bytes into lines, and handing the parser's
// events to the input's list or to the deferred store.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "kept_text_budget.hpp"
#include "read_stream.hpp"

namespace migsleuth::ingest {

inline constexpr std::size_t kChunk = 1U << 20;

// Splits a byte stream into lines without copying whole lines unless one
// straddles two chunks.
class line_feeder {
 public:
  line_feeder(line_parser& parser, std::uint64_t max_line) : parser_(parser), max_(max_line) {}

  void feed(std::string_view data) {
    while (!data.empty()) {
      const void* nl = std::memchr(data.data(), '\n', data.size());
      if (nl == nullptr) {
        append_carry(data);
        return;
      }
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - data.data());
      if (carry_.empty()) {
        emit(data.substr(0, len));
      } else {
        append_carry(data.substr(0, len));
        emit(carry_);
        carry_.clear();
      }
      data.remove_prefix(len + 1);
    }
  }

  void finish() {
    if (!carry_.empty()) emit(carry_);
    carry_.clear();
  }

  [[nodiscard]] std::uint64_t long_lines() const noexcept { return long_lines_; }
  [[nodiscard]] std::uint32_t lines() const noexcept { return line_no_; }

 private:
  void append_carry(std::string_view part) {
    const std::size_t room = max_ > carry_.size() ? max_ - carry_.size() : 0;
    if (part.size() > room) {
      truncated_ = true;
      part = part.substr(0, room);
    }
    carry_.append(part);
  }

  void emit(std::string_view line) {
    if (line.size() > max_) {
      line = line.substr(0, max_);
      truncated_ = true;
    }
    if (truncated_) ++long_lines_;
    truncated_ = false;
    parser_.feed_line(line, ++line_no_);
  }

  line_parser& parser_;
  std::uint64_t max_;
  std::string carry_;
  std::uint32_t line_no_ = 0;
  std::uint64_t long_lines_ = 0;
  bool truncated_ = false;
};

// Where a file's events go: `events`, or the deferred store (encoded, a
// block at a time) when ingest_options::defer_log_lines asks for it. The
// events kept in memory are charged to the file's `budget` when there is one
// (a split file's ranges have none: split_file charges them in line order).
// `slot` is the file's host slot: the lines of another operation keep one
// mark per slot and instance (deferred_events::keep_as_mark).
class event_sink {
 public:
  event_sink(ingest_state& st, kept_text_budget* budget, const host_slot* slot)
      : st_(st), budget_(budget), slot_(slot) {}

  void take(line_parser& parser) {
    if (st_.deferred == nullptr) return;  // finish() hands everything over at once
    parser.drain(drained_);
    add(drained_);
    drained_.clear();
    if (block_.size() >= kBlock) flush();
  }

  void add(std::vector<event>& events) {
    for (auto& ev : events) {
      if (ev.text_cut) ++cut_lines_;
      // A line kept for the findings stays in memory: the deferred store is
      // read back only for migrating instances.
      if (st_.deferred != nullptr && deferred_events::deferrable(ev) &&
          !(st_.opt.keep_for_findings && st_.opt.keep_for_findings(ev.text))) {
        deferred_events::encode(ev, block_);
        ++in_block_;
      } else if (st_.deferred != nullptr && st_.opt.needed_anyway &&
                 deferred_events::set_aside_whole(ev) && !st_.opt.needed_anyway(ev)) {
        note_domain(ev);
        deferred_events::encode(ev, block_);
        ++in_block_;
      } else if (st_.deferred != nullptr && st_.opt.needed_anyway && st_.opt.marks_operation &&
                 deferred_events::set_aside_operation(ev) && !st_.opt.needed_anyway(ev) &&
                 !(st_.opt.marks_operation(ev) &&
                   st_.deferred->keep_as_mark(slot_, ev.instance, st_.part))) {
        deferred_events::encode(ev, block_);
        ++in_block_;
      } else if (st_.deferred != nullptr && st_.opt.needed_anyway &&
                 deferred_events::set_aside_unowned(ev) && !st_.opt.needed_anyway(ev)) {
        // Not charged to the file's kept text: like every deferred line, it
        // costs no memory until an attempt takes it back.
        if (!ev.request_id.empty()) {
          unowned_requests_.push_back(deferred_events::request_hash(ev.request_id));
        }
        ++unowned_lines_;
        deferred_events::encode(ev, block_);
        ++in_block_;
      } else {
        if (budget_ != nullptr) budget_->keep(ev);
        st_.out.events.push_back(std::move(ev));
      }
    }
  }

  // The index learns a domain from the first line naming it with an
  // instance: a line set aside leaves that pair where the line was.
  void note_domain(const event& ev) {
    if (ev.domain.empty()) return;
    auto& links = st_.out.domain_links;
    if (!links.empty() && links.back().domain == ev.domain) return;  // a later one adds nothing
    links.push_back({ev.domain, ev.instance, st_.out.events.size()});
  }

  void flush() {
    if (st_.deferred == nullptr || block_.empty()) return;
    if (unowned_lines_ > 0) {
      st_.deferred->note_unowned(std::move(unowned_requests_), unowned_lines_);
      unowned_requests_.clear();
      unowned_lines_ = 0;
    }
    st_.deferred->put(st_.part, std::move(block_), in_block_, st_.piece);
    block_.clear();
    in_block_ = 0;
  }

  // Events whose line was kept only to kKeptTextBytes (cap_kept_text).
  [[nodiscard]] std::uint64_t cut_lines() const noexcept { return cut_lines_; }

 private:
  static constexpr std::size_t kBlock = 256U << 10;
  ingest_state& st_;
  kept_text_budget* budget_;
  const host_slot* slot_;
  std::vector<event> drained_;
  std::string block_;
  std::size_t in_block_ = 0;
  std::vector<std::uint64_t> unowned_requests_;  // of set_aside_unowned() lines in block_
  std::size_t unowned_lines_ = 0;
  std::uint64_t cut_lines_ = 0;
};

// The warning on an input whose kept lines were cut to kKeptTextBytes.
inline std::string kept_text_warning(std::uint64_t cut_lines) {
  return std::to_string(cut_lines) + " line(s) kept only to their first " +
         std::to_string(kKeptTextBytes) +
         " bytes in the report and for the rules (each ends in '[line cut: N bytes]')";
}

}  // namespace migsleuth::ingest
