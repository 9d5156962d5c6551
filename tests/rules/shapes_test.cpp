// Every shape's samples, run through the real parser of its kind, must come
// out as an event of that shape: the loader only checks the regex, this checks
// the whole path (header parsing, prefilter, first-match order).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "migsleuth/core/captures.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "temp_dir.hpp"

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

namespace {

// A pack of one nova-compute shape, on its own (as `rules lint DIR` loads it).
std::shared_ptr<const parsers::shape_set> pack_of(const test::temp_dir& dir, std::string_view event,
                                                  std::string_view regex, diags& errors) {
  std::filesystem::create_directories(dir.path / "shapes");
  std::ofstream(dir.path / "shapes" / "progress.yaml")
      << "kind: nova-compute\nshapes:\n  - id: site.progress\n    event: " << event
      << "\n    hint: 'Migration running for'\n    regex: '" << regex
      << "'\n    samples:\n      - '2024-03-05 10:12:44.120 2211 INFO nova.virt.libvirt.migration "
         "[-] [instance: 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Migration running for 30 secs, "
         "memory 85% remaining (bytes processed=1073741824, remaining=3221225472, "
         "total=4294967296)'\n";
  return parsers::shape_set::load_dir_only(dir.path.string(), errors);
}

bool mentions(const diags& errors, std::string_view part) {
  return std::any_of(errors.begin(), errors.end(), [part](const diag& d) {
    return d.message.find(part) != std::string::npos || d.help.find(part) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("shapes: a capture the code does not read is refused at load, naming what it reads",
          "[rules][shapes]") {
  test::temp_dir dir("shape-captures");
  diags errors;
  // A misspelt total used to read as 0: the convergence analysis saw no sample.
  const auto set = pack_of(dir, "migration_progress",
                           "Migration running for (?P<secs>\\d+) secs.*total=(?P<mem_totl>\\d+)",
                           errors);
  CHECK(set->size() == 0);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("'mem_totl'") != std::string::npos);
  CHECK(errors[0].line == 6);  // the regex line of the pack
  CHECK(mentions(errors, "mem_total"));
  diags started;
  (void)pack_of(dir, "migration_started", "Migration running for (?P<secs>\\d+) secs", started);
  CHECK(mentions(started, "nothing is read of this event's captures"));
}

TEST_CASE("shapes: each value the code reads must be captured by some loaded shape",
          "[rules][shapes]") {
  diags errors;
  const auto embedded = parsers::shape_set::load({}, errors);
  CHECK(embedded->captures_no_shape_gives().empty());
  // A pack whose progress shape names its groups right but lacks the byte
  // counts: the analysis would read 0 remaining; the set says which are missing.
  test::temp_dir dir("shape-missing");
  diags pack_errors;
  const auto pack = pack_of(dir, "migration_progress",
                            "Migration running for (?P<secs>\\d+) secs, memory (?P<mem_pct>\\d+)%",
                            pack_errors);
  REQUIRE(pack_errors.empty());
  const diags missing = pack->captures_no_shape_gives();
  CHECK(mentions(missing, "'mem_total'"));
  CHECK(mentions(missing, "'mem_remaining'"));
  CHECK_FALSE(mentions(missing, "'secs'"));
  CHECK(mentions(missing, "'listed'"));  // no instance_listed shape in this pack
}
