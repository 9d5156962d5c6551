// Constructors of the per-kind parsers (private to parsers/).
#pragma once

#include <memory>

#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::parsers {

std::unique_ptr<line_parser> make_nova_compute_parser(std::shared_ptr<const shape_set> shapes,
                                                      line_context ctx);
std::unique_ptr<line_parser> make_qemu_domain_parser(std::shared_ptr<const shape_set> shapes,
                                                     line_context ctx);
// Counts lines and keeps nothing: for kinds with no parser yet and unrecognized files.
std::unique_ptr<line_parser> make_counting_parser();

}  // namespace migsleuth::parsers
