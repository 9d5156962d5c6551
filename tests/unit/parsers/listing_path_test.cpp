// nova-compute's listings ("Triggering sync for uuid U", each instance each
// sync) are kept through one reused event (remember_listing in
// nova_compute_parser.cpp) instead of a new event per line. What it keeps
// must be what the general path keeps: the header's context, then
// apply_shapes, then listing_memory (no text, message or values), first
// and last sighting per instance. Checked on every sample's nova log, and
// on lines chosen so that a field left over from the previous listing would
// show (another request, a cut line, an instance seen once).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/core/captures.hpp"
#include "migsleuth/core/text.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
namespace fs = std::filesystem;

namespace {

line_context context() {
  line_context ctx;
  ctx.host = "nfv-cmp-22.example.net";  // longer than a short string: allocated
  ctx.input = 3;
  return ctx;
}

// The general path, line by line: every listing line as an event of its
// own, as the parser built them before, then first and last per instance.
std::vector<event> listings_the_long_way(std::string_view text) {
  const auto list = test::shapes()->for_kind(input_kind::nova_compute);
  std::map<std::string, std::pair<event, event>> seen;
  std::uint32_t line_no = 0;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    const auto h = parse_oslo_header(line);
    if (!h || !h->has_context || h->instance_malformed) continue;
    event ev;
    ev.time = h->local_time;
    ev.local_clock = true;
    ev.source = input_kind::nova_compute;
    ev.host = context().host;
    ev.request_id = std::string(h->request_id);
    ev.global_request_id = std::string(h->global_request_id);
    ev.level = std::string(h->level);
    ev.logger = std::string(h->logger);
    ev.where = {context().input, line_no};
    ev.text_cut = line.size() > kKeptTextBytes;
    if (!apply_shapes(list, h->message, ev) || ev.kind != event_kind::instance_listed) continue;
    ev.instance = lower_ascii(ev.value(capture::listed));
    ev.values.clear();
    auto it = seen.find(ev.instance);
    if (it == seen.end()) {
      seen.emplace(ev.instance, std::make_pair(ev, event{}));
    } else {
      it->second.second = ev;
    }
  }
  std::vector<event> out;
  for (auto& [instance, pair] : seen) {
    out.push_back(pair.first);
    if (pair.second.where.line != 0) out.push_back(pair.second);
  }
  return out;
}

std::vector<event> listings_of(const parse_result& r) {
  std::vector<event> out;
  for (const auto& ev : r.events) {
    if (ev.kind == event_kind::instance_listed) out.push_back(ev);
  }
  return out;
}

void require_same(const std::vector<event>& got, const std::vector<event>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const event& a = got[i];
    const event& b = want[i];
    INFO("listing " << i << " line " << b.where.line);
    CHECK(a.time.micros == b.time.micros);
    CHECK(a.local_clock == b.local_clock);
    CHECK(a.kind == b.kind);
    CHECK(a.source == b.source);
    CHECK(a.host == b.host);
    CHECK(a.instance == b.instance);
    CHECK(a.request_id == b.request_id);
    CHECK(a.global_request_id == b.global_request_id);
    CHECK(a.domain == b.domain);
    CHECK(a.level == b.level);
    CHECK(a.logger == b.logger);
    CHECK(a.shape == b.shape);
    CHECK(a.where == b.where);
    CHECK(a.text.empty());
    CHECK(a.message.empty());
    CHECK(a.values.empty());
    CHECK(a.linked_by_time == b.linked_by_time);
    CHECK(a.text_cut == b.text_cut);
    CHECK(a.instance_unknown == b.instance_unknown);
  }
}

}  // namespace

TEST_CASE("listings kept through the reused event are those of the general path, on every sample",
          "[nova_compute][listing]") {
  std::size_t files = 0, listings = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples")) {
    if (!e.is_regular_file() || e.path().filename().string().rfind("nova-compute.log", 0) != 0) {
      continue;
    }
    const std::string text = test::read_file(e.path());
    if (text.find("Triggering sync for uuid") == std::string::npos) continue;
    INFO(e.path().string());
    const auto want = listings_the_long_way(text);
    const auto got = listings_of(parse_text(input_kind::nova_compute, text, test::shapes(), context()));
    require_same(got, want);
    ++files;
    listings += got.size();
  }
  CHECK(files >= 20);
  CHECK(listings >= 100);
}

TEST_CASE("a listing takes nothing from the listing before it", "[nova_compute][listing]") {
  // samples/capacity-hugepages-dest, nfv-cmp-22: two syncs under two requests;
  // the second lists first an instance new to it, then one listed before,
  // each on a line cut at 8 KiB (a long tail); a third sync lists that one
  // again, whole.
  const std::string a = "5a3b774d-c31e-4a4f-b374-1c87117f9b31";
  const std::string b = "9838C9B2-1B00-4BEA-9468-F6370A9C3F95";  // upper case in the log
  const std::string c = "48c4c7a8-a663-4966-b3e9-e84e5d481589";
  const std::string tail =
      " _sync_power_states /usr/lib/python3/dist-packages/nova/compute/manager.py:10001";
  auto sync = [&](const std::string& time, const std::string& req, const std::string& uuid,
                  const std::string& extra) {
    return "2024-03-20 " + time + " 2904 DEBUG nova.compute.manager [None " + req +
           " - - - - - -] Triggering sync for uuid " + uuid + tail + extra + "\n";
  };
  const std::string r1 = "req-55dece5d-998a-41a2-931b-5743ae6416e8";
  const std::string r2 = "req-c29429d7-70b1-40a4-a126-ced2b88197ed";
  const std::string r3 = "req-51c9e3a7-2d8f-4b06-9e4a-7f1c3b5d9e82";
  std::string text;
  text += sync("09:49:40.113", r1, a, "");
  text += sync("09:49:40.116", r1, b, "");
  text += "2024-03-20 09:49:41.001 2904 WARNING nova.compute.manager [None " + r1 +
          " - - - - - -] While synchronizing instance power states, found 3 instances in the "
          "database and 2 instances on the hypervisor.\n";
  text += sync("09:59:40.201", r2, c, " " + std::string(9000, 'x'));
  text += sync("09:59:40.204", r2, a, " " + std::string(9000, 'x'));
  text += sync("09:59:40.207", r2, b, "");
  text += sync("10:09:40.301", r3, a, "");
  const auto got = listings_of(parse_text(input_kind::nova_compute, text, test::shapes(), context()));
  require_same(got, listings_the_long_way(text));
  REQUIRE(got.size() == 5);  // by instance: c once, a first and last, b first and last
  CHECK(got[0].instance == c);
  CHECK(got[0].text_cut);
  CHECK(got[1].instance == a);
  CHECK(got[1].request_id == r1);
  CHECK(got[2].instance == a);
  CHECK(got[2].request_id == r3);
  CHECK_FALSE(got[2].text_cut);  // its sighting before was cut
  CHECK(got[2].where.line == 7);
  CHECK(got[4].instance == lower_ascii(b));
  CHECK_FALSE(got[4].text_cut);
  CHECK(got[4].where.line == 6);
}
