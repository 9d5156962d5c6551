// libFuzzer target: the strict cause-rule loader on arbitrary YAML. Bad input
// must become diagnostics, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/cause_loader.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  migsleuth::rulepack::rule_source src;
  src.path = "fuzz/causes/network/fuzz.yaml";
  src.relative = "causes/network/fuzz.yaml";
  src.text.assign(reinterpret_cast<const char*>(data), size);
  // Catalog selections name entries of the embedded catalog, as in analyze.
  static const auto catalog = [] {
    migsleuth::diags ignored;
    return std::make_shared<const migsleuth::rulepack::message_catalog>(
        migsleuth::rulepack::message_catalog::load(
            migsleuth::rulepack::builtin_sources("catalog/"), ignored));
  }();
  migsleuth::diags errors;
  const auto rule = migsleuth::classifiers::load_cause_rule(src, catalog, errors);
  if (!rule && errors.empty()) __builtin_trap();  // a refusal always says why
  return 0;
}
