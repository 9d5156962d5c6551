// The convergence analyzer on progress samples with known arithmetic, and
// what the embedded rule deciding from its facts
// (rules/causes/non_convergence/progress-trend.yaml) makes of them.
#include <catch2/catch.hpp>

#include "analyzers/convergence.hpp"
#include "embedded_rules.hpp"

using namespace migsleuth;
using namespace migsleuth::classifiers;

namespace {

constexpr std::string_view kTrendRule = "non_convergence.progress-trend";

// The verdict of the embedded rules: only the analyzers' facts can decide
// these incidents (their events are numbers, no line names a cause).
verdict judged(const incident& inc) { return migsleuth::test::rules().classify(inc, {}); }

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Progress as nova logs it: a total of 8 GiB; every `step` seconds the job
// copies `copy` bytes while the guest dirties `dirty` bytes again.
incident progressing(int samples, double copy_per_step, double dirty_per_step, int step = 30) {
  incident inc;
  inc.instance = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
  inc.domain = "instance-0000002a";
  inc.source = "cmp-a";
  inc.result = outcome::failed;
  const double total = 8 * kGiB;
  double remaining = total, processed = 0;
  for (int i = 0; i < samples; ++i) {
    event ev;
    ev.kind = event_kind::migration_progress;
    ev.host = "cmp-a";
    ev.where = {0, static_cast<std::uint32_t>(10 + i)};
    ev.time.micros = 1'700'000'000'000'000 + std::int64_t{i} * step * 1'000'000;
    ev.values = {{"secs", std::to_string(i * step)},
                 {"mem_pct", std::to_string(static_cast<int>(remaining * 100 / total + 0.5))},
                 {"mem_processed", std::to_string(static_cast<std::int64_t>(processed))},
                 {"mem_remaining", std::to_string(static_cast<std::int64_t>(remaining))},
                 {"mem_total", std::to_string(static_cast<std::int64_t>(total))}};
    inc.events.push_back(ev);
    processed += copy_per_step;
    remaining = std::max(0.0, remaining - copy_per_step + dirty_per_step);
  }
  return inc;
}

}  // namespace

TEST_CASE("convergence: a guest dirtying as fast as it is copied does not converge",
          "[classifiers][convergence]") {
  // 3 GiB copied per 30 s, 2.9 GiB dirtied again: remaining barely moves.
  incident inc = progressing(20, 3 * kGiB, 2.9 * kGiB);
  const auto facts = analyze_convergence(inc);
  REQUIRE(facts);
  CHECK(facts->samples == 20);
  CHECK_FALSE(facts->converging);
  CHECK(facts->copy_bps == Approx(3 * kGiB / 30).epsilon(0.01));
  CHECK(facts->dirty_bps == Approx(2.9 * kGiB / 30).epsilon(0.01));
  CHECK(facts->span_secs == 19 * 30);
  const std::string text = describe(*facts);
  CHECK_THAT(text, Catch::Contains("over 20 progress samples (570 s)"));
  CHECK_THAT(text, Catch::Contains("copied ~102 MiB/s while the guest dirtied ~99 MiB/s"));
  const verdict v = judged(inc);
  CHECK(v.cause == kTrendRule);
  CHECK(v.cls == classification::non_convergence);
  CHECK(v.confidence == Approx(0.5));
  CHECK_THAT(v.summary, Catch::StartsWith("The migration of 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11 "
                                          "was not converging: memory remaining went from"));
  REQUIRE(v.evidence.size() == 2);  // first and last (the lowest is the last)
  for (const auto& e : v.evidence) CHECK(e.rule == kTrendRule);  // credited to the citing rule
  REQUIRE_FALSE(v.confirm.empty());
  CHECK(v.confirm[0].command == "virsh -r domjobinfo instance-0000002a");
  bool post_copy_advice = false;
  for (const auto& r : v.remediation) post_copy_advice |= r.starts_with("Allow post-copy");
  CHECK(post_copy_advice);
}

TEST_CASE("convergence: after a switch to post-copy the rule does not advise post-copy",
          "[classifiers][convergence]") {
  incident inc = progressing(20, 3 * kGiB, 2.9 * kGiB);
  inc.post_copy = true;  // the remediation's `when: {fact: attempt.post_copy, is: false}`
  const verdict v = judged(inc);
  CHECK(v.cause == kTrendRule);
  for (const auto& r : v.remediation) CHECK_FALSE(r.starts_with("Allow post-copy"));
}

TEST_CASE("convergence: a migration that gets near zero is converging",
          "[classifiers][convergence]") {
  incident inc = progressing(10, 2 * kGiB, 0.5 * kGiB);
  const auto facts = analyze_convergence(inc);
  REQUIRE(facts);
  CHECK(facts->converging);
  CHECK(facts->min_pct <= 5);
  CHECK(judged(inc).cls == classification::unknown);
}

TEST_CASE("convergence: nova's empty counters are no data", "[classifiers][convergence]") {
  // NC-02: "memory 100% remaining; (bytes processed=0, remaining=0, total=0)"
  incident inc = progressing(5, 0, 0);
  for (auto& ev : inc.events) {
    for (auto& [k, v] : ev.values) {
      if (k != "secs") v = k == "mem_pct" ? "100" : "0";
    }
  }
  CHECK_FALSE(analyze_convergence(inc));
}

TEST_CASE("convergence: domjobinfo counters alone", "[classifiers][convergence]") {
  incident inc;
  inc.instance = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
  inc.result = outcome::stuck;
  event job;
  job.kind = event_kind::job_stats;
  job.values = {{"memory_total_bytes", "8589934592"},   {"memory_remaining_bytes", "4294967296"},
                {"memory_bandwidth_bps", "117440512"},  {"dirty_rate_pps", "51200"},
                {"page_size_bytes", "4096"},            {"iteration", "37"},
                {"expected_downtime_ms", "4120"}};
  inc.events.push_back(job);
  const auto facts = analyze_convergence(inc);
  REQUIRE(facts);
  CHECK(facts->job_dirty_bps == Approx(51200.0 * 4096));
  CHECK_FALSE(facts->converging);  // 200 MiB/s dirtied vs 112 MiB/s bandwidth
  CHECK_THAT(describe(*facts),
             Catch::Contains("dirty rate 200 MiB/s vs bandwidth 112 MiB/s, iteration 37"));
  const verdict v = judged(inc);
  CHECK(v.cause == kTrendRule);
  CHECK(v.confidence == Approx(0.6));  // stuck: `confidence.when` attempt.outcome is stuck
}

TEST_CASE("convergence: a succeeded attempt gets no finding", "[classifiers][convergence]") {
  incident inc = progressing(20, 3 * kGiB, 2.9 * kGiB);
  inc.result = outcome::succeeded;
  const auto facts = analyze_convergence(inc);
  REQUIRE(facts);
  const verdict v = judged(inc);
  CHECK(v.cause.empty());
  CHECK(v.secondary.empty());
}

TEST_CASE("convergence: the summary says which of dirtying, a stall or a slow copy the rates show",
          "[classifiers][convergence]") {
  constexpr double kMiB = 1024.0 * 1024.0;
  convergence_facts f;
  f.samples = 10;
  // samples/non-convergence-timeout's rates: the guest keeps up with the copy.
  f.copy_bps = 112 * kMiB;
  f.dirty_bps = 105 * kMiB;
  CHECK(what_numbers_show(f).find("wrote nearly as fast as the copy ran") != std::string::npos);
  // A copy that moved almost nothing is a stall, whatever the guest did.
  f.copy_bps = 0.2 * kMiB;
  f.dirty_bps = 0.1 * kMiB;
  CHECK(what_numbers_show(f).rfind("the transfer stalled", 0) == 0);
  // Copying far faster than the writes, yet out of time: the copy was too slow.
  f.copy_bps = 40 * kMiB;
  f.dirty_bps = 2 * kMiB;
  const std::string slow = what_numbers_show(f);
  CHECK(slow.find("too slow for the time allowed") != std::string::npos);
  CHECK(slow.find("live_migration_bandwidth") != std::string::npos);
  // domjobinfo's figures answer the same question when no progress lines did.
  convergence_facts job;
  job.job_bandwidth_bps = 112 * kMiB;
  job.job_dirty_bps = 121 * kMiB;
  CHECK(what_numbers_show(job).find("wrote nearly as fast") != std::string::npos);
  CHECK(what_numbers_show(convergence_facts{}).empty());
}

TEST_CASE("convergence: a domjobinfo loop's samples are the trend when nova logged no progress",
          "[classifiers][convergence]") {
  // Five blocks of `while true; do date; virsh domjobinfo X; sleep 30; done`:
  // 3 GiB copied per 30 s, 2.9 GiB dirtied again (the numbers of the first case).
  const incident logged = progressing(5, 3 * kGiB, 2.9 * kGiB);
  incident inc = logged;
  for (auto& ev : inc.events) {
    ev.kind = event_kind::job_stats;
    const double secs = std::stod(std::string(ev.value("secs")));
    ev.values = {{"job_type", "Unbounded"},
                 {"time_elapsed_ms", std::to_string(static_cast<std::int64_t>(secs * 1000))},
                 {"memory_processed_bytes", std::string(ev.value("mem_processed"))},
                 {"memory_remaining_bytes", std::string(ev.value("mem_remaining"))},
                 {"memory_total_bytes", std::string(ev.value("mem_total"))},
                 {"memory_bandwidth_bps", "107374182"},
                 {"dirty_rate_pps", "25000"},
                 {"page_size_bytes", "4096"}};
  }
  const auto facts = analyze_convergence(inc);
  REQUIRE(facts);
  CHECK(facts->samples == 5);
  CHECK(facts->sample_source == "domjobinfo");
  CHECK(facts->span_secs == 120);
  CHECK(facts->copy_bps == Approx(3 * kGiB / 30).epsilon(0.01));
  CHECK(facts->dirty_bps == Approx(2.9 * kGiB / 30).epsilon(0.01));
  CHECK_FALSE(facts->converging);
  CHECK_THAT(describe(*facts), Catch::Contains("over 5 domjobinfo samples (120 s)"));
  const verdict v = judged(inc);
  CHECK(v.cause == kTrendRule);
  CHECK(v.evidence.size() == 2);  // the first and last blocks (the last is also the job)

  // A --completed block is the job's end, not a sample of its trend.
  for (auto& ev : inc.events) ev.values.emplace_back("completed", "true");
  const auto completed = analyze_convergence(inc);
  REQUIRE(completed);
  CHECK(completed->samples == 0);
}
