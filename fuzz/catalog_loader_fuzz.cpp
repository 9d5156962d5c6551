// libFuzzer target: the strict message-catalog loader on arbitrary YAML, then
// the lookup on the input's own text. Bad input must become diagnostics,
// never a crash or an exception; a file that loads no entry says why.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "migsleuth/rulepack/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<migsleuth::rulepack::rule_source> sources(1);
  sources[0].path = "fuzz/catalog/libvirt/fuzz.yaml";
  sources[0].relative = "catalog/libvirt/fuzz.yaml";
  sources[0].text.assign(reinterpret_cast<const char*>(data), size);
  migsleuth::diags errors;
  const auto catalog = migsleuth::rulepack::message_catalog::load(sources, errors);
  if (catalog.size() == 0 && errors.empty()) __builtin_trap();  // a refusal always says why
  (void)catalog.decode(sources[0].text);
  (void)catalog.test_examples();
  return 0;
}
