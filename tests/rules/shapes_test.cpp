// Every shape's samples, run through the real parser of its kind, must come
// out as an event of that shape: the loader only checks the regex, this checks
// the whole path (header parsing, prefilter, first-match order).
#include <catch2/catch.hpp>

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

TEST_CASE("shapes: embedded packs load without errors", "[rules][shapes]") {
  diags errors;
  auto shapes = parsers::shape_set::load({}, errors);
  for (const auto& d : errors) UNSCOPED_INFO(format_diag(d));
  CHECK(errors.empty());
  CHECK(shapes->size() >= 10);
}

TEST_CASE("shapes: every sample parses into its own shape", "[rules][shapes]") {
  diags errors;
  auto shapes = parsers::shape_set::load({}, errors);
  REQUIRE(errors.empty());
  const auto samples = shapes->samples();
  REQUIRE_FALSE(samples.empty());
  for (const auto& s : samples) {
    CAPTURE(s.shape, s.line);
    parsers::line_context ctx;
    ctx.host = "h";
    const auto r = parsers::parse_text(s.kind, s.line, shapes, ctx);
    bool found = false;
    for (const auto& ev : r.events) found = found || (ev.shape == s.shape && ev.kind == s.produces);
    CHECK(found);
  }
}

TEST_CASE("shapes: the repository's rules/ checked on its own is the embedded pack, no clash",
          "[rules][shapes]") {
  diags errors;
  const auto embedded = parsers::shape_set::load({}, errors);
  const auto from_dir =
      parsers::shape_set::load_dir_only(std::string(MIGSLEUTH_SOURCE_DIR) + "/rules", errors);
  for (const auto& d : errors) INFO(d.message);
  CHECK(errors.empty());
  CHECK(from_dir->size() == embedded->size());
  diags clash;
  (void)parsers::shape_set::load({std::string(MIGSLEUTH_SOURCE_DIR) + "/rules"}, clash);
  CHECK_FALSE(clash.empty());  // as --rules, the same ids twice are refused
}
