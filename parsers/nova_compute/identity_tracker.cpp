#include "nova_compute/identity_tracker.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace migsleuth::parsers {

// Case-folds by setting bit 5 of every byte, which is exact for what request
// ids and UUIDs are made of (hex digits, letters, dashes), and mixes eight
// bytes at a time: this runs for most lines of a log.
std::uint64_t identity_tracker::key(std::string_view s) noexcept {
  constexpr std::uint64_t kFold = 0x2020202020202020ULL;
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = s.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ (w | kFold)) * kMul;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    h = (h ^ (w | (kFold >> (8 * (8 - (s.size() - i)))))) * kMul;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32);
}

std::uint32_t identity_tracker::intern(std::uint64_t ik, std::string_view instance) {
  auto [it, inserted] =
      instance_index_.try_emplace(ik, static_cast<std::uint32_t>(instances_.size()));
  if (inserted) {
    std::string lowered(instance);
    // ASCII only: std::tolower's locale lookup showed in profiles of many small files.
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    instances_.push_back(std::move(lowered));
    if (recording_) instance_keys_.push_back(ik);
  }
  return it->second;
}

void identity_tracker::saw(std::string_view request_id, std::string_view instance) {
  if (request_id.empty() || instance.empty()) return;
  // A request's lines come in runs: the pair just merged changes nothing.
  if (request_id == last_request_ && instance == last_instance_) return;
  last_request_.assign(request_id);
  last_instance_.assign(instance);
  const std::uint32_t index = intern(key(instance), instance);
  if (recording_) {
    calls_.push_back({key(request_id), index});
    return;
  }
  apply_saw(key(request_id), index);
}

void identity_tracker::apply_saw(std::uint64_t rk, std::uint32_t index) {
  if (recent_.size() >= kMaxRecent && recent_.count(rk) == 0) recent_.clear();
  recent_[rk].add(index);
  if (auto n = needed_.find(rk); n != needed_.end()) n->second.instance.add(index);
}

void identity_tracker::needs(std::string_view request_id) {
  if (request_id.empty()) return;
  const std::uint64_t rk = key(request_id);
  if (recording_) {
    calls_.push_back({rk, kNeeds});
    // The first spelling, as apply_needs keeps; replay() reads it (id_of).
    const auto [it, added] = needed_.try_emplace(rk);
    if (added) {
      it->second.id_at = static_cast<std::uint32_t>(needed_ids_.size());
      it->second.id_size = static_cast<std::uint32_t>(request_id.size());
      needed_ids_.append(request_id);
    }
    return;
  }
  apply_needs(rk, request_id);
}

void identity_tracker::apply_needs(std::uint64_t rk, std::string_view request_id) {
  if (needed_.count(rk) != 0) return;
  const auto r = recent_.find(rk);
  needed_request n;
  if (r != recent_.end()) n.instance = r->second;
  n.id_at = static_cast<std::uint32_t>(needed_ids_.size());
  n.id_size = static_cast<std::uint32_t>(request_id.size());
  needed_ids_.append(request_id);
  needed_.emplace(rk, n);
}

// The recorder interned its own instances; they are interned here again, in
// the order they were first seen, which is the order one tracker would use.
void identity_tracker::replay(const identity_tracker& recorded) {
  std::vector<std::uint32_t> index_here(recorded.instances_.size(), kNone);
  for (const call& c : recorded.calls_) {
    if (c.instance == kNeeds) {
      apply_needs(c.request, recorded.id_of(c.request));
      continue;
    }
    std::uint32_t& here = index_here[c.instance];
    if (here == kNone) {
      here = intern(recorded.instance_keys_[c.instance], recorded.instances_[c.instance]);
    }
    apply_saw(c.request, here);
  }
}

std::string_view identity_tracker::id_of(std::uint64_t rk) const {
  const needed_request& n = needed_.at(rk);
  return std::string_view(needed_ids_).substr(n.id_at, n.id_size);
}

std::string identity_tracker::instance_of(std::string_view request_id) const {
  const auto r = recent_.find(key(request_id));
  if (r == recent_.end() || !r->second.known()) return {};
  return instances_[r->second.value()];
}

std::vector<identity_link> identity_tracker::links() const {
  std::vector<identity_link> out;
  for (const auto& [rk, needed] : needed_) {
    if (!needed.instance.known()) continue;
    out.push_back({std::string(needed_ids_, needed.id_at, needed.id_size),
                   instances_[needed.instance.value()]});
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace migsleuth::parsers
