// The embedded cause rules, loaded once per test binary, for the classifier
// tests that run realistic incidents through the real rule book.
#pragma once

#include <catch2/catch.hpp>

#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::test {

inline const classifiers::rule_book& rules() {
  static const classifiers::rule_book kBook = [] {
    diags errors;
    // As an analysis loads them; tests/rules checks the packs in full.
    auto b = classifiers::rule_book::load({}, errors, classifiers::pack_checks::trust_embedded);
    REQUIRE(errors.empty());
    return b;
  }();
  return kBook;
}

}  // namespace migsleuth::test
