// The embedded shape packs, loaded once per test binary; every parser and
// correlate test parses realistic lines through them.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::test {

inline std::shared_ptr<const parsers::shape_set> shapes() {
  static const std::shared_ptr<const parsers::shape_set> kShapes = [] {
    diags errors;
    auto s = parsers::shape_set::load({}, errors);
    REQUIRE(errors.empty());
    return s;
  }();
  return kShapes;
}

// Parses `text` as one input of `kind` on `host` and appends its events.
inline void parse_into(std::vector<event>& all, input_kind kind, std::string host, input_id id,
                       std::string_view text) {
  parsers::line_context ctx;
  ctx.host = std::move(host);
  ctx.input = id;
  auto r = parsers::parse_text(kind, text, shapes(), ctx);
  for (auto& ev : r.events) all.push_back(std::move(ev));
}

}  // namespace migsleuth::test
