// Which instance a request worked on, kept only for the requests that matter.
//
// rpc.server tracebacks and _compare_cpu errors name their request but no
// instance; an earlier DEBUG line of the same request often names it. Keeping
// every (request, instance) pair of a log costs memory in proportion to the
// log, so only a bounded window of recent requests is remembered, and links
// are reported only for requests that a kept event needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/identity_index.hpp"

namespace migsleuth::parsers {

class identity_tracker {
 public:
  identity_tracker() = default;
  // A tracker for one range of a split file (range_memory, nova_ranges.hpp): it
  // records the calls in order instead of applying them, and replay() applies
  // them to the file's tracker range after range, so the window of recent
  // requests slides exactly as it would over the file read in one piece.
  static identity_tracker recorder() {
    identity_tracker t;
    t.recording_ = true;
    return t;
  }

  // Any line that names both (DEBUG included).
  void saw(std::string_view request_id, std::string_view instance);
  // A kept event of this request has no instance: remember the request.
  void needs(std::string_view request_id);
  // The instance of `request_id` if known and unambiguous so far, else "".
  [[nodiscard]] std::string instance_of(std::string_view request_id) const;
  // Links for the needed requests whose instance is known and unambiguous.
  [[nodiscard]] std::vector<identity_link> links() const;
  // Applies what `recorded` (a recorder()) was told, as if told here now.
  void replay(const identity_tracker& recorded);

 private:
  static constexpr std::size_t kMaxRecent = 1U << 16;
  static std::uint64_t key(std::string_view s) noexcept;
  std::uint32_t intern(std::uint64_t ik, std::string_view instance);
  void apply_saw(std::uint64_t rk, std::uint32_t index);
  void apply_needs(std::uint64_t rk, std::string_view request_id);
  // The first spelling of a needed request's id, kept in needed_ids_.
  [[nodiscard]] std::string_view id_of(std::uint64_t rk) const;

  // A recorder's calls: request hash and interned instance, or kNeeds.
  struct call {
    std::uint64_t request;
    std::uint32_t instance;
  };
  bool recording_ = false;
  std::vector<call> calls_;
  std::vector<std::uint64_t> instance_keys_;  // recorder: key of each of instances_

  // request hash -> interned instance index, under core's one ambiguity rule
  // (sole_value: a request seen with several instances names none)
  std::unordered_map<std::uint64_t, sole_value<std::uint32_t>> recent_;
  // A request a kept line named without an instance: the instance its lines
  // name (none until saw() gives one) and where its id's first spelling is
  // in needed_ids_. One entry and the id's bytes, not two map nodes and a
  // string each: a log's periodic tasks need a request a line (~100 bytes
  // less each).
  struct needed_request {
    sole_value<std::uint32_t> instance;
    std::uint32_t id_at = 0;
    std::uint32_t id_size = 0;
  };
  std::unordered_map<std::uint64_t, needed_request> needed_;
  std::string needed_ids_;  // the needed requests' ids, back to back
  std::vector<std::string> instances_;                          // interned UUIDs
  std::unordered_map<std::uint64_t, std::uint32_t> instance_index_;
  std::string last_request_, last_instance_;  // the pair saw() merged last
  static constexpr std::uint32_t kNone = UINT32_MAX;   // replay: not interned here yet
  static constexpr std::uint32_t kNeeds = UINT32_MAX;  // in calls_
};

}  // namespace migsleuth::parsers
