// A numeric value a parser captured on an event (progress counters, job
// stats): 0 when absent or not a number, which the analyzers read as "not
// measured".
#pragma once

#include <charconv>
#include <string_view>

#include "migsleuth/core/event.hpp"

namespace migsleuth::classifiers {

inline double event_number(const event& ev, std::string_view key) {
  const std::string_view v = ev.value(key);
  double out = 0;
  if (v.empty()) return 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() ? out : 0;
}

}  // namespace migsleuth::classifiers
