// Rules that decide from analyzer facts (rules/README.md "Rules deciding from
// facts"): a rule without `match`, fact conditions with `is`, a confidence
// that depends on a fact, `cites`, `fallback`, summary sentences and `when`
// on confirm and remediation items. The loader accepts a pack using them all
// and refuses each mistake at its file:line:col; a pack given with --rules
// adds such a rule, and it decides on a sample bundle.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "embedded_catalog.hpp"
#include "engine/cause_loader.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::classifiers;

namespace {

// A rule of an operator's pack: the single-port inventory of a failed
// attempt, stated with more confidence when nova refuses the device.
constexpr std::string_view kSinglePort = R"(id: device_passthrough.single-passthrough-port
title: The Only Device Nova Must Unplug
status: experimental
classification: device_passthrough
priority: 25
fallback: true
confidence:
    default: 0.45
    when:
        - {fact: devices.refused, is: true, then: 0.5}
description: A failed attempt of an instance with exactly one passthrough device.
requires:
    facts:
        - {fact: attempt.outcome, is: [failed]}
        - {fact: devices.count, is: 1}
        - devices.passthrough
cites: [devices.summary]
summary:
    - 'Site rule: {instance} has {fact.devices.passthrough_list}.'
    - 'Failed at {fact.attempt.failure}'
    - 'CPU: {fact.cpu.host_diff}'
confirm:
    - where: source
      when: {fact: devices.refused, is: false}
      command: 'virsh -r domiflist {domain}'
      why: The guest's interfaces as libvirt sees them.
    - where: source
      when: devices.refused
      command: 'virsh -r nodedev-list --cap pci'
      why: never shown here
remediation:
    - when: {fact: attempt.post_copy, is: false}
      text: 'Check the VF on {destination} first.'
    - when: {fact: attempt.post_copy, is: true}
      text: never shown here
)";

std::string dump(const diags& errors) {
  std::string out;
  for (const auto& e : errors) out += format_diag(e);
  return out;
}

diags load(const std::string& text, std::optional<cause_rule>* out = nullptr) {
  diags errors;
  const std::string rel = "causes/device_passthrough/single-passthrough-port.yaml";
  const rulepack::rule_source src{"rules/" + rel, rel, text};
  auto rule = load_cause_rule(src, migsleuth::test::catalog(), errors);
  CHECK(rule.has_value() == errors.empty());
  if (out != nullptr) *out = std::move(rule);
  return errors;
}

// `kSinglePort` with `from` replaced by `to` (which must occur once).
std::string with(std::string_view from, std::string_view to) {
  std::string text(kSinglePort);
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

// 1-based line and column of `needle` in `text`.
std::pair<int, int> where(const std::string& text, std::string_view needle) {
  const std::size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(at - line_start) + 1};
}

// An error saying `message`, at the position of `needle` in `text`.
bool refused_at(const diags& errors, std::string_view message, const std::string& text,
                std::string_view needle) {
  const auto [line, column] = where(text, needle);
  for (const auto& e : errors) {
    if (e.message.find(message) != std::string::npos && e.line == line && e.column == column) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("fact rules: a rule deciding from facts with every new key loads",
          "[classifiers][fact_rules]") {
  std::optional<cause_rule> rule;
  const diags e = load(std::string(kSinglePort), &rule);
  INFO(dump(e));
  REQUIRE(rule);
  CHECK(rule->from_facts_only());
  CHECK(rule->fallback);
  CHECK(rule->requires_facts.size() == 3);
  CHECK(rule->requires_facts[1].describe() == "devices.count is 1");
  CHECK(rule->confidence == Approx(0.45));
  REQUIRE(rule->confidence_by_facts.when.size() == 1);
  CHECK(rule->cites == std::vector<std::string>{"devices.summary"});
  CHECK(rule->summary.size() == 3);
  REQUIRE(rule->confirm.size() == 2);
  CHECK(rule->confirm[0].when.has_value());
  REQUIRE(rule->remediation.size() == 2);
  CHECK(rule->remediation[1].when->describe() == "attempt.post_copy is true");
}

TEST_CASE("fact rules: a misspelt fact or a value of the wrong type is refused where it is",
          "[classifiers][fact_rules]") {
  // requires.facts: the name inside {fact, is}.
  std::string text = with("{fact: devices.count, is: 1}", "{fact: devices.cuont, is: 1}");
  diags e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "requires.facts: unknown fact 'devices.cuont'", text, "devices.cuont"));
  // A flag compared with something that is not true or false.
  text = with("{fact: devices.refused, is: false}", "{fact: devices.refused, is: maybe}");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "confirm.when: fact 'devices.refused' is a flag: 'is' must be true or false",
                   text, "maybe"));
  // A number compared with a word.
  text = with("{fact: devices.count, is: 1}", "{fact: devices.count, is: one}");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "fact 'devices.count' is a number: 'is' must be a number", text, "one}"));
  // A confidence out of range, and a misspelt fact in its `when`.
  text = with("is: true, then: 0.5}", "is: true, then: 1.5}");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "confidence must be between 0 and 1", text, "1.5"));
  text = with("{fact: devices.refused, is: true, then", "{fact: devices.refusd, is: true, then");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "confidence.when: unknown fact 'devices.refusd'", text, "devices.refusd"));
  // cites, a remediation's `when`, an unknown key in a condition.
  text = with("cites: [devices.summary]", "cites: [devices.sumary]");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "cites: unknown fact 'devices.sumary'", text, "devices.sumary"));
  text = with("{fact: attempt.post_copy, is: true}", "{fact: attempt.post_copy, was: true}");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "remediation.when: unknown key 'was'", text, "was:"));
  text = with("fallback: true", "fallback: sometimes");
  e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "fallback must be true or false", text, "sometimes"));
}

TEST_CASE("fact rules: without match a rule needs required facts, and has no condition or samples",
          "[classifiers][fact_rules]") {
  std::string text = with(R"(requires:
    facts:
        - {fact: attempt.outcome, is: [failed]}
        - {fact: devices.count, is: 1}
        - devices.passthrough
)",
                          "condition: 1 of them\n");
  const diags e = load(text);
  INFO(dump(e));
  CHECK(refused_at(e, "a rule without 'match' decides from facts: it needs requires: {facts: [...]}",
                   text, "id:"));
  CHECK(refused_at(e, "'condition' without 'match': nothing to test it on", text, "1 of them"));
}

TEST_CASE("fact rules: a pack given with --rules adds a rule deciding from facts",
          "[classifiers][fact_rules]") {
  test::temp_dir dir("fact-rules");
  dir.write("causes/device_passthrough/single-passthrough-port.yaml", std::string(kSinglePort));
  diags errors;
  const pipeline::rule_packs packs = pipeline::load_rules({dir.path.string()}, errors);
  INFO(dump(errors));
  REQUIRE(errors.empty());
  ingest::ingest_options in;
  in.paths = {std::string(MIGSLEUTH_SOURCE_DIR) + "/samples/device-sriov-unexplained-eof/bundle"};
  const pipeline::analysis a = pipeline::run(in, {}, packs);
  REQUIRE(a.verdicts.size() == 1);
  const verdict& v = a.verdicts.front();
  // Both fallbacks fired and no other rule did: the higher priority decides.
  CHECK(v.cause == "device_passthrough.single-passthrough-port");
  CHECK(v.confidence == Approx(0.45));  // a direct VF: not refused
  // The second sentence's fact is known, the third's (no CPU captures) is not.
  CHECK(v.summary ==
        "Site rule: a6336d8f-65be-4d74-a9fa-98df34b9f2c6 has port "
        "0f0de1cd-7c3e-4f7b-9a41-52d8e6b1c0a9 vnic_type direct (SR-IOV VF, PCI 0000:81:11.1) "
        "bound to compute-a1 (nova must unplug and re-plug it). Failed at the failure on "
        "compute-a1: Live Migration failure: End of file while reading data: : Input/output "
        "error: libvirt.libvirtError: End of file while reading data: : Input/output error");
  // The cited fact's line, credited to this rule.
  REQUIRE(v.evidence.size() == 1);
  CHECK(v.evidence[0].rule == "device_passthrough.single-passthrough-port");
  CHECK(v.evidence[0].text.find("\"binding_vnic_type\": \"direct\"") != std::string::npos);
  // `when` on confirm and remediation: only the items whose condition is met.
  REQUIRE_FALSE(v.confirm.empty());
  CHECK(v.confirm[0].command == "virsh -r domiflist instance-0000069d");
  for (const auto& c : v.confirm) CHECK(c.why != "never shown here");
  CHECK(v.remediation == std::vector<std::string>{"Check the VF on compute-b4 first."});
  // The embedded fallback is still there, one rank below.
  REQUIRE(v.secondary.size() == 1);
  CHECK(v.secondary[0].rule == "device_passthrough.device-inventory");
}
