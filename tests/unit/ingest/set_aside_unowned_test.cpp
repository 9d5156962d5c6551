// Nova WARNING/ERROR lines naming no instance (deferred_events::
// set_aside_unowned: the power-state sync's count mismatch, every ten minutes
// on every host) wait on disk until the attempts are built; then each joins
// the one attempt whose span on its host holds it, is counted as ambiguous
// when two do, or is dropped. One whose request names an instance comes back
// with take(), as that instance's line. Incidents are what they were with
// every such line in memory: the same lines, in the same order, the same
// notes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/correlate/usable_events.hpp"
#include "migsleuth/ingest/deferred_events.hpp"
#include "migsleuth/ingest/ingested.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;

namespace {

constexpr std::string_view kFirst = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
constexpr std::string_view kSecond = "d892d127-6381-4f17-a019-7581c3bf10ad";
constexpr std::string_view kThird = "5b0e6a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
constexpr std::string_view kFirstRequest = "req-6f0c0d1e-0000-4000-8000-000000000001";
constexpr std::string_view kSecondRequest = "req-6f0c0d1e-0000-4000-8000-000000000002";
constexpr std::string_view kThirdRequest = "req-6f0c0d1e-0000-4000-8000-000000000003";
// A request that worked on kFirst, named by a warning without its instance.
constexpr std::string_view kLinkedRequest = "req-6f0c0d1e-0000-4000-8000-000000000004";

std::string nova_line(std::string_view time, std::string_view level, std::string_view request,
                      std::string_view instance, std::string_view message) {
  std::string line = std::string(time) + " 2211 " + std::string(level) +
                     " nova.compute.manager [None " + std::string(request) + " - - - - -] ";
  if (!instance.empty()) line += "[instance: " + std::string(instance) + "] ";
  return line + std::string(message) + "\n";
}

// nova/compute/manager.py _sync_power_states, as samples/capacity-no-valid-host logs it.
std::string sync_mismatch(std::string_view time, std::string_view request) {
  return nova_line(time, "WARNING", request, "",
                   "While synchronizing instance power states, found 3 instances in the "
                   "database and 4 instances on the hypervisor.");
}

std::string attempt(std::string_view start, std::string_view failure, std::string_view request,
                    std::string_view instance) {
  return nova_line(start, "DEBUG", request, instance,
                   "Starting monitoring of live migration _live_migration "
                   "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9480") +
         nova_line(failure, "ERROR", request, instance,
                   "Live Migration failure: operation failed: job 'migration out' failed: "
                   "unable to connect");
}

struct bundle {
  test::temp_dir dir{"set-aside-unowned"};
  bundle() {
    // Three attempts on cmp-a: kFirst's alone at 10:12, kSecond's and
    // kThird's at the same time at 10:40. Four mismatch warnings: long
    // before any attempt, inside kFirst's, inside both later ones, and one
    // whose request worked on kFirst.
    dir.write("cmp-a/var/log/containers/nova/nova-compute.log",
              sync_mismatch("2024-03-05 06:00:00.000", "req-0a000000-0000-4000-8000-000000000001") +
                  attempt("2024-03-05 10:12:10.120", "2024-03-05 10:12:11.500", kFirstRequest,
                          kFirst) +
                  sync_mismatch("2024-03-05 10:12:11.000",
                                "req-0a000000-0000-4000-8000-000000000002") +
                  nova_line("2024-03-05 10:12:20.000", "DEBUG", kLinkedRequest, kFirst,
                            "Triggering sync for uuid " + std::string(kFirst) +
                                " _sync_power_states") +
                  sync_mismatch("2024-03-05 10:12:30.000", kLinkedRequest) +
                  attempt("2024-03-05 10:40:00.000", "2024-03-05 10:40:30.000", kSecondRequest,
                          kSecond) +
                  attempt("2024-03-05 10:40:05.000", "2024-03-05 10:40:20.000", kThirdRequest,
                          kThird) +
                  sync_mismatch("2024-03-05 10:40:15.000",
                                "req-0a000000-0000-4000-8000-000000000003"));
    // libvirtd's own error names no domain: it stays in memory (a shaped or
    // libvirtd line is not set aside) and joins kFirst's attempt beside the
    // warning that waited on disk. Its file comes after nova's in the walk
    // (containers/ before libvirt/), so the note naming both lists the
    // warning first, as one batch of them all did.
    dir.write("cmp-a/var/log/libvirt/libvirtd.log",
              "2024-03-05 10:12:11.200+0000: 2874: error : virNetSocketNewConnectTCP:593 : "
              "Unable to resolve address 'cmp-b.example.net' service '16509': Name or service "
              "not known\n");
  }
  ingest_options options(bool set_aside) const {
    ingest_options opt;
    opt.paths = {dir.path.string()};
    opt.jobs = 2;
    if (set_aside) opt.needed_anyway = [](const event&) { return false; };
    return opt;
  }
};

bool mismatch(const event& ev) {
  return ev.text.find("While synchronizing instance power states") != std::string::npos;
}

const incident& of(const std::vector<incident>& incidents, std::string_view instance) {
  const auto it = std::find_if(incidents.begin(), incidents.end(),
                               [&](const incident& inc) { return inc.instance == instance; });
  REQUIRE(it != incidents.end());
  return *it;
}

}  // namespace

TEST_CASE("set aside unowned: a nova warning naming no instance waits on disk, then joins the "
          "one attempt holding it, exactly as it did from memory",
          "[ingest][deferred]") {
  const bundle b;
  // Every such line in memory (only the listing of kFirst waits on disk).
  ingested whole = ingest_events(b.options(false), test::shapes());
  ingested data = ingest_events(b.options(true), test::shapes());
  const auto resident = data.resident();
  CHECK(std::none_of(resident.begin(), resident.end(), mismatch));
  CHECK(std::count_if(whole.resident().begin(), whole.resident().end(), mismatch) == 4);
  CHECK(data.deferred_lines() == whole.deferred_lines() + 4);

  correlate::usable_events usable(data, data.inputs());
  const std::size_t taken = data.deferred_decoded();
  const auto incidents = usable.correlate({});
  // The three naming no instance's request, once attempts existed.
  CHECK(data.deferred_decoded() - taken == 3);
  REQUIRE(incidents.size() == 3);

  const incident& first = of(incidents, kFirst);
  const auto joined = std::count_if(first.events.begin(), first.events.end(), [](const event& ev) {
    return mismatch(ev) && ev.linked_by_time;
  });
  CHECK(joined == 1);  // 10:12:11; 06:00 was in no attempt
  const auto by_request =
      std::find_if(first.events.begin(), first.events.end(), [](const event& ev) {
        return mismatch(ev) && ev.request_id == kLinkedRequest;
      });
  REQUIRE(by_request != first.events.end());
  CHECK(by_request->instance == kFirst);
  CHECK_FALSE(by_request->linked_by_time);
  for (std::string_view later : {kSecond, kThird}) {
    const incident& inc = of(incidents, later);
    CHECK(std::none_of(inc.events.begin(), inc.events.end(), mismatch));
    CHECK(std::any_of(inc.notes.begin(), inc.notes.end(), [](const std::string& n) {
      return n.find("fell within this attempt and another one") != std::string::npos;
    }));
  }

  // The same incidents as with every such line in memory.
  correlate::usable_events all(whole, whole.inputs());
  const auto expected = all.correlate({});
  REQUIRE(expected.size() == incidents.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(incidents[i].id == expected[i].id);
    CHECK(incidents[i].notes == expected[i].notes);
    REQUIRE(incidents[i].events.size() == expected[i].events.size());
    for (std::size_t j = 0; j < expected[i].events.size(); ++j) {
      CHECK(incidents[i].events[j].where == expected[i].events[j].where);
      CHECK(incidents[i].events[j].instance == expected[i].events[j].instance);
      CHECK(incidents[i].events[j].linked_by_time == expected[i].events[j].linked_by_time);
    }
  }
}

TEST_CASE("set aside unowned: only nova's unshaped WARNING and ERROR lines with a host, a time "
          "and no instance, domain or shape",
          "[ingest][deferred]") {
  event ev;
  ev.source = input_kind::nova_compute;
  ev.kind = event_kind::log_line;
  ev.host = "cmp-a";
  ev.time.micros = 1;
  ev.level = "WARNING";
  CHECK(deferred_events::set_aside_unowned(ev));
  ev.level = "INFO";
  CHECK_FALSE(deferred_events::set_aside_unowned(ev));
  ev.level = "ERROR";
  for (auto change : std::vector<void (*)(event&)>{
           [](event& e) { e.instance = std::string(kFirst); },
           [](event& e) { e.domain = "instance-0000000a"; },
           [](event& e) { e.instance_unknown = true; },
           [](event& e) { e.host.clear(); },
           [](event& e) { e.time = {}; },
           [](event& e) { e.shape = "nova-live-migration-failure"; },
           [](event& e) { e.source = input_kind::libvirtd; }}) {
    event other = ev;
    change(other);
    CHECK_FALSE(deferred_events::set_aside_unowned(other));
  }
}
