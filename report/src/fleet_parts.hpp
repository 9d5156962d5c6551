// Pieces of the fleet page (fleet_html.cpp, fleet_figures.cpp). Private to report/.
//
// Every number on the page is a link to a group: a list of the failures
// behind it, shown when its anchor is the target (CSS :target, no script).
// Each number also carries data-metric / data-n attributes naming what it
// counts, which is what the tests compare with SQL over the database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleet_view.hpp"

namespace migsleuth::report {

struct fleet_group {
  std::string id;     // the anchor, "g-..."
  std::string label;  // HTML: what the group is
  row_list rows;
};

class fleet_groups {
 public:
  // `<a class="n" href="#ID" data-n="N" ATTRS>N</a>`, and the group remembered.
  // `attrs` is HTML (already escaped) such as ` data-metric="cause" data-cause="x"`.
  std::string link(std::string id, std::string label_html, const row_list& rows,
                   std::string_view attrs);
  // The group alone, for a number drawn elsewhere (an SVG bar links to it itself).
  void add(std::string id, std::string label_html, const row_list& rows);
  const std::vector<fleet_group>& all() const noexcept { return groups_; }

 private:
  std::vector<fleet_group> groups_;
};

// A short tag for a class in small places (matrix cells, legends): "cpu", "net".
std::string_view class_abbrev(std::string_view cls);

// " data-NAME=\"VALUE\"" with VALUE escaped.
std::string data_attr(std::string_view name, std::string_view value);

// Stacked bars of failures per class over time (SVG), with its legend.
std::string fleet_time_chart(const fleet_view& v, fleet_groups& g);
// Source x destination table, each cell shaded by its failures and tagged
// with its dominant class.
std::string fleet_matrix(const fleet_data& d, const fleet_view& v, fleet_groups& g);

}  // namespace migsleuth::report
