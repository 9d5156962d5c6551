// The embedded message catalog, loaded once per test binary, as rule_book
// gives it to the cause loader: tests that load single rules pass it on.
#pragma once

#include <memory>

#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"

namespace migsleuth::test {

inline std::shared_ptr<const rulepack::message_catalog> catalog() {
  static const auto kCatalog = [] {
    diags errors;
    return std::make_shared<const rulepack::message_catalog>(
        rulepack::message_catalog::load(rulepack::builtin_sources("catalog/"), errors));
  }();
  return kCatalog;
}

}  // namespace migsleuth::test
