#include "nova_compute/identity_tracker.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace migsleuth::parsers {
namespace {

// Merges what a request was seen with: one instance, or several (a periodic
// task touching many says nothing about any of them).
void merge(std::uint32_t& slot, std::uint32_t instance) {
  if (slot == instance) return;
  slot = slot == UINT32_MAX ? instance : UINT32_MAX - 1;
}

}  // namespace

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

void identity_tracker::saw(std::string_view request_id, std::string_view instance) {
  if (request_id.empty() || instance.empty()) return;
  // A request's lines come in runs: the pair just merged changes nothing.
  if (request_id == last_request_ && instance == last_instance_) return;
  last_request_.assign(request_id);
  last_instance_.assign(instance);
  const std::uint64_t ik = key(instance);
  auto [it, inserted] =
      instance_index_.try_emplace(ik, static_cast<std::uint32_t>(instances_.size()));
  if (inserted) {
    std::string lowered(instance);
    // ASCII only: std::tolower's locale lookup showed in profiles of many small files.
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    instances_.push_back(std::move(lowered));
  }
  const std::uint32_t index = it->second;
  const std::uint64_t rk = key(request_id);
  if (recent_.size() >= kMaxRecent && recent_.count(rk) == 0) recent_.clear();
  merge(recent_.try_emplace(rk, kNone).first->second, index);
  if (auto n = needed_.find(rk); n != needed_.end()) merge(n->second, index);
}

void identity_tracker::needs(std::string_view request_id) {
  if (request_id.empty()) return;
  const std::uint64_t rk = key(request_id);
  if (needed_.count(rk) != 0) return;
  const auto r = recent_.find(rk);
  needed_.emplace(rk, r == recent_.end() ? kNone : r->second);
  needed_ids_.emplace(rk, std::string(request_id));
}

std::string identity_tracker::instance_of(std::string_view request_id) const {
  const auto r = recent_.find(key(request_id));
  if (r == recent_.end() || r->second >= kAmbiguous) return {};
  return instances_[r->second];
}

std::vector<identity_link> identity_tracker::links() const {
  std::vector<identity_link> out;
  for (const auto& [rk, index] : needed_) {
    if (index >= kAmbiguous) continue;
    out.push_back({needed_ids_.at(rk), instances_[index]});
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace migsleuth::parsers
