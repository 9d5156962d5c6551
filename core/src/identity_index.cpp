#include "migsleuth/core/identity_index.hpp"

#include "migsleuth/core/text.hpp"

namespace migsleuth {

void identity_index::learn_request(std::string_view request_id, std::string_view instance) {
  if (request_id.empty() || instance.empty()) return;
  auto it = requests_.find(request_id);
  if (it == requests_.end()) it = requests_.emplace(std::string(request_id), sole_value<std::string>{}).first;
  it->second.add(std::string(instance));
}

void identity_index::learn_domain(std::string_view domain, std::string_view instance) {
  if (domain.empty() || instance.empty()) return;
  if (domains_.find(domain) == domains_.end()) domains_.emplace(domain, instance);
}

void identity_index::learn(const event& ev) {
  if (ev.instance.empty()) return;
  learn_domain(ev.domain, ev.instance);
  learn_request(ev.request_id, ev.instance);
  if (ev.kind == event_kind::migration_record) {
    // `migration list` numbers migrations; `migration show` may give the UUID too.
    for (const std::string_view name : {"migration_id", "migration_uuid"}) {
      const std::string_view id = ev.value(name);
      if (!id.empty() && migrations_.find(id) == migrations_.end()) {
        migrations_.emplace(std::string(id), ev.instance);
      }
    }
  }
}

void identity_index::learn(std::span<const identity_link> links) {
  for (const auto& l : links) learn_request(l.request_id, l.instance);
}

void identity_index::learn_hosts(std::span<const std::pair<std::string, std::string>> names) {
  hosts_.clear();
  for (const auto& [name, canonical] : names) {
    if (!name.empty()) hosts_.insert_or_assign(lower_ascii(name), canonical);
  }
  hosts_known_ = true;
}

std::string_view identity_index::instance_of_request(std::string_view request_id) const {
  const auto it = requests_.find(request_id);
  return it != requests_.end() && it->second.known() ? std::string_view(it->second.value())
                                                      : std::string_view();
}

std::string_view identity_index::instance_of_domain(std::string_view domain) const {
  const auto it = domains_.find(domain);
  return it == domains_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view identity_index::instance_of_migration(std::string_view migration_id) const {
  const auto it = migrations_.find(migration_id);
  return it == migrations_.end() ? std::string_view() : std::string_view(it->second);
}

bool identity_index::resolve(event& ev) const {
  if (!ev.instance.empty() || ev.instance_unknown) return false;
  std::string_view found;
  if (!ev.domain.empty()) found = instance_of_domain(ev.domain);
  if (found.empty() && !ev.request_id.empty()) found = instance_of_request(ev.request_id);
  // A line naming only a migration (parsers' named_migration.hpp; a record
  // without its server's UUID): the instance its controller record names.
  for (const std::string_view name : {"migration_uuid", "migration_id"}) {
    if (!found.empty()) break;
    if (const std::string_view id = ev.value(name); !id.empty()) found = instance_of_migration(id);
  }
  if (found.empty()) return false;
  ev.instance.assign(found);
  return true;
}

void identity_index::resolve(std::vector<event>& events) const {
  for (auto& ev : events) resolve(ev);
}

std::string identity_index::host(std::string_view name) const {
  if (name.empty()) return {};
  const auto it = hosts_.find(lower_ascii(name));
  return it == hosts_.end() ? std::string(name) : it->second;
}

}  // namespace migsleuth
