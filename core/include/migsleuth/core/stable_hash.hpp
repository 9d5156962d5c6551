// FNV-1a over a sequence of fields, for ids that must be the same for the same
// inputs on every run and machine (incident ids, finding ids). Each field is
// followed by a 0xff byte, which UTF-8 text never holds, so ("ab", "c") and
// ("a", "bc") differ.
//
//   stable_hash h;
//   h.mix(instance);
//   h.mix(source);
//   fmt::format("mig-{:016x}", h.value());
#pragma once

#include <cstdint>
#include <string_view>

namespace migsleuth {

class stable_hash {
 public:
  void mix(std::string_view field) noexcept {
    for (const char c : field) step(static_cast<unsigned char>(c));
    step(0xff);
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return h_; }

 private:
  void step(unsigned char byte) noexcept {
    h_ ^= byte;
    h_ *= 1099511628211ULL;
  }
  std::uint64_t h_ = 1469598103934665603ULL;
};

}  // namespace migsleuth
