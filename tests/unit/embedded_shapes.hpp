// The embedded shape packs, loaded once per test binary; every parser and
// correlate test parses realistic lines through them.
#pragma once

#include <catch2/catch.hpp>
#include <memory>

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

}  // namespace migsleuth::test
