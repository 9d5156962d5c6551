// Issue 20's megabyte lines: shapes read a message's first kShapeWindowBytes,
// and a parser that joins lines into one event (a domjobinfo block) keeps
// only what the event keeps while it reads, the cut marker still giving the
// whole length.
#include <catch2/catch.hpp>

#include <string>

#include "embedded_shapes.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

constexpr std::string_view kHead =
    "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver "
    "[req-df2a6839-f71d-4800-bc52-d420bc938602 - - - - -] "
    "[instance: bd8a3212-8687-4525-a8f2-f40322c72d5f] ";
constexpr std::string_view kFailure =
    "Live Migration failure: operation failed: Failed to connect to remote libvirt URI "
    "qemu+tcp://cmp-b/system: unable to connect to server at 'cmp-b:16509': Connection refused";

parse_result parse(input_kind kind, const std::string& text, std::string file) {
  line_context ctx;
  ctx.host = "cmp-a";
  ctx.input = 0;
  ctx.file_name = std::move(file);
  return parse_text(kind, text, test::shapes(), ctx);
}

}  // namespace

TEST_CASE("capped_text: a text kept only in part names its whole length", "[parsers][runtime]") {
  const std::string start(100, 'x');
  CHECK(capped_text(start, 100) == start);
  CHECK(capped_text(start, 50'000) == start + " \xE2\x80\xA6 [line cut: 50000 bytes]");
  const std::string longer(20'000, 'y');
  CHECK(capped_text(longer, 1'000'000) ==
        capped_text(longer + std::string(1'000'000 - longer.size(), 'y')));
}

TEST_CASE("shapes: a megabyte line is matched on its first 64 KiB only", "[parsers][runtime]") {
  const std::string early = std::string(kHead) + std::string(kFailure) + " " +
                            std::string(1U << 20, 'A') + "\n";
  // The same words past the window: a message that far down is no nova
  // failure line, and it is still kept (ERROR) and cut to 8 KiB.
  const std::string late = std::string(kHead) + "Unexpected output: " +
                           std::string(kShapeWindowBytes, 'B') + std::string(kFailure) + "\n";
  const parse_result r = parse(input_kind::nova_compute, early + late, "nova-compute.log");
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[1].kind != event_kind::migration_failed);
  for (const auto& ev : r.events) {
    CHECK(ev.text_cut);
    CHECK(ev.text.size() <= kKeptTextBytes);
    CHECK(ev.message.size() <= kKeptTextBytes);
  }
  CHECK_THAT(r.events[0].text, Catch::Matchers::EndsWith(
                                   "[line cut: " + std::to_string(early.size() - 1) + " bytes]"));
}

TEST_CASE("domjobinfo: a block of megabyte lines keeps 8 KiB of each value and of its summary",
          "[parsers][runtime]") {
  std::string text = "$ virsh domjobinfo instance-0000002a\nJob type:         Failed\n";
  const std::string error(1U << 20, 'E');
  const std::string vendor(300'000, 'V');
  text += "Error message:    " + error + "\n";
  text += "Vendor counter:   " + vendor + "\n";
  const parse_result r = parse(input_kind::domjobinfo, text, "domjobinfo-instance-0000002a.txt");
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.text_cut);
  CHECK(ev.value("error_message") == capped_text(error));
  CHECK(ev.value("vendor_counter") == capped_text(vendor));
  const std::string whole = "virsh domjobinfo: Job type: Failed; Error message: " + error;
  CHECK(ev.message == capped_text(whole));
}
