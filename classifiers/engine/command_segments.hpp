// A shown command line cut into the segments of a pipeline or list, each
// word kept as written (quotes included), so that a rendering can rewrite
// words and join them back unchanged elsewhere (deployment_render.cpp,
// deployment_controller.cpp). Not a shell parser: the read-only checker
// judges the result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::classifiers {

struct segment {
  std::vector<std::string> words;
  std::string sep;  // the operator after it ("|", "&&", ";"), empty for the last
};

// Splits on unquoted blanks and list operators. False when a quote is not closed.
bool split_raw(std::string_view line, std::vector<segment>& out);

// The segments as one line: words by one blank, operators between blanks.
std::string join(const std::vector<segment>& segs);

}  // namespace migsleuth::classifiers
