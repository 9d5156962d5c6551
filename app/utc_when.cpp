#include "utc_when.hpp"

namespace migsleuth::app {

bool parse_when(const std::string& s, timestamp& out) {
  if (s.empty()) return true;
  std::string text = s;
  if (text.size() == 10) text += " 00:00:00";
  if (text.size() == 16) text += ":00";  // "2024-05-21 22:00": minutes are precise enough
  const auto t = parse_iso_datetime(text);
  if (!t) return false;
  out = t->time;
  return true;
}

}  // namespace migsleuth::app
