#include "nova_compute/identity_tracker.hpp"

#include <algorithm>
#include <cctype>

namespace migsleuth::parsers {
namespace {

// Merges what a request was seen with: one instance, or several (a periodic
// task touching many says nothing about any of them).
void merge(std::uint32_t& slot, std::uint32_t instance) {
  if (slot == instance) return;
  slot = slot == UINT32_MAX ? instance : UINT32_MAX - 1;
}

}  // namespace

std::uint64_t identity_tracker::key(std::string_view s) noexcept {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, case-folded (UUIDs)
  for (char c : s) {
    h ^= static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
    h *= 1099511628211ULL;
  }
  return h;
}

void identity_tracker::saw(std::string_view request_id, std::string_view instance) {
  if (request_id.empty() || instance.empty()) return;
  const std::uint64_t ik = key(instance);
  auto [it, inserted] = instance_index_.emplace(ik, static_cast<std::uint32_t>(instances_.size()));
  if (inserted) {
    std::string lowered(instance);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
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
