// The inline stylesheet of the HTML report (html_style.cpp).
#pragma once

#include <string_view>

namespace migsleuth::report {

std::string_view html_css();
// What the fleet page adds to html_css(): class colours, the matrix, the
// drill-down groups (shown only as the link's :target, so no script is needed).
std::string_view fleet_css();

}  // namespace migsleuth::report
