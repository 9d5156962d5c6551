// What a kind's shapes made of a message, remembered per parser: DEBUG
// periodic tasks write the same few thousand messages over and over (nova's
// "Triggering sync for uuid U" for every instance a host holds, each sync),
// and each cost a regex with captures although its answer was known from
// its first sighting.
//
// The shapes are a pure function of the message (apply_shapes reads nothing
// else), so a message met again gets the stored answer: the same shape, the
// same captures, the same event. Only messages that passed the kind's hint
// filter come here (the others cost less than a hash), and only short ones
// (kMaxKeyBytes): a long message is rarely repeated and would cost memory.
//
// Bounded, and small for small files: the table starts at kFirstSlots and
// grows (by 4, to kMaxSlots, keeping what it held) after half its size in
// misses. Slots go in sets of two; a new message takes the place of
// the one of its set used least recently (direct-mapped, one host's 609
// synced instances collided in 84 slots of 4096 and evicted each other every
// sync). What is dropped is only computed again: the answer never depends on
// the table's history.
//
//   shape_memo memo;
//   if (shapes_may_match(list, msg) && memo.apply(list, msg, ev)) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth::parsers {

struct shape_entry;

class shape_memo {
 public:
  static constexpr std::size_t kFirstSlots = 64;
  static constexpr std::size_t kMaxSlots = 16384;
  static constexpr std::size_t kMaxKeyBytes = 512;

  // Exactly apply_shapes(shapes, message, ev). `shapes` must be the same
  // list on every call to one memo (a parser's for_kind list).
  bool apply(const std::vector<const shape_entry*>& shapes, std::string_view message, event& ev);

  // match_shapes(shapes, message, ...): the index of the shape that matches,
  // or shapes.size(); `values` then points at its captures, valid until the
  // next call. For a caller that uses only part of the answer (a listing).
  std::size_t match(const std::vector<const shape_entry*>& shapes, std::string_view message,
                    const fields*& values);

  // For tests: how many answers came from the table, and its size now.
  [[nodiscard]] std::uint64_t hits() const noexcept { return hits_; }
  [[nodiscard]] std::size_t slots() const noexcept { return slots_.size(); }

 private:
  struct slot {
    std::string message;
    std::size_t shape = 0;  // index in the list; the list's size when none matched
    fields values;
    std::uint64_t last_use = 0;  // 0: empty
  };
  std::pair<slot*, slot*> set_of(std::string_view message);
  void grow();

  std::vector<slot> slots_;
  fields long_values_;  // the captures of a message too long to keep
  std::uint64_t uses_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;  // since the table last grew
};

}  // namespace migsleuth::parsers
