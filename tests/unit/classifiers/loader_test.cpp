// Cause-rule loader: each check is triggered by a small inline rule and must
// say what is wrong and where (line of the offending node).
#include <catch2/catch.hpp>

#include <string>

#include "embedded_catalog.hpp"
#include "engine/cause_loader.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "temp_dir.hpp"

using migsleuth::diags;
using migsleuth::classifiers::load_cause_rule;
using migsleuth::rulepack::rule_source;

namespace {

// A valid rule; tests replace one piece at a time. Line numbers below are
// 1-based lines of this text.
constexpr std::string_view kValid = R"(id: network.test-refused
title: Test Rule
status: experimental
classification: network
priority: 50
confidence: 0.9
description: A rule for loader tests.
match:
    refused:
        source: nova-compute
        hint: 'Connection refused'
        regex: 'unable to connect to server at ''(?P<dest>[^'':]+):(?P<port>\d+)'': Connection refused'
condition: refused
summary: 'Could not reach {dest}:{port} for {instance}.'
confirm:
    - where: destination
      command: "ss -ltn 'sport = :{port}'"
      why: Is anything listening?
samples:
    match:
        - source: nova-compute
          line: 'Live Migration failure: unable to connect to server at ''cmp-2:16509'': Connection refused'
    no-match:
        - source: nova-compute
          line: 'Migrating instance to cmp-2 finished successfully.'
)";

std::string with(std::string_view from, std::string_view to, std::string text = std::string(kValid)) {
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, from.size(), to);
  return text;
}

diags load(const std::string& text, const std::string& rel = "causes/network/test-refused.yaml") {
  diags errors;
  const rule_source src{"rules/" + rel, rel, text};
  auto rule = load_cause_rule(src, migsleuth::test::catalog(), errors);
  CHECK(rule.has_value() == errors.empty());
  return errors;
}

bool mentions(const diags& errors, std::string_view text, int line = 0) {
  for (const auto& e : errors) {
    const bool text_ok = (e.message + " " + e.reason).find(text) != std::string::npos;
    if (text_ok && (line == 0 || e.line == line)) return true;
  }
  return false;
}

std::string dump(const diags& errors) {
  std::string out;
  for (const auto& e : errors) out += migsleuth::format_diag(e);
  return out;
}

}  // namespace

TEST_CASE("loader: a valid rule loads with its parts", "[classifiers][loader]") {
  diags errors;
  const rule_source src{"x", "causes/network/test-refused.yaml", std::string(kValid)};
  auto rule = load_cause_rule(src, migsleuth::test::catalog(), errors);
  INFO(dump(errors));
  REQUIRE(rule);
  CHECK(rule->id == "network.test-refused");
  CHECK(rule->selections.size() == 1);
  CHECK(rule->confirm.size() == 1);
  CHECK(rule->match_samples.size() == 1);
}

TEST_CASE("loader: unknown and duplicate keys", "[classifiers][loader]") {
  auto e = load(with("priority: 50\n", "priority: 50\npriorty: 3\n"));
  INFO(dump(e));
  CHECK(mentions(e, "unknown key 'priorty'", 6));
  e = load(with("title: Test Rule\n", "title: Test Rule\ntitle: Again\n"));
  CHECK(mentions(e, "duplicate key 'title'", 3));
  e = load(with("        hint: 'Connection refused'\n",
                "        hint: 'Connection refused'\n        hnt: 'x'\n"));
  CHECK(mentions(e, "unknown key 'hnt'", 12));
}

TEST_CASE("loader: missing required keys", "[classifiers][loader]") {
  auto e = load(with("summary: 'Could not reach {dest}:{port} for {instance}.'\n", ""));
  INFO(dump(e));
  CHECK(mentions(e, "missing required key 'summary'"));
  e = load(with("description: A rule for loader tests.\n", ""));
  CHECK(mentions(e, "missing required key 'description'"));
}

TEST_CASE("loader: id must match the file name and class", "[classifiers][loader]") {
  auto e = load(std::string(kValid), "causes/network/other-name.yaml");
  INFO(dump(e));
  CHECK(mentions(e, "does not match the file name 'other-name.yaml'", 1));
  e = load(with("classification: network", "classification: storage"));
  CHECK(mentions(e, "must start with its classification 'storage.'", 1));
}

TEST_CASE("loader: bad enums and numbers", "[classifiers][loader]") {
  auto e = load(with("status: experimental", "status: beta"));
  INFO(dump(e));
  CHECK(mentions(e, "unknown status 'beta'", 3));
  e = load(with("confidence: 0.9", "confidence: 1.5"));
  CHECK(mentions(e, "confidence must be between 0 and 1", 6));
  e = load(with("classification: network", "classification: unknown"));
  CHECK(mentions(e, "unknown classification 'unknown'", 4));
  e = load(with("    - where: destination", "    - where: elsewhere"));
  CHECK(mentions(e, "where must be", 16));
  e = load(with("        source: nova-compute\n        hint", "        source: nova-log\n        hint"));
  CHECK(mentions(e, "unknown input kind 'nova-log'", 10));
}

TEST_CASE("loader: a regex RE2 rejects", "[classifiers][loader]") {
  const auto e = load(with("(?P<dest>", "(?<dest>"));
  INFO(dump(e));
  CHECK(e.size() == 1);  // no cascade of "unknown placeholder" errors
  CHECK(mentions(e, "does not compile", 12));
  CHECK(e[0].help.find("(?P<name>...)") != std::string::npos);  // says the bookworm syntax
}

TEST_CASE("loader: the hint must occur in every line the regex matches", "[classifiers][loader]") {
  const auto e = load(with("hint: 'Connection refused'", "hint: 'Live Migration failure'",
                           with("          line: 'Migrating instance",
                                "          line: 'unable to connect to server at ''a:1'': Connection refused Migrating instance")));
  INFO(dump(e));
  CHECK(mentions(e, "hint of selection 'refused' does not occur", 25));
}

TEST_CASE("loader: a selection no match sample exercises", "[classifiers][loader]") {
  const auto e = load(with(
      "condition: refused\n",
      "    unused:\n        source: libvirtd\n        hint: 'xyz'\n        regex: 'xyz'\n"
      "condition: refused or unused\n"));
  INFO(dump(e));
  CHECK(mentions(e, "regex of selection 'unused' matches none of the match samples", 16));
}

TEST_CASE("loader: samples must fire and must not fire", "[classifiers][loader]") {
  auto e = load(with("line: 'Live Migration failure: unable to connect to server at ''cmp-2:16509'': Connection refused'",
                     "line: 'Live Migration failure: unable to connect to server at ''cmp-2:16509'': Connection refused'\n"
                     "        - source: nova-compute\n          line: 'Connection refused, nothing else'"));
  INFO(dump(e));
  CHECK(mentions(e, "rule does not fire on this match sample", 24));
  e = load(with("line: 'Migrating instance to cmp-2 finished successfully.'",
                "line: 'unable to connect to server at ''x:1'': Connection refused'"));
  CHECK(mentions(e, "rule fires on this no-match sample", 25));
  e = load(with("    no-match:\n        - source: nova-compute\n          line: 'Migrating instance to cmp-2 finished successfully.'\n", ""));
  CHECK(mentions(e, "missing required key 'no-match'"));
}

TEST_CASE("loader: placeholders must be built-in or captured", "[classifiers][loader]") {
  auto e = load(with("for {instance}.'", "for {instance} on {hypervisor}.'"));
  INFO(dump(e));
  CHECK(mentions(e, "placeholder {hypervisor} is neither built-in nor a capture", 14));
  e = load(with("for {instance}.'", "for {instance.'"));
  CHECK(mentions(e, "summary: unclosed '{'", 14));
  e = load(with("(?P<dest>", "(?P<instance>"));
  CHECK(mentions(e, "shadows the built-in placeholder {instance}", 12));
}

TEST_CASE("loader: condition errors", "[classifiers][loader]") {
  auto e = load(with("condition: refused", "condition: refused and nope"));
  INFO(dump(e));
  CHECK(mentions(e, "condition: unknown selection 'nope'", 13));
  e = load(with("condition: refused", "condition: (refused"));
  CHECK(mentions(e, "missing ')'", 13));
  e = load(with("condition: refused", "condition: 1 of x_*"));
  CHECK(mentions(e, "'x_*' names no selection", 13));
}

TEST_CASE("loader: a confirm command that is not read-only", "[classifiers][loader]") {
  const auto e = load(with("command: \"ss -ltn 'sport = :{port}'\"", "command: 'virsh destroy {domain}'"));
  INFO(dump(e));
  CHECK(mentions(e, "confirm command is not provably read-only", 17));
  CHECK(mentions(e, "destroy is not a query"));
}

TEST_CASE("loader: every error is reported, prefixed with the rule id", "[classifiers][loader]") {
  auto text = with("status: experimental", "status: beta");
  text = with("confidence: 0.9", "confidence: 7", text);
  text = with("condition: refused", "condition: nope", text);
  const auto e = load(text);
  INFO(dump(e));
  CHECK(e.size() >= 3);
  for (const auto& d : e) CHECK(d.message.rfind("rule network.test-refused: ", 0) == 0);
}

TEST_CASE("loader: invalid YAML is a diagnostic, not an exception", "[classifiers][loader]") {
  const auto e = load("id: [unclosed\n");
  REQUIRE(!e.empty());
  CHECK(e[0].message.find("invalid YAML") != std::string::npos);
  CHECK(e[0].line >= 1);
}

TEST_CASE("loader: a capture's default fills what the wording implies, and only a capture's",
          "[classifiers][loader]") {
  // CloudStack writes the destination URI without a port (apache/cloudstack#9965).
  const std::string rule_text =
      with("unable to connect to server at ''(?P<dest>[^'':]+):(?P<port>\\d+)'': Connection refused'",
           "refused connection to destination: qemu\\+tcp://(?P<dest>[^\\s/:@]+)(?::(?P<port>\\d+))?'\n"
           "        defaults: {port: '16509'}",
           with("        hint: 'Connection refused'", "        hint: 'refused connection to destination'",
                with("line: 'Live Migration failure: unable to connect to server at ''cmp-2:16509'': "
                     "Connection refused'",
                     "line: 'Migration was refused connection to destination: qemu+tcp://192.168.101.100/system.'")));
  diags errors;
  const rule_source src{"x", "causes/network/test-refused.yaml", rule_text};
  auto rule = load_cause_rule(src, migsleuth::test::catalog(), errors);
  INFO(dump(errors));
  REQUIRE(rule);
  const auto& sel = rule->selections.front();
  using migsleuth::classifiers::line_view;
  const std::string no_port =
      "Migration was refused connection to destination: qemu+tcp://192.168.101.100/system.";
  migsleuth::fields caps;
  REQUIRE(selection_matches(sel, line_view{migsleuth::input_kind::nova_compute,
                                           migsleuth::classifiers::host_role::any, no_port, nullptr},
                            &caps));
  auto value = [&](std::string_view name) {
    for (const auto& c : caps) {
      if (c.first == name && !c.second.empty()) return c.second;
    }
    return std::string();
  };
  CHECK(value("dest") == "192.168.101.100");
  CHECK(value("port") == "16509");
  caps.clear();
  const std::string with_port =
      "Migration was refused connection to destination: qemu+tcp://cmp-2:16600/system.";
  REQUIRE(selection_matches(sel, line_view{migsleuth::input_kind::nova_compute,
                                           migsleuth::classifiers::host_role::any, with_port, nullptr},
                            &caps));
  CHECK(value("port") == "16600");

  auto e = load(with("defaults: {port: '16509'}", "defaults: {portnum: '16509'}", rule_text));
  CHECK(mentions(e, "defaults: 'portnum' is not a capture of the selection's regex"));
  e = load(with("defaults: {port: '16509'}", "defaults: {port: '1; reboot'}", rule_text));
  CHECK(mentions(e, "defaults: the value of 'port' is empty or not fit for a command"));
}

TEST_CASE("loader: an analysis trusts the embedded rules' samples, never a --rules pack's",
          "[classifiers][loader]") {
  using migsleuth::classifiers::pack_checks;
  using migsleuth::classifiers::rule_book;
  // A pack rule that does not fire on its own match sample (the regex wants
  // "refused", the sample says "reset").
  migsleuth::test::temp_dir dir("pack-samples");
  dir.write("causes/network/test-refused.yaml",
            with("''cmp-2:16509'': Connection refused'\n    no-match",
                 "''cmp-2:16509'': Connection reset'\n    no-match"));
  diags analysis;
  const auto book = rule_book::load({dir.path.string()}, analysis, pack_checks::trust_embedded);
  REQUIRE_FALSE(analysis.empty());
  for (const auto& d : analysis) {
    CHECK(d.message.find("rule network.test-refused") != std::string::npos);
  }
  CHECK(analysis.back().message.find("does not fire on this match sample") != std::string::npos);
  // The embedded rules alone, trusted: no error, the same rules as in full.
  diags trusted, full;
  const auto fast = rule_book::load({}, trusted, pack_checks::trust_embedded);
  const auto checked = rule_book::load({}, full, pack_checks::full);
  CHECK(trusted.empty());
  CHECK(full.empty());
  CHECK(fast.size() == checked.size());
  CHECK(book.size() == checked.size());  // the broken pack rule was dropped
}
