// The skew estimator on hand-built incidents whose true offset is known.
#include <catch2/catch.hpp>

#include "internal.hpp"

using namespace migsleuth;

namespace {

event at(std::string host, event_kind kind, std::int64_t micros, std::string req = "req-1") {
  event ev;
  ev.host = std::move(host);
  ev.kind = kind;
  ev.time.micros = micros;
  ev.request_id = std::move(req);
  return ev;
}

constexpr std::int64_t kT = 1'700'000'000'000'000;  // true time of the source's start
constexpr std::int64_t kSecond = 1'000'000;

// A migration as it really runs, with the destination's clock `skew` seconds
// off the source's: pre_live_migration on the destination, the source starts,
// libvirt starts the destination QEMU, the source sends, then fails and the
// destination rolls back.
incident failed_attempt(double skew) {
  const auto d = static_cast<std::int64_t>(skew * 1e6);
  incident inc;
  inc.source = "src";
  inc.destination = "dst";
  inc.request_id = "req-1";
  inc.events = {
      at("dst", event_kind::dest_pre_migration, kT - 2 * kSecond + d),
      at("dst", event_kind::dest_pre_migration, kT - kSecond / 2 + d),
      at("src", event_kind::migration_started, kT),
      at("dst", event_kind::qemu_incoming, kT + kSecond + d, ""),
      at("src", event_kind::qemu_migration_out, kT + 2 * kSecond, ""),
      at("src", event_kind::migration_failed, kT + 5 * kSecond),
      at("dst", event_kind::rollback, kT + 6 * kSecond + d),
  };
  return inc;
}

}  // namespace

TEST_CASE("skew: a destination 40 s behind is found within a second and applied",
          "[correlate][clock]") {
  incident inc = failed_attempt(-40.0);
  correlate::estimate_skew(inc);
  CHECK(inc.skew.applied);
  CHECK(inc.skew.pairs >= 3);
  CHECK(inc.skew.lower <= -40.0);
  CHECK(inc.skew.upper >= -40.0);
  CHECK(inc.skew.offset == Approx(-40.0).margin(1.0));
  correlate::sort_corrected(inc);
  // Cause before effect again: the destination's pre_live_migration precedes
  // the source's start, and its rollback follows the source's failure.
  CHECK(inc.events.front().kind == event_kind::dest_pre_migration);
  CHECK(inc.events.back().kind == event_kind::rollback);
}

TEST_CASE("skew: a destination 75 s ahead", "[correlate][clock]") {
  incident inc = failed_attempt(75.0);
  correlate::estimate_skew(inc);
  CHECK(inc.skew.applied);
  CHECK(inc.skew.offset == Approx(75.0).margin(1.0));
  CHECK_THAT(inc.skew.basis, Catch::Contains("ahead of"));
}

TEST_CASE("skew: synchronized clocks are left alone", "[correlate][clock]") {
  incident inc = failed_attempt(0.0);
  correlate::estimate_skew(inc);
  CHECK_FALSE(inc.skew.applied);
  CHECK(inc.skew.pairs >= 3);
  CHECK_THAT(inc.skew.basis, Catch::Contains("consistent with synchronized clocks"));
}

TEST_CASE("skew: no usable pair says so", "[correlate][clock]") {
  incident inc;
  inc.source = "src";
  inc.destination = "dst";
  inc.events = {at("src", event_kind::migration_failed, kT)};
  correlate::estimate_skew(inc);
  CHECK(inc.skew.pairs == 0);
  CHECK_FALSE(inc.skew.applied);
  CHECK_THAT(inc.skew.basis, Catch::Contains("skew unknown"));
}

TEST_CASE("skew: contradictory pairs are reported, not applied", "[correlate][clock]") {
  incident inc;
  inc.source = "src";
  inc.destination = "dst";
  inc.request_id = "req-1";
  // Destination QEMU "starts" 10 s before pre_live_migration returned, while
  // the source starts right after: no single offset explains both.
  inc.events = {
      at("dst", event_kind::qemu_incoming, kT - 10 * kSecond, ""),
      at("dst", event_kind::dest_pre_migration, kT - kSecond),
      at("src", event_kind::migration_started, kT),
  };
  correlate::estimate_skew(inc);
  CHECK_FALSE(inc.skew.applied);
  CHECK_THAT(inc.skew.basis, Catch::Contains("disagree"));
}

TEST_CASE("skew: another request's lines do not bound this attempt", "[correlate][clock]") {
  incident inc = failed_attempt(0.0);
  inc.events.push_back(at("dst", event_kind::dest_pre_migration, kT + 100 * kSecond, "req-2"));
  correlate::estimate_skew(inc);
  CHECK_FALSE(inc.skew.applied);
}
