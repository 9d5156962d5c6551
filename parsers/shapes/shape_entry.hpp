// One compiled shape: a message pattern of one input kind and the event it means.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/pattern.hpp"
#include "shapes/hint_filter.hpp"

namespace migsleuth::parsers {

struct shape_entry {
  std::string id;
  input_kind kind = input_kind::unrecognized;
  event_kind produces = event_kind::log_line;
  // The request id on these lines is not their operation's (nova's lifecycle
  // handler logs under whatever context its thread holds): dropped, so the
  // line joins its attempt by instance and time and never starts one.
  bool request_unrelated = false;
  rulepack::pattern matcher;
  std::string file;
  std::vector<std::string> samples;
  // The hints of every shape of this kind (shared by the kind's entries), and
  // this shape's index in it, which is its index in shape_set::for_kind(kind):
  // one pass over a message says which shapes are worth their regex.
  std::shared_ptr<const hint_filter> kind_hints;
  std::size_t index_in_kind = 0;
};

// apply_shapes in its two halves, for callers that keep the answer
// (shape_memo): the index in `shapes` of the first shape matching `message`
// (its captures appended to `values`), or shapes.size(); then what that
// shape makes of the event.
std::size_t match_shapes(const std::vector<const shape_entry*>& shapes, std::string_view message,
                         fields& values);
void take_shape(const shape_entry& s, fields values, event& ev);

}  // namespace migsleuth::parsers
