// The fleet page's aggregates. Plain counting over the failure rows; the
// only judgement here is how long a bar's time span is, and that is chosen so
// a page never has more than about a hundred bars.
#include "fleet_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <tuple>

#include "migsleuth/core/time.hpp"

namespace migsleuth::report {
namespace {

constexpr std::array<std::string_view, 7> kClassOrder = {"cpu_incompatibility",
                                                         "non_convergence",
                                                         "device_passthrough",
                                                         "storage",
                                                         "network",
                                                         "capacity",
                                                         "unknown"};

std::size_t class_rank(const std::string& c) {
  const auto it = std::find(kClassOrder.begin(), kClassOrder.end(), c);
  return static_cast<std::size_t>(it - kClassOrder.begin());
}

int digits(std::string_view s) {
  int v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() ? v : -1;
}

// Days since 1970-01-01 of an RFC 3339 time's date, or none.
std::optional<std::int64_t> day_of(const std::string& t) {
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  const int y = digits(std::string_view(t).substr(0, 4));
  const int m = digits(std::string_view(t).substr(5, 2));
  const int d = digits(std::string_view(t).substr(8, 2));
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string date_text(std::int64_t day) {
  return format_rfc3339(timestamp{day * 86'400'000'000LL}).substr(0, 10);
}

std::int64_t monday_of(std::int64_t day) {
  // 1970-01-01 was a Thursday: Monday-based weekday is (day + 3) mod 7.
  const std::int64_t weekday = ((day + 3) % 7 + 7) % 7;
  return day - weekday;
}

// Months since year 0, so that consecutive months are consecutive numbers.
std::int64_t month_index(std::int64_t day) {
  const std::string d = date_text(day);
  return digits(std::string_view(d).substr(0, 4)) * 12LL +
         digits(std::string_view(d).substr(5, 2)) - 1;
}

std::string month_text(std::int64_t index) {
  return fmt::format("{:04}-{:02}", index / 12, index % 12 + 1);
}

void fill_buckets(const fleet_data& d, fleet_view& v) {
  std::optional<std::int64_t> lo, hi;
  for (std::size_t i = 0; i < d.failures.size(); ++i) {
    const auto day = day_of(d.failures[i].started_at);
    if (!day) {
      v.no_time.push_back(i);
      continue;
    }
    lo = lo ? std::min(*lo, *day) : *day;
    hi = hi ? std::max(*hi, *day) : *day;
  }
  if (!lo) return;
  // Keys and a bucket number for each failure with a time.
  std::int64_t first = *lo, last = *hi;
  if (last - first > 62) v.size = bucket_size::week;
  if (last - first > 2 * 366) v.size = bucket_size::month;
  auto index = [&](std::int64_t day) {
    switch (v.size) {
      case bucket_size::day:
        return day;
      case bucket_size::week:
        return monday_of(day);
      case bucket_size::month:
        return month_index(day);
    }
    return day;
  };
  const std::int64_t step = v.size == bucket_size::week ? 7 : 1;
  first = index(first);
  last = index(last);
  for (std::int64_t b = first; b <= last; b += step) {
    v.buckets.push_back({v.size == bucket_size::month ? month_text(b) : date_text(b), {}, 0});
  }
  for (std::size_t i = 0; i < d.failures.size(); ++i) {
    const auto day = day_of(d.failures[i].started_at);
    if (!day) continue;
    time_bucket& b = v.buckets[static_cast<std::size_t>((index(*day) - first) / step)];
    b.by_class[d.failures[i].classification].push_back(i);
    ++b.total;
  }
}

std::vector<std::string> hosts_by_failures(const std::map<std::string, std::size_t>& counts) {
  std::vector<std::string> hosts;
  for (const auto& [h, n] : counts) hosts.push_back(h);
  std::stable_sort(hosts.begin(), hosts.end(), [&](const std::string& a, const std::string& b) {
    return counts.at(a) > counts.at(b);
  });
  return hosts;
}

}  // namespace

std::string dominant_class(const fleet_data& d, const row_list& rows,
                           const std::vector<std::string>& classes) {
  std::map<std::string, std::size_t> n;
  for (std::size_t i : rows) ++n[d.failures[i].classification];
  std::string best;
  std::size_t most = 0;
  for (const auto& c : classes) {  // the contract's order breaks ties
    if (const auto it = n.find(c); it != n.end() && it->second > most) {
      best = c;
      most = it->second;
    }
  }
  return best;
}

fleet_view build_fleet_view(const fleet_data& d) {
  fleet_view v;
  std::map<std::string, std::size_t> from, to;
  std::map<std::pair<std::string, std::string>, std::size_t> cause_index;
  std::map<std::string, std::size_t> template_index;
  for (std::size_t i = 0; i < d.failures.size(); ++i) {
    const fleet_incident& f = d.failures[i];
    v.by_class[f.classification].push_back(i);
    ++from[f.source];
    ++to[f.destination];
    v.pairs[{f.source, f.destination}].push_back(i);
    const auto key = std::make_pair(f.classification, f.cause);
    auto [ci, fresh] = cause_index.emplace(key, v.causes.size());
    if (fresh) v.causes.push_back({f.classification, f.cause, {}, {}, {}});
    cause_row& c = v.causes[ci->second];
    c.rows.push_back(i);
    if (!f.started_at.empty()) {
      if (c.first_seen.empty() || f.started_at < c.first_seen) c.first_seen = f.started_at;
      if (f.started_at > c.last_seen) c.last_seen = f.started_at;
    }
    if (!f.error_template.empty()) {
      auto [ti, added] = template_index.emplace(f.error_template, v.templates.size());
      // The example is the first row's (the earliest failure with this template).
      if (added) v.templates.push_back({f.error_template, f.example, {}});
      v.templates[ti->second].rows.push_back(i);
    }
  }
  for (const auto& [c, rows] : v.by_class) v.classes.push_back(c);
  std::stable_sort(
      v.classes.begin(), v.classes.end(),
      [](const std::string& a, const std::string& b) { return class_rank(a) < class_rank(b); });
  fill_buckets(d, v);
  v.sources = hosts_by_failures(from);
  v.destinations = hosts_by_failures(to);
  std::sort(v.causes.begin(), v.causes.end(), [](const cause_row& a, const cause_row& b) {
    if (a.rows.size() != b.rows.size()) return a.rows.size() > b.rows.size();
    return std::tie(a.classification, a.cause) < std::tie(b.classification, b.cause);
  });
  std::sort(v.templates.begin(), v.templates.end(),
            [](const template_row& a, const template_row& b) {
              if (a.rows.size() != b.rows.size()) return a.rows.size() > b.rows.size();
              return a.tpl < b.tpl;
            });
  return v;
}

}  // namespace migsleuth::report
