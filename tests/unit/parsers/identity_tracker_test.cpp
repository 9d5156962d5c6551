#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "migsleuth/core/identity_index.hpp"
#include "nova_compute/identity_tracker.hpp"

using migsleuth::parsers::identity_tracker;

TEST_CASE("identity tracker: a request seen with one instance links it when needed",
          "[parsers][identity]") {
  identity_tracker t;
  t.saw("req-a", "88084FDD-51dc-4967-8493-c1169e4533ec");  // DEBUG line, before the error
  CHECK(t.links().empty());                                 // nothing needs it yet
  t.needs("req-a");                                         // rpc.server error, no instance
  const auto links = t.links();
  REQUIRE(links.size() == 1);
  CHECK(links[0].request_id == "req-a");
  CHECK(links[0].instance == "88084fdd-51dc-4967-8493-c1169e4533ec");  // lower-cased
}

TEST_CASE("identity tracker: a line after the need still resolves it", "[parsers][identity]") {
  identity_tracker t;
  t.needs("req-b");
  t.saw("req-b", "7b7edae6-f878-4756-a858-86f836d02c33");
  REQUIRE(t.links().size() == 1);
}

TEST_CASE("identity tracker: a periodic request touching many instances links none",
          "[parsers][identity]") {
  identity_tracker t;
  t.saw("req-periodic", "88084fdd-51dc-4967-8493-c1169e4533ec");
  t.saw("req-periodic", "7b7edae6-f878-4756-a858-86f836d02c33");
  t.needs("req-periodic");
  CHECK(t.links().empty());
  CHECK(t.instance_of("req-periodic").empty());
}

TEST_CASE("identity tracker: memory is bounded by a window of recent requests",
          "[parsers][identity]") {
  identity_tracker t;
  t.saw("req-old", "88084fdd-51dc-4967-8493-c1169e4533ec");
  for (int i = 0; i < 200000; ++i) {
    t.saw("req-" + std::to_string(i), "7b7edae6-f878-4756-a858-86f836d02c33");
  }
  // The old request fell out of the window: an error naming it much later
  // gets no instance from here (correlate still joins by request id).
  t.needs("req-old");
  CHECK(t.links().empty());
  CHECK(t.instance_of("req-199999") == "7b7edae6-f878-4756-a858-86f836d02c33");
}

TEST_CASE("identity tracker: calls recorded per range and replayed in order give one tracker's links",
          "[parsers][identity]") {
  // More requests than the window holds, so that it is cleared several
  // times at places no range knows of; needs before and after the sightings.
  const std::vector<std::string> instances = {"88084FDD-51dc-4967-8493-c1169e4533ec",
                                              "7b7edae6-f878-4756-a858-86f836d02c33",
                                              "a7a2d88d-863b-4f61-9655-12dc7f55db85"};
  identity_tracker whole;
  std::vector<identity_tracker> ranges;
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1103515245U + 12345U;
    return state >> 8;
  };
  for (int i = 0; i < 300000; ++i) {
    if (i % 37000 == 0) ranges.push_back(identity_tracker::recorder());
    const std::string req = "req-" + std::to_string(next() % 150000);
    if (next() % 7 == 0) {
      whole.needs(req);
      ranges.back().needs(req);
    } else {
      const std::string& inst = instances[next() % 3 == 0 ? next() % 3 : 0];
      whole.saw(req, inst);
      ranges.back().saw(req, inst);
    }
  }
  identity_tracker merged;
  for (const auto& r : ranges) merged.replay(r);
  const auto links = whole.links();
  CHECK(links.size() > 1000);
  CHECK(merged.links() == links);
  CHECK(ranges.front().links().empty());  // a recorder only records
}

TEST_CASE("identity tracker: within its window it says what the analysis' identity index says",
          "[parsers][identity]") {
  // Both keep request -> instance in core's sole_value: a request seen with
  // several instances names none, in the tracker as in the index.
  const std::vector<std::string> instances = {"88084fdd-51dc-4967-8493-c1169e4533ec",
                                              "7b7edae6-f878-4756-a858-86f836d02c33",
                                              "a7a2d88d-863b-4f61-9655-12dc7f55db85"};
  identity_tracker t;
  migsleuth::identity_index ids;
  std::uint32_t state = 777;
  const auto next = [&state] {
    state = state * 1103515245U + 12345U;
    return state >> 8;
  };
  for (int i = 0; i < 20000; ++i) {  // far fewer requests than the window holds
    const std::string req = "req-" + std::to_string(next() % 3000);
    const std::string& inst = instances[next() % 5 == 0 ? next() % 3 : 0];
    t.saw(req, inst);
    ids.learn_request(req, inst);
  }
  int named = 0, ambiguous = 0;
  for (int r = 0; r < 3000; ++r) {
    const std::string req = "req-" + std::to_string(r);
    CHECK(t.instance_of(req) == ids.instance_of_request(req));
    (ids.instance_of_request(req).empty() ? ambiguous : named) += 1;
  }
  CHECK(named > 100);      // both outcomes are exercised
  CHECK(ambiguous > 100);
}

TEST_CASE("identity tracker: each needed request's link keeps its id's first spelling, read "
          "directly or replayed",
          "[parsers][identity]") {
  // Periodic tasks need one request a line: many ids, kept back to back.
  const auto id = [](int i) { return "req-" + std::to_string(1000000 + i); };
  identity_tracker direct;
  identity_tracker recorded = identity_tracker::recorder();
  for (identity_tracker* t : {&direct, &recorded}) {
    t->needs("REQ-FIRST");
    t->needs("req-first");  // the same request (ids fold case): the first spelling stays
    t->saw("req-first", "88084fdd-51dc-4967-8493-c1169e4533ec");
    for (int i = 0; i < 3000; ++i) {
      t->needs(id(i));
      if (i % 3 == 0) t->saw(id(i), "7b7edae6-f878-4756-a858-86f836d02c33");
    }
  }
  identity_tracker replayed;
  replayed.replay(recorded);
  for (const identity_tracker* t : {&direct, &replayed}) {
    const auto links = t->links();
    REQUIRE(links.size() == 1001);
    CHECK(links.front().request_id == "REQ-FIRST");
    for (std::size_t k = 1; k < links.size(); ++k) {
      const int i = std::stoi(links[k].request_id.substr(4)) - 1000000;
      CHECK(i % 3 == 0);
      CHECK(links[k].request_id == id(i));
      CHECK(links[k].instance == "7b7edae6-f878-4756-a858-86f836d02c33");
    }
  }
}
