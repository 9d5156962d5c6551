// What ingest hands correlate: the identity index, whose request facts come
// from in-memory lines, the parsers' links and the deferred lines; and the
// deferred lines read back once (ingested::take).
#include <catch2/catch.hpp>

#include <algorithm>

#include "embedded_shapes.hpp"
#include "migsleuth/ingest/deferred_events.hpp"
#include "migsleuth/ingest/identities.hpp"
#include "migsleuth/ingest/ingested.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;

namespace {

constexpr std::string_view kRequest = "req-6f0c0d1e-0000-4000-8000-000000000001";
constexpr std::string_view kInstance = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";

}  // namespace

TEST_CASE("index_identities: a request named with its instance only on a deferred line of "
          "another host still names it",
          "[parsers][identity][deferred]") {
  test::temp_dir dir("identities");
  // The conductor's error names only the request; the one line naming the
  // request with its instance is an unshaped WARNING on the compute host,
  // which ingest defers (and whose file's tracker needed no link).
  dir.write("ctl/var/log/nova/nova-conductor.log",
            "2024-03-05 10:12:11.500 2211 ERROR oslo_messaging.rpc.server [" +
                std::string(kRequest) + " - - - - -] Exception during message handling\n");
  dir.write("cmp-a/var/log/nova/nova-compute.log",
            "2024-03-05 10:12:10.120 2211 WARNING nova.compute.manager [" + std::string(kRequest) +
                " - - - - -] [instance: " + std::string(kInstance) +
                "] Received unexpected event network-vif-plugged-0f0de1cd-2172-4885-b017-"
                "446186ab3b06 for instance with vm_state active and task_state migrating.\n");
  ingest_options opt;
  opt.paths = {dir.path.string()};
  opt.defer_log_lines = true;
  analysis_input data = ingest::ingest(opt, test::shapes());
  REQUIRE(data.deferred);
  REQUIRE(data.deferred->count() == 1);
  CHECK(data.links.empty());  // no file had both the need and the pair

  // From memory alone the request is unknown...
  identity_index memory_only;
  memory_only.learn(data.links);
  for (const auto& ev : data.events) memory_only.learn(ev);
  CHECK(memory_only.instance_of_request(kRequest).empty());
  // ...the deferred pass names it, and the error gets its instance.
  identity_index ids = index_identities(data);
  CHECK(ids.instance_of_request(kRequest) == kInstance);
  ids.resolve(data.events);
  const auto error = std::find_if(data.events.begin(), data.events.end(),
                                  [](const event& ev) { return ev.level == "ERROR"; });
  REQUIRE(error != data.events.end());
  CHECK(error->instance == kInstance);

  // The read-back, behind ingested: only lines of wanted instances, once.
  ingested source(std::move(data));
  CHECK(source.identities().instance_of_request(kRequest) == kInstance);
  const std::size_t before = source.resident().size();
  std::vector<event> events = source.take(
      {[](std::string_view instance) { return instance == kInstance; }, {}});
  CHECK(events.size() == before + 1);
  CHECK(events.back().level == "WARNING");
  CHECK(events.back().host == "cmp-a");
  CHECK(source.resident().empty());
  CHECK(source.take({}).empty());  // the store is gone
}
