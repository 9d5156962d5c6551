// What a kind's shapes made of a message, remembered per parser: DEBUG
// periodic tasks write the same few thousand messages over and over (nova's
// "Triggering sync for uuid U" for every instance a host holds, each sync;
// "Updated the network info_cache" for each, each heal), and each costs a
// regex with captures although its answer was known from its first sighting.
//
// The shapes are a pure function of the message (apply_shapes reads nothing
// else), so a message met again gets the stored answer: the same shape, the
// same captures, the same event. Only messages that passed the kind's hint
// filter come here (the others cost less than a hash), and only short ones
// (kMaxKeyBytes): a long message is rarely repeated and would cost memory.
//
// Bounded: a table of kSlots entries in sets of two, made on first use; a
// new message takes the place of the one of its set used least recently
// (direct-mapped, the 609 instances of one host's sync collided in 84 slots
// of 4096 and took turns evicting each other every sync). What is evicted is
// only computed again, so the answer never depends on the table's history.
//
//   shape_memo memo;
//   if (shapes_may_match(list, msg) && memo.apply(list, msg, ev)) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth::parsers {

struct shape_entry;

class shape_memo {
 public:
  static constexpr std::size_t kSlots = 4096;
  static constexpr std::size_t kMaxKeyBytes = 512;

  // Exactly apply_shapes(shapes, message, ev). `shapes` must be the same
  // list on every call to one memo (a parser's for_kind list).
  bool apply(const std::vector<const shape_entry*>& shapes, std::string_view message, event& ev);

  // For tests: how many answers came from the table.
  [[nodiscard]] std::uint64_t hits() const noexcept { return hits_; }

 private:
  struct slot {
    std::string message;
    std::size_t shape = 0;  // index in the list; the list's size when none matched
    fields values;
    std::uint64_t last_use = 0;  // 0: empty
  };
  std::vector<slot> slots_;
  std::uint64_t uses_ = 0;
  std::uint64_t hits_ = 0;
};

}  // namespace migsleuth::parsers
