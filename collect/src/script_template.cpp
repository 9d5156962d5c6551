// The fixed template of a collect script: its header comment, the packaging
// (a private work folder, the host folder, collect.log, one tarball) and the
// helpers every collection step goes through. Nothing here reads the host
// except the three commands it builds through script_builder::run (hostname,
// date -u); everything else it runs writes only inside its own work folder
// or, once, the tarball into the output folder. SECURITY.md "Collecting"
// describes it; a change here is a change to what operators run as root.
#include <fmt/format.h>

#include "script_parts.hpp"

namespace migsleuth::collect {
namespace {

std::string window_text(const request& r) {
  const std::string since = r.since ? format_rfc3339(*r.since) : "";
  const std::string until = r.until ? format_rfc3339(*r.until) : "when it runs";
  if (!r.since) return {};
  return fmt::format("{} to {}", since, until);
}

}  // namespace

std::string journal_time(timestamp t) {
  std::string s = format_rfc3339(t);  // 2024-02-13T09:15:00Z or with a fraction
  s = s.substr(0, 19);
  s[10] = ' ';
  return s + " UTC";
}

long long epoch_seconds(timestamp t) {
  const std::int64_t us = t.micros;
  return static_cast<long long>(us >= 0 ? us / 1'000'000 : -((-us + 999'999) / 1'000'000));
}

void write_header(const request& r, script_builder& b) {
  const bool compute = r.where == target::compute;
  std::string what = r.instance.empty() ? "every migration between " + window_text(r) + " (UTC)"
                                        : "instance " + r.instance;
  if (!r.instance.empty() && r.since) what += ", between " + window_text(r) + " (UTC)";
  b.text("#!/bin/sh\n");
  b.text(fmt::format(
      "# migsleuth collect ({}): what `migsleuth analyze` needs from this {}\n"
      "# for {}.\n",
      r.version.empty() ? "migsleuth" : "migsleuth " + r.version,
      compute ? "compute host" : "controller (openstack CLI)", what));
  if (compute) {
    const deployment_kind k = r.deployment;
    b.text(fmt::format(
        "#\n# Deployment assumed: {} (--deployment {}).\n"
        "#   nova-compute's logs: {}\n#   libvirt's and QEMU's logs: {}\n#   nova.conf: {}\n"
        "#   virsh: {}\n",
        describe(k), to_string(k),
        nova_logs_in_journal(k) ? "the journal of " + nova_unit(k) + " (and " +
                                      std::string(nova_log_dir(k)) + ")"
        : k == deployment_kind::kubernetes ? "the nova-compute pod's container log (kubectl logs)"
                                           : std::string(nova_log_dir(k)),
        k == deployment_kind::kubernetes ? "/var/log/libvirt/ and the libvirt pod's log"
                                         : std::string(libvirt_log_dir(k)),
        nova_conf_path(k).empty() ? "read in the nova-compute pod"
                                  : std::string(nova_conf_path(k)),
        default_libvirt_container(k).empty()
            ? "run on the host (virsh -r)"
            : "run in the " + std::string(default_libvirt_container(k)) +
                  (k == deployment_kind::kubernetes ? " container of the libvirt pod (kubectl exec)"
                                                    : " container (" +
                                                          std::string(container_engine(k)) +
                                                          " exec; nova_virtqemud when it runs)")));
    b.text(
        "#\n# Privileges: run it as root, or as a user who can read those logs and the\n"
        "# journal (groups adm, systemd-journal), run `virsh -r` (group libvirt)"
        "" + std::string(r.deployment == deployment_kind::kubernetes
                             ? "\n# and kubectl logs/exec in the namespace (a kubeconfig)"
                         : default_libvirt_container(r.deployment).empty()  // plain, EDPM
                             ? ""
                             : " and " + std::string(container_engine(r.deployment)) + " exec") +
        ". It never\n# calls sudo and asks for no password.\n");
  } else {
    b.text(
        "#\n# Privileges: the openstack CLI with admin credentials in the environment\n"
        "# (OS_CLOUD, or an openrc sourced first): server show's host fields,\n"
        "# migrations and hypervisors are admin-only. The script reads no credential\n"
        "# itself and never calls sudo.\n");
  }
  b.text(
      "#\n# Read-only: it changes nothing on this host. Every command that reads the\n"
      "# host is written in the \"collection\" part below and passed migsleuth's\n"
      "# read-only checker (`migsleuth rules check-command`) when this script was\n"
      "# written. The \"packaging\" parts are a fixed template: a work folder of its\n"
      "# own (mktemp -d), the copies written there, one tarball written into the\n"
      "# output folder, the work folder removed (SECURITY.md \"Collecting\"). A step\n"
      "# that fails (a file missing, no virsh) is written to collect.log in the\n"
      "# tarball and the script goes on.\n"
      "#\n# Privacy: nova.conf is reduced to the options an analysis reads\n"
      "# (live_migration_*, cpu_mode, cpu_models, host, my_ip, ...): passwords,\n"
      "# transport_url, keys and tokens are never copied, and a user:password@ in a\n"
      "# URL becomes ***@. Logs and captures are copied as they are: they hold host\n"
      "# names, addresses, instance and domain names.\n"
      "#\n# Output: migsleuth-collect-HOST-YYYYMMDDTHHMMSSZ.tar.gz in the output folder,\n"
      "# read as it is by `migsleuth analyze FILE.tar.gz` (one host folder inside).\n"
      "#\n# Test hook: MIGSLEUTH_COLLECT_ROOT=DIR reads the host's files under DIR\n"
      "# instead of / (migsleuth's tests run the script on a fake host tree).\n"
      "# Leave it unset.\n");
}

void write_packaging_start(const request& r, script_builder& b) {
  b.text(fmt::format("\nset -u\numask 077\nLC_ALL=C\nexport LC_ALL\n\nout_dir={}\n",
                     shell_quote(r.out_dir)));
  b.text(
      "\n# ---- packaging (fixed template): the work folder and the host folder ----\n"
      "if [ ! -d \"$out_dir\" ] || [ ! -w \"$out_dir\" ]; then\n"
      "  echo \"migsleuth-collect: the output folder $out_dir is not a writable folder\" >&2\n"
      "  exit 1\n"
      "fi\n"
      "work=$(mktemp -d \"${TMPDIR:-/tmp}/migsleuth-collect.XXXXXX\") || {\n"
      "  echo 'migsleuth-collect: cannot make a work folder' >&2\n"
      "  exit 1\n"
      "}\n"
      "trap 'rm -rf -- \"$work\"' EXIT\n"
      "trap 'exit 130' INT TERM\n"
      "# The host folder analyze files everything under: hostname's answer, only\n"
      "# the characters of a host name (nothing the host says becomes a path).\n");
  b.text("host=$(" + b.run({lit("hostname")}) + " 2>/dev/null | tr -cd 'A-Za-z0-9._-')\n");
  b.text(
      "case $host in '' | .* | -*) host=unknown-host ;; esac\n"
      "dest=\"$work/$host\"\n"
      "mkdir -p \"$dest\" || exit 1\n"
      "log=\"$dest/collect.log\"\n"
      ": >\"$log\"\n"
      "\n# note TEXT: a line in collect.log.\n"
      "note() { printf '%s\\n' \"$*\" >>\"$log\"; }\n"
      "# run OUT COMMAND...: COMMAND's output into OUT (a path in the host folder),\n"
      "# its errors and a failure into collect.log (an empty OUT of a failed\n"
      "# command is not kept); the script goes on.\n"
      "run() {\n"
      "  run_out=$1\n"
      "  shift\n"
      "  mkdir -p \"$dest/$(dirname -- \"$run_out\")\"\n"
      "  note \"ran: $*\"\n"
      "  \"$@\" >\"$dest/$run_out\" 2>>\"$log\"\n"
      "  run_status=$?\n"
      "  if [ \"$run_status\" != 0 ]; then\n"
      "    note \"  failed (exit $run_status): $run_out holds what it printed\"\n"
      "    # Nothing printed: no empty file in the tarball, the failure is in collect.log.\n"
      "    [ -s \"$dest/$run_out\" ] || rm -f -- \"$dest/$run_out\"\n"
      "  fi\n"
      "  return \"$run_status\"\n"
      "}\n"
      "# run_append OUT COMMAND...: the same, added to OUT.\n"
      "run_append() {\n"
      "  run_out=$1\n"
      "  shift\n"
      "  mkdir -p \"$dest/$(dirname -- \"$run_out\")\"\n"
      "  note \"ran: $*\"\n"
      "  \"$@\" >>\"$dest/$run_out\" 2>>\"$log\"\n"
      "  run_status=$?\n"
      "  [ \"$run_status\" = 0 ] || note \"  failed (exit $run_status): $run_out holds what it printed\"\n"
      "  return \"$run_status\"\n"
      "}\n"
      "note \"migsleuth collect on $host, " +
      (r.where == target::compute ? "deployment " + std::string(to_string(r.deployment))
                                  : std::string("controller")) +
      "\"\n");
}

void write_packaging_end(script_builder& b) {
  b.text(
      "\n# ---- packaging (fixed template): one tarball, the work folder removed ----\n"
      "rm -f -- \"$work/.files\" \"$work/.files.sorted\"\n");
  b.text("stamp=$(" + b.run({lit("date"), lit("-u"), lit("+%Y%m%dT%H%M%SZ")}) +
         " | tr -cd '0-9TZ')\n");
  b.text(
      "tarball=\"$out_dir/migsleuth-collect-$host-$stamp.tar.gz\"\n"
      "if [ -e \"$tarball\" ]; then\n"
      "  echo \"migsleuth-collect: $tarball exists; not overwritten\" >&2\n"
      "  exit 1\n"
      "fi\n"
      "note \"packed into $(basename -- \"$tarball\")\"\n"
      "# Members in sorted order, as analyze walks a folder: the tarball and the\n"
      "# same files in a folder give the same report. Every name is [A-Za-z0-9._-]\n"
      "# parts under the host folder (checked above), so the list splits on newlines.\n"
      "members=$(cd \"$work\" && find \"$host\" -type f | sort)\n"
      "# shellcheck disable=SC2086\n"
      "if tar -C \"$work\" -czf \"$tarball\" $members; then\n"
      "  echo \"migsleuth-collect: wrote $tarball\"\n"
      "else\n"
      "  rm -f -- \"$tarball\"\n"
      "  echo \"migsleuth-collect: could not write $tarball\" >&2\n"
      "  exit 1\n"
      "fi\n");
}

}  // namespace migsleuth::collect
