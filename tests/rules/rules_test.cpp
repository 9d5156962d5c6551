// Every embedded cause rule loads with zero diagnostics and passes its own
// inline samples (lnav's "pattern does not match any samples", as a test).
#include <catch2/catch.hpp>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/core/diag.hpp"

using migsleuth::diags;
using migsleuth::classifiers::rule_book;

TEST_CASE("rules: every embedded cause pack loads without errors", "[rules]") {
  diags errors;
  const auto book = rule_book::load({}, errors, migsleuth::classifiers::pack_checks::full);
  for (const auto& e : errors) UNSCOPED_INFO(migsleuth::format_diag(e));
  CHECK(errors.empty());
  CHECK(book.size() > 0);
}

TEST_CASE("rules: every embedded cause rule passes its samples", "[rules]") {
  diags errors;
  const auto book = rule_book::load({}, errors, migsleuth::classifiers::pack_checks::full);
  const diags failures = book.test_samples();
  for (const auto& f : failures) UNSCOPED_INFO(migsleuth::format_diag(f));
  CHECK(failures.empty());
}

TEST_CASE("rules: the walking-skeleton classes are covered", "[rules]") {
  diags errors;
  const auto book = rule_book::load({}, errors, migsleuth::classifiers::pack_checks::full);
  bool cpu = false;
  bool network = false;
  for (const auto& r : book.list()) {
    cpu = cpu || r.cls == migsleuth::classification::cpu_incompatibility;
    network = network || r.cls == migsleuth::classification::network;
    CHECK(!r.title.empty());
    CHECK(r.file.find(r.id.substr(r.id.find('.') + 1)) != std::string::npos);
  }
  CHECK(cpu);
  CHECK(network);
}
