// The registered analyzers and the fact vocabulary rules may use.
#include "analyzers/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analyzers/attempt.hpp"
#include "analyzers/convergence.hpp"
#include "analyzers/device_inventory.hpp"

namespace migsleuth::classifiers {
namespace {

// Adding an analyzer: one entry here (its id names its facts' prefix).
const analyzer kAnalyzers[] = {
    {"attempt", attempt_fact_specs(), run_attempt},
    {"convergence", convergence_fact_specs(), run_convergence},
    {"devices", device_fact_specs(), run_device_inventory},
};

}  // namespace

bool fact::holds() const noexcept {
  switch (type) {
    case fact_type::flag: return flag;
    case fact_type::number: return true;
    case fact_type::text: return !text.empty();
  }
  return false;
}

std::string fact::rendered() const {
  switch (type) {
    case fact_type::flag: return flag ? "yes" : "no";
    case fact_type::number:
      return number == std::floor(number) && std::fabs(number) < 1e15 ? fmt::format("{:.0f}", number)
                                                                       : fmt::format("{:.1f}", number);
    case fact_type::text: return text;
  }
  return {};
}

fact flag_fact(std::string name, bool value) {
  fact f;
  f.name = std::move(name);
  f.type = fact_type::flag;
  f.flag = value;
  return f;
}

fact number_fact(std::string name, double value) {
  fact f;
  f.name = std::move(name);
  f.type = fact_type::number;
  f.number = value;
  return f;
}

fact text_fact(std::string name, std::string value) {
  fact f;
  f.name = std::move(name);
  f.type = fact_type::text;
  f.text = std::move(value);
  return f;
}

const fact* find_fact(const fact_set& facts, std::string_view name) noexcept {
  const auto it = std::find_if(facts.begin(), facts.end(),
                               [&](const fact& f) { return f.name == name; });
  return it == facts.end() ? nullptr : &*it;
}

std::span<const analyzer> registered_analyzers() { return kAnalyzers; }

std::vector<fact_spec> known_facts() {
  std::vector<fact_spec> out;
  for (const auto& a : kAnalyzers) out.insert(out.end(), a.produces.begin(), a.produces.end());
  out.insert(out.end(), std::begin(kProvidedFacts), std::end(kProvidedFacts));
  std::sort(out.begin(), out.end(),
            [](const fact_spec& a, const fact_spec& b) { return a.name < b.name; });
  return out;
}

const fact_spec* find_fact_spec(std::string_view name) {
  for (const auto& a : kAnalyzers) {
    for (const auto& s : a.produces) {
      if (s.name == name) return &s;
    }
  }
  for (const auto& s : kProvidedFacts) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

incident_analysis analyze_incident(const incident& inc, const fact_provider* provider) {
  incident_analysis out;
  out.outputs.resize(std::size(kAnalyzers));
  for (std::size_t i = 0; i < std::size(kAnalyzers); ++i) {
    kAnalyzers[i].run(inc, out.outputs[i]);
    for (auto& f : out.outputs[i].facts) out.facts.push_back(std::move(f));
    out.outputs[i].facts.clear();
  }
  if (provider != nullptr) {
    fact_set provided;
    provider->add_facts(inc, provided);
    for (auto& f : provided) {
      const bool declared =
          std::any_of(std::begin(kProvidedFacts), std::end(kProvidedFacts),
                      [&](const fact_spec& s) { return s.name == f.name && s.type == f.type; });
      if (declared) out.facts.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace migsleuth::classifiers
