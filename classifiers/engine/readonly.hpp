// The checker's entry for filled templates: like is_read_only_command(), but a
// withheld value (readonly::kGapMark, see template_fill.hpp) is accepted as one
// opaque word wherever a value may stand, never as an option.
#pragma once

#include <string>

namespace migsleuth::classifiers {

bool is_read_only_with_gaps(const std::string& command, std::string& why);

}  // namespace migsleuth::classifiers
