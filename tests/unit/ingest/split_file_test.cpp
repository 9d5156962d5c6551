// A large nova-compute log read in ranges must give exactly what one pass
// gives. The log here is written like a real one (records with tracebacks,
// unprefixed continuations, periodic listings of the same instances early
// and late, an rpc.server error whose request named its instance only much
// earlier, cut long lines) and split every kilobyte or so, where the default
// would split every 32 MiB.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "temp_dir.hpp"
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/ingest/deferred_events.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "migsleuth/report/report.hpp"
#include "record_cuts.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr const char* kInstances[] = {"88084fdd-51dc-4967-8493-c1169e4533ec",
                                      "7b7edae6-f878-4756-a858-86f836d02c33",
                                      "a7a2d88d-863b-4f61-9655-12dc7f55db85"};

std::string request(int i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "req-%08x-915c-4df2-ac6f-467686624677", 0x4e14c92b + i);
  return buf;
}

std::string clock(int second, int millis) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "2023-12-16 %02d:%02d:%02d.%03d", 11 + second / 3600,
                (second / 60) % 60, second % 60, millis);
  return buf;
}

// Records one second apart; each kind of line a real nova-compute writes.
std::string realistic_log(int records) {
  std::string log;
  const std::string early = request(900000);  // names its instance only at the start
  log += clock(0, 1) + " 2 DEBUG nova.compute.manager [None " + early +
         " - - - - - -] [instance: " + kInstances[2] +
         "] Starting live migration _do_live_migration /usr/lib/python3/nova/compute/manager.py:8840\n";
  for (int i = 1; i <= records; ++i) {
    const std::string t = clock(i, 100 + i % 800);
    const std::string req = request(i);
    const char* inst = kInstances[i % 3];
    switch (i % 6) {
      case 0:  // periodic listing: first and last sighting per instance are kept
        log += t + " 2 DEBUG nova.compute.manager [" + request(i + 500000) +
               " - - - - -] Triggering sync for uuid " + inst +
               " _sync_power_states /usr/lib/python3/nova/compute/manager.py:8565\n";
        break;
      case 1:  // names request and instance (DEBUG, not kept): identity
        log += t + " 2 DEBUG nova.virt.libvirt.driver [None " + req +
               " c975637b06c046b3b17ec0b2db35f3e8 2faa4b99766143de9c8527f163dc0a72 - - default "
               "default] [instance: " + inst +
               "] Starting monitoring of live migration _live_migration "
               "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py:10000\n";
        break;
      case 2:  // an error naming only its request, with a traceback
        log += t + " 8 ERROR oslo_messaging.rpc.server [" + request(i - 1) +
               " c928cb47fcab4408bfcc9ec23251a0c3 31cf116facb8447b891a55e222b9b4db - default "
               "default] Exception during message handling: InvalidCPUInfo: Unacceptable CPU "
               "info: CPU doesn't have compatibility.\n";
        log += t + " 8 ERROR oslo_messaging.rpc.server Traceback (most recent call last):\n";
        log += t + " 8 ERROR oslo_messaging.rpc.server   File \"/usr/lib/python3/oslo_messaging/"
                   "rpc/server.py\", line 165, in _process_incoming\n";
        log += t + " 8 ERROR oslo_messaging.rpc.server     res = self.dispatcher.dispatch(message)\n";
        log += t + " 8 ERROR oslo_messaging.rpc.server nova.exception.InvalidCPUInfo: "
                   "Unacceptable CPU info: CPU doesn't have compatibility.\n";
        break;
      case 3:  // a warning about an instance (deferred), continued without a prefix
        log += t + " 2 WARNING nova.virt.libvirt.driver [None " + req + " - - - - - -] [instance: " +
               inst + "] Error from libvirt during undefine: Domain not found\n";
        log += "Refer to http://libvirt.org/kbase/domainstate.html for details\n";
        log += "\n";
        break;
      case 4:  // the live migration failure itself, and an over-long line
        log += t + " 2 ERROR nova.virt.libvirt.driver [None " + req + " - - - - - -] [instance: " +
               inst + "] Live Migration failure: End of file while reading data: " +
               std::string(static_cast<std::size_t>(200 + i % 300), 'x') + "\n";
        break;
      default:  // same second, same logger: a new record all the same (it has a context)
        log += t + " 2 INFO nova.compute.manager [None " + req + " - - - - - -] [instance: " +
               inst + "] Took 0.5 seconds to deallocate network for instance.\n";
        log += t + " 2 INFO nova.compute.manager [None " + req + " - - - - - -] [instance: " +
               inst + "] Took 1.5 seconds to destroy the instance on the hypervisor.\n";
        break;
    }
  }
  log += clock(records + 1, 5) + " 8 ERROR oslo_messaging.rpc.server [" + early +
         " - - - - - -] Exception during message handling: MigrationPreCheckError\n";
  return log;
}


// Everything ingest gives, as bytes: two runs compare equal iff identical.
std::string snapshot(const analysis_input& a) {
  std::string out;
  for (const auto& in : a.inputs) {
    out += in.path + "|" + in.host + "|" + in.kind_reason + "|" + std::to_string(in.lines) + "|" +
           std::to_string(in.skipped_lines) + "|" + std::string(to_string(in.kind)) + "|" +
           in.clock + "\n";
    for (const auto& w : in.warnings) out += "  warning: " + w + "\n";
  }
  for (const auto& ev : a.events) deferred_events::encode(ev, out);
  out += "\ndeferred:\n";
  for_each_deferred(a, [&](event& ev) { deferred_events::encode(ev, out); });
  out += "\nlinks:\n";
  for (const auto& l : a.links) out += l.request_id + " " + l.instance + "\n";
  return out;
}

analysis_input run(const fs::path& root, std::uint64_t split_bytes, unsigned jobs, bool defer) {
  ingest_options opt;
  opt.paths = {root.string()};
  opt.split_bytes = split_bytes;
  opt.jobs = jobs;
  opt.defer_log_lines = defer;
  opt.max_line_bytes = 400;  // some failure lines are cut: the warning must be the same
  return ingest::ingest(opt, test::shapes());
}

}  // namespace

TEST_CASE("split: cuts fall on new records, never inside a traceback or a continued message",
          "[parsers][split]") {
  const test::temp_dir tree("split");
  const std::string log = realistic_log(300);
  const fs::path p = tree.write("cmp-a/var/log/nova/nova-compute.log", log);
  const int fd = ::open(p.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  const auto cuts = find_record_cuts(fd, log.size(), 2048, 1U << 20);
  ::close(fd);
  REQUIRE(cuts.size() > 10);
  for (const std::uint64_t c : cuts) {
    INFO("cut at " << c);
    REQUIRE(log[c - 1] == '\n');
    const std::string_view line = std::string_view(log).substr(c, log.find('\n', c) - c);
    CHECK(line.find(" [") != std::string_view::npos);  // a record with its context
    CHECK(line.find("Traceback") == std::string_view::npos);
    const auto prev_start = log.rfind('\n', c - 2) + 1;
    CHECK(log.compare(prev_start, 23, log, c, 23) != 0);  // another time than the line before
  }
  // Same bytes, same cuts: they depend on the file alone.
  const int again = ::open(p.c_str(), O_RDONLY);
  CHECK(find_record_cuts(again, log.size(), 2048, 1U << 20) == cuts);
  ::close(again);
}

// Every line longer than the window the cut finder reads: a 1 GiB log of
// 1 MiB lines was read to its end once per cut (each scan skipped long line
// after long line past its limit) and never cut at all.
TEST_CASE("split: a log of lines longer than the reading window is cut like any other",
          "[parsers][split]") {
  const test::temp_dir tree("split");
  std::string log;
  for (int i = 1; i <= 24; ++i) {
    log += clock(i, 7) + " 2 ERROR nova.virt.libvirt.driver [None " + request(i) +
           " - - - - - -] [instance: " + kInstances[i % 3] +
           "] Live Migration failure: End of file while reading data: " +
           std::string(300U << 10, 'x') + "\n";
  }
  const fs::path p = tree.write("cmp-a/var/log/nova/nova-compute.log", log);
  const int fd = ::open(p.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  const std::uint64_t range = 1U << 20;
  const auto cuts = find_record_cuts(fd, log.size(), range, 400);
  ::close(fd);
  CHECK(cuts.size() >= log.size() / range - 2);
  for (const std::uint64_t c : cuts) {
    INFO("cut at " << c);
    REQUIRE(log[c - 1] == '\n');
    CHECK(log.compare(c, 10, "2023-12-16") == 0);
  }
  // Read in those ranges, the log gives what one pass gives.
  CHECK(snapshot(run(tree.path, range, 2, true)) == snapshot(run(tree.path, 0, 1, true)));
}

TEST_CASE("split: a log read in ranges gives the events, links and counts of one pass",
          "[parsers][split]") {
  const test::temp_dir tree("split");
  tree.write("cmp-a/var/log/nova/nova-compute.log", realistic_log(400));
  tree.write("cmp-b/var/log/nova/nova-compute.log", realistic_log(90));  // too small to split
  for (const bool defer : {false, true}) {
    INFO("defer_log_lines " << defer);
    const analysis_input whole = run(tree.path, 0, 1, defer);
    const std::string expected = snapshot(whole);
    for (const std::uint64_t bytes : {700U, 1024U, 5000U}) {
      for (const unsigned jobs : {1U, 2U, 3U}) {
        INFO("split_bytes " << bytes << ", jobs " << jobs);
        CHECK(snapshot(run(tree.path, bytes, jobs, defer)) == expected);
      }
    }
    // What makes the comparison worth it: each thing a split could lose is there.
    REQUIRE(whole.inputs.size() == 2);
    CHECK(whole.inputs[0].warnings.size() == 1);  // the cut long lines
    CHECK(whole.inputs[0].skipped_lines == 0);
    const std::string early = request(900000);
    CHECK(std::count_if(whole.links.begin(), whole.links.end(), [&](const identity_link& l) {
            return l.request_id == early && l.instance == kInstances[2];
          }) == 1);  // named at line 1, needed at the last line
    int listed = 0;
    std::uint32_t first = 0, last = 0;
    const auto count_listing = [&](const event& ev) {
      if (ev.kind != event_kind::instance_listed || ev.instance != kInstances[0]) return;
      if (ev.where.input != 0) return;
      ++listed;
      (listed == 1 ? first : last) = ev.where.line;
    };
    for (const auto& ev : whole.events) count_listing(ev);
    for_each_deferred(whole, [&](event& ev) { count_listing(ev); });  // listings wait there
    CHECK(listed == 2);
    CHECK(first < 30);
    CHECK(last > whole.inputs[0].lines - 30);
  }
}

TEST_CASE("split: a text log with JSON records further in is read in one piece",
          "[parsers][split]") {
  const test::temp_dir tree("split");
  std::string log = realistic_log(200);
  const auto middle = log.find('\n', log.size() / 2) + 1;
  log.insert(middle,
             "{\"levelname\": \"ERROR\", \"name\": \"nova.compute.manager\", \"message\": "
             "\"Live Migration failure: x\", \"asctime\": \"2023-12-16 11:30:00,000\"}\n");
  tree.write("cmp-a/var/log/nova/nova-compute.log", log);
  CHECK(snapshot(run(tree.path, 1024, 2, true)) == snapshot(run(tree.path, 0, 1, true)));
}

TEST_CASE("split: every sample bundle's JSON report is the same split or not, for any jobs",
          "[parsers][split]") {
  diags errors;
  const auto rules = pipeline::load_rules({}, errors);
  REQUIRE(errors.empty());
  int bundles = 0;
  for (const auto& sample : fs::directory_iterator(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples")) {
    const fs::path bundle = sample.path() / "bundle";
    if (!fs::is_directory(bundle)) continue;
    ++bundles;
    const auto report = [&](std::uint64_t split_bytes, unsigned jobs) {
      ingest_options opt;
      opt.paths = {bundle.string()};
      opt.split_bytes = split_bytes;
      opt.jobs = jobs;
      const pipeline::analysis a = pipeline::run(opt, {}, rules);
      return report::write_json({"test", a.inputs, a.incidents, a.verdicts});
    };
    INFO(sample.path().filename().string());
    const std::string expected = report(0, 1);
    CHECK(report(256, 1) == expected);
    CHECK(report(256, 2) == expected);
    CHECK(report(1024, 2) == expected);
  }
  CHECK(bundles > 20);
}

TEST_CASE("split: one instance's long lines keep a bounded text, the same split or not",
          "[parsers][split][budget]") {
  // Issue 20's megabyte lines, smaller: 600 failure lines of 20 KiB about one
  // instance, each kept to 8 KiB of line and 8 KiB of message (9.6 MB in all
  // before the budget), with short lines of another instance among them.
  const test::temp_dir tree("budget");
  const std::string head = " 2 ERROR nova.virt.libvirt.driver [None " + request(1) +
                           " - - - - - -] [instance: " + kInstances[0] +
                           "] Live Migration failure: operation failed: Failed to connect to "
                           "remote libvirt URI qemu+tcp://cmp-b/system: Connection refused ";
  std::string log;
  std::size_t long_line = 0;
  for (int i = 1; i <= 600; ++i) {
    const std::string line = clock(i / 1000 + 1, i % 1000) + head + std::string(20U << 10, 'x');
    long_line = line.size();
    log += line + "\n";
    if (i % 50 == 0) {
      log += clock(i / 1000 + 1, i % 1000) + " 2 ERROR nova.compute.manager [None " + request(2) +
             " - - - - - -] [instance: " + kInstances[1] + "] Setting instance vm_state to ERROR\n";
    }
  }
  tree.write("cmp-a/var/log/nova/nova-compute.log", log);
  const auto read = [&](std::uint64_t split_bytes, unsigned jobs) {
    ingest_options opt;
    opt.paths = {tree.path.string()};
    opt.split_bytes = split_bytes;
    opt.jobs = jobs;
    opt.defer_log_lines = true;
    return ingest::ingest(opt, test::shapes());
  };
  const analysis_input whole = read(0, 1);
  // Cut in line order, so ranges read on several threads cut the same lines.
  CHECK(snapshot(read(1U << 20, 2)) == snapshot(whole));
  CHECK(snapshot(read(1U << 20, 3)) == snapshot(whole));

  std::size_t kept = 0, cut = 0, lines = 0;
  for (const auto& ev : whole.events) {
    if (ev.instance != kInstances[0]) {
      CHECK_FALSE(ev.text_budget_cut);  // another instance's account
      continue;
    }
    ++lines;
    kept += ev.text.size() + ev.message.size();
    if (!ev.text_budget_cut) continue;
    ++cut;
    INFO(ev.text);
    CHECK(ev.text.size() <= kBudgetPrefixBytes);
    CHECK(ev.message.size() <= kBudgetPrefixBytes);
    // The header, the identity and the start of the message, and the length.
    CHECK(ev.text.find("] Live Migration failure: operation failed") != std::string::npos);
    CHECK(ev.text.ends_with("[line cut: " + std::to_string(long_line) + " bytes]"));
    CHECK(kept_line_length(ev.text) == long_line);
  }
  CHECK(lines == 600);
  CHECK(cut > 300);
  CHECK(kept <= kKeptTextBudgetBytes + (16U << 10) + lines * 2 * kBudgetPrefixBytes);
  REQUIRE(whole.inputs.size() == 1);
  const auto& warnings = whole.inputs[0].warnings;
  CHECK(std::count_if(warnings.begin(), warnings.end(), [&](const std::string& w) {
          return w == std::to_string(cut) + " line(s) about instance " + kInstances[0] +
                          " kept only to their first 512 bytes: this file's kept text about "
                          "instance " +
                          kInstances[0] + " had passed 4 MiB (each ends in '[line cut: N bytes]')";
        }) == 1);
}
