// --since / --until as analyze and collect take them: "YYYY-MM-DD[ HH:MM[:SS]]"
// in UTC (a 'T' between date and time, a fraction and a zone are read too).
#pragma once

#include <string>

#include "migsleuth/core/time.hpp"

namespace migsleuth::app {

// True and `out` set, or true and `out` untouched for an empty `s`; false
// when `s` is not such a time.
bool parse_when(const std::string& s, timestamp& out);

}  // namespace migsleuth::app
