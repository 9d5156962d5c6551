#include "migsleuth/ingest/identities.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "migsleuth/ingest/deferred_events.hpp"

namespace migsleuth::ingest {

identity_index index_identities(const analysis_input& data) {
  identity_index ids;
  ids.learn(data.links);
  std::set<std::string, std::less<>> unnamed_requests;
  // Domains in the order the lines named them: each pair of a line left on
  // disk where that line was among the others.
  std::size_t next_domain = 0;
  const auto domains_before = [&](std::size_t at) {
    for (; next_domain < data.domain_links.size() && data.domain_links[next_domain].before <= at;
         ++next_domain) {
      ids.learn_domain(data.domain_links[next_domain].domain,
                       data.domain_links[next_domain].instance);
    }
  };
  for (std::size_t i = 0; i < data.events.size(); ++i) {
    const event& ev = data.events[i];
    domains_before(i);
    ids.learn(ev);
    if (ev.instance.empty() && !ev.request_id.empty()) unnamed_requests.insert(ev.request_id);
  }
  domains_before(data.events.size());
  // The lines naming no instance that wait on disk name their requests too.
  const std::vector<std::uint64_t> set_aside =
      data.deferred ? data.deferred->unowned_requests() : std::vector<std::uint64_t>();
  const auto unnamed = [&](std::string_view request_id) {
    return unnamed_requests.find(request_id) != unnamed_requests.end() ||
           std::binary_search(set_aside.begin(), set_aside.end(),
                              deferred_events::request_hash(request_id));
  };
  // A deferred line names its instance (deferred_events::deferrable) and
  // often its request: for the requests above it is one more "request R
  // worked on instance I", as a link would be.
  if (data.deferred && data.deferred->count() > 0 &&
      (!unnamed_requests.empty() || !set_aside.empty())) {
    for_each_deferred(
        data, [&ids](event& ev) { ids.learn_request(ev.request_id, ev.instance); },
        [&unnamed](std::string_view instance, std::string_view request_id) {
          return !instance.empty() && !request_id.empty() && unnamed(request_id);
        });
  }
  return ids;
}

}  // namespace migsleuth::ingest
