// The collection on a controller (or wherever the openstack CLI works):
// `openstack ... -f json` captures named as analyze recognises them
// (server-show-*, migration-list-*, hypervisor-show-*, port-show-*), the
// hypervisors of the instance's host and of its migrations' source and
// destination, the ports bound to it. Values the cloud returns (host names,
// port ids) are checked against a strict character set before they are used,
// and are only ever arguments, never code.
#include <fmt/format.h>

#include "script_parts.hpp"

namespace migsleuth::collect {
namespace {

// Compute API 2.59 gives migrations their uuid (and keeps 2.23's type and
// memory/disk counters) and takes --changes-since; 2.66 adds --changes-before. An older cloud refuses
// the version: the same command without it is tried next.
constexpr std::string_view kMigrationsVersion = "2.59";
constexpr std::string_view kWindowVersion = "2.66";

std::string iso_z(timestamp t) { return format_rfc3339(t).substr(0, 19) + "Z"; }

}  // namespace

void write_controller_steps(const request& r, script_builder& b) {
  if (!r.instance.empty()) b.text(fmt::format("\ninstance={}\n", shell_quote(r.instance)));
  b.text(
      "\n# hypervisor NAME: `openstack hypervisor show NAME -f json` once per name;\n"
      "# a name is only [A-Za-z0-9._-] (it came from the cloud's answer).\n"
      "hypervisor() {\n"
      "  hv=$1\n"
      "  case $hv in '' | *[!A-Za-z0-9._-]* | None) return 0 ;; esac\n"
      "  [ -e \"$dest/captures/hypervisor-show-$hv.json\" ] && return 0\n"
      "  run \"captures/hypervisor-show-$hv.json\" " +
      b.run({lit("openstack"), lit("hypervisor"), lit("show"), var("hv"), lit("-f"), lit("json")}) +
      "\n}\n");
  b.text("\n# ---- collection: host names and clock ----\n");
  b.text("run captures/hostname.txt " + b.run({lit("hostname")}) + "\n");
  b.text("run captures/date-u.txt " + b.run({lit("date"), lit("-u")}) + "\n");
  if (r.instance.empty()) {
    command list{lit("openstack"), lit("--os-compute-api-version"), lit(kWindowVersion),
                 lit("server"),    lit("migration"),               lit("list")};
    command plain{lit("openstack"), lit("server"), lit("migration"), lit("list")};
    for (command* c : {&list, &plain}) {
      c->push_back(lit("--changes-since"));
      c->push_back(lit(iso_z(*r.since)));
      if (r.until && c == &list) {
        c->push_back(lit("--changes-before"));
        c->push_back(lit(iso_z(*r.until)));
      }
      c->push_back(lit("-f"));
      c->push_back(lit("json"));
    }
    b.text("\n# ---- collection: the migrations of the window ----\n"
           "run captures/migration-list-window.json " + b.run(list) +
           " ||\n  run captures/migration-list-window.json " + b.run(plain) + "\n");
    b.text("for hv in $(" +
           b.run({lit("openstack"), lit("--os-compute-api-version"), lit(kMigrationsVersion),
                  lit("server"), lit("migration"), lit("list"), lit("--changes-since"),
                  lit(iso_z(*r.since)), lit("-f"), lit("value"), lit("-c"), lit("Source Node"),
                  lit("-c"), lit("Dest Node")}) +
           " 2>>\"$log\"); do\n  hypervisor \"$hv\"\ndone\n");
    return;
  }
  b.text("\n# ---- collection: the instance, its migrations, hypervisors and ports ----\n");
  b.text("run \"captures/server-show-$instance.json\" " +
         b.run({lit("openstack"), lit("server"), lit("show"), var("instance"), lit("-f"),
                lit("json")}) +
         "\n");
  b.text("if ! run \"captures/migration-list-$instance.json\" " +
         b.run({lit("openstack"), lit("--os-compute-api-version"), lit(kMigrationsVersion),
                lit("server"), lit("migration"), lit("list"), lit("--server"), var("instance"),
                lit("-f"), lit("json")}) +
         "; then\n  run \"captures/migration-list-$instance.json\" " +
         b.run({lit("openstack"), lit("server"), lit("migration"), lit("list"), lit("--server"),
                var("instance"), lit("-f"), lit("json")}) +
         "\nfi\n");
  b.text("for hv in $(" +
         b.run({lit("openstack"), lit("server"), lit("show"), var("instance"), lit("-f"),
                lit("value"), lit("-c"), lit("OS-EXT-SRV-ATTR:hypervisor_hostname")}) +
         " 2>>\"$log\") $(" +
         b.run({lit("openstack"), lit("server"), lit("migration"), lit("list"), lit("--server"),
                var("instance"), lit("-f"), lit("value"), lit("-c"), lit("Source Node"), lit("-c"),
                lit("Dest Node")}) +
         " 2>>\"$log\"); do\n  hypervisor \"$hv\"\ndone\n");
  b.text("for port in $(" +
         b.run({lit("openstack"), lit("port"), lit("list"), lit("--server"), var("instance"),
                lit("-f"), lit("value"), lit("-c"), lit("ID")}) +
         " 2>>\"$log\"); do\n"
         "  case $port in *[!A-Za-z0-9-]*) continue ;; esac\n"
         "  run \"captures/port-show-$port.json\" " +
         b.run({lit("openstack"), lit("port"), lit("show"), var("port"), lit("-f"), lit("json")}) +
         "\ndone\n");
}

}  // namespace migsleuth::collect
