// The fleet page's numbers (fleet_view.cpp): every aggregate of the page,
// computed once from fleet_data::failures, each with the rows (indexes into
// `failures`) behind it, so every number can link to its incidents.
// Private to report/.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "migsleuth/report/fleet.hpp"

namespace migsleuth::report {

using row_list = std::vector<std::size_t>;  // indexes into fleet_data::failures

// Bars are per day; per ISO week (Monday) past two months; per month past two years.
enum class bucket_size : std::uint8_t { day, week, month };

struct time_bucket {
  std::string key;  // "2024-03-05" (the day, or the week's Monday) or "2024-03"
  std::map<std::string, row_list> by_class;
  std::size_t total = 0;
};

struct cause_row {
  std::string classification, cause;  // cause empty: no rule decided
  row_list rows;
  std::string first_seen, last_seen;  // RFC 3339; empty when no row has a time
};

struct template_row {
  std::string tpl, example;
  row_list rows;
};

struct fleet_view {
  std::vector<std::string> classes;  // present ones, in the contract's order
  std::map<std::string, row_list> by_class;
  bucket_size size = bucket_size::day;
  std::vector<time_bucket> buckets;  // every bucket from the first to the last
  row_list no_time;                  // failures with no start time
  // Hosts by failures (most first, then name); "" is a host nobody identified.
  std::vector<std::string> sources, destinations;
  std::map<std::pair<std::string, std::string>, row_list> pairs;
  std::vector<cause_row> causes;        // most rows first, then (class, cause)
  std::vector<template_row> templates;  // most rows first, then template
};

fleet_view build_fleet_view(const fleet_data& d);

// The class that most rows of `rows` have (ties: the contract's order).
std::string dominant_class(const fleet_data& d, const row_list& rows,
                           const std::vector<std::string>& classes);

}  // namespace migsleuth::report
