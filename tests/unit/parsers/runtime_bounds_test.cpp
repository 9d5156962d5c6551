// Issue 23's library-level bounds: what an event keeps of a long line, a
// nova line whose instance field is no UUID, and a stop request through
// ingest and the pipeline.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "embedded_shapes.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kInstance = "bd8a3212-8687-4525-a8f2-f40322c72d5f";
constexpr std::string_view kFailureHead =
    "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver "
    "[req-df2a6839-f71d-4800-bc52-d420bc938602 f9bfea52574e4aa9b24de67fc8b832c9 "
    "c565797259b249149b3e60287d749b66 - default default] "
    "[instance: bd8a3212-8687-4525-a8f2-f40322c72d5f] Live Migration failure: operation failed: "
    "Failed to connect to remote libvirt URI qemu+tcp://cmp-b/system: unable to connect to "
    "server at 'cmp-b:16509': Connection refused";

std::string sample_bundle(const test::temp_dir& dir) {
  const fs::path to = dir.path / "bundle";
  fs::copy(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples/network-port-refused/bundle", to,
           fs::copy_options::recursive);
  return to.string();
}

void append(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::app) << text;
}

const pipeline::rule_packs& rules() {
  static const pipeline::rule_packs r = [] {
    diags errors;
    auto packs = pipeline::load_rules({}, errors);
    REQUIRE(errors.empty());
    return packs;
  }();
  return r;
}

}  // namespace

TEST_CASE("capped_text: at most 8 KiB, cut on a UTF-8 boundary, with the original length",
          "[parsers][runtime]") {
  const std::string fits(kKeptTextBytes, 'x');
  CHECK(capped_text(fits) == fits);

  std::string longer(kKeptTextBytes - 30, 'x');
  for (int i = 0; i < 4000; ++i) longer += "\xC3\xA9";  // e-acute: two bytes each
  const std::string kept = capped_text(longer);
  CHECK(kept.size() <= kKeptTextBytes);
  CHECK_THAT(kept, Catch::Matchers::EndsWith(
                       " \xE2\x80\xA6 [line cut: " + std::to_string(longer.size()) + " bytes]"));
  const std::string start = kept.substr(0, kept.find(" \xE2\x80\xA6 [line cut"));
  CHECK(longer.compare(0, start.size(), start) == 0);
  CHECK((static_cast<unsigned char>(start.back()) & 0xC0U) != 0xC0U);  // no half code point
  CHECK(capped_text(kept) == kept);  // capping again changes nothing

  event ev;
  ev.text = longer;
  ev.message = "short";
  ev.values.emplace_back("error", longer);
  cap_kept_text(ev);
  CHECK(ev.text_cut);
  CHECK(ev.text == kept);
  CHECK(ev.message == "short");
  CHECK(ev.values[0].second == kept);
}

TEST_CASE("ingest: long failure lines are kept to 8 KiB and counted, split or not",
          "[parsers][runtime]") {
  test::temp_dir dir("kept-text");
  std::string log;
  for (int i = 0; i < 40; ++i) log += std::string(kFailureHead) + std::string(300'000, 'A') + "\n";
  log += std::string(kFailureHead) + "\n";
  dir.write("cmp-a/var/log/nova/nova-compute.log", log);
  for (const std::uint64_t split : {std::uint64_t{0}, std::uint64_t{1} << 20}) {
    ingest_options opt;
    opt.paths = {dir.path.string()};
    opt.split_bytes = split;
    opt.defer_log_lines = true;
    const analysis_input in = ingest::ingest(opt, test::shapes());
    REQUIRE(in.inputs.size() == 1);
    CHECK(in.inputs[0].warnings.items() ==
          std::vector<std::string>{
              "40 line(s) kept only to their first 8192 bytes in the report and for the rules "
              "(each ends in '[line cut: N bytes]')"});
    std::size_t failures = 0;
    for (const auto& ev : in.events) {
      CHECK(ev.text.size() <= kKeptTextBytes);
      CHECK(ev.message.size() <= kKeptTextBytes);
      if (ev.kind == event_kind::migration_failed) ++failures;
    }
    CHECK(failures == 41);
  }
}

TEST_CASE("oslo header: an instance field that is no UUID is said to be malformed",
          "[parsers][runtime]") {
  const auto h = parse_oslo_header(
      "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver [instance: foo] Live "
      "Migration failure: x");
  REQUIRE(h);
  CHECK(h->instance.empty());
  CHECK(h->instance_malformed);
  CHECK_FALSE(h->has_context);
  const std::string good_line(kFailureHead);  // the header's views point into it
  const auto good = parse_oslo_header(good_line);
  REQUIRE(good);
  CHECK(good->instance == kInstance);
  CHECK_FALSE(good->instance_malformed);
}

TEST_CASE("nova: a line naming a non-UUID instance takes no other line's instance or request",
          "[parsers][runtime]") {
  line_context ctx;
  ctx.host = "cmp-a";
  const std::string text =
      std::string(kFailureHead) +
      "\n"
      // Same time, pid and logger, no context bracket: once a continuation.
      "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver [instance: foo] Live "
      "Migration failure: operation failed: guest CPU doesn't match specification: missing "
      "features: avx512f\n"
      // The traceback of the first record goes on after it.
      "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver libvirt.libvirtError: "
      "unable to connect to server at 'cmp-b:16509': Connection refused\n";
  const parse_result r = parse_text(input_kind::nova_compute, text, test::shapes(), ctx);
  REQUIRE(r.events.size() == 3);
  CHECK(r.events[0].instance == kInstance);
  CHECK(r.events[1].instance.empty());
  CHECK(r.events[1].request_id.empty());
  CHECK(r.events[1].instance_unknown);
  CHECK(r.events[2].instance == kInstance);  // the open record was not replaced
  CHECK_FALSE(r.events[2].instance_unknown);
}

TEST_CASE("pipeline: a malformed-instance line on the same host and millisecond changes no "
          "cause, by continuation, request or time",
          "[parsers][runtime]") {
  test::temp_dir dir("attach");
  const std::string bundle = sample_bundle(dir);
  const fs::path log = fs::path(bundle) / "cmp-a/var/log/nova/nova-compute.log";
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string anchor = "Connection refused\n";
  text.insert(text.find(anchor) + anchor.size(),
              "2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver [instance: foo] Live "
              "Migration failure: operation failed: guest CPU doesn't match specification: "
              "missing features: avx512f\n"
              "2024-05-21 14:02:12.470 3012 ERROR nova.virt.libvirt.driver "
              "[req-df2a6839-f71d-4800-bc52-d420bc938602 - - - - -] [instance: 12345] Live "
              "Migration failure: operation failed: guest CPU doesn't match specification: "
              "missing features: avx512f\n");
  std::ofstream(log, std::ios::binary | std::ios::trunc) << text;
  ingest_options opt;
  opt.paths = {bundle};
  const pipeline::analysis a = pipeline::run(opt, {}, rules());
  REQUIRE(a.incidents.size() == 1);
  CHECK(a.verdicts[0].cause == "network.migration-port-refused");
  for (const auto& ev : a.incidents[0].events) {
    CHECK(ev.text.find("[instance: foo]") == std::string::npos);
    CHECK(ev.text.find("[instance: 12345]") == std::string::npos);
  }
}

TEST_CASE("a stop request ends ingest and the pipeline, and says so", "[parsers][runtime]") {
  test::temp_dir dir("cancel");
  const std::string bundle = sample_bundle(dir);
  std::atomic<bool> stop{false};
  ingest_options opt;
  opt.paths = {bundle};
  opt.cancel = &stop;
  const pipeline::analysis whole = pipeline::run(opt, {}, rules());
  CHECK_FALSE(whole.cancelled);
  CHECK(whole.incidents.size() == 1);

  stop = true;
  const analysis_input in = ingest::ingest(opt, test::shapes());
  CHECK(in.cancelled);
  CHECK(in.events.empty());
  const pipeline::analysis cut = pipeline::run(opt, {}, rules());
  CHECK(cut.cancelled);
  CHECK(cut.incidents.empty());
}
