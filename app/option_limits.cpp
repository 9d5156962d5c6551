#include "option_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

namespace migsleuth::app {
namespace {

unsigned cores() noexcept { return std::max(1U, std::thread::hardware_concurrency()); }

}  // namespace

unsigned jobs_limit() noexcept {
  constexpr unsigned kPerCore = 4, kFloor = 4, kCeiling = 256;
  return std::clamp(kPerCore * cores(), kFloor, kCeiling);
}

unsigned effective_jobs(unsigned requested, std::string_view command) {
  if (requested == 0) return cores();
  const unsigned limit = jobs_limit();
  if (requested <= limit) return requested;
  fmt::print(stderr,
             "note: {} --jobs {} clamped to {} (at most 4 per core, {} core(s) here, and never "
             "over 256)\n",
             command, requested, limit, cores());
  return limit;
}

CLI::Validator byte_range(std::uint64_t lo, std::uint64_t hi, std::string_view why) {
  const std::string reason(why);
  return CLI::Validator(
      [lo, hi, reason](std::string& text) -> std::string {
        std::uint64_t v = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, v);
        const std::string range = hi == UINT64_MAX ? fmt::format("at least {} bytes", lo)
                                                   : fmt::format("from {} to {} bytes", lo, hi);
        if (ec != std::errc() || ptr != end) {
          return fmt::format("'{}' is not a number of bytes ({})", text, range);
        }
        if (v < lo || v > hi) return fmt::format("{} is out of range: {}; {}", text, range, reason);
        return {};
      },
      hi == UINT64_MAX ? fmt::format("BYTES >= {}", lo) : fmt::format("BYTES in [{} - {}]", lo, hi));
}

}  // namespace migsleuth::app
