#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/pattern.hpp"
#include "shapes/hint_filter.hpp"

using migsleuth::parsers::hint_filter;

namespace {

// The hints of rules/shapes/nova-compute.yaml's first shapes, in file order.
const std::vector<std::vector<std::string>> kNovaHints = {
    {"Starting monitoring of live migration", "About to invoke the migrate API",
     "Starting live migration"},
    {"Migration running for"},
    {"Migration operation has completed", "VM Migration completed (Lifecycle Event)",
     "_post_live_migration() is started"},
    {"finished successfully"},
    {"Live Migration failure", "Live migration failed"},
};

constexpr std::string_view kProgress =
    "Migration running for 30 secs, memory 85% remaining (bytes processed=1073741824, "
    "remaining=3221225472, total=4294967296); disk 0% remaining";
constexpr std::string_view kPeriodic =
    "Running periodic task ComputeManager._poll_rebooting_instances run_periodic_tasks "
    "/usr/lib/python3/dist-packages/oslo_service/periodic_task.py:210";
constexpr std::string_view kNearMiss =  // every word of a hint, never the hint
    "Migration is running for a while; Live migration fail; Starting live-migration";

// What the filter must agree with: pattern::candidate on each shape.
std::size_t first_hit_by_find(const std::vector<std::vector<std::string>>& hints,
                              std::string_view text, std::size_t from) {
  for (std::size_t s = from; s < hints.size(); ++s) {
    if (hints[s].empty()) return s;
    for (const auto& h : hints[s]) {
      if (text.find(h) != std::string_view::npos) return s;
    }
  }
  return hints.size();
}

}  // namespace

TEST_CASE("hint filter: a message with a shape's hint names that shape", "[parsers][hints]") {
  const hint_filter f(kNovaHints);
  CHECK(f.size() == 5);
  CHECK(f.first_hit(kProgress, 0) == 1);
  CHECK(f.any(kProgress));
  CHECK(f.first_hit("Migrating instance to cmp-04 finished successfully.", 0) == 3);
  CHECK(f.first_hit("[instance: x] Live migration failed.", 0) == 4);
}

TEST_CASE("hint filter: lines no shape can match are rejected", "[parsers][hints]") {
  const hint_filter f(kNovaHints);
  CHECK_FALSE(f.any(kPeriodic));
  CHECK_FALSE(f.any(kNearMiss));
  CHECK_FALSE(f.any("migration running for 30 secs"));  // hints are case-sensitive
}

TEST_CASE("hint filter: hints at the very start and end of the message", "[parsers][hints]") {
  const hint_filter f(kNovaHints);
  CHECK(f.first_hit("Live Migration failure", 0) == 4);               // the whole message
  CHECK(f.first_hit("Live Migration failure: End of file", 0) == 4);  // first bytes
  CHECK(f.first_hit("cmp-04: finished successfully", 0) == 3);        // last bytes
  CHECK_FALSE(f.any("Live Migration failur"));                        // one byte short
  CHECK_FALSE(f.any("ive Migration failure"));
}

TEST_CASE("hint filter: overlapping hints and several shapes in one message",
          "[parsers][hints]") {
  const hint_filter f(kNovaHints);
  // "Starting live migration" of shape 0 overlaps "Live migration failed"'s
  // spelling; both shapes are reported, in file order, one per call.
  const std::string_view both = "Live migration failed after Starting live migration";
  CHECK(f.first_hit(both, 0) == 0);
  CHECK(f.first_hit(both, 1) == 4);
  CHECK(f.first_hit(both, 5) == 5);
  // Hints sharing a prefix window: only the longer one occurs.
  const hint_filter g({{"Migration operation has completed"}, {"Migration operation has aborted"}});
  CHECK(g.first_hit("x Migration operation has aborted", 0) == 1);
  // One hint inside another.
  const hint_filter h({{"pre_live_migration data"}, {"live_migration"}});
  CHECK(h.first_hit("pre_live_migration data is", 0) == 0);
  CHECK(h.first_hit("pre_live_migration data is", 1) == 1);
  CHECK(h.first_hit("pre_live_migration result", 0) == 1);
}

TEST_CASE("hint filter: messages shorter than every hint, and empty ones", "[parsers][hints]") {
  const hint_filter f(kNovaHints);
  CHECK_FALSE(f.any("Migration"));
  CHECK_FALSE(f.any(""));
  const hint_filter one_byte({{"Z"}, {"ab"}});
  CHECK(one_byte.first_hit("aZ", 0) == 0);
  CHECK(one_byte.first_hit("ab", 0) == 1);
  CHECK_FALSE(one_byte.any("a"));
  CHECK_FALSE(one_byte.any(""));
}

TEST_CASE("hint filter: a shape without hints is a candidate for every message",
          "[parsers][hints]") {
  const hint_filter f({{"Migration running for"}, {}, {"", "never"}, {"finished successfully"}});
  CHECK(f.first_hit("", 0) == 1);
  CHECK(f.first_hit(kPeriodic, 0) == 1);
  CHECK(f.first_hit(kPeriodic, 2) == 2);
  CHECK(f.first_hit("finished successfully", 3) == 3);
  CHECK(f.first_hit(kPeriodic, 3) == 4);
  CHECK(hint_filter(std::vector<std::vector<std::string>>{}).first_hit("anything", 0) == 0);
}

TEST_CASE("hint filter: agrees with a find per hint on every suffix of real lines",
          "[parsers][hints]") {
  const hint_filter f(kNovaHints);
  const std::string text = std::string(kProgress) + " Live Migration failure: " +
                           std::string(kNearMiss) + " VM Migration completed (Lifecycle Event)";
  for (std::size_t start = 0; start <= text.size(); ++start) {
    const std::string_view tail = std::string_view(text).substr(start);
    for (std::size_t from = 0; from <= kNovaHints.size(); ++from) {
      INFO("start " << start << " from " << from);
      REQUIRE(f.first_hit(tail, from) == first_hit_by_find(kNovaHints, tail, from));
    }
  }
}

TEST_CASE("hint filter: each input kind of the shipped pack has its own hints",
          "[parsers][hints]") {
  migsleuth::diags errors;
  const auto shapes = migsleuth::parsers::shape_set::load({}, errors);
  REQUIRE(errors.empty());
  const auto nova = shapes->for_kind(migsleuth::input_kind::nova_compute);
  const auto qemu = shapes->for_kind(migsleuth::input_kind::qemu_domain);
  REQUIRE_FALSE(nova.empty());
  REQUIRE_FALSE(qemu.empty());
  constexpr std::string_view kQemuError =
      "2024-03-05T10:12:50.001234Z qemu-kvm: load of migration failed: Input/output error";
  CHECK(migsleuth::parsers::shapes_may_match(qemu, kQemuError));
  CHECK_FALSE(migsleuth::parsers::shapes_may_match(nova, kQemuError));
  CHECK(migsleuth::parsers::shapes_may_match(nova, kProgress));
  CHECK_FALSE(migsleuth::parsers::shapes_may_match(qemu, kProgress));
  CHECK_FALSE(migsleuth::parsers::shapes_may_match(nova, kPeriodic));
  // The prefilter hands apply_shapes the right shape, captures included.
  migsleuth::event ev;
  REQUIRE(migsleuth::parsers::apply_shapes(nova, kProgress, ev));
  CHECK(ev.shape == "nova.live-migration.progress");
  CHECK(ev.value("secs") == "30");
}
