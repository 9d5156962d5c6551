// The pieces of a collect script (collect.cpp puts them together):
// script_template.cpp writes the header and the packaging, the fixed
// template; compute_steps.cpp and controller_steps.cpp write the collection,
// every host command through script_builder::run.
#pragma once

#include <string>

#include "migsleuth/collect/collect.hpp"
#include "script_builder.hpp"

namespace migsleuth::collect {

// The comment block: what, for which instance or window, the deployment
// assumed, the privileges, what is read-only and what is packaging, privacy.
void write_header(const request& r, script_builder& b);
// Options as shell variables, the work folder, the host folder (from
// `hostname`, only [A-Za-z0-9._-]), collect.log and the helpers every step
// uses (note, run, run_append).
void write_packaging_start(const request& r, script_builder& b);
// One tarball in out_dir named by host and UTC time; the work folder removed.
void write_packaging_end(script_builder& b);

void write_compute_steps(const request& r, script_builder& b);
void write_controller_steps(const request& r, script_builder& b);

// "2024-02-13 09:15:00 UTC" (journalctl --since), "20240213T091500Z".
std::string journal_time(timestamp t);
// Seconds since the epoch, for comparing file modification times.
long long epoch_seconds(timestamp t);

}  // namespace migsleuth::collect
