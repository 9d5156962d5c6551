#include "migsleuth/core/event.hpp"

namespace migsleuth {

std::string_view event::value(std::string_view name) const noexcept {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace migsleuth
