#include "shapes/hint_filter.hpp"

#include <algorithm>
#include <cstring>

namespace migsleuth::parsers {

std::uint16_t hint_filter::block(const char* two_bytes) noexcept {
  std::uint16_t v = 0;
  std::memcpy(&v, two_bytes, sizeof v);
  return v;
}

hint_filter::hint_filter(const std::vector<std::vector<std::string>>& hints)
    : shapes_(hints.size()) {
  std::vector<literal> longs;
  for (std::size_t s = 0; s < hints.size(); ++s) {
    const auto& list = hints[s];
    const bool any_text = list.empty() || std::any_of(list.begin(), list.end(),
                                                      [](const auto& h) { return h.empty(); });
    if (any_text) {
      always_.push_back(static_cast<std::uint32_t>(s));
      continue;
    }
    for (const auto& h : list) {
      const literal lit{static_cast<std::uint32_t>(pool_.size()),
                        static_cast<std::uint32_t>(h.size()), static_cast<std::uint32_t>(s)};
      pool_ += h;
      if (h.size() == 1) {
        short_.push_back(lit);
      } else {
        longs.push_back(lit);
        window_ = window_ == 0 ? h.size() : std::min(window_, h.size());
      }
    }
  }
  window_ = std::min(window_, kMaxWindow);
  if (window_ == 0) return;

  // A window ending at a block that occurs j bytes before the end of some
  // hint's prefix may move j bytes at most; the default is a whole window
  // less the one byte a block shares with the next window.
  shift_.fill(static_cast<std::uint8_t>(window_ - 1));
  for (const auto& lit : longs) {
    const char* prefix = pool_.data() + lit.offset;
    for (std::size_t end = 1; end < window_; ++end) {
      auto& s = shift_[block(prefix + end - 1)];
      s = std::min(s, static_cast<std::uint8_t>(window_ - 1 - end));
    }
  }
  for (auto& lit : longs) lit.last_block = block(pool_.data() + lit.offset + window_ - 2);
  std::sort(longs.begin(), longs.end(), [](const literal& a, const literal& b) {
    return a.last_block != b.last_block ? a.last_block < b.last_block : a.shape < b.shape;
  });
  long_ = std::move(longs);
}

std::size_t hint_filter::scan_long(std::string_view text, std::size_t from) const noexcept {
  std::size_t best = shapes_;
  const std::size_t n = text.size();
  if (window_ == 0 || n < window_) return best;
  const char* p = text.data();
  std::size_t end = window_ - 1;  // index of the window's last byte
  while (end < n) {
    const std::uint16_t b = block(p + end - 1);
    if (const std::size_t jump = shift_[b]; jump != 0) {
      end += jump;
      continue;
    }
    const std::size_t start = end + 1 - window_;
    // Zero jumps are rare (about one a line on nova logs): a binary search
    // for the hints ending so is cheap enough.
    const auto first = std::partition_point(long_.begin(), long_.end(), [&](const literal& l) {
      return l.last_block < b;
    });
    for (auto it = first; it != long_.end() && it->last_block == b; ++it) {
      const literal& lit = *it;
      if (lit.shape < from || lit.shape >= best || n - start < lit.length) continue;
      if (std::memcmp(p + start, pool_.data() + lit.offset, lit.length) != 0) continue;
      best = lit.shape;
      if (best == from) return best;  // nothing can come before it
    }
    ++end;
  }
  return best;
}

std::size_t hint_filter::first_hit(std::string_view text, std::size_t from) const noexcept {
  std::size_t best = shapes_;
  if (const auto it = std::lower_bound(always_.begin(), always_.end(), from); it != always_.end()) {
    best = *it;
    if (best == from) return best;
  }
  for (const literal& lit : short_) {
    if (lit.shape < from || lit.shape >= best) continue;
    if (text.find(pool_[lit.offset]) != std::string_view::npos) best = lit.shape;
  }
  if (best == from) return best;
  return std::min(best, scan_long(text, from));
}

}  // namespace migsleuth::parsers
