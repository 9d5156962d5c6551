// A long log line is shown folded where the parser found oslo's user
// identity ("[req-X <user> <project> ...]" -> "[req-X ...]"), in every
// context form; the report does not look for the bracket again.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/report/report.hpp"

using namespace migsleuth;

namespace {

// evidence.md FMT-12 (Zed+ "[None req-X <6-field identity>]", rsyslog-wrapped).
constexpr std::string_view kZedSyslog =
    "Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR "
    "nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 "
    "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] "
    "[instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: "
    "domain is not running: libvirt.libvirtError: operation failed: domain is not "
    "running#033[00m";
// evidence.md STO-04 (pre-Zed "[req-X <user> <project> - default default]").
constexpr std::string_view kPreZed =
    "2023-03-22 10:05:40.657 20779 ERROR oslo_messaging.rpc.server "
    "[req-e20743e3-a683-41ba-b47b-ba92e97eff37 4f7cd8bf676d43bc9faf09b2eb41482f "
    "2c3d8251c39545cbb6f77f331b7164f8 - default default] Exception during message handling: "
    "DestinationDiskExists: The supplied disk path "
    "(/var/lib/nova/instances/d8db3f2a-cd8f-48e1-9951-012d762664b2) already exists, it is "
    "expected not to exist.";

// The events the nova-compute parser keeps of `text` (every line of it).
std::vector<event> parsed(std::string_view text) {
  parsers::line_context ctx;
  ctx.host = "cmp-a";
  diags errors;
  return parsers::parse_text(input_kind::nova_compute, text, parsers::shape_set::load({}, errors),
                             ctx)
      .events;
}

// The report of one failed attempt holding and citing `ev`: its HTML event
// table shows each line up to 300 bytes, folded first.
std::string html_report_citing(const event& ev) {
  std::vector<input> inputs(1);
  inputs[0].path = "cmp-a/nova-compute.log";
  inputs[0].host = "cmp-a";
  inputs[0].kind = input_kind::nova_compute;
  std::vector<incident> incidents(1);
  incidents[0].id = "mig-0000000000000001";
  incidents[0].instance = "7b7edae6-f878-4756-a858-86f836d02c33";
  incidents[0].source = "cmp-a";
  incidents[0].result = outcome::failed;
  incidents[0].events.push_back(ev);
  std::vector<verdict> verdicts(1);
  verdicts[0].cls = classification::unknown;
  verdicts[0].evidence.push_back(evidence_of(ev, "test"));
  return report::write_html({"0.0.0-test", inputs, incidents, verdicts});
}

}  // namespace

TEST_CASE("fold: a Zed+ line keeps its request ids and folds the user identity",
          "[report][fold]") {
  const auto events = parsed(kZedSyslog);
  REQUIRE(events.size() == 1);
  const event& ev = events[0];
  REQUIRE_FALSE(ev.user_identity.empty());
  CHECK(ev.text.substr(ev.user_identity.at, ev.user_identity.size) ==
        "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default");
  const std::string html = html_report_citing(ev);
  CHECK(html.find("[None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 ...] [instance: "
                 "7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure") !=
        std::string::npos);
}

TEST_CASE("fold: a pre-Zed line folds to its request id, as before", "[report][fold]") {
  const auto events = parsed(kPreZed);
  REQUIRE(events.size() == 1);
  REQUIRE_FALSE(events[0].user_identity.empty());
  const std::string html = html_report_citing(events[0]);
  CHECK(html.find("[req-e20743e3-a683-41ba-b47b-ba92e97eff37 ...] Exception during message "
                 "handling: DestinationDiskExists") != std::string::npos);
}

TEST_CASE("fold: a line with no user identity span is only elided, never searched",
          "[report][fold]") {
  // The words of a context bracket inside a message: nothing the parser
  // read. 305 bytes: folded it would fit the table's 300, unfolded it is cut
  // in the middle (which the text search of before did not do).
  event ev;
  ev.host = "cmp-a";
  ev.text = std::string(100, 'x') +
            " [req-949c7fda-ca16-49b3-a8c7-9496f86892fa user project - default default] " +
            std::string(130, 'y');
  REQUIRE(ev.text.size() == 305);
  const std::string html = html_report_citing(ev);
  CHECK(html.find("[req-949c7fda-ca16-49b3-a8c7-9496f86892fa ...]") == std::string::npos);
  CHECK(html.find(std::string(98, 'x') + " ... ") != std::string::npos);
}

TEST_CASE("fold: a span cut with its line is dropped, not pointed past the text",
          "[report][fold]") {
  std::string line(9000, 'a');
  line += " [req-949c7fda-ca16-49b3-a8c7-9496f86892fa user project] tail";
  const std::string_view whole(line);
  const std::string_view identity = whole.substr(whole.find("user project"), 12);
  const std::string kept = capped_text(whole);
  CHECK(span_in_copy(whole, identity, kept).empty());
  CHECK(span_in_copy(whole, identity, line).at == whole.find("user project"));
  CHECK(span_in_copy(whole, "user project", line).empty());  // not a view into the line
}
