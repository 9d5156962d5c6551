// Findings tied to no attempt: a pasted fragment (quoted, indented, bare) and
// lines of an instance with no migration request still get the rule that
// recognises them; another operation's errors never do.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "embedded_rules.hpp"
#include "embedded_shapes.hpp"

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

namespace {

// Verbatim: hotsos LP#1761062 scenario data (tests/real/02), an rpc.server
// error with no [instance:] tag.
constexpr std::string_view kDiskExists =
    "2023-03-22 10:05:40.657 20779 ERROR oslo_messaging.rpc.server "
    "[req-e20743e3-a683-41ba-b47b-ba92e97eff37 4f7cd8bf676d43bc9faf09b2eb41482f "
    "2c3d8251c39545cbb6f77f331b7164f8 - default default] Exception during message handling: "
    "DestinationDiskExists: The supplied disk path "
    "(/var/lib/nova/instances/d8db3f2a-cd8f-48e1-9951-012d762664b2) already exists, it is "
    "expected not to exist.";

std::vector<event> fragment_events(const std::string& text) {
  const std::function<std::size_t(std::string_view)> filter = [](std::string_view line) {
    return test::rules().recognisable_hints(line);
  };
  parsers::line_context ctx;
  ctx.host = "ticket";
  ctx.fragment_filter = &filter;
  return parsers::parse_text(input_kind::unrecognized, text, test::shapes(), ctx).events;
}

}  // namespace

TEST_CASE("loose findings: a quoted or indented fragment is read, and the rule that knows the "
          "line decides", "[classifiers][findings]") {
  for (const std::string prefix : {"", "> ", ">> ", "    ", "\t> "}) {
    INFO("prefix '" << prefix << "'");
    const std::string text =
        "Customer wrote:\n" + prefix + std::string(kDiskExists) + "\nthanks\n";
    auto events = fragment_events(text);
    REQUIRE(events.size() == 1);
    CHECK(events[0].where.line == 2);
    CHECK(events[0].text == prefix + std::string(kDiskExists));  // evidence: the line as pasted
    const auto found = test::rules().loose_findings(std::move(events), {});
    REQUIRE(found.size() == 1);
    CHECK(found[0].f.rule == "storage.destination-disk-exists");
    CHECK(found[0].f.cls == classification::storage);
    CHECK(found[0].f.confidence < 0.85);  // lowered: no attempt confirms it
    CHECK_FALSE(found[0].why_loose.empty());
  }
}

TEST_CASE("loose findings: prose with no recognisable error makes no finding",
          "[classifiers][findings]") {
  auto events = fragment_events("The migration failed again last night, see attached.\n"
                                "> it worked on Tuesday\n");
  CHECK(events.empty());
  CHECK(test::rules().loose_findings(std::move(events), {}).empty());
}

TEST_CASE("loose findings: an instance's errors inside a failed build are not a migration's",
          "[classifiers][findings]") {
  // The build's "Instance failed to spawn" (shape nova.other-operation.build-failed) makes
  // the PortBindingFailed of the same instance that build's, not a migration finding.
  const std::string uuid = "0937827e-5a02-4893-a925-1f09e2a1d62a";
  const std::string head = "2024-07-15 16:03:24.093 2011 ERROR nova.compute.manager [None "
                           "req-1b6eb838-fe22-4425-bab8-a69b4dc0c8c1 - - - - - -] [instance: " +
                           uuid + "] ";
  parsers::line_context ctx;
  ctx.host = "cmp-09";
  auto r = parsers::parse_text(
      input_kind::nova_compute,
      head + "Instance failed to spawn: nova.exception.PortBindingFailed: Binding failed for "
             "port a2ee7f54-6b1a-4c57-9c6e-0f2d3b4a5c6d, please check neutron logs for more "
             "information.\n",
      test::shapes(), ctx);
  REQUIRE_FALSE(r.events.empty());
  CHECK(r.events[0].kind == event_kind::other_operation);
  CHECK(test::rules().loose_findings(std::move(r.events), {}).empty());
  // The same error line alone is recognised.
  auto alone = parsers::parse_text(
      input_kind::nova_compute,
      head + "nova.exception.PortBindingFailed: Binding failed for port "
             "a2ee7f54-6b1a-4c57-9c6e-0f2d3b4a5c6d, please check neutron logs for more "
             "information.\n",
      test::shapes(), ctx);
  const auto found = test::rules().loose_findings(std::move(alone.events), {});
  REQUIRE(found.size() == 1);
  CHECK(found[0].f.rule == "network.port-binding-failed");
  CHECK(found[0].instance == uuid);
}

TEST_CASE("loose findings: an error wrapped over lines, with doubled quotes, is read whole",
          "[classifiers][findings]") {
  // Verbatim: kubevirt/kubevirt#12519 (tests/real/08): a VMI status YAML whose
  // single-quoted scalar folds libvirt's error over three lines and doubles
  // every quote.
  const std::string text =
      "    failed: true\n"
      "    failureReason: 'Live migration failed error encountered during MigrateToURI3 libvirt\n"
      "      api call: virError(Code=9, Domain=31, Message=''operation failed: guest CPU\n"
      "      doesn''t match specification: missing features: "
      "vmx-rdrand-exit,vmx-vmfunc,vmx-rdseed-exit,vmx-posted-intr'')'\n"
      "    migrationConfiguration:\n";
  auto events = fragment_events(text);
  const auto found = test::rules().loose_findings(std::move(events), {});
  REQUIRE_FALSE(found.empty());
  CHECK(found[0].f.rule == "cpu_incompatibility.guest-cpu-mismatch");
  REQUIRE_FALSE(found[0].f.decoded.empty());
  CHECK(found[0].f.decoded.back().entry == "libvirt.cpu.guest-cpu-mismatch");
}

TEST_CASE("loose findings: a pasted line the catalog knows but no rule judges is an unknown "
          "finding that says what it is", "[classifiers][findings]") {
  // Verbatim: tests/real/41 (Proxmox forum): the destination's read error.
  auto events = fragment_events(
      "This is the hint:\n**QEMU[2538388]: kvm: check_section_footer: Read section footer "
      "failed: -5**\n");
  const auto found = test::rules().loose_findings(std::move(events), {});
  REQUIRE(found.size() == 1);
  CHECK(found[0].f.cls == classification::unknown);
  CHECK(found[0].f.rule.empty());
  CHECK(found[0].f.summary.find("the stream ended or broke") != std::string::npos);
}
