#include "shapes/shape_memo.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "migsleuth/parsers/parse.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {

std::pair<shape_memo::slot*, shape_memo::slot*> shape_memo::set_of(std::string_view message) {
  const std::size_t set = std::hash<std::string_view>{}(message) % (slots_.size() / 2) * 2;
  return {&slots_[set], &slots_[set + 1]};
}

// Four times the slots; what was held moves over (its strings are moved, not
// copied), most recently used first where a set of the new table is full.
void shape_memo::grow() {
  std::vector<slot> old = std::exchange(slots_, std::vector<slot>(std::min(kMaxSlots, 4 * slots_.size())));
  std::sort(old.begin(), old.end(),
            [](const slot& x, const slot& y) { return x.last_use > y.last_use; });
  for (slot& s : old) {
    if (s.last_use == 0) break;
    auto [a, b] = set_of(s.message);
    slot* to = a->last_use == 0 ? a : b->last_use == 0 ? b : nullptr;
    if (to != nullptr) *to = std::move(s);
  }
  misses_ = 0;
}

std::size_t shape_memo::match(const std::vector<const shape_entry*>& shapes,
                              std::string_view message, const fields*& values) {
  if (message.size() > kMaxKeyBytes) {
    long_values_.clear();
    values = &long_values_;
    return match_shapes(shapes, message, long_values_);
  }
  if (slots_.empty()) {
    slots_.resize(kFirstSlots);
  } else if (misses_ >= slots_.size() / 2 && slots_.size() < kMaxSlots) {
    grow();
  }
  auto [a, b] = set_of(message);
  ++uses_;
  for (slot* hit : {a, b}) {
    if (hit->last_use == 0 || hit->message != message) continue;
    ++hits_;
    hit->last_use = uses_;
    values = &hit->values;
    return hit->shape;
  }
  ++misses_;
  slot& s = a->last_use <= b->last_use ? *a : *b;
  s.last_use = uses_;
  s.values.clear();
  s.shape = match_shapes(shapes, message, s.values);
  s.message.assign(message);
  values = &s.values;
  return s.shape;
}

bool shape_memo::apply(const std::vector<const shape_entry*>& shapes, std::string_view message,
                       event& ev) {
  const fields* values = nullptr;
  const std::size_t i = match(shapes, message, values);
  if (i == shapes.size()) return false;
  take_shape(*shapes[i], *values, ev);
  return true;
}

}  // namespace migsleuth::parsers
