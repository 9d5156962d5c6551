// One identity per host: which of the names a bundle gives its hosts are one
// machine. A compute host is `cmp-07` to its bundle folder, `cmp-07.example.net`
// to nova (its `host` option, migration records, `dest=`), `10.0.0.17` in a
// migration URI and `cmp-07.internalapi.example.net` as its migration address;
// kept apart, the destination's own pre-check error reads as "on another
// host", a report prints `cmp-07 -> cmp-11.example.net` and a scan splits one
// host pair into two rows.
//
// Names are joined only by what the data states:
//   - the host's own nova-compute configuration dump (host, my_ip,
//     live_migration_inbound_addr; event_kind::host_config);
//   - controller records: a migration's compute and node, a server's host and
//     hypervisor_hostname, a hypervisor's service host, name and host_ip;
//   - the syslog host field of a file's lines;
//   - a short name and the one FQDN the data knows that begins with it (two
//     FQDNs with the same first label leave the short name alone).
// Two hosts whose files the bundle holds under different short names are
// never joined, whatever a record says: merging a source and its destination
// would be worse than printing one host twice.
//
// What it does not do: read files, or guess from similar spellings.
//
//   auto names = host_index::build(inputs, events);
//   names.rename(events, inputs);   // every host spelled as the report prints it
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/host.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/core/input.hpp"

namespace migsleuth::correlate {

// Whether host_index::build could learn a host's name from this line alone
// (a `dest=`, a migration URI, an NBD server): such a line is read for its
// names whether or not its instance migrated (ingest keeps it in memory).
[[nodiscard]] bool names_a_host(const event& ev);

class host_index {
 public:
  static host_index build(std::span<const input> inputs, std::span<const event> events);

  // The name the report uses for `name`; `name` itself when the data gives
  // that host no other name (or when `name` is empty).
  [[nodiscard]] std::string canonical(std::string_view name) const;

  // Every host with files in the bundle or more than one name, by name.
  [[nodiscard]] std::vector<host_identity> identities() const;

  // Joins the data stated but that were not made: two hosts the bundle has
  // files of under different short names (for --explain).
  [[nodiscard]] std::vector<std::string> refusals() const;

  // Every event's and input's host spelled canonically.
  void rename(std::vector<event>& events, std::vector<input>& inputs) const;

  // Gives the analysis' identity index every name and its canonical
  // spelling: stages that only ask "which host is this" read it there.
  void publish(identity_index& into) const;

 private:
  struct node {
    std::string name;      // first spelling seen
    std::size_t parent = 0;
    std::size_t inputs = 0;     // files attributed to this spelling
    std::string inputs_from;    // how the first of them was attributed
    bool service_name = false;  // nova's own name for it (host option, record compute)
    bool address = false;       // an IP address
  };
  struct edge {
    std::size_t a = 0, b = 0;
    std::string why;
    bool refused = false;  // would have joined two hosts the bundle has files of
  };

  std::size_t add_name(std::string_view name);
  std::size_t root(std::size_t n) const;
  std::size_t find(std::size_t n);
  void join(std::size_t a, std::size_t b, std::string why);
  void join_short_names();
  void settle();

  std::vector<node> nodes_;
  std::vector<std::set<std::string>> filed_;  // by root while built: its files' first labels
  std::map<std::string, std::size_t, std::less<>> by_key_;  // lower-case name -> node
  std::vector<edge> joined_;      // merges done, in the order made
  std::map<std::size_t, std::size_t> canonical_of_root_;  // root -> node whose name is used
  std::map<std::size_t, std::string> canonical_why_;      // root -> why that name
};

// Whether `name` spells an IPv4 or IPv6 address (not a host name).
bool is_address(std::string_view name) noexcept;

// The other host a source line names as the destination: nova's `dest=`
// capture, a libvirt URI (`qemu+tcp://cmp-11/system`) or the server of a
// refused connection; empty when the line names none.
std::string host_named_in(const event& ev);

}  // namespace migsleuth::correlate
