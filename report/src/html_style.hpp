// The inline stylesheet of the HTML report (html_style.cpp).
#pragma once

#include <string_view>

namespace migsleuth::report {

std::string_view html_css();

}  // namespace migsleuth::report
