// Periodic tasks list every instance a host owns every few minutes: of those
// lines only the first and last sighting per instance are kept, so memory
// does not grow with time. Shared by the text and JSON nova parsers and by
// the merge of a file read in ranges.
//
// A listing is asked one thing (correlate's "which host held the instance
// before the attempt"): its host and time. Its text is dropped, so the many
// kept in an archive of small rotated files cost little on disk and less to
// read back.
#pragma once

#include <algorithm>
#include <unordered_map>
#include <string>
#include <utility>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth::parsers {

class listing_memory {
 public:
  // `ev.instance` must be set (the listed instance, lower case).
  void remember(event&& ev) {
    ev.text = {};
    ev.message = {};
    ev.values = {};
    auto it = seen_.find(ev.instance);
    if (it == seen_.end()) {
      std::string key = ev.instance;
      seen_.emplace(std::move(key), std::make_pair(std::move(ev), event{}));
    } else {
      it->second.second = std::move(ev);
    }
  }

  // The event to fill for a listing of `instance` (lower case) seen now: a
  // new first sighting (a default event), or the instance's last sighting,
  // which the caller overwrites whole, as remember() would: its strings'
  // buffers are used again, so a listing seen again costs no allocation.
  event& sighting(const std::string& instance) {
    auto [it, inserted] = seen_.try_emplace(instance);
    return inserted ? it->second.first : it->second.second;
  }

  // `later` saw what it holds after everything this one holds.
  void merge_later(listing_memory& later) {
    for (auto& [instance, pair] : later.seen_) {
      auto it = seen_.find(instance);
      if (it == seen_.end()) {
        seen_.emplace(instance, std::move(pair));
      } else {
        it->second.second = std::move(has_last(pair) ? pair.second : pair.first);
      }
    }
    later.seen_.clear();
  }

  void shift_lines(std::uint32_t offset) {
    for (auto& [instance, pair] : seen_) {
      pair.first.where.line += offset;
      if (has_last(pair)) pair.second.where.line += offset;
    }
  }

  // First then last sighting per instance, by instance.
  void take_into(std::vector<event>& out) {
    std::vector<std::pair<const std::string, std::pair<event, event>>*> by_instance;
    by_instance.reserve(seen_.size());
    for (auto& entry : seen_) by_instance.push_back(&entry);
    std::sort(by_instance.begin(), by_instance.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    for (auto* entry : by_instance) {
      auto& pair = entry->second;
      out.push_back(std::move(pair.first));
      if (has_last(pair)) out.push_back(std::move(pair.second));
    }
    seen_.clear();
  }

 private:
  static bool has_last(const std::pair<event, event>& p) { return p.second.where.line != 0; }
  // instance -> first, last. Hashed: every listing line looks its instance
  // up (a host's 600 instances, each sync); the order is made once, at the end.
  std::unordered_map<std::string, std::pair<event, event>> seen_;
};

}  // namespace migsleuth::parsers
