// One compiled shape: a message pattern of one input kind and the event it means.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/pattern.hpp"

namespace re2 {
class RE2;
}

namespace migsleuth::parsers {

struct shape_entry {
  std::string id;
  input_kind kind = input_kind::unrecognized;
  event_kind produces = event_kind::log_line;
  rulepack::pattern matcher;
  std::string file;
  std::vector<std::string> samples;
  // Every hint of every shape of this kind in one RE2 (shared by the kind's
  // entries): one DFA pass rejects the lines no shape could match, instead of
  // one substring search per hint.
  std::shared_ptr<const re2::RE2> any_hint;
};

}  // namespace migsleuth::parsers
