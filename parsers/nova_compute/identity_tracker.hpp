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

namespace migsleuth::parsers {

class identity_tracker {
 public:
  // Any line that names both (DEBUG included).
  void saw(std::string_view request_id, std::string_view instance);
  // A kept event of this request has no instance: remember the request.
  void needs(std::string_view request_id);
  // The instance of `request_id` if known and unambiguous so far, else "".
  [[nodiscard]] std::string instance_of(std::string_view request_id) const;
  // Links for the needed requests whose instance is known and unambiguous.
  [[nodiscard]] std::vector<identity_link> links() const;

 private:
  static constexpr std::size_t kMaxRecent = 1U << 16;
  static std::uint64_t key(std::string_view s) noexcept;

  // request hash -> instance index (kAmbiguous: several instances)
  std::unordered_map<std::uint64_t, std::uint32_t> recent_;
  std::unordered_map<std::uint64_t, std::uint32_t> needed_;  // kNone until seen
  std::unordered_map<std::uint64_t, std::string> needed_ids_;
  std::vector<std::string> instances_;                          // interned UUIDs
  std::unordered_map<std::uint64_t, std::uint32_t> instance_index_;
  std::string last_request_, last_instance_;  // the pair saw() merged last
  static constexpr std::uint32_t kNone = UINT32_MAX;
  static constexpr std::uint32_t kAmbiguous = UINT32_MAX - 1;
};

}  // namespace migsleuth::parsers
