// Pieces of the HTML report (html_writer.cpp): the SVG figures, each a
// function from an incident to markup. Private to report/.
//
// What they do not do: fetch anything or need script. Every figure is inline
// SVG with <title> tooltips, readable with JavaScript off.
#pragma once

#include <span>
#include <string>

#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::report {

// Swimlanes (source / destination / controller, plus others when present),
// times on the source's clock, one marker per event coloured by kind, the
// failure point highlighted (for an attempt with no failure event, e.g. a stuck
// one, the first evidence line). Empty when no event has a time.
std::string html_timeline(const incident& inc, const verdict& v, std::span<const input> inputs);

// Memory remaining, and copy bandwidth vs dirty rate, over time: from nova
// progress lines and/or job_stats (domjobinfo, query-migrate). Empty when
// there are fewer than two samples.
std::string html_convergence(const incident& inc);

// SVG number formatting: fixed one decimal, so output is deterministic.
std::string svg_num(double v);

}  // namespace migsleuth::report
