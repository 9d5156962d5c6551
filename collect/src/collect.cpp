// write_script(): the request checked, then the script put together from
// the template and the collection steps; any command the read-only checker
// refuses makes the whole script an error (nothing unchecked is written).
#include <algorithm>

#include "migsleuth/collect/collect.hpp"
#include "migsleuth/core/text.hpp"
#include "script_parts.hpp"

namespace migsleuth::collect {
namespace {

// A Kubernetes namespace: a DNS-1123 label.
bool k8s_name(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The output folder is written into the script as a quoted literal; a
// control character (a newline) would still make it unreadable to a person.
bool plain_path(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

}  // namespace

std::optional<std::string> normalized_uuid(std::string_view s) {
  if (!looks_like_uuid(s)) return std::nullopt;
  return lower_ascii(s);
}

script write_script(const request& in) {
  script s;
  request r = in;
  if (!r.instance.empty()) {
    const auto id = normalized_uuid(r.instance);
    if (!id) {
      s.error = "--instance '" + r.instance +
                "' is not an instance UUID (8-4-4-4-12 hex digits, as `openstack server "
                "list` prints it)";
      return s;
    }
    r.instance = *id;
  }
  if (r.instance.empty() && !r.since) {
    s.error = "say what to collect: --instance UUID, or --since (and --until) for every "
              "migration in a window";
    return s;
  }
  if (r.since && r.until && *r.since > *r.until) {
    s.error = "--since " + format_rfc3339(*r.since) + " is after --until " +
              format_rfc3339(*r.until);
    return s;
  }
  if (!plain_path(r.out_dir)) {
    s.error = "--out-dir must be a folder path without control characters";
    return s;
  }
  if (!k8s_name(r.k8s_namespace)) {
    s.error = "--k8s-namespace '" + r.k8s_namespace + "' is not a Kubernetes namespace name";
    return s;
  }
  if (r.job_samples == 0 || r.job_samples > 600 || r.job_interval_s > 60) {
    s.error = "--job-samples takes 1 to 600, --job-interval 0 to 60 seconds";
    return s;
  }
  script_builder b;
  write_header(r, b);
  write_packaging_start(r, b);
  if (r.where == target::compute) {
    write_compute_steps(r, b);
  } else {
    write_controller_steps(r, b);
  }
  write_packaging_end(b);
  if (!b.error().empty()) {
    s.error = b.error();  // a bug in the steps: said, never written
    return s;
  }
  s.text = b.out();
  s.commands = b.checked();
  return s;
}

}  // namespace migsleuth::collect
