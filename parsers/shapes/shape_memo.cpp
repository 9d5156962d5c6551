#include "shapes/shape_memo.hpp"

#include <functional>

#include "migsleuth/parsers/parse.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {

bool shape_memo::apply(const std::vector<const shape_entry*>& shapes, std::string_view message,
                       event& ev) {
  if (message.size() > kMaxKeyBytes) return apply_shapes(shapes, message, ev);
  if (slots_.empty()) slots_.resize(kSlots);
  const std::size_t set = std::hash<std::string_view>{}(message) % (kSlots / 2) * 2;
  slot& a = slots_[set];
  slot& b = slots_[set + 1];
  ++uses_;
  for (slot* hit : {&a, &b}) {
    if (hit->last_use == 0 || hit->message != message) continue;
    ++hits_;
    hit->last_use = uses_;
    if (hit->shape == shapes.size()) return false;
    take_shape(*shapes[hit->shape], hit->values, ev);
    return true;
  }
  slot& s = a.last_use <= b.last_use ? a : b;
  s.last_use = uses_;
  s.values.clear();
  s.shape = match_shapes(shapes, message, s.values);
  s.message.assign(message);
  if (s.shape == shapes.size()) return false;
  take_shape(*shapes[s.shape], s.values, ev);
  return true;
}

}  // namespace migsleuth::parsers
