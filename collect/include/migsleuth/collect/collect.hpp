// `migsleuth collect`: writes a POSIX shell script that gathers, on one
// compute host (or on a controller), exactly what `migsleuth analyze` needs
// for one instance or for every migration in a time window, and packs it into
// one tarball that analyze reads as it is (a host folder at the top, the
// host's real log paths under it, captures named and framed as analyze
// recognises them).
//
//   collect::request r;
//   r.instance = "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69";
//   r.deployment = deployment_kind::tripleo;
//   collect::script s = collect::write_script(r);   // s.error empty when written
//
// Every command the script runs on the host is built here as words, checked
// by the read-only checker (classifiers' is_read_only_shown_command) and only
// then written into the script; `s.commands` lists them as checked. The
// script's packaging (its own mktemp -d work folder, the files written into
// it, one tar -czf, removing its work folder) is a fixed template
// (script_template.cpp), reviewed, and documented in SECURITY.md.
//
// What it does not do: run anything, read the host, or know where the logs
// are (core/deployment.hpp says, per deployment).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/deployment.hpp"
#include "migsleuth/core/time.hpp"

namespace migsleuth::collect {

enum class target : std::uint8_t { compute, controller };

struct request {
  target where = target::compute;
  deployment_kind deployment = deployment_kind::plain;
  std::string instance;               // a UUID (any case); empty = every migration in the window
  std::optional<timestamp> since;     // UTC
  std::optional<timestamp> until;     // UTC; none = up to when the script runs
  std::string out_dir = ".";          // where the script writes its tarball
  std::string k8s_namespace = "openstack";
  unsigned job_samples = 10;          // virsh domjobinfo samples while a job is active
  unsigned job_interval_s = 1;        // seconds between two samples
  std::string version;                // migsleuth's, for the header
};

struct script {
  std::string text;                   // the script, empty when error is set
  std::string error;                  // a usage error: the request cannot be written
  // Every command that reads the host, as the read-only checker judged it
  // (a value known only when the script runs is a <name> gap).
  std::vector<std::string> commands;
};

// The instance as the script uses it: lower case, or nullopt when `s` is not
// a UUID (8-4-4-4-12 hex digits).
[[nodiscard]] std::optional<std::string> normalized_uuid(std::string_view s);

// The script for `r`, or an error saying what is wrong with `r` (not a UUID,
// --since after --until, neither an instance nor a window, an out_dir that
// is not a plain path, a namespace that is not a Kubernetes name).
[[nodiscard]] script write_script(const request& r);

}  // namespace migsleuth::collect
