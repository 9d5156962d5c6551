// Analyzer facts in cause rules: the loader knows every fact name
// (requires.facts, quotes, {fact.<name>}) and says where an unknown one is;
// a rule requiring a fact fires on a sample bundle where the analyzer finds
// it and stays silent where the fact does not hold; a caller's fact provider
// reaches the verdict of a rule that quotes it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "embedded_rules.hpp"
#include "embedded_catalog.hpp"
#include "engine/cause_loader.hpp"
#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::classifiers;

namespace {

// The completion timeout line of samples/non-convergence-timeout.
constexpr std::string_view kTimeoutLine =
    "2024-06-18 13:18:24.128 2841 WARNING nova.virt.libvirt.migration "
    "[req-5bd21b6a-ec89-47a6-8a0a-c984f71ab247 80e6b5d0a9d936500c6bdf0d7796668d "
    "eae3732d38c115d69a1f7aa536eafa28 - default default] [instance: "
    "e88b7591-31db-4e32-98dc-b35f94c662cd] Live migration not completed after 800 sec";

// A rule on that line that also requires `fact` (line 9: the fact's name).
std::string rule_requiring(std::string_view name, std::string_view fact,
                           std::string_view summary = "Timed out: {fact.convergence.numbers}.") {
  return "id: non_convergence." + std::string(name) + R"(
title: Test Rule
status: experimental
classification: non_convergence
priority: 99
confidence: 0.9
description: A rule for fact tests.
requires:
    facts: [)" + std::string(fact) + R"(]
match:
    timed_out:
        source: nova-compute
        hint: 'not completed after'
        regex: 'Live migration not completed after (?P<secs>\d+) sec'
condition: timed_out
summary: ')" + std::string(summary) + R"('
samples:
    match:
        - source: nova-compute
          line: ')" + std::string(kTimeoutLine) + R"('
    no-match:
        - source: nova-compute
          line: 'Migration operation has completed'
)";
}

diags load(const std::string& text, const std::string& name) {
  diags errors;
  const std::string rel = "causes/non_convergence/" + name + ".yaml";
  const rulepack::rule_source src{"rules/" + rel, rel, text};
  auto rule = load_cause_rule(src, migsleuth::test::catalog(), errors);
  CHECK(rule.has_value() == errors.empty());
  return errors;
}

bool mentions(const diags& errors, std::string_view text, int line, int column) {
  for (const auto& e : errors) {
    if (e.message.find(text) != std::string::npos && e.line == line && e.column == column) {
      return true;
    }
  }
  return false;
}

std::string dump(const diags& errors) {
  std::string out;
  for (const auto& e : errors) out += format_diag(e);
  return out;
}

pipeline::rule_packs packs_with(const std::string& extra) {
  diags errors;
  pipeline::rule_packs packs = pipeline::load_rules({extra}, errors);
  INFO(dump(errors));
  REQUIRE(errors.empty());
  return packs;
}

// samples/<name>/bundle analysed with `packs`.
pipeline::analysis analyse(const std::string& sample, const pipeline::rule_packs& packs) {
  ingest::ingest_options in;
  in.paths = {std::string(MIGSLEUTH_SOURCE_DIR) + "/samples/" + sample + "/bundle"};
  return pipeline::run(in, {}, packs);
}

const verdict* verdict_caused_by(const pipeline::analysis& a, std::string_view cause) {
  for (const auto& v : a.verdicts) {
    if (v.cause == cause) return &v;
    for (const auto& s : v.secondary) {
      if (s.rule == cause) return &v;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("facts: a rule naming known facts loads", "[classifiers][facts]") {
  const diags e = load(rule_requiring("fact-known", "convergence.guest_outpaces_copy"),
                       "fact-known");
  INFO(dump(e));
  CHECK(e.empty());
}

TEST_CASE("facts: the loader refuses an unknown fact where it is named", "[classifiers][facts]") {
  // requires.facts: the list item, line 9 column 13.
  diags e = load(rule_requiring("fact-unknown", "convergence.dirty_exceeds_bandwidth"),
                 "fact-unknown");
  INFO(dump(e));
  CHECK(mentions(e, "requires.facts: unknown fact 'convergence.dirty_exceeds_bandwidth'", 9, 13));
  // A placeholder: at the summary.
  e = load(rule_requiring("fact-unknown", "convergence.converging", "Rate {fact.convergence.rate}"),
           "fact-unknown");
  INFO(dump(e));
  CHECK(mentions(e, "placeholder {fact.convergence.rate} names an unknown fact", 16, 10));
  // quotes: a known fact that is not text cannot be quoted.
  std::string quoting = rule_requiring("fact-quote", "convergence.converging");
  quoting.replace(quoting.find("match:\n"), 0, "quotes: [convergence.samples, devices.sumary]\n");
  e = load(quoting, "fact-quote");
  INFO(dump(e));
  CHECK(mentions(e, "quotes: fact 'convergence.samples' is not text", 10, 10));
  CHECK(mentions(e, "quotes: unknown fact 'devices.sumary'", 10, 31));
}

TEST_CASE("facts: {fact.<name>} fills like any placeholder", "[classifiers][facts]") {
  const bindings values = {{"fact.convergence.dirty_mib_s", "104.9"}, {"secs", "800"}};
  CHECK(fill_template("after {secs} s, dirtied {fact.convergence.dirty_mib_s} MiB/s ({{x}})",
                      values, fill_mode::prose) == "after 800 s, dirtied 104.9 MiB/s ({x})");
  CHECK(fill_template("{fact.devices.summary}", {}, fill_mode::prose) == "<fact.devices.summary>");
}

TEST_CASE("facts: a rule requiring a fact fires where the analyzer finds it",
          "[classifiers][facts]") {
  test::temp_dir dir("facts");
  dir.write("causes/non_convergence/outpaced-test.yaml",
            rule_requiring("outpaced-test", "convergence.guest_outpaces_copy",
                           "Dirtied at {fact.convergence.dirty_mib_s} MiB/s after {secs} s."));
  dir.write("causes/non_convergence/converging-test.yaml",
            rule_requiring("converging-test", "convergence.converging"));
  const pipeline::rule_packs packs = packs_with(dir.path.string());
  // The guest dirtied ~105 MiB/s while ~112 MiB/s was copied (its golden).
  const auto a = analyse("non-convergence-timeout", packs);
  REQUIRE(a.verdicts.size() == 1);
  const verdict& v = a.verdicts.front();
  CHECK(v.cause == "non_convergence.outpaced-test");
  INFO(v.summary);
  REQUIRE(v.summary.starts_with("Dirtied at "));
  CHECK(std::strtod(v.summary.c_str() + 11, nullptr) == Approx(105).margin(1));
  CHECK_THAT(v.summary, Catch::Contains("MiB/s after 800 s."));
  // The same line, but the trend was not converging: that rule stays silent.
  CHECK(verdict_caused_by(a, "non_convergence.converging-test") == nullptr);
  // --explain says why: its line matched, the fact did not hold.
  bool traced = false;
  for (const auto& t : packs.causes.explain(a.incidents.front(), a.inputs)) {
    if (t.rule != "non_convergence.converging-test") continue;
    traced = true;
    CHECK_FALSE(t.fired);
    CHECK_THAT(t.why, Catch::Contains("matched: timed_out") &&
                          Catch::Contains("a required fact does not hold (convergence.converging)"));
  }
  CHECK(traced);
  // The same rule on a bundle whose attempt has no progress numbers at all.
  const auto refused = analyse("network-port-refused", packs);
  CHECK(verdict_caused_by(refused, "non_convergence.outpaced-test") == nullptr);
}

namespace {

// What the pipeline's preflight provider does, with a sentence of our own.
struct fixed_cpu_diff final : fact_provider {
  void add_facts(const incident&, fact_set& out) const override {
    fact diff = text_fact("cpu.host_diff", "CPU facts in the test: cmp-b lacks avx512f.");
    if (auto c = make_confirm_command("virsh -r domcapabilities", {})) {
      diff.confirm.push_back({run_where::destination, *c, "usable models"});
    }
    // Not read-only: never shown, whoever made it.
    diff.confirm.push_back({run_where::source, "virsh destroy instance-0000002a", "no"});
    out.push_back(std::move(diff));
    out.push_back(text_fact("cpu.not_declared", "dropped"));
  }
};

}  // namespace

TEST_CASE("facts: a provided fact reaches the verdict of a rule quoting it",
          "[classifiers][facts]") {
  // nova's pre-check refusal (evidence CPU-01): precheck-unacceptable-cpu
  // quotes cpu.host_diff.
  incident inc;
  inc.instance = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
  inc.source = "cmp-a";
  inc.destination = "cmp-b";
  inc.result = outcome::failed;
  event e;
  e.source = input_kind::nova_compute;
  e.host = "cmp-b";
  e.instance = inc.instance;
  e.level = "ERROR";
  e.time.micros = 1'700'000'000'000'000;
  e.text = "2024-01-01 10:00:00.000 1 ERROR nova.compute.manager [instance: " + inc.instance +
           "] InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.";
  inc.events.push_back(e);
  const fixed_cpu_diff provider;
  const verdict without = test::rules().classify(inc, {});
  const verdict with = test::rules().classify(inc, {}, &provider);
  REQUIRE(with.cls == classification::cpu_incompatibility);
  CHECK(with.summary == without.summary + " CPU facts in the test: cmp-b lacks avx512f.");
  REQUIRE(with.confirm.size() == without.confirm.size() + 1);
  CHECK(with.confirm.back().command == "virsh -r domcapabilities");
  CHECK(with.summary.find("dropped") == std::string::npos);
  for (const auto& c : with.confirm) CHECK(c.command.find("destroy") == std::string::npos);
}

TEST_CASE("facts: rules/README.md lists every fact a rule may name", "[classifiers][facts]") {
  std::ifstream in(std::string(MIGSLEUTH_SOURCE_DIR) + "/rules/README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(readme.empty());
  for (const auto& spec : known_facts()) {
    // Rows may group siblings: `convergence.first_pct`, `min_pct`, `last_pct`.
    const std::string_view name = spec.name;
    const std::string leaf(name.substr(name.rfind('.') + 1));
    INFO(name);
    CHECK((readme.find("`" + std::string(name) + "`") != std::string::npos ||
           readme.find("`" + leaf + "`") != std::string::npos));
  }
}
