// How every format names hosts: one nobody could identify is said in words
// (never a blank cell or "?"), and a line logged by nova-conductor /
// nova-scheduler on a host that is neither end is the controller's.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/report/report.hpp"

using namespace migsleuth;

namespace {

// A pre-check refused by the conductor (NET-11 shape): the controller logs it
// through nova.scheduler.utils, its neutron error through nova.network.neutron;
// the destination is known only when the caller names it.
struct conductor_refusal {
  std::vector<input> inputs;
  std::vector<incident> incidents;
  std::vector<verdict> verdicts;

  explicit conductor_refusal(std::string destination) {
    input in;
    in.path = "bundle/ctl-01/var/log/nova/nova-conductor.log";
    in.host = "ctl-01";
    in.kind = input_kind::nova_compute;
    in.lines = 2;
    inputs.push_back(in);
    input loose;
    loose.path = "bundle/stray.log";
    loose.kind = input_kind::nova_compute;  // no host attributed
    inputs.push_back(loose);

    incident inc;
    inc.id = "mig-00000000000000c1";
    inc.instance = "afbf5e89-14f0-4ed2-a3db-960efe4d8b3a";
    inc.source = "cmp-21";
    inc.destination = std::move(destination);
    inc.result = outcome::failed;
    inc.started.micros = 1'739'267'255'611'000;
    inc.ended.micros = 1'739'267'255'640'000;
    event neutron;
    neutron.time.micros = 1'739'267'255'611'000;
    neutron.host = "ctl-01";
    neutron.logger = "nova.network.neutron";
    neutron.level = "ERROR";
    neutron.where = {0, 5};
    neutron.text = "ERROR nova.network.neutron [req-48e0e405] Binding failed";
    inc.events.push_back(neutron);
    event refused = neutron;
    refused.time.micros = 1'739'267'255'640'000;
    refused.kind = event_kind::precheck_failed;
    refused.logger = "nova.scheduler.utils";
    refused.level = "WARNING";
    refused.where = {0, 6};
    refused.text = "WARNING nova.scheduler.utils [req-48e0e405] Migration pre-check error";
    inc.events.push_back(refused);
    incidents.push_back(inc);

    verdict v;
    v.cls = classification::network;
    v.cause = "network.port-binding-failed";
    v.confidence = 0.68;
    v.summary = "neutron could not bind the ports.";
    v.evidence.push_back({"ctl-01", {0, 6}, refused.time, refused.text, v.cause});
    v.evidence.push_back({"", {1, 1}, refused.time, "ERROR stray line", v.cause});
    verdicts.push_back(v);
  }
  [[nodiscard]] report::report_data data() const {
    return {"0.0.0-test", inputs, incidents, verdicts};
  }
};

}  // namespace

TEST_CASE("writers: an unidentified destination is said in words in every format") {
  const conductor_refusal f("");
  const std::string txt = report::write_text(f.data(), report::color_mode::never);
  CHECK(txt.find("hosts      cmp-21 -> (destination host not identified)\n") !=
        std::string::npos);
  CHECK(txt.find("    (host not identified) bundle/stray.log:1") != std::string::npos);
  CHECK(txt.find(" -> ?") == std::string::npos);

  const std::string md = report::write_markdown(f.data());
  CHECK(md.find("| Source -> destination | `cmp-21` -> (destination host not identified) |") !=
        std::string::npos);
  CHECK(md.find("->  |") == std::string::npos);
  CHECK(md.find("- (host not identified): 1 nova-compute") != std::string::npos);

  const std::string html = report::write_html(f.data());
  CHECK(html.find("<b>cmp-21</b> &rarr; <b><i>(destination host not identified)</i></b>") !=
        std::string::npos);
  CHECK(html.find("<b></b>") == std::string::npos);
  CHECK(html.find(">not identified</tspan></text>") != std::string::npos);  // the timeline lane

  // JSON keeps the contract: an unknown host is null, not a sentence.
  const std::string json = report::write_json(f.data());
  CHECK(json.find("\"destination_host\": null") != std::string::npos);
}

TEST_CASE("writers: conductor and scheduler lines are the controller's, in every format") {
  const conductor_refusal f("cmp-34");
  const std::string md = report::write_markdown(f.data());
  CHECK(md.find("on the controller (`precheck_failed`)") != std::string::npos);
  CHECK(md.find("| controller `ctl-01` | `precheck_failed` |") != std::string::npos);
  CHECK(md.find("other") == std::string::npos);

  const std::string txt = report::write_text(f.data(), report::color_mode::never);
  CHECK(txt.find("failed at  2025-02-11T09:47:35.640000Z on the controller (ctl-01): "
                 "precheck_failed") != std::string::npos);

  const std::string html = report::write_html(f.data());
  CHECK(html.find("on the controller (<code>precheck_failed</code>)") != std::string::npos);
  CHECK(html.find(">ctl-01</tspan></text>") != std::string::npos);  // the lane names the host

  // The neutron line of the same conductor log joins it: the host is a
  // controller by what it logged, not by its name.
  const std::string json = report::write_json(f.data());
  CHECK(json.find("\"role\": \"other\"") == std::string::npos);
  std::size_t roles = 0;
  for (std::size_t at = json.find("\"role\": \"controller\""); at != std::string::npos;
       at = json.find("\"role\": \"controller\"", at + 1)) {
    ++roles;
  }
  CHECK(roles == 2);
}

TEST_CASE("writers: a third compute that logged no conductor line stays another host") {
  conductor_refusal f("cmp-34");
  for (auto& ev : f.incidents[0].events) {
    ev.host = "cmp-99";
    ev.logger = "nova.compute.manager";
  }
  const std::string md = report::write_markdown(f.data());
  CHECK(md.find("on another host (`precheck_failed`)") != std::string::npos);
  CHECK(md.find("| other `cmp-99` |") != std::string::npos);
}
