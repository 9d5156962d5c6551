// Identity: which instance a line is about when it does not say so, and which
// names are one host. Built once per analysis (pipeline: from the in-memory
// events, ingest's request links and one pass over the deferred lines; the
// host names from correlate's host_index) and read by every stage that asks.
//
//   request id   -> instance  a line naming both (DEBUG included), or a link;
//                             a request seen with two instances names none
//   domain       -> instance  a line naming both (QEMU logs, server records)
//   migration id -> instance  a controller migration record
//   host name    -> the name the report uses for that host
//
// What it does not do: decide which names are one host (correlate's
// host_index does, from the data, and publishes its answer here), or guess
// from similar spellings.
//
//   identity_index ids;
//   ids.learn(links);
//   for (const auto& ev : events) ids.learn(ev);
//   ids.resolve(events);   // lines naming only a domain, a request or a migration get their instance
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth {

// The one rule for ambiguous identities: a key (a request id) seen with one
// value, however often, names that value; seen with two different values (a
// periodic task touching every instance of a host) it names none, for good.
// The parsers' bounded request tracker and identity_index both keep their
// request -> instance facts in it.
template <typename T>
class sole_value {
 public:
  void add(const T& v) {
    if (state_ == state::none) {
      value_ = v;
      state_ = state::one;
    } else if (state_ == state::one && !(value_ == v)) {
      state_ = state::several;
    }
  }
  [[nodiscard]] bool known() const noexcept { return state_ == state::one; }
  // Only when known().
  [[nodiscard]] const T& value() const noexcept { return value_; }

 private:
  enum class state : std::uint8_t { none, one, several };
  T value_{};
  state state_ = state::none;
};

class identity_index {
 public:
  // What one line states: its request and its instance, its domain and its
  // instance, a migration record's id and its instance. Lines that state no
  // instance teach nothing.
  void learn(const event& ev);
  void learn(std::span<const identity_link> links);
  void learn_request(std::string_view request_id, std::string_view instance);
  // What a line naming both states of them, the line itself not at hand
  // (ingest left it on disk): the first pair for a domain wins, as in learn().
  void learn_domain(std::string_view domain, std::string_view instance);

  // Host names, all at once (correlate's host_index::publish): each pair is
  // a name (any case) and the spelling the report uses for its host. From
  // then on host() speaks for every host, an unlisted name being its own.
  void learn_hosts(std::span<const std::pair<std::string, std::string>> names);

  // The instance, or "" when not known or (a request) ambiguous.
  [[nodiscard]] std::string_view instance_of_request(std::string_view request_id) const;
  [[nodiscard]] std::string_view instance_of_domain(std::string_view domain) const;
  [[nodiscard]] std::string_view instance_of_migration(std::string_view migration_id) const;

  // Gives a line that names no instance the one its domain, else its
  // request, else its migration (the value `migration_uuid` or
  // `migration_id`) names; never a line whose instance is no UUID
  // (event::instance_unknown). True if it did.
  bool resolve(event& ev) const;
  void resolve(std::vector<event>& events) const;

  // The name the report uses for `name`; `name` itself when no host name
  // was learnt for it (or `name` is empty).
  [[nodiscard]] std::string host(std::string_view name) const;
  [[nodiscard]] bool knows_hosts() const noexcept { return hosts_known_; }

 private:
  std::map<std::string, sole_value<std::string>, std::less<>> requests_;
  std::map<std::string, std::string, std::less<>> domains_;     // the first line's says
  std::map<std::string, std::string, std::less<>> migrations_;  // the first record's says
  std::map<std::string, std::string, std::less<>> hosts_;       // lower-case name -> canonical
  bool hosts_known_ = false;
};

}  // namespace migsleuth
