// Timestamps: UTC microseconds since the Unix epoch, plus the hand-written
// fixed-format parsers the hot path needs (no strptime, no regex).
//
// What it does not do: time-zone database lookups. Offsets are plain seconds
// decided by the ingest stage (per host) and applied by the caller.
//
//   auto t = parse_iso_datetime("2022-02-10 16:18:31.313");   // naive
//   t->add_seconds(-3600);                                      // local -> UTC
//   format_rfc3339(*t) == "2022-02-10T15:18:31.313Z"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migsleuth {

struct timestamp {
  std::int64_t micros = kUnknown;  // UTC microseconds since 1970-01-01

  static constexpr std::int64_t kUnknown = INT64_MIN;

  [[nodiscard]] constexpr bool known() const noexcept { return micros != kUnknown; }
  constexpr void add_seconds(std::int64_t s) noexcept {
    if (known()) micros += s * 1'000'000;
  }
  friend constexpr auto operator<=>(const timestamp&, const timestamp&) = default;
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day) noexcept;

// Parses the leading "YYYY-MM-DD HH:MM:SS" of `text`, optionally followed by a
// fraction ".f..." (1-9 digits) and an optional zone: "Z", "+0000", "+00:00".
// The date/time separator may be ' ' or 'T'. On success returns the time (UTC if
// a zone was present, naive otherwise) and sets `consumed` to the bytes used.
struct parsed_time {
  timestamp time;
  std::size_t consumed = 0;
  bool has_zone = false;
};
std::optional<parsed_time> parse_iso_datetime(std::string_view text) noexcept;

// "2022-02-10T16:18:31.313000Z" (always microseconds, always Z) or "" if unknown.
std::string format_rfc3339(timestamp t);

// Real UTC offsets are whole quarter hours: `seconds` (the difference of two
// clocks that say the same moment) to the nearest multiple of 900, halves
// away from zero. Every place that derives a host's offset from such a pair
// rounds through here.
std::int64_t nearest_quarter_hour(std::int64_t seconds) noexcept;

}  // namespace migsleuth
