#include "migsleuth/core/time.hpp"

#include <fmt/format.h>

#include <cstring>

namespace migsleuth {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::int64_t days_from_civil(int year, unsigned month, unsigned day) noexcept {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = month > 2 ? month - 3 : month + 9;
  const unsigned doy = (153 * mp + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

// "YYYY-MM-DD?HH:MM" and the seconds since the epoch it starts, of the last
// stamp this thread parsed: a log's lines share their minute, so most stamps
// need only their seconds read (the date and clock were a twentieth of
// reading a nova log).
struct minute_memo {
  char stamp[16] = {};
  std::int64_t seconds = 0;
  bool valid = false;
};
thread_local minute_memo last_minute;

// Seconds since the epoch of a valid "YYYY-MM-DD?HH:MM" at the start of `s`,
// or nullopt.
std::optional<std::int64_t> minute_start(std::string_view s) noexcept {
  minute_memo& memo = last_minute;
  if (memo.valid && std::memcmp(memo.stamp, s.data(), sizeof memo.stamp) == 0) {
    return memo.seconds;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  if (!digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) {
    return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::memcpy(memo.stamp, s.data(), sizeof memo.stamp);
  memo.seconds = days * 86400 + hour * 3600 + minute * 60;
  memo.valid = true;
  return memo.seconds;
}

}  // namespace

std::optional<parsed_time> parse_iso_datetime(std::string_view s) noexcept {
  // YYYY-MM-DD?HH:MM:SS
  if (s.size() < 19 || s[16] != ':') return std::nullopt;
  const std::optional<std::int64_t> minute_secs = minute_start(s);
  int second = 0;
  if (!minute_secs || !digits(s, 17, 2, second) || second > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t frac_micros = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    std::size_t n = 0;
    std::int64_t scale = 100000;
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && n < 9) {
      if (scale > 0) {
        frac_micros += (s[pos] - '0') * scale;
        scale /= 10;
      }
      ++pos;
      ++n;
    }
    if (n == 0) return std::nullopt;
  }
  std::int64_t offset_seconds = 0;
  bool has_zone = false;
  if (pos < s.size() && s[pos] == 'Z') {
    has_zone = true;
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (digits(s, pos + 1, 2, oh)) {
      std::size_t p = pos + 3;
      if (p < s.size() && s[p] == ':') ++p;
      if (digits(s, p, 2, om)) {
        has_zone = true;
        offset_seconds = sign * (oh * 3600 + om * 60);
        pos = p + 2;
      }
    }
  }
  const std::int64_t secs = *minute_secs + second - offset_seconds;
  parsed_time out;
  out.time.micros = secs * kMicrosPerSecond + frac_micros;
  out.consumed = pos;
  out.has_zone = has_zone;
  return out;
}

std::string format_rfc3339(timestamp t) {
  if (!t.known()) return {};
  std::int64_t secs = t.micros / kMicrosPerSecond;
  std::int64_t micros = t.micros % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    secs -= 1;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  // civil_from_days (Hinnant)
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", y, m, d, rem / 3600,
                     (rem / 60) % 60, rem % 60, micros);
}

std::int64_t nearest_quarter_hour(std::int64_t seconds) noexcept {
  constexpr std::int64_t kQuarter = 900;
  return (seconds >= 0 ? seconds + kQuarter / 2 : seconds - kQuarter / 2) / kQuarter * kQuarter;
}

}  // namespace migsleuth
