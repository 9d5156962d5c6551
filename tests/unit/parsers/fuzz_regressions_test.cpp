// Inputs libFuzzer found crashing a parser (fuzz/run.sh), kept as regression
// tests: each must parse to completion, under ASan + UBSan in `make asan`.
#include <catch2/catch.hpp>

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

namespace {

parsers::parse_result parse(input_kind kind, std::string_view text) {
  diags errors;
  auto shapes = parsers::shape_set::load({}, errors);
  parsers::line_context ctx;
  ctx.host = "h";
  return parsers::parse_text(kind, text, shapes, ctx);
}

}  // namespace

TEST_CASE("fuzz regression: a whitespace-only openstack capture (index past the end)",
          "[parsers][fuzz]") {
  // fuzz_parse_cpu_info crash-9a49722465971fc1104adaaaf8d8e1667799584d: "\t\n \n \t"
  for (input_kind kind : {input_kind::cpu_info, input_kind::server_show,
                          input_kind::migration_list, input_kind::port_show}) {
    const auto r = parse(kind, "\t\n \n \t");
    CHECK(r.events.empty());
    CHECK(r.lines == 3);
  }
}
