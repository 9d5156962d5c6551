// libFuzzer target: the read-only checker on arbitrary command lines. It must
// return on any input, and a refusal always says why (an acceptance never does).
#include <cstddef>
#include <cstdint>
#include <string>

#include "migsleuth/classifiers/classify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string command(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (migsleuth::classifiers::is_read_only_command(command, why) != why.empty()) __builtin_trap();
  why.clear();
  if (migsleuth::classifiers::is_read_only_shown_command(command, why) != why.empty()) {
    __builtin_trap();
  }
  return 0;
}
