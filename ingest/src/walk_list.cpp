#include "walk_list.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace migsleuth::ingest {
namespace {

constexpr std::size_t kNameBlock = 1U << 20;

}  // namespace

std::uint32_t walk_list::add_folder(found_file shared) {
  folders_.push_back(std::move(shared));
  return static_cast<std::uint32_t>(folders_.size() - 1);
}

const char* walk_list::keep_name(std::string_view name) {
  if (name.size() > block_left_) {
    const std::size_t n = std::max(kNameBlock, name.size());
    blocks_.push_back(std::make_unique<char[]>(n));
    block_at_ = blocks_.back().get();
    block_left_ = n;
  }
  char* at = block_at_;
  if (!name.empty()) std::memcpy(at, name.data(), name.size());
  block_at_ += name.size();
  block_left_ -= name.size();
  return at;
}

void walk_list::add_in_folder(std::uint32_t folder, std::string_view name, std::uint64_t bytes) {
  entry e;
  e.name = keep_name(name);
  e.size_or_index = static_cast<std::uint32_t>(name.size());
  e.folder = folder;
  entries_.push_back(e);
  bytes_.push_back(bytes);
}

void walk_list::add(found_file f) {
  entry e;
  e.size_or_index = static_cast<std::uint32_t>(whole_.size());
  bytes_.push_back(f.bytes);
  whole_.push_back(std::move(f));
  entries_.push_back(e);
}

found_file walk_list::at(std::size_t i) const {
  const entry& e = entries_[i];
  if (e.folder == kNoFolder) {
    found_file f = whole_[e.size_or_index];
    f.bytes = i < bytes_.size() ? bytes_[i] : 0;
    return f;
  }
  found_file f = folders_[e.folder];
  f.path.append(e.name, e.size_or_index);
  f.bytes = i < bytes_.size() ? bytes_[i] : 0;
  return f;
}

void walk_list::settle_bundle_root(std::size_t first, const std::string& given_name) {
  const auto of = [this](const entry& e) -> found_file& {
    return e.folder == kNoFolder ? whole_[e.size_or_index] : folders_[e.folder];
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
