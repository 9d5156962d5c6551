// Kind detection parses the oslo.log headers of a file's first lines; the
// nova-compute parser is then fed those very lines and takes the answers
// instead of parsing again (parsed_headers, line_context::parsed). An answer
// may only be taken for the same bytes at the same address: the events must
// be those of a parser that parsed every line itself, on every sample's nova
// log, and a line elsewhere (a copy, a cut, the buffer cleared) is parsed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
namespace fs = std::filesystem;

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// Everything the report and correlation read of the parse.
std::vector<std::string> described(const parse_result& r) {
  std::vector<std::string> out{std::to_string(r.lines) + " " + std::to_string(r.skipped_lines)};
  for (const auto& ev : r.events) {
    std::string values;
    for (const auto& [k, v] : ev.values) values += std::string(k) + "=" + v + ",";
    out.push_back(std::to_string(ev.where.line) + "|" + std::string(to_string(ev.kind)) + "|" +
                  ev.shape + "|" + ev.instance + "|" + ev.request_id + "|" + ev.level + "|" +
                  ev.logger + "|" + ev.text + "|" + ev.message + "|" + values + "|" +
                  std::to_string(ev.time.micros));
  }
  for (const auto& l : r.links) out.push_back(l.request_id + "~" + l.instance);
  return out;
}

parse_result parse(std::string_view text, std::size_t probed, bool hand_on) {
  parsed_headers parsed;
  const auto lines = lines_of(text);
  // As detection does: the first lines, parsed where they are.
  for (std::size_t k = 0; k < lines.size() && k < probed; ++k) {
    if (!lines[k].empty()) parsed.parse(lines[k]);
  }
  line_context ctx;
  ctx.host = "cmp-a";
  if (hand_on) ctx.parsed = &parsed;
  auto p = make_parser(input_kind::nova_compute, test::shapes(), ctx);
  std::uint32_t n = 0;
  for (const auto line : lines) p->feed_line(line, ++n);
  return p->finish();
}

}  // namespace

TEST_CASE("parsed headers: an answer only for the same bytes at the same place",
          "[parsers][oslo]") {
  const std::string text =
      "2024-03-05 10:00:00.000 2000 INFO nova.compute.manager [req-1 - - - - -] one\n"
      "not a header\n"
      "2024-03-05 10:00:01.000 2000 ERROR nova.compute.manager [req-2 - - - - -] two\n";
  const auto lines = lines_of(text);
  parsed_headers parsed;
  CHECK(parsed.parse(lines[0]));
  CHECK_FALSE(parsed.parse(lines[1]));
  CHECK(parsed.parse(lines[2]));

  const oslo_header* first = parsed.find(lines[0]);
  REQUIRE(first != nullptr);
  CHECK(first->request_id == "req-1");
  CHECK(first->message.data() == lines[0].data() + lines[0].size() - 3);
  CHECK(parsed.find(lines[1]) == nullptr);  // no header: parsed again by its reader
  const oslo_header* third = parsed.find(lines[2]);
  REQUIRE(third != nullptr);
  CHECK(third->level == "ERROR");
  // Asked in order, a line passed over is not asked again.
  CHECK(parsed.find(lines[0]) == nullptr);
  parsed.clear();
  CHECK(parsed.find(lines[2]) == nullptr);

  parsed_headers again;
  REQUIRE(again.parse(lines[0]));
  CHECK(again.find(lines[0].substr(0, 40)) == nullptr);  // cut
  parsed_headers elsewhere;
  REQUIRE(elsewhere.parse(lines[0]));
  const std::string copy(lines[0]);
  CHECK(elsewhere.find(copy) == nullptr);  // the same bytes at another address
}

TEST_CASE("parsed headers: the same events whether detection's parse is handed on",
          "[parsers][oslo]") {
  std::size_t logs = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples")) {
    if (!e.is_regular_file() || e.path().filename().string().rfind("nova-compute.log", 0) != 0) {
      continue;
    }
    const std::string text = test::read_file(e.path());
    INFO(e.path().string());
    ++logs;
    const auto alone = described(parse(text, 0, false));
    // Detection probes the first 200 lines; fewer and more change nothing.
    for (const std::size_t probed : {std::size_t{3}, std::size_t{200}, std::size_t{100000}}) {
      CHECK(described(parse(text, probed, true)) == alone);
    }
  }
  CHECK(logs > 20);
}
