// The analysis' one identity index: which instance a line is about when it
// names only its request, its domain or a migration, and which names are one host.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "migsleuth/core/identity_index.hpp"

using namespace migsleuth;

namespace {

constexpr std::string_view kA = "88084fdd-51dc-4967-8493-c1169e4533ec";
constexpr std::string_view kB = "7b7edae6-f878-4756-a858-86f836d02c33";

event line(std::string_view instance, std::string_view request, std::string_view domain = {}) {
  event ev;
  ev.instance = std::string(instance);
  ev.request_id = std::string(request);
  ev.domain = std::string(domain);
  return ev;
}

}  // namespace

TEST_CASE("identity index: a request seen with two instances names neither", "[core][identity]") {
  identity_index ids;
  // A periodic task's request touches every instance of the host.
  ids.learn(line(kA, "req-periodic"));
  ids.learn(line(kB, "req-periodic"));
  ids.learn(line(kA, "req-periodic"));  // seeing the first again does not make it sole
  CHECK(ids.instance_of_request("req-periodic").empty());
  event traceback = line("", "req-periodic");
  CHECK_FALSE(ids.resolve(traceback));
  CHECK(traceback.instance.empty());
}

TEST_CASE("identity index: a request seen with one instance, from lines and links, names it",
          "[core][identity]") {
  identity_index ids;
  ids.learn(line(kA, "req-live"));
  const std::vector<identity_link> links = {{"req-live", std::string(kA)},
                                            {"req-other", std::string(kB)}};
  ids.learn(links);
  CHECK(ids.instance_of_request("req-live") == kA);
  CHECK(ids.instance_of_request("req-other") == kB);
  std::vector<event> events = {line("", "req-live"), line("", "req-other"), line("", "req-none")};
  ids.resolve(events);
  CHECK(events[0].instance == kA);
  CHECK(events[1].instance == kB);
  CHECK(events[2].instance.empty());
}

TEST_CASE("identity index: a domain names its instance, before the line's request does",
          "[core][identity]") {
  identity_index ids;
  ids.learn(line(kA, "", "instance-0000002a"));  // a QEMU log naming both
  ids.learn(line(kB, "req-x"));
  CHECK(ids.instance_of_domain("instance-0000002a") == kA);
  event qemu = line("", "req-x", "instance-0000002a");
  REQUIRE(ids.resolve(qemu));
  CHECK(qemu.instance == kA);
  event unknown_domain = line("", "req-x", "instance-00000099");
  REQUIRE(ids.resolve(unknown_domain));
  CHECK(unknown_domain.instance == kB);  // the request, when the domain says nothing
}

TEST_CASE("identity index: a line naming an instance that is no UUID is never given one",
          "[core][identity]") {
  identity_index ids;
  ids.learn(line(kA, "req-x"));
  event ev = line("", "req-x");
  ev.instance_unknown = true;  // "[instance: foo]"
  CHECK_FALSE(ids.resolve(ev));
  CHECK(ev.instance.empty());
}

TEST_CASE("identity index: a migration record's id names its instance", "[core][identity]") {
  event record = line(kA, "");
  record.kind = event_kind::migration_record;
  record.values = {{"migration_id", "4412"},
                   {"migration_uuid", "1d6ab5b2-1a8a-4f44-bb57-7c3fda2c5d10"}};
  identity_index ids;
  ids.learn(record);
  CHECK(ids.instance_of_migration("4412") == kA);
  CHECK(ids.instance_of_migration("1d6ab5b2-1a8a-4f44-bb57-7c3fda2c5d10") == kA);
  CHECK(ids.instance_of_migration("4413").empty());
  // A log line with a value of that name is no record: it teaches nothing.
  event log = line(kB, "");
  log.values = {{"migration_id", "77"}};
  ids.learn(log);
  CHECK(ids.instance_of_migration("77").empty());
}

TEST_CASE("identity index: a line naming only a migration gets the instance its record names",
          "[core][identity]") {
  event record = line(kA, "");
  record.kind = event_kind::migration_record;
  record.values = {{"migration_id", "4412"},
                   {"migration_uuid", "1d6ab5b2-1a8a-4f44-bb57-7c3fda2c5d10"}};
  identity_index ids;
  ids.learn(record);
  event placement = line("", "req-9c1f2b1e-3f52-4c9a-9b1d-0f7e2a4c6d81");
  placement.values = {{"migration_uuid", "1d6ab5b2-1a8a-4f44-bb57-7c3fda2c5d10"}};
  CHECK(ids.resolve(placement));
  CHECK(placement.instance == kA);
  event by_number = line("", "");
  by_number.values = {{"migration_id", "4412"}};
  CHECK(ids.resolve(by_number));
  CHECK(by_number.instance == kA);
  // The request comes first: one that names an instance decides.
  ids.learn(line(kB, "req-of-b"));
  event both = line("", "req-of-b");
  both.values = {{"migration_uuid", "1d6ab5b2-1a8a-4f44-bb57-7c3fda2c5d10"}};
  CHECK(ids.resolve(both));
  CHECK(both.instance == kB);
  // An unknown migration names nothing; a line naming an instance that is
  // no UUID is never given one.
  event unknown = line("", "");
  unknown.values = {{"migration_uuid", "0e9a3c1b-7d44-4f1e-8a2b-5c6d7e8f9a0b"}};
  CHECK_FALSE(ids.resolve(unknown));
  event marked = line("", "");
  marked.instance_unknown = true;
  marked.values = {{"migration_id", "4412"}};
  CHECK_FALSE(ids.resolve(marked));
}

TEST_CASE("identity index: host names, in any case, are spelled as the report spells them",
          "[core][identity][hosts]") {
  identity_index ids;
  CHECK_FALSE(ids.knows_hosts());
  CHECK(ids.host("cmp-07.example.net") == "cmp-07.example.net");
  const std::vector<std::pair<std::string, std::string>> names = {
      {"cmp-07", "cmp-07"}, {"cmp-07.example.net", "cmp-07"}, {"192.0.2.7", "cmp-07"}};
  ids.learn_hosts(names);
  CHECK(ids.knows_hosts());
  CHECK(ids.host("CMP-07.Example.NET") == "cmp-07");
  CHECK(ids.host("192.0.2.7") == "cmp-07");
  CHECK(ids.host("cmp-11") == "cmp-11");  // a name nothing joined is its own
  CHECK(ids.host("").empty());
}
