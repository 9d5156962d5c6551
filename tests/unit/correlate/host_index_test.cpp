// One identity per host, from the names real bundles give their hosts: the
// folder, nova's `host` option dumped at start, the addresses in migration
// URIs and controller records.
#include <catch2/catch.hpp>

#include "embedded_shapes.hpp"

#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/correlate/host_index.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

namespace {

constexpr std::string_view kUuid = "48c4c7a8-a663-4966-b3e9-e84e5d481589";
constexpr std::string_view kReq = "req-c29429d7-70b1-40a4-a126-ced2b88197ed";

input filed_under(std::string host, std::string path) {
  input in;
  in.path = std::move(path);
  in.host = std::move(host);
  in.host_from = "folder name '" + in.host + "'";
  in.kind = input_kind::nova_compute;
  return in;
}

void add(std::vector<event>& all, input_kind kind, const std::string& host, input_id id,
         std::string_view text) {
  parsers::line_context ctx;
  ctx.host = host;
  ctx.input = id;
  auto r = parsers::parse_text(kind, text, test::shapes(), ctx);
  for (auto& ev : r.events) all.push_back(std::move(ev));
}

// oslo.config's start-up dump, as nova-compute logs it at DEBUG.
std::string config_line(std::string_view option, std::string_view value) {
  std::string padded(option);
  padded.resize(std::max<std::size_t>(padded.size(), 30), ' ');
  return "2024-03-19 21:15:40.011 2871 DEBUG oslo_service.service [None "
         "req-e1a78ef4-9e74-457b-a32c-1d1cc2fdd66a - - - - - -] " +
         padded + " = " + std::string(value) +
         " log_opt_values /usr/lib/python3/dist-packages/oslo_config/cfg.py:2589\n";
}

std::string nova(std::string_view time, std::string_view level, std::string_view msg) {
  return std::string(time) + " 2871 " + std::string(level) + " nova.virt.libvirt.driver [None " +
         std::string(kReq) + " - - - - - -] [instance: " + std::string(kUuid) + "] " +
         std::string(msg) + "\n";
}

}  // namespace

TEST_CASE("host_index: nova's own host option and my_ip join the folder name",
          "[correlate][hosts]") {
  const std::vector<input> inputs = {filed_under("nfv-cmp-21", "b/nfv-cmp-21/nova-compute.log")};
  std::vector<event> events;
  add(events, input_kind::nova_compute, "nfv-cmp-21", 0,
      config_line("host", "nfv-cmp-21.nfv.example.net") + config_line("my_ip", "10.40.2.21") +
          config_line("libvirt.live_migration_inbound_addr", "None"));
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == event_kind::host_config);

  const auto names = correlate::host_index::build(inputs, events);
  CHECK(names.canonical("nfv-cmp-21.nfv.example.net") == "nfv-cmp-21");
  CHECK(names.canonical("NFV-CMP-21.nfv.example.net") == "nfv-cmp-21");  // names ignore case
  CHECK(names.canonical("10.40.2.21") == "nfv-cmp-21");
  CHECK(names.canonical("None") == "None");  // an unset option names nothing
  const auto ids = names.identities();
  REQUIRE(ids.size() == 1);
  CHECK(ids[0].name == "nfv-cmp-21");
  REQUIRE(ids[0].aliases.size() == 2);
  CHECK(ids[0].aliases[0].name == "10.40.2.21");
  CHECK(ids[0].aliases[1].why.find("host = nfv-cmp-21.nfv.example.net") != std::string::npos);
  CHECK(ids[0].aliases[1].why.find("b/nfv-cmp-21/nova-compute.log:1") != std::string::npos);
}

TEST_CASE("host_index: a short name joins the one FQDN that begins with it, never two",
          "[correlate][hosts]") {
  std::vector<input> inputs = {filed_under("cmp-07", "b/cmp-07/nova-compute.log"),
                               filed_under("cmp-11.example.net", "b/sos/nova-compute.log")};
  std::vector<event> none;
  auto names = correlate::host_index::build(inputs, none);
  CHECK(names.canonical("cmp-11") == "cmp-11");  // not named by the data: left as it is
  inputs.push_back(filed_under("cmp-11", "b/cmp-11/instance-00000327.log"));
  names = correlate::host_index::build(inputs, none);
  CHECK(names.canonical("cmp-11") == names.canonical("cmp-11.example.net"));
  CHECK(names.canonical("cmp-07") == "cmp-07");

  // Two sites with the same first label: the short name could be either.
  inputs = {filed_under("cmp-07.dc1.example.net", "a"), filed_under("cmp-07.dc2.example.net", "b"),
            filed_under("cmp-07", "c")};
  names = correlate::host_index::build(inputs, none);
  CHECK(names.canonical("cmp-07") == "cmp-07");
  CHECK(names.canonical("cmp-07.dc1.example.net") == "cmp-07.dc1.example.net");
  CHECK(names.canonical("cmp-07.dc2.example.net") == "cmp-07.dc2.example.net");
}

TEST_CASE("host_index: addresses are never joined by their first label", "[correlate][hosts]") {
  const std::vector<input> inputs = {filed_under("10", "a"), filed_under("10.0.0.12", "b"),
                                     filed_under("10.0.0.13", "c")};
  std::vector<event> none;
  const auto names = correlate::host_index::build(inputs, none);
  CHECK(names.canonical("10.0.0.12") == "10.0.0.12");
  CHECK(names.canonical("10.0.0.13") == "10.0.0.13");
  CHECK(names.canonical("10") == "10");
  CHECK(correlate::is_address("fe80::1"));
  CHECK_FALSE(correlate::is_address("cmp-07.example.net"));
}

TEST_CASE("host_index: two hosts with files of their own are never merged", "[correlate][hosts]") {
  // A configuration that gives both computes the same migration address (a
  // VIP, or a copied nova.conf) must not turn source and destination into one.
  const std::vector<input> inputs = {filed_under("cmp-07", "b/cmp-07/nova-compute.log"),
                                     filed_under("cmp-11", "b/cmp-11/nova-compute.log")};
  std::vector<event> events;
  add(events, input_kind::nova_compute, "cmp-07", 0,
      config_line("libvirt.live_migration_inbound_addr", "192.0.2.50"));
  add(events, input_kind::nova_compute, "cmp-11", 1,
      config_line("libvirt.live_migration_inbound_addr", "192.0.2.50"));
  const auto names = correlate::host_index::build(inputs, events);
  CHECK(names.canonical("cmp-07") == "cmp-07");
  CHECK(names.canonical("cmp-11") == "cmp-11");
  REQUIRE(names.refusals().size() == 1);
  CHECK(names.refusals()[0].find("kept apart") != std::string::npos);
}

TEST_CASE("host_index: the destination a source names by address is the host with that address",
          "[correlate][hosts]") {
  std::vector<input> inputs = {filed_under("cmp-a", "b/cmp-a/nova-compute.log"),
                               filed_under("cmp-b", "b/cmp-b/nova-compute.log")};
  std::vector<event> events;
  add(events, input_kind::nova_compute, "cmp-a", 0,
      nova("2023-12-16 11:07:40.100", "DEBUG", "Starting monitoring of live migration") +
          nova("2023-12-16 11:07:45.380", "ERROR",
               "Live Migration failure: operation failed: Failed to connect to remote libvirt URI "
               "qemu+tcp://10.20.0.12/system: unable to connect to server at '10.20.0.12:16509': "
               "Connection refused"));
  // The destination's only lines: its start-up configuration dump.
  add(events, input_kind::nova_compute, "cmp-b", 1, config_line("my_ip", "10.20.0.12"));
  const auto names = correlate::host_index::build(inputs, events);
  names.rename(events, inputs);
  std::erase_if(events, [](const event& ev) { return ev.kind == event_kind::host_config; });

  identity_index ids;
  names.publish(ids);
  correlate::options opt;
  opt.identities = &ids;
  opt.hosts_with_inputs = {"cmp-a", "cmp-b"};
  const auto incidents = correlate::correlate(std::move(events), {}, opt);
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].source == "cmp-a");
  CHECK(incidents[0].destination == "cmp-b");

  // Without the index the address is all the report could print.
  std::vector<event> again;
  add(again, input_kind::nova_compute, "cmp-a", 0,
      nova("2023-12-16 11:07:40.100", "DEBUG", "Starting monitoring of live migration") +
          nova("2023-12-16 11:07:45.380", "ERROR",
               "Live Migration failure: operation failed: Failed to connect to remote libvirt URI "
               "qemu+tcp://10.20.0.12/system: unable to connect to server at '10.20.0.12:16509': "
               "Connection refused"));
  const auto bare = correlate::correlate(std::move(again), {}, correlate::options{});
  REQUIRE(bare.size() == 1);
  CHECK(bare[0].destination == "10.20.0.12");
}

TEST_CASE("host_index: controller records join compute, node and address", "[correlate][hosts]") {
  const std::vector<input> inputs = {filed_under("cmp-07", "b/cmp-07/nova-compute.log")};
  event record;
  record.kind = event_kind::migration_record;
  record.values = {{"migration_id", "4412"},
                   {"source_compute", "cmp-07"},
                   {"source_node", "cmp-07.example.net"},
                   {"dest_compute", "cmp-11"},
                   {"dest_node", "cmp-11.example.net"},
                   {"dest_host", "192.0.2.11"}};
  const std::vector<event> events = {record};
  const auto names = correlate::host_index::build(inputs, events);
  CHECK(names.canonical("cmp-07.example.net") == "cmp-07");
  // No files of cmp-11: nova's own name for it wins over the node and address.
  CHECK(names.canonical("cmp-11.example.net") == "cmp-11");
  CHECK(names.canonical("192.0.2.11") == "cmp-11");
  const auto ids = names.identities();
  REQUIRE(ids.size() == 2);
  CHECK(ids[1].name == "cmp-11");
  CHECK_FALSE(ids[1].has_inputs);
  CHECK(ids[1].why == "the name nova runs it under");
}

TEST_CASE("roles: with debug off, the destination is the other compute of the attempt's request",
          "[correlate][roles]") {
  // nova at INFO: the source's only migration line is "Took … pre_live_migration";
  // the destination logs only its rollback under the request; the conductor
  // logs under the same request too, but is no end of the move.
  std::vector<event> events;
  const std::string took = nova("2024-11-04 14:21:13.351", "INFO",
                                "Took 2.29 seconds for pre_live_migration on destination host "
                                "ovs-cmp-5.example.net.");
  add(events, input_kind::nova_compute, "ovs-cmp-3", 0, took);
  add(events, input_kind::nova_compute, "ovs-cmp-5", 1,
      nova("2024-11-04 14:26:11.875", "INFO", "Instance destroyed successfully."));
  add(events, input_kind::nova_compute, "ctl-01", 2,
      nova("2024-11-04 14:26:12.001", "WARNING", "Failed to roll back: something"));
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == event_kind::pre_migration_done);
  CHECK(events[0].value("dest") == "ovs-cmp-5.example.net");

  correlate::options opt;
  opt.control_plane_hosts = {"ctl-01"};
  auto incidents = correlate::correlate(events, {}, opt);
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].source == "ovs-cmp-3");
  CHECK(incidents[0].destination == "ovs-cmp-5");
  CHECK(incidents[0].result == outcome::failed);  // the destination's rollback of the request

  CHECK(incidents[0].destination_from.find("attempt's request") != std::string::npos);

  // Two other hosts under the request, neither known as control plane: the
  // request decides nothing; the name in the source's line does.
  incidents = correlate::correlate(events, {}, correlate::options{});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].destination == "ovs-cmp-5");
  CHECK(incidents[0].destination_from == "named in a source line");
}

TEST_CASE("host_index: publishes every name with its canonical spelling to the identity index",
          "[correlate][hosts][identity]") {
  const std::vector<input> inputs = {filed_under("cmp-07", "b/cmp-07/nova-compute.log")};
  event record;
  record.kind = event_kind::migration_record;
  record.instance = "88084fdd-51dc-4967-8493-c1169e4533ec";
  record.values = {{"migration_id", "4412"},
                   {"source_compute", "cmp-07"},
                   {"source_node", "cmp-07.example.net"},
                   {"dest_compute", "cmp-11"},
                   {"dest_node", "cmp-11.example.net"},
                   {"dest_host", "192.0.2.11"}};
  const std::vector<event> events = {record};
  const auto names = correlate::host_index::build(inputs, events);
  identity_index ids;
  names.publish(ids);
  REQUIRE(ids.knows_hosts());
  for (const char* name : {"cmp-07", "CMP-07.example.net", "cmp-11", "cmp-11.example.net",
                           "192.0.2.11", "never-named"}) {
    CHECK(ids.host(name) == names.canonical(name));
  }
  CHECK(ids.host("192.0.2.11") == "cmp-11");
}
