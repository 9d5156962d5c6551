// rule_book::explain (for `analyze --explain`): a rule that fired is traced as
// fired with the line it matched; a rule whose hint occurs in a line but whose
// regex or condition does not hold is traced as nearly fired, saying why;
// a rule that saw nothing is not traced.
#include <catch2/catch.hpp>

#include "embedded_rules.hpp"

#include <algorithm>
#include <string>

#include "migsleuth/classifiers/classify.hpp"

using namespace migsleuth;
using migsleuth::classifiers::rule_book;
using migsleuth::classifiers::rule_trace;

namespace {

const rule_book& book() { return migsleuth::test::rules(); }

event nova_line(std::uint32_t line, const std::string& text) {
  event e;
  e.source = input_kind::nova_compute;
  e.host = "cmp-a";
  e.where = {0, line};
  e.time.micros = 1'716'300'132'000'000 + line;
  e.level = "ERROR";
  e.text = text;
  e.message = text;
  return e;
}

const rule_trace* find(const std::vector<rule_trace>& traces, std::string_view id) {
  auto it = std::find_if(traces.begin(), traces.end(), [&](const auto& t) { return t.rule == id; });
  return it == traces.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("explain: fired and nearly fired rules, silent ones left out") {
  incident inc;
  inc.id = "inc-1";
  inc.instance = "bd8a3212-8687-4525-a8f2-f40322c72d5f";
  inc.source = "cmp-a";
  inc.destination = "cmp-b";
  inc.result = outcome::failed;
  // evidence.md NET-01: the refused migration connection (fires port-refused).
  inc.events.push_back(nova_line(
      16, "Live Migration failure: operation failed: Failed to connect to remote libvirt URI "
          "qemu+tcp://cmp-b/system: unable to connect to server at 'cmp-b:16509': Connection "
          "refused"));
  // Holds the TLS rule's hint ("migration out job") but not its TLS error.
  inc.events.push_back(nova_line(
      17, "Live Migration failure: operation aborted: migration out job: canceled by client"));
  const std::vector<input> inputs(1);
  const auto traces = book().explain(inc, inputs);

  const rule_trace* refused = find(traces, "network.migration-port-refused");
  REQUIRE(refused != nullptr);
  CHECK(refused->fired);
  CHECK(refused->why.find("holds") != std::string::npos);
  REQUIRE_FALSE(refused->lines.empty());
  CHECK(refused->lines.front().line == 16);

  const rule_trace* tls = find(traces, "network.migration-tls-failure");
  REQUIRE(tls != nullptr);
  CHECK_FALSE(tls->fired);
  CHECK(tls->why.find("hint seen but regex did not match") != std::string::npos);
  CHECK(tls->why.find("is false") != std::string::npos);

  CHECK(find(traces, "cpu_incompatibility.precheck-unacceptable-cpu") == nullptr);
  // explain() decides nothing: classify() still picks the refused connection.
  CHECK(book().classify(inc, inputs).cause == "network.migration-port-refused");
}
