// One compiled shape: a message pattern of one input kind and the event it means.
#pragma once

#include <string>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/pattern.hpp"

namespace migsleuth::parsers {

struct shape_entry {
  std::string id;
  input_kind kind = input_kind::unrecognized;
  event_kind produces = event_kind::log_line;
  rulepack::pattern matcher;
  std::string file;
  std::vector<std::string> samples;
};

}  // namespace migsleuth::parsers
