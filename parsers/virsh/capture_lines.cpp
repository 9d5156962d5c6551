#include "virsh/capture_lines.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace migsleuth::parsers {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto start = s.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    const auto end = s.find_first_of(" \t");
    out.push_back(s.substr(0, end));
    s = end == std::string_view::npos ? std::string_view() : s.substr(end);
  }
  return out;
}

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) noexcept {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int month_of(std::string_view word) {
  if (word.size() < 3) return 0;
  const std::string w = lower_ascii(word.substr(0, 3));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (w == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool is_weekday(std::string_view word) {
  if (word.size() < 3) return false;
  const std::string w = lower_ascii(word.substr(0, 3));
  return std::find(kWeekdays.begin(), kWeekdays.end(), w) != kWeekdays.end();
}

// "HH:MM:SS" -> seconds of the day, or -1.
int clock_seconds(std::string_view w) noexcept {
  if (w.size() != 8 || w[2] != ':' || w[5] != ':') return -1;
  const auto h = w.substr(0, 2), m = w.substr(3, 2), s = w.substr(6, 2);
  if (!all_digits(h) || !all_digits(m) || !all_digits(s)) return -1;
  if (to_int(h) > 23 || to_int(m) > 59 || to_int(s) > 60) return -1;
  return to_int(h) * 3600 + to_int(m) * 60 + to_int(s);
}

// "+0200" / "-04:00" -> seconds east of UTC.
std::optional<int> numeric_zone(std::string_view z) noexcept {
  if (z.size() < 5 || (z[0] != '+' && z[0] != '-')) return std::nullopt;
  std::string digits;
  for (char c : z.substr(1)) {
    if (c != ':') digits.push_back(c);
  }
  if (digits.size() != 4 || !all_digits(digits)) return std::nullopt;
  const int secs = to_int(std::string_view(digits).substr(0, 2)) * 3600 +
                   to_int(std::string_view(digits).substr(2, 2)) * 60;
  return z[0] == '-' ? -secs : secs;
}

}  // namespace

std::string_view trim(std::string_view s) noexcept {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<date_line> parse_date_line(std::string_view line) noexcept {
  line = trim(line);
  if (auto iso = parse_iso_datetime(line); iso && trim(line.substr(iso->consumed)).empty()) {
    return date_line{iso->time, iso->has_zone, iso->has_zone ? "UTC" : ""};
  }
  // date(1): every token is classified by its shape, so both the C-locale and
  // the en_US order are read without a locale table.
  std::vector<std::string_view> w;
  try {
    w = words(line);
  } catch (...) {
    return std::nullopt;
  }
  if (w.size() < 5 || w.size() > 7 || !is_weekday(w[0])) return std::nullopt;
  int year = 0, month = 0, day = 0, secs = -1;
  bool pm = false, am = false;
  std::string_view zone;
  for (std::size_t i = 1; i < w.size(); ++i) {
    const std::string_view t = w[i];
    if (const int m = month_of(t); m != 0 && month == 0 && !all_digits(t)) {
      month = m;
    } else if (all_digits(t) && t.size() == 4) {
      year = to_int(t);
    } else if (all_digits(t) && t.size() <= 2 && day == 0) {
      day = to_int(t);
    } else if (const int s = clock_seconds(t); s >= 0) {
      secs = s;
    } else if (t == "PM" || t == "pm") {
      pm = true;
    } else if (t == "AM" || t == "am") {
      am = true;
    } else {
      zone = t;
    }
  }
  if (year == 0 || month == 0 || day < 1 || day > 31 || secs < 0) return std::nullopt;
  if (pm && secs < 12 * 3600) secs += 12 * 3600;
  if (am && secs >= 12 * 3600) secs -= 12 * 3600;
  date_line d;
  d.zone = std::string(zone);
  std::int64_t offset = 0;
  if (zone == "UTC" || zone == "GMT" || zone == "Z") {
    d.zone_known = true;
  } else if (auto z = numeric_zone(zone)) {
    d.zone_known = true;
    offset = *z;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  d.time.micros = (days * 86400 + secs - offset) * 1'000'000;
  return d;
}

std::optional<virsh_command> parse_virsh_command(std::string_view line) {
  const auto at = line.find("virsh ");
  if (at == std::string_view::npos) return std::nullopt;
  // Only a prompt may precede "virsh": "$ ", "# ", "[root@h ~]# ", "cmp-a$ ".
  const std::string_view before = trim(line.substr(0, at));
  if (!before.empty() && before.back() != '$' && before.back() != '#' && before.back() != '>') {
    return std::nullopt;
  }
  const auto w = words(line.substr(at + 6));
  virsh_command cmd;
  bool takes_value = false;  // "-c URI" / "--connect URI" before the subcommand
  for (const auto word : w) {
    if (word == ";" || word == "&&" || word == "|") break;
    if (cmd.subcommand.empty()) {
      if (takes_value) {
        takes_value = false;
      } else if (word == "-c" || word == "--connect") {
        takes_value = true;
      } else if (word.front() != '-') {
        cmd.subcommand = std::string(word);
      }
      continue;
    }
    if (word.substr(0, 2) == "--") {
      cmd.options.emplace_back(word);
    } else {
      cmd.arguments.emplace_back(word);
    }
  }
  if (cmd.subcommand.empty()) return std::nullopt;
  return cmd;
}

std::string domain_from_capture_name(std::string_view file_name, std::string_view stem) {
  if (file_name.substr(0, stem.size()) != stem) return {};
  std::string_view rest = file_name.substr(stem.size());
  if (rest.empty() || (rest.front() != '-' && rest.front() != '_')) return {};
  rest.remove_prefix(1);
  // Extensions (".txt", ".out", ".log", ".gz"): libvirt domain names never hold
  // a dot in nova ("instance-%08x"), and UUIDs neither.
  rest = rest.substr(0, rest.find('.'));
  return std::string(rest);
}

}  // namespace migsleuth::parsers
