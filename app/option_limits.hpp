// The ranges the CLI accepts for the numbers that bound time and memory
// (README "Options of analyze", SECURITY.md "Limits"), and the --jobs clamp
// shared by analyze and scan. A value outside its range is a usage error
// (exit 2) that names the range and why it is there.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string_view>

namespace migsleuth::app {

// --max-line: an oslo.log header with its request context takes ~200 bytes
// and the messages the rules read (a libvirt error with its URI and errno)
// several hundred more; below 1 KiB a limit cuts the very text that decides
// a cause. Above 256 MiB one line's buffer (per reading thread) is no longer
// a bound worth the name.
inline constexpr std::uint64_t kMinMaxLine = 1U << 10;
inline constexpr std::uint64_t kMaxMaxLine = 256U << 20;
// --max-decompressed: below one read chunk (1 MiB) every file stops inside
// its first chunk, so nothing would be analyzed while the run looks fine.
inline constexpr std::uint64_t kMinMaxDecompressed = 1U << 20;

// --jobs above this many threads buys nothing (the work is CPU and disk
// bound) and, far above it, thread creation fails: 4 per core, at least 4,
// at most 256.
unsigned jobs_limit() noexcept;

// What --jobs N means: 0 = one per core; above jobs_limit() it is clamped,
// with a note on stderr naming `command`.
unsigned effective_jobs(unsigned requested, std::string_view command);

// A CLI11 check: an unsigned number of bytes in [lo, hi]; the error names
// the range and `why`.
CLI::Validator byte_range(std::uint64_t lo, std::uint64_t hi, std::string_view why);

}  // namespace migsleuth::app
