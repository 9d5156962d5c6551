// The message catalog (rules/catalog/): the embedded catalog loads clean,
// names only existing or declared-new causes and every example decodes
// through its own entry; the loader is strict (file:line:col) and the
// self-test reports an entry that takes another one's example.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/core/diag.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"

using migsleuth::diags;
using migsleuth::rulepack::catalog_verdict;
using migsleuth::rulepack::message_catalog;
using migsleuth::rulepack::rule_source;

namespace {

message_catalog load_one(const std::string& relative, const std::string& text, diags& errors) {
  const std::vector<rule_source> sources{{"rules/" + relative, relative, text}};
  return message_catalog::load(sources, errors);
}

bool mentions(const diags& ds, const std::string& what, int line = 0) {
  return std::any_of(ds.begin(), ds.end(), [&](const migsleuth::diag& d) {
    return (d.message + " " + d.reason).find(what) != std::string::npos &&
           (line == 0 || d.line == line);
  });
}

// Two layers, as a decoder meets them: a nova wrapper around a libvirt job
// wrapper around a QEMU message, and a libvirt prefix wrapper.
constexpr const char* kLayered = R"(layer: libvirt
entries:
    - id: libvirt.test.live-migration-failure
      source: {file: x.py, function: f}
      releases: 'libvirt 1.0.0..latest'
      format: 'Live Migration failure: %s'
      regex: 'Live Migration failure: (?P<inner>.+?)(?:: libvirt\.libvirtError: .*)?$'
      hint: 'Live Migration failure: '
      example:
          line: 'ERROR x [-] Live Migration failure: operation failed: job ''migration out'' failed: Connection refused: libvirt.libvirtError: same'
          rendered: test
      meaning: wraps
      verdict: wrapper
    - id: libvirt.test.job-failed
      source: {file: x.c, function: f}
      releases: 'libvirt 8.0.0..latest'
      format: 'job ''%s'' failed: %s'
      regex: 'job ''(?P<job>[^'']+)'' failed: (?P<inner>.+)'
      hint: 'failed: '
      example:
          line: 'operation failed: job ''migration out'' failed: Connection refused'
          rendered: test
      meaning: wraps
      verdict: wrapper
    - id: libvirt.test.operation-failed
      source: {file: x.c, function: f}
      releases: 'libvirt 1.0.0..latest'
      format: 'operation failed: %s'
      regex: 'operation failed: (?P<inner>.+)'
      hint: 'operation failed: '
      example:
          line: 'operation failed: something'
          rendered: test
      meaning: wraps
      verdict: wrapper
    - id: libvirt.test.refused
      source: {file: x.c, function: f}
      releases: 'libvirt 1.0.0..latest'
      format: 'Connection refused'
      regex: 'Connection refused'
      hint: 'Connection refused'
      example:
          line: 'Connection refused'
          rendered: test
      meaning: refused
      verdict: {class: network, cause: network.migration-port-refused}
)";

}  // namespace

TEST_CASE("catalog: the embedded catalog loads, names known causes, passes its examples", "[rules][catalog]") {
  diags errors;
  const auto catalog = message_catalog::load(migsleuth::rulepack::builtin_sources("catalog/"), errors);
  for (const auto& e : errors) UNSCOPED_INFO(migsleuth::format_diag(e));
  CHECK(errors.empty());
  REQUIRE(catalog.size() > 0);
  const auto book = migsleuth::classifiers::rule_book::load(
      {}, errors, migsleuth::classifiers::pack_checks::full);
  std::vector<std::string> causes;
  for (const auto& r : book.list()) causes.push_back(r.id);
  const diags unknown = catalog.check_causes(causes);
  for (const auto& e : unknown) UNSCOPED_INFO(migsleuth::format_diag(e));
  CHECK(unknown.empty());
  const diags conflicts = catalog.test_examples();
  for (const auto& e : conflicts) UNSCOPED_INFO(migsleuth::format_diag(e));
  CHECK(conflicts.empty());
}

TEST_CASE("catalog: decode peels wrappers outermost first and decides by the innermost cause", "[rules][catalog]") {
  diags errors;
  const auto catalog = load_one("catalog/libvirt/t.yaml", kLayered, errors);
  for (const auto& e : errors) UNSCOPED_INFO(migsleuth::format_diag(e));
  REQUIRE(errors.empty());
  const std::string_view line =
      "2024-01-01 ERROR nova.virt.libvirt.driver [-] Live Migration failure: operation failed: job "
      "'migration out' failed: Connection refused: libvirt.libvirtError: operation failed: x";
  const auto chain = catalog.decode(line);
  REQUIRE(chain.size() == 4);
  CHECK(chain[0].entry->id == "libvirt.test.live-migration-failure");
  // The trailing exception summary is not part of the inner text.
  CHECK(chain[0].inner_of(line) == "operation failed: job 'migration out' failed: Connection refused");
  // Each layer's offsets are into the inner text of the one above.
  CHECK(message_catalog::layer_text(chain, line, 1) == chain[0].inner_of(line));
  CHECK(message_catalog::layer_text(chain, line, 3) ==
        chain[2].inner_of(message_catalog::layer_text(chain, line, 2)));
  CHECK(message_catalog::layer_text(chain, line, 4).empty());
  CHECK(chain[1].entry->id == "libvirt.test.operation-failed");
  CHECK(chain[2].entry->id == "libvirt.test.job-failed");
  CHECK(chain[2].captures == migsleuth::fields{{"job", "migration out"}});
  CHECK(chain[3].entry->id == "libvirt.test.refused");
  const auto* decided = message_catalog::decision(chain);
  REQUIRE(decided != nullptr);
  CHECK(decided->cause == "network.migration-port-refused");
  CHECK(catalog.test_examples().empty());
  CHECK(catalog.decode("nothing the catalog knows").empty());
}

TEST_CASE("catalog: an entry that takes another entry's example is reported as a conflict", "[rules][catalog]") {
  // A later entry with another verdict for the same words: the earlier one
  // (same start, same hint length) keeps taking the text, so the later
  // entry's example never reaches it.
  const std::string text = std::string(kLayered) + R"(    - id: libvirt.test.greedy-context
      source: {file: x.c, function: f}
      releases: 'libvirt 1.0.0..latest'
      format: 'Connection refused'
      regex: 'Connection refused'
      hint: 'Connection refused'
      example:
          line: 'Connection refused'
          rendered: test
      meaning: a state
      verdict: context
)";
  diags errors;
  const auto catalog = load_one("catalog/libvirt/t.yaml", text, errors);
  REQUIRE(errors.empty());
  const diags conflicts = catalog.test_examples();
  REQUIRE(conflicts.size() == 1);
  CHECK(mentions(conflicts, "libvirt.test.greedy-context: its example is taken by another entry"));
  CHECK(mentions(conflicts, "decoded as libvirt.test.refused"));
}

TEST_CASE("catalog: the loader reports every problem with its line", "[rules][catalog]") {
  constexpr const char* kBad = R"(layer: qemu
entries:
    - id: qemu.test.one
      source: {file: a.c, function: f}
      releases: 'qemu 2.11.0..latest'
      format: 'x %s'
      regex: 'Failed to connect to (?<host>\S+)'
      hint: 'Failed'
      example: {line: 'Failed to connect to a', rendered: t}
      meaning: m
      verdict: context
      colour: red
    - id: qemu.test.two
      source: {file: a.c, function: f}
      releases: 'sometime'
      format: 'x'
      regex: 'Cannot allocate memory'
      hint: 'cannot'
      example: {line: 'Cannot allocate memory', real: 'x'}
      meaning: m
      verdict: {class: capacity, cause: storage.x}
    - id: qemu.test.two
      source: {file: a.c, function: f}
      releases: 'qemu 1..2'
      format: 'x'
      regex: 'load of migration failed: (?P<error>.+)'
      hint: 'load of migration'
      example: {line: 'something else', rendered: t}
      meaning: m
      verdict: wrapper
)";
  diags errors;
  load_one("catalog/qemu/bad.yaml", kBad, errors);
  for (const auto& e : errors) UNSCOPED_INFO(migsleuth::format_diag(e));
  CHECK(mentions(errors, "unknown key 'colour'", 12));
  CHECK(mentions(errors, "regex of qemu.test.one does not compile", 7));
  CHECK(mentions(errors, "releases 'sometime'", 15));
  CHECK(mentions(errors, "cause 'storage.x' must start with its class", 21));
  CHECK(mentions(errors, "wrapper qemu.test.two has no (?P<inner>...) capture", 26));
  CHECK(mentions(errors, "does not match its example line"));

  diags hint_errors;
  load_one("catalog/qemu/h.yaml", R"(layer: qemu
entries:
    - id: qemu.test.hint
      source: {file: a.c, function: f}
      releases: 'qemu 2.11.0..latest'
      format: 'Cannot allocate memory'
      regex: 'Cannot allocate memory'
      hint: 'cannot'
      example: {line: 'Cannot allocate memory', real: 'x'}
      meaning: m
      verdict: context
      verdict: benign
)", hint_errors);
  CHECK(mentions(hint_errors, "duplicate key 'verdict'", 12));

  // An empty file is an error too, not a silently empty catalog.
  diags empty_errors;
  load_one("catalog/qemu/empty.yaml", "", empty_errors);
  CHECK(mentions(empty_errors, "expected a mapping"));

  diags layer_errors;
  load_one("catalog/nova/wrong.yaml", "layer: qemu\nentries: []\n", layer_errors);
  CHECK(mentions(layer_errors, "layer 'qemu' but the file is in folder 'nova'", 1));
}

TEST_CASE("catalog: a hint missing from the match, and duplicate ids, are errors", "[rules][catalog]") {
  constexpr const char* kEntry = R"(    - id: kernel-os.test.enomem
      source: {file: errno, function: strerror}
      releases: 'glibc unknown..latest'
      format: 'Cannot allocate memory'
      regex: 'Cannot allocate memory'
      hint: 'HINT'
      example: {line: 'x: Cannot allocate memory', real: 'glibc'}
      meaning: ENOMEM
      verdict: context
)";
  diags errors;
  std::string text = "layer: kernel-os\nentries:\n" + std::string(kEntry);
  load_one("catalog/kernel-os/e.yaml", text, errors);
  CHECK(mentions(errors, "hint of kernel-os.test.enomem does not occur in the example's match", 8));

  std::string twice = text + kEntry;
  for (std::string::size_type at = 0; (at = twice.find("'HINT'", at)) != std::string::npos;) {
    twice.replace(at, 6, "'memory'");
  }
  diags dup_errors;
  const auto cat = load_one("catalog/kernel-os/e.yaml", twice, dup_errors);
  CHECK(mentions(dup_errors, "kernel-os.test.enomem: duplicate id", 12));
  CHECK(cat.size() == 1);
}

TEST_CASE("catalog: causes must exist unless declared new", "[rules][catalog]") {
  const std::string text = R"(layer: qemu
entries:
    - id: qemu.test.a
      source: {file: a.c, function: f}
      releases: 'qemu 2.11.0..latest'
      format: 'A'
      regex: 'AAA'
      hint: 'AAA'
      example: {line: 'AAA', rendered: t}
      meaning: m
      verdict: {class: capacity, cause: capacity.not-a-rule}
    - id: qemu.test.b
      source: {file: a.c, function: f}
      releases: 'qemu 2.11.0..latest'
      format: 'B'
      regex: 'BBB'
      hint: 'BBB'
      example: {line: 'BBB', rendered: t}
      meaning: m
      verdict: {class: capacity, cause: capacity.no-valid-host, new: true}
    - id: qemu.test.c
      source: {file: a.c, function: f}
      releases: 'qemu 2.11.0..latest'
      format: 'C'
      regex: 'CCC'
      hint: 'CCC'
      example: {line: 'CCC', rendered: t}
      meaning: m
      verdict: {class: capacity, cause: capacity.numa-page-size, new: true}
)";
  diags errors;
  const auto cat = load_one("catalog/qemu/c.yaml", text, errors);
  REQUIRE(errors.empty());
  const std::vector<std::string> known{"capacity.no-valid-host"};
  const diags out = cat.check_causes(known);
  CHECK(out.size() == 2);
  CHECK(mentions(out, "qemu.test.a: unknown cause 'capacity.not-a-rule'", 3));
  CHECK(mentions(out, "qemu.test.b: cause 'capacity.no-valid-host' is declared new", 12));
}

TEST_CASE("catalog: an empty regex is an error and its entry never reaches lookup (fuzz regression)",
          "[rules][catalog]") {
  // fuzz_catalog_loader: `regex: ''` was kept with no compiled regex, and
  // lookup() called through the null pointer (UBSan in the CI fuzz run).
  diags errors;
  const auto catalog = load_one("catalog/libvirt/empty.yaml", R"(layer: libvirt
entries:
    - id: libvirt.test.empty
      source: {file: x.c, function: f}
      releases: 'libvirt 1.0.0..latest'
      format: 'Connection refused'
      regex: ''
      hint: 'Connection refused'
      example:
          line: 'Connection refused'
          rendered: test
      meaning: m
      verdict: context
)",
                                errors);
  CHECK(mentions(errors, "regex must not be empty", 7));
  CHECK(catalog.size() == 0);
  CHECK_FALSE(catalog.lookup("Connection refused").has_value());
}

TEST_CASE("catalog: a trusted load compiles nothing up front and decodes the same",
          "[rules][catalog]") {
  // The embedded catalog, as analyze loads it (trusted: checked in CI) and as
  // rules lint does: every example decodes to the same chain either way.
  diags checked_errors, trusted_errors;
  const auto sources = migsleuth::rulepack::builtin_sources("catalog/");
  const auto checked = message_catalog::load(sources, checked_errors);
  const auto trusted = message_catalog::load(sources, trusted_errors, true);
  REQUIRE(checked_errors.empty());
  REQUIRE(trusted_errors.empty());
  REQUIRE(checked.size() == trusted.size());
  for (std::size_t i = 0; i < checked.size(); ++i) {
    const auto& e = checked.entries()[i];
    INFO(e.id);
    const auto a = checked.decode(e.example);
    const auto b = trusted.decode(e.example);
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      CHECK(a[k].entry->id == b[k].entry->id);
      CHECK(message_catalog::layer_text(a, e.example, k) ==
            message_catalog::layer_text(b, e.example, k));
      CHECK(a[k].inner_of(message_catalog::layer_text(a, e.example, k)) ==
            b[k].inner_of(message_catalog::layer_text(b, e.example, k)));
      CHECK(a[k].captures == b[k].captures);
    }
    CHECK(migsleuth::rulepack::capture_names(e) ==
          migsleuth::rulepack::capture_names(trusted.entries()[i]));
  }
  // Trusted means unchecked: a regex RE2 rejects is no error then, and its
  // entry simply matches nothing (rules lint reports it: the test above).
  diags errors;
  const std::vector<rule_source> bad{{"rules/catalog/qemu/x.yaml", "catalog/qemu/x.yaml",
                                      R"(layer: qemu
entries:
    - id: qemu.test.broken
      source: {file: a.c, function: f}
      releases: 'qemu 1..2'
      format: 'x'
      regex: 'broken (?<lookbehind>x'
      hint: 'broken'
      example: {line: 'broken x', rendered: t}
      meaning: m
      verdict: context
)"}};
  const auto loose = message_catalog::load(bad, errors, true);
  CHECK(errors.empty());
  CHECK_FALSE(loose.lookup("broken x").has_value());
}
