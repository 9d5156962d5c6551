// The deferred-line store: what goes in comes back whole, in walk order,
// rebased; and ingest with deferral loses nothing that ingest without it has.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "embedded_shapes.hpp"
#include "migsleuth/ingest/deferred_events.hpp"
#include "migsleuth/ingest/ingest.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

auto key(const event& e) {
  return std::tie(e.where, e.time, e.local_clock, e.kind, e.source, e.host, e.instance,
                  e.request_id, e.global_request_id, e.domain, e.level, e.logger, e.shape, e.text,
                  e.message, e.values, e.user_identity.at, e.user_identity.size);
}

event warning(input_id input, std::uint32_t line, std::string instance) {
  event e;
  e.time = {1'700'000'000'000'000 + line};
  e.local_clock = true;
  e.source = input_kind::nova_compute;
  e.host = "cmp-a";
  e.instance = std::move(instance);
  e.request_id = "req-6f0c0d1e-0000-4000-8000-000000000001";
  e.level = "WARNING";
  e.logger = "nova.compute.manager";
  e.where = {input, line};
  e.message = "Received unexpected event network-vif-plugged-0f0de1cd";
  e.text = "2024-03-05 10:12:10.120 2211 WARNING nova.compute.manager [" + e.request_id +
           " 4f7cd8bf676d43bc9faf09b2eb41482f 2c3d8251c39545cbb6f77f331b7164f8 - default default] " +
           e.message;
  e.user_identity = {static_cast<std::uint32_t>(e.text.find("4f7cd8bf")), 83};
  return e;
}

std::vector<event> read_all(const deferred_events& store) {
  std::vector<event> out;
  store.for_each([&](event& ev) { out.push_back(ev); });
  return out;
}

// ingest's output with the deferred lines put back, in a canonical order.
std::vector<event> everything(analysis_input& a) {
  std::vector<event> all = a.events;
  for_each_deferred(a, [&](event& ev) { all.push_back(ev); });
  std::sort(all.begin(), all.end(), [](const event& x, const event& y) { return key(x) < key(y); });
  return all;
}

}  // namespace

TEST_CASE("deferred events: round trip in walk order, rebased", "[parsers][deferred]") {
  deferred_events store;
  event with_values = warning(0, 7, "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11");
  with_values.values = {{"events", "[('network-vif-plugged', '0f0de1cd')]"}, {"empty", ""}};
  event no_time = warning(1, 9, "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11");
  no_time.time = {};
  std::string part0, part1;
  deferred_events::encode(with_values, part0);
  deferred_events::encode(no_time, part0);
  deferred_events::encode(warning(0, 3, "d892d127-6381-4f17-a019-7581c3bf10ad"), part1);
  // A later file finished first (another thread): order follows the walk.
  store.put(1, part1, 1);
  store.put(0, part0, 2);
  store.set_base(0, 0);
  store.set_base(1, 5);
  REQUIRE(store.count() == 3);

  const auto back = read_all(store);
  REQUIRE(back.size() == 3);
  CHECK(key(back[0]) == key(with_values));
  CHECK(key(back[1]) == key(no_time));
  CHECK(back[2].where.input == 5);  // part 1's input 0 is the merged input 5
  CHECK(back[2].where.line == 3);
}

TEST_CASE("deferred events: without a usable TMPDIR they stay in memory, same results",
          "[parsers][deferred]") {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", "/nonexistent/migsleuth-test", 1);
  deferred_events store;
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  CHECK_FALSE(store.on_disk());
  std::string block;
  deferred_events::encode(warning(0, 1, "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11"), block);
  store.put(0, block, 1);
  const auto back = read_all(store);
  REQUIRE(back.size() == 1);
  CHECK(key(back[0]) == key(warning(0, 1, "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11")));
}

TEST_CASE("deferred events: a reader steps over the events it does not want, undecoded",
          "[parsers][deferred]") {
  deferred_events store;
  constexpr std::string_view kMigrating = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
  constexpr std::string_view kIdle = "9c2d6e1f-1a2b-4c3d-8e4f-5a6b7c8d9e0f";
  std::string block;
  const auto made = [&](std::uint32_t line, std::string_view instance) {
    event e = warning(0, line, std::string(instance));
    e.values = {{"task", "migrating"}, {"listed", "x"}};  // captures are stepped over too
    return e;
  };
  for (std::uint32_t line = 1; line <= 6; ++line) {
    deferred_events::encode(made(line, line % 3 == 0 ? kMigrating : kIdle), block);
  }
  store.put(0, block, 6);
  std::vector<event> got;
  std::size_t asked = 0;
  store.for_each([&](event& ev) { got.push_back(ev); },
                 [&](std::string_view instance, std::string_view request_id) {
                   ++asked;
                   CHECK(request_id == "req-6f0c0d1e-0000-4000-8000-000000000001");
                   return instance == kMigrating;
                 });
  CHECK(asked == 6);
  REQUIRE(got.size() == 2);
  for (const auto& ev : got) {
    CHECK(ev.instance == kMigrating);
    CHECK(key(ev) == key(made(ev.where.line, kMigrating)));
  }
  CHECK(got[0].where.line == 3);
  CHECK(got[1].where.line == 6);
}

TEST_CASE("deferred events: only unshaped lines about an instance, naming no domain",
          "[parsers][deferred]") {
  event e = warning(0, 1, "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11");
  CHECK(deferred_events::deferrable(e));
  e.kind = event_kind::task_pending;
  CHECK(deferred_events::deferrable(e));
  e.kind = event_kind::instance_listed;  // one pair per instance and file
  CHECK(deferred_events::deferrable(e));
  e.kind = event_kind::migration_failed;  // a marker decides which instances matter
  CHECK_FALSE(deferred_events::deferrable(e));
  e = warning(0, 1, "");
  CHECK_FALSE(deferred_events::deferrable(e));  // stays: correlate links it by request or time
  e = warning(0, 1, "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11");
  e.domain = "instance-0000002a";
  CHECK_FALSE(deferred_events::deferrable(e));  // ties a QEMU log to the instance
}

TEST_CASE("ingest: deferring lines loses none and leaves them as ingest would",
          "[parsers][deferred][ingest]") {
  // Two hosts, the source on local time UTC+1 (its nova/QEMU pair says so),
  // a migrating instance and a busy one that never migrates.
  const fs::path dir = fs::temp_directory_path() / ("migsleuth-deferred-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "cmp-a/var/log/nova");
  fs::create_directories(dir / "cmp-a/var/log/libvirt/qemu");
  {
    std::ofstream nova(dir / "cmp-a/var/log/nova/nova-compute.log");
    nova << "2024-03-05 11:12:00.100 2211 WARNING nova.compute.manager "
            "[req-11111111-0000-4000-8000-000000000001 - - - - -] [instance: "
            "d892d127-6381-4f17-a019-7581c3bf10ad] Received unexpected event "
            "network-vif-plugged-0f0de1cd-2172-4885-b017-446186ab3b06 for instance with vm_state "
            "active and task_state None.\n"
            "2024-03-05 11:12:05.000 2211 INFO nova.compute.manager [-] [instance: "
            "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] During sync_power_state the instance has a "
            "pending task (migrating). Skip.\n"
            "2024-03-05 11:12:10.120 2211 DEBUG nova.virt.libvirt.driver "
            "[req-6f0c0d1e-0000-4000-8000-000000000001 - - - - -] [instance: "
            "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Starting monitoring of live migration "
            "_live_migration /usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9480\n"
            "2024-03-05 11:12:11.500 2211 ERROR nova.virt.libvirt.driver "
            "[req-6f0c0d1e-0000-4000-8000-000000000001 - - - - -] [instance: "
            "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Live Migration failure: operation failed: "
            "Failed to connect to remote libvirt URI qemu+tcp://cmp-b/system: unable to connect "
            "to server at 'cmp-b:16509': Connection refused\n";
  }
  {
    std::ofstream qemu(dir / "cmp-a/var/log/libvirt/qemu/instance-0000002a.log");
    qemu << "2024-03-05 10:12:10.200+0000: initiating migration\n";
  }
  ingest_options opt;
  opt.paths = {dir.string()};
  analysis_input plain = ingest::ingest(opt, test::shapes());
  opt.defer_log_lines = true;
  analysis_input deferred = ingest::ingest(opt, test::shapes());
  fs::remove_all(dir);

  REQUIRE(deferred.deferred);
  CHECK(deferred.deferred->count() >= 2);  // the unexpected-event warning, the pending task
  CHECK(deferred.events.size() + deferred.deferred->count() == plain.events.size());
  const auto a = everything(plain);
  const auto b = everything(deferred);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("line " << a[i].where.line);
    CHECK(key(a[i]) == key(b[i]));
  }
}
