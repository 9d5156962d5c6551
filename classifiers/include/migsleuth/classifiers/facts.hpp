// Analyzer facts: named, typed values computed once per incident (the
// convergence numbers, the device inventory, preflight's CPU comparison),
// each with the lines it was computed from. Cause rules require them
// (`requires: {facts: [...]}`), quote them in templates (`{fact.<name>}`) and
// append them to their verdict (`quotes: [...]`); rules/README.md "Facts".
//
// Who computes them: the analyzers registered in classifiers/analyzers/
// registry.cpp, or, for facts that need a layer above classifiers
// (preflight compares hosts' CPUs), the caller of rule_book::classify through
// a fact_provider. Every name a rule may use is declared in one place, the
// analyzer's own table of fact_spec, so the loader can refuse an unknown one.
//
//   struct cpu_facts final : classifiers::fact_provider {
//     void add_facts(const incident& inc, fact_set& out) const override {
//       out.push_back(text_fact("cpu.host_diff", sentence));
//     }
//   };
//   book.classify(inc, inputs, &provider);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

enum class fact_type : std::uint8_t {
  flag,    // true or false; `requires` holds when true
  number,  // a measurement; `requires` holds when it was measured
  text,    // a sentence or a list; `requires` holds when it is known
};

struct fact_spec {
  std::string_view name;     // "<analyzer>.<what>", e.g. "convergence.copy_mib_s"
  fact_type type = fact_type::text;
  std::string_view meaning;  // one line, for rules/README.md and `rules facts`
};

struct fact {
  std::string name;
  fact_type type = fact_type::text;
  bool flag = false;
  double number = 0;
  std::string text;
  // The lines it was computed from, already cited by the analyzer's id; a
  // verdict that quotes the fact cites those it does not cite yet.
  std::vector<evidence_line> evidence;
  // Read-only checks of the fact (made with make_confirm_command), added to a
  // verdict that quotes it.
  std::vector<confirm_command> confirm;
  // Skip those of `confirm` whose command the verdict already shows (the
  // inventory's dumpxml check often repeats a device rule's own).
  bool skip_known_commands = false;

  // Whether `requires: {facts: [name]}` is met.
  [[nodiscard]] bool holds() const noexcept;
  // The value as `{fact.<name>}` renders it: text as is, numbers without a
  // fraction when whole (else one decimal), flags as "yes" / "no".
  [[nodiscard]] std::string rendered() const;
};

using fact_set = std::vector<fact>;

[[nodiscard]] fact flag_fact(std::string name, bool value);
[[nodiscard]] fact number_fact(std::string name, double value);
[[nodiscard]] fact text_fact(std::string name, std::string value);
// nullptr when `facts` holds no fact of that name.
[[nodiscard]] const fact* find_fact(const fact_set& facts, std::string_view name) noexcept;

// Every fact a rule may name: each registered analyzer's, then the ones the
// caller provides (provided_fact_specs). Sorted by name.
[[nodiscard]] std::vector<fact_spec> known_facts();
// nullptr for a name no analyzer or provider declares.
[[nodiscard]] const fact_spec* find_fact_spec(std::string_view name);

// Facts computed above classifiers and handed to classify(): the pipeline
// compares the hosts' CPUs with preflight before it classifies. A provider
// adds only names declared in provided_fact_specs (others are dropped).
class fact_provider {
 public:
  fact_provider() = default;
  fact_provider(const fact_provider&) = default;
  fact_provider& operator=(const fact_provider&) = default;
  virtual ~fact_provider() = default;
  virtual void add_facts(const incident& inc, fact_set& out) const = 0;
};

// The facts a fact_provider may add (declared here so rules can name them
// whatever the caller is).
inline constexpr fact_spec kProvidedFacts[] = {
    {"cpu.host_diff", fact_type::text,
     "What the source CPU has that the destination lacks, and the baseline model for both, as a "
     "sentence (preflight, when the bundle holds both hosts' CPU captures)"},
    {"cpu.missing_features", fact_type::text,
     "The source CPU's features the destination lacks, comma-separated"},
    {"cpu.baseline_model", fact_type::text, "A CPU model both hosts can run"},
};

}  // namespace migsleuth::classifiers
