// The remembered shape answers (shapes/shape_memo.hpp) must be apply_shapes'
// answers: the same shape, the same captures, the same request ids, on the
// first sighting of a message and on every later one, evicted or not.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "shapes/shape_memo.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
namespace fs = std::filesystem;

namespace {

// Every oslo message of every sample's nova-compute logs (real formats,
// DEBUG periodic tasks included), in file order.
std::vector<std::string> sample_nova_messages() {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples")) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind("nova-compute.log", 0) == 0) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      if (const auto h = parse_oslo_header(line)) out.emplace_back(h->message);
    }
  }
  return out;
}

struct answer {
  bool shaped = false;
  event_kind kind = event_kind::log_line;
  std::string shape, request_id, global_request_id;
  fields values;
  bool operator==(const answer&) const = default;
};

event with_context() {
  event ev;
  ev.request_id = "req-3b0e9b39-5e2b-4bb8-9b9a-1c0cbd4e7b11";
  ev.global_request_id = "req-6f0c2a47-0b6f-4d57-8a3c-2a8f3f5f1d02";
  return ev;
}

answer by_apply_shapes(const std::vector<const shape_entry*>& list, std::string_view msg) {
  event ev = with_context();
  answer a;
  a.shaped = apply_shapes(list, msg, ev);
  a.kind = ev.kind;
  a.shape = ev.shape;
  a.request_id = ev.request_id;
  a.global_request_id = ev.global_request_id;
  a.values = ev.values;
  return a;
}

answer by_memo(shape_memo& memo, const std::vector<const shape_entry*>& list, std::string_view msg) {
  event ev = with_context();
  answer a;
  a.shaped = memo.apply(list, msg, ev);
  a.kind = ev.kind;
  a.shape = ev.shape;
  a.request_id = ev.request_id;
  a.global_request_id = ev.global_request_id;
  a.values = ev.values;
  return a;
}

}  // namespace

TEST_CASE("a remembered shape answer is apply_shapes' answer on every sample nova message",
          "[shape_memo]") {
  const auto list = test::shapes()->for_kind(input_kind::nova_compute);
  const auto messages = sample_nova_messages();
  REQUIRE(messages.size() > 5000);
  shape_memo memo;
  std::size_t shaped = 0, unrelated = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& m : messages) {
      const answer want = by_apply_shapes(list, m);
      INFO(m);
      REQUIRE(by_memo(memo, list, m) == want);  // first sighting (or evicted)
      REQUIRE(by_memo(memo, list, m) == want);  // remembered, unless too long
      if (pass == 0 && want.shaped) ++shaped;
      if (pass == 0 && want.shaped && want.request_id.empty()) ++unrelated;
    }
  }
  // The samples exercise the paths that matter: shapes with captures, shapes
  // whose request id is dropped, and answers taken from the table.
  CHECK(shaped > 200);
  CHECK(unrelated > 0);
  CHECK(memo.hits() > messages.size());
}

TEST_CASE("a memo evicted by more periodic messages than it holds still answers right",
          "[shape_memo]") {
  // samples/capacity-hugepages-dest: nova's power-state sync, one line per
  // instance; a host with more instances than the table has slots.
  const std::string before = "Triggering sync for uuid ";
  const std::string after =
      " _sync_power_states /usr/lib/python3/dist-packages/nova/compute/manager.py:10001";
  const auto list = test::shapes()->for_kind(input_kind::nova_compute);
  shape_memo memo;
  const std::size_t instances = 3 * shape_memo::kMaxSlots;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < instances; ++i) {
      // A file with a few periodic messages keeps a small table.
      if (pass == 0 && i == 16) CHECK(memo.slots() == shape_memo::kFirstSlots);
      char uuid[37];
      std::snprintf(uuid, sizeof uuid, "%08zx-4f61-4655-92dc-%012zx", i * 2654435761U % 0xffffffffU,
                    i);
      const std::string m = before + uuid + after;
      const answer want = by_apply_shapes(list, m);
      REQUIRE(want.shaped);
      REQUIRE(want.kind == event_kind::instance_listed);
      REQUIRE(want.values == fields{{"listed", uuid}});
      REQUIRE(by_memo(memo, list, m) == want);  // new, or evicted since
      REQUIRE(by_memo(memo, list, m) == want);  // just remembered
    }
  }
  // The repeats came from the table (but for the few right after it grew),
  // the second pass mostly did not: three times as many messages as the
  // largest table holds took its slots over in between.
  CHECK(memo.slots() == shape_memo::kMaxSlots);
  CHECK(memo.hits() > 2 * instances - 16);
  CHECK(memo.hits() < 2 * instances + instances / 10);
}

TEST_CASE("a message longer than the memo keeps is matched every time, the same",
          "[shape_memo]") {
  const auto list = test::shapes()->for_kind(input_kind::nova_compute);
  // A failure line with a long tail (an exception dump), as in megaline logs.
  const std::string m = "Live Migration failure: operation failed: Failed to connect to remote "
                        "libvirt URI qemu+tcp://cmp-b/system: unable to connect to server at "
                        "'cmp-b:16509': Connection refused " +
                        std::string(shape_memo::kMaxKeyBytes, 'x');
  shape_memo memo;
  const answer want = by_apply_shapes(list, m);
  REQUIRE(want.shaped);
  CHECK(by_memo(memo, list, m) == want);
  CHECK(by_memo(memo, list, m) == want);
  CHECK(memo.hits() == 0);
}
