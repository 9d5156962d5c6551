#include "walk_list.hpp"

#include <string_view>

namespace migsleuth::ingest {

std::unique_lock<std::mutex> walk_list::hold() const {
  return shared_ != nullptr ? std::unique_lock(shared_->mutex) : std::unique_lock<std::mutex>();
}

void walk_list::wake() const {
  if (shared_ != nullptr) shared_->grew.notify_all();
}

std::uint32_t walk_list::add_folder(found_file shared) {
  const auto lock = hold();
  folder_paths_.push_back(names_.folder(shared.path));
  folders_.push_back(std::move(shared));
  return static_cast<std::uint32_t>(folders_.size() - 1);
}

void walk_list::add_in_folder(std::uint32_t folder, std::string_view name, std::uint64_t bytes) {
  entry e;
  e.folder = folder;
  {
    const auto lock = hold();
    e.name = path_names::keep(folder_paths_[folder], name);
    entries_.push_back(e);
    bytes_.push_back(bytes);
  }
  wake();
}

void walk_list::add(found_file f) {
  {
    const auto lock = hold();
    entry e;
    e.index = static_cast<std::uint32_t>(whole_.size());
    bytes_.push_back(f.bytes);
    whole_.push_back(std::move(f));
    entries_.push_back(e);
  }
  wake();
}

found_file walk_list::at(std::size_t i) const {
  const entry& e = entries_[i];
  if (e.folder == kNoFolder) {
    found_file f = whole_[e.index];
    f.bytes = i < bytes_.size() ? bytes_[i] : 0;
    return f;
  }
  found_file f = folders_[e.folder];
  f.path.append(path_names::name_of(e.name));
  f.shown = path_names::path_of(folder_paths_[e.folder], e.name);
  f.bytes = i < bytes_.size() ? bytes_[i] : 0;
  return f;
}

std::string_view walk_list::name(std::size_t i) const noexcept {
  const entry& e = entries_[i];
  return e.folder == kNoFolder ? std::string_view() : path_names::name_of(e.name);
}

void walk_list::set_unread(std::size_t i, std::string reason, bool unreadable) {
  found_file f = at(i);
  f.bytes = 0;
  f.skip_reason = std::move(reason);
  f.unreadable = unreadable;
  bytes_[i] = 0;
  entries_[i] = entry{nullptr, static_cast<std::uint32_t>(whole_.size()), kNoFolder};
  whole_.push_back(std::move(f));
}

void walk_list::settle_bundle_root(std::size_t first, const std::string& given_name) {
  const auto lock = hold();
  const auto of = [this](const entry& e) -> found_file& {
    return e.folder == kNoFolder ? whole_[e.index] : folders_[e.folder];
  };
  bool holds_hosts = false;
  for (std::size_t i = first; i < entries_.size() && !holds_hosts; ++i) {
    const found_file& f = of(entries_[i]);
    holds_hosts = !f.host.empty() && f.host_rank >= 0;
  }
  if (!holds_hosts) return;
  for (std::size_t i = first; i < entries_.size(); ++i) {
    found_file& f = of(entries_[i]);
    if (f.host_rank >= 0 || f.host.empty()) continue;
    f.host.clear();
    f.host_rank = 0;
    f.host_from = "no host folder in the path (the folder '" + given_name +
                  "' given on the command line holds host folders: it is the bundle)";
  }
}

void walk_list::clear() {
  walk_list none;
  std::swap(*this, none);
}

}  // namespace migsleuth::ingest
