// Unicode bidirectional controls from a log ("Trojan Source", CVE-2021-42574)
// must not reach a reader: a U+202E in an evidence line would make it read
// backwards in a terminal, a ticket or a browser. Every format shows each of
// them as a visible `\uXXXX`.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/report/escape.hpp"
#include "migsleuth/report/report.hpp"

using namespace migsleuth;

namespace {

// U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C as UTF-8.
const std::vector<std::pair<std::string, std::string>> kBidi = {
    {"\xE2\x80\xAA", "\\u202a"}, {"\xE2\x80\xAB", "\\u202b"}, {"\xE2\x80\xAC", "\\u202c"},
    {"\xE2\x80\xAD", "\\u202d"}, {"\xE2\x80\xAE", "\\u202e"}, {"\xE2\x81\xA6", "\\u2066"},
    {"\xE2\x81\xA7", "\\u2067"}, {"\xE2\x81\xA8", "\\u2068"}, {"\xE2\x81\xA9", "\\u2069"},
    {"\xE2\x80\x8E", "\\u200e"}, {"\xE2\x80\x8F", "\\u200f"}, {"\xD8\x9C", "\\u061c"},
};

std::string all_controls() {
  std::string s = "Live Migration failure: ";
  for (const auto& [raw, shown] : kBidi) s += "x" + raw;
  return s + " 'cmp-b:16509': Connection refused";
}

bool holds_raw_control(const std::string& out) {
  for (const auto& [raw, shown] : kBidi) {
    if (out.find(raw) != std::string::npos) return true;
  }
  return false;
}

bool shows_every_control(const std::string& out) {
  for (const auto& [raw, shown] : kBidi) {
    if (out.find(shown) == std::string::npos) return false;
  }
  return true;
}

struct fixture {
  std::vector<input> inputs;
  std::vector<incident> incidents;
  std::vector<verdict> verdicts;

  fixture() {
    const std::string line = "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver " +
                             all_controls();
    input in;
    in.path = "bundle/cmp-a/nova\xE2\x80\xAE" "gol.log";
    in.host = "cmp-a";
    in.kind = input_kind::nova_compute;
    in.warnings.push_back("odd " + all_controls());
    inputs.push_back(in);

    incident inc;
    inc.id = "mig-0000000000000001";
    inc.instance = "bd8a3212-8687-4525-a8f2-f40322c72d5f";
    inc.source = "cmp-a";
    inc.destination = "cmp-b";
    inc.result = outcome::failed;
    inc.started.micros = 1'716'300'129'000'000;
    inc.ended.micros = 1'716'300'133'000'000;
    event ev;
    ev.time.micros = 1'716'300'132'463'000;
    ev.kind = event_kind::migration_failed;
    ev.host = "cmp-a";
    ev.where = {0, 7};
    ev.text = line;
    ev.message = all_controls();
    inc.events.push_back(ev);
    incidents.push_back(inc);

    verdict v;
    v.cls = classification::network;
    v.cause = "network.migration-port-refused";
    v.confidence = 0.9;
    v.summary = "Source could not connect: " + all_controls();
    v.evidence.push_back({"cmp-a", {0, 7}, ev.time, line, "network.migration-port-refused"});
    verdicts.push_back(v);
  }
  [[nodiscard]] report::report_data data() const {
    return {"0.0.0-test", inputs, incidents, verdicts};
  }
};

}  // namespace

TEST_CASE("escapers: every bidirectional control is shown as \\uXXXX", "[report][bidi]") {
  const std::string s = all_controls();
  for (const std::string& out : {report::terminal_safe(s), report::html_escape(s),
                                 report::markdown_escape(s), report::markdown_code(s)}) {
    CHECK_FALSE(holds_raw_control(out));
    CHECK(shows_every_control(out));
  }
  std::string json;
  report::append_json_escaped(json, s);
  CHECK_FALSE(holds_raw_control(json));
  CHECK(shows_every_control(json));
  // Neighbours of the ranges are ordinary text and stay as they are.
  CHECK(report::terminal_safe("\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA") ==
        "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA");
}

TEST_CASE("writers: no bidirectional control from a log reaches any format", "[report][bidi]") {
  const fixture f;
  const auto r = f.data();
  const std::vector<std::pair<std::string, std::string>> outputs = {
      {"json", report::write_json(r)},
      {"text", report::write_text(r, report::color_mode::never)},
      {"markdown", report::write_markdown(r)},
      {"html", report::write_html(r)},
      {"jsonl", report::write_incident_line(f.incidents[0], f.verdicts[0], f.inputs, {})},
  };
  for (const auto& [format, out] : outputs) {
    INFO(format);
    CHECK_FALSE(holds_raw_control(out));
    CHECK(shows_every_control(out));
  }
}
