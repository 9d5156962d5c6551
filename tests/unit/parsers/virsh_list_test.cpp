// `virsh list --all` captures (layout of virsh's table, as in insights-core's
// test_virsh_list_all.py fixtures: " Id   Name   State" + dashes + rows).
#include <catch2/catch.hpp>

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

parse_result parse(std::string_view text) {
  line_context ctx;
  ctx.host = "cmp-b";
  diags errors;
  return parse_text(input_kind::virsh_list, text, shape_set::load({}, errors), ctx);
}

constexpr std::string_view kTypical = R"($ virsh list --all
 Id   Name                State
------------------------------------
 3    instance-000001b4   paused
 -    instance-0000002b   shut off

)";

}  // namespace

TEST_CASE("virsh_list: one domain_state event per row", "[parsers][virsh]") {
  const auto r = parse(kTypical);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].kind == event_kind::domain_state);
  CHECK(r.events[0].domain == "instance-000001b4");
  CHECK(r.events[0].value("state") == "paused");
  CHECK(r.events[0].value("id") == "3");
  CHECK(r.events[0].where.line == 4);
  CHECK(r.events[1].value("state") == "shut off");
  CHECK(r.events[1].value("id") == "-");
}

TEST_CASE("virsh_list: a virsh error is a warning", "[parsers][virsh]") {
  const auto r = parse("error: failed to connect to the hypervisor\nerror: Failed to connect "
                       "socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n");
  CHECK(r.events.empty());
  CHECK(r.warnings.size() == 2);
  CHECK(r.skipped_lines == 0);
}

TEST_CASE("virsh_list: empty input and a header-only table", "[parsers][virsh]") {
  CHECK(parse("").events.empty());
  const auto r = parse(" Id   Name   State\n--------------------\n\n");
  CHECK(r.events.empty());
  CHECK(r.skipped_lines == 0);
}

TEST_CASE("virsh_list: a row cut after the name and rows with no header are skipped",
          "[parsers][virsh]") {
  const auto r = parse(" 3    instance-000001b4   paused\n Id   Name   State\n---\n 3    inst");
  CHECK(r.events.empty());
  CHECK(r.skipped_lines == 2);
}
