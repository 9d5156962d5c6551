#include "shapes/shape_memo.hpp"

#include <functional>

#include "migsleuth/parsers/parse.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {

bool shape_memo::apply(const std::vector<const shape_entry*>& shapes, std::string_view message,
                       event& ev) {
  if (message.size() > kMaxKeyBytes) return apply_shapes(shapes, message, ev);
  if (slots_.empty()) slots_.resize(kSlots);
  slot& s = slots_[std::hash<std::string_view>{}(message) % kSlots];
  if (s.used && s.message == message) {
    ++hits_;
    if (s.shape == shapes.size()) return false;
    take_shape(*shapes[s.shape], s.values, ev);
    return true;
  }
  s.values.clear();
  s.shape = match_shapes(shapes, message, s.values);
  s.message.assign(message);
  s.used = true;
  if (s.shape == shapes.size()) return false;
  take_shape(*shapes[s.shape], s.values, ev);
  return true;
}

}  // namespace migsleuth::parsers
