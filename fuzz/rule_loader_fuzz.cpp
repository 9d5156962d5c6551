// libFuzzer target: the strict cause-rule loader on arbitrary YAML. Bad input
// must become diagnostics, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/cause_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  migsleuth::rulepack::rule_source src;
  src.path = "fuzz/causes/network/fuzz.yaml";
  src.relative = "causes/network/fuzz.yaml";
  src.text.assign(reinterpret_cast<const char*>(data), size);
  migsleuth::diags errors;
  const auto rule = migsleuth::classifiers::load_cause_rule(src, errors);
  if (!rule && errors.empty()) __builtin_trap();  // a refusal always says why
  return 0;
}
