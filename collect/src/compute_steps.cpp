// The collection on a compute host: host names and clock, the nova.conf
// options an analysis reads (secrets never copied), nova-compute's logs and
// the rotations that can hold the window, the domain's QEMU logs, the libvirt
// daemon's logs and journal, and virsh's view of the domain (dumpxml, a short
// domjobinfo loop while a job runs). Paths, containers and units come from
// core/deployment.hpp; every command goes through script_builder::run.
#include <fmt/format.h>

#include "script_parts.hpp"

namespace migsleuth::collect {
namespace {

// nova.conf reduced to what an analysis reads, in awk that the read-only
// checker accepts (no '|', '>', '@', system): section headers only above a
// kept option; keys on the list or live_migration_*; never a key that names
// a password, secret, token, key or credential; user:password@ in a URL
// becomes ***@ (the '@' is made with sprintf: the program may not hold one).
// One line: the checker refuses control characters, newlines included.
constexpr std::string_view kNovaConfFilter =
    "BEGIN { at = sprintf(\"%c\", 64); keep = \" host my_ip compute_driver "
    "max_concurrent_live_migrations debug use_json log_config_append virt_type cpu_mode "
    "cpu_models cpu_model cpu_model_extra_flags images_type hw_machine_type "
    "skip_cpu_compare_on_dest skip_cpu_compare_at_startup vif_plugging_timeout "
    "vif_plugging_is_fatal device_spec passthrough_whitelist alias enabled_mdev_types "
    "enabled_vgpu_types cpu_shared_set cpu_dedicated_set vcpu_pin_set "
    "reserved_host_memory_mb num_pcie_ports \" } "
    "/^[ \\t]*\\[/ { section = $0; gsub(/[ \\t]/, \"\", section); shown = 0; next } "
    "/^[ \\t]*[#;]/ { next } "
    "index($0, \"=\") { "
    "k = substr($0, 1, index($0, \"=\") - 1); gsub(/[ \\t]/, \"\", k); k = tolower(k); "
    "ok = index(keep, \" \" k \" \"); if (substr(k, 1, 15) == \"live_migration_\") ok = 1; "
    "if (k ~ /pass/) ok = 0; if (k ~ /secret/) ok = 0; if (k ~ /token/) ok = 0; "
    "if (k ~ /key/) ok = 0; if (k ~ /credential/) ok = 0; if (k ~ /transport_url/) ok = 0; "
    "if (!ok) next; "
    "v = substr($0, index($0, \"=\") + 1); "
    "p = index(v, \"://\"); if (p) { rest = substr(v, p + 3); q = index(rest, at); "
    "if (q) { if (index(substr(rest, 1, q), \":\")) v = substr(v, 1, p + 2) \"***\" substr(rest, q) } } "
    "if (!shown) { print section; shown = 1 } "
    "print k \" =\" v }";

// The words that run virsh (and other libvirt-side commands) here.
command libvirt_prefix(const request& r) {
  // EDPM runs libvirt on the host (core/deployment.cpp): virsh as on plain packages.
  switch (r.deployment) {
    case deployment_kind::tripleo:
    case deployment_kind::kolla:
      return {lit(container_engine(r.deployment)), lit("exec"), var("libvirt_container")};
    case deployment_kind::kubernetes:
      return {lit("kubectl"), lit("exec"), lit("-n"), lit(r.k8s_namespace), var("libvirt_pod"),
              lit("-c"), lit(default_libvirt_container(r.deployment)), lit("--")};
    case deployment_kind::edpm:
    case deployment_kind::plain:
      break;
  }
  return {};
}

command nova_prefix(const request& r) {
  return {lit("kubectl"), lit("exec"), lit("-n"), lit(r.k8s_namespace), var("nova_pod"), lit("-c"),
          lit(nova_container(r.deployment)), lit("--")};
}

// Without a window (one instance), the last three days of the journal.
command journal(const request& r, const std::vector<std::string>& units) {
  command c{lit("journalctl")};
  for (const auto& u : units) {
    c.push_back(lit("-u"));
    c.push_back(lit(u));
  }
  c.push_back(lit("--since"));
  c.push_back(lit(r.since ? journal_time(*r.since) : "-3d"));
  if (r.until) {
    c.push_back(lit("--until"));
    c.push_back(lit(journal_time(*r.until)));
  }
  for (const char* w : {"-o", "short-iso", "--no-pager"}) c.push_back(lit(w));
  return c;
}

// "journal/journalctl_--unit_A_--unit_B", as sos names a journal capture:
// analyze reads the unit from it (EDPM's nova-compute journal).
std::string journal_file(const std::vector<std::string>& units) {
  std::string name = "journal/journalctl";
  for (const auto& u : units) name += "_--unit_" + u;
  return name;
}

void write_file_helpers(const request& r, script_builder& b) {
  b.text(
      "\n# copy PATH: the host's file PATH as HOST/PATH in the tarball, byte for byte\n"
      "# (compressed rotations stay compressed).\n"
      "copy() {\n"
      "  copy_path=$1\n"
      "  run \"${copy_path#/}\" " + b.run({lit("cat"), host_path_var("copy_path")}) + "\n"
      "}\n"
      "# names_instance PATH: whether the file names the instance (zgrep reads .gz too).\n"
      "names_instance() {\n"
      "  [ -n \"$instance\" ] || return 0\n"
      "  named_path=$1\n"
      "  " + b.run({lit("zgrep"), lit("-q"), lit("-F"), lit("-e"), var("instance"),
                    host_path_var("named_path")}) + "\n"
      "}\n"
      "# mtime PATH: the file's modification time, in seconds since the epoch.\n"
      "mtime() {\n"
      "  mtime_path=$1\n"
      "  " + b.run({lit("stat"), lit("-c"), lit("%Y"), host_path_var("mtime_path")}) + " 2>>\"$log\"\n"
      "}\n"
      "# listed DIR PATTERN: the files DIR/PATTERN as \"MTIME NAME\" lines in\n"
      "# $work/.files, oldest first; names other than [A-Za-z0-9._-] are skipped.\n"
      "listed() {\n"
      "  : >\"$work/.files\"\n"
      "  # $2 is a glob the script wrote (BASE*, *.log*): unquoted on purpose.\n"
      "  # shellcheck disable=SC2086\n"
      "  for listed_file in \"$root$1\"$2; do\n"
      "    [ -f \"$listed_file\" ] || continue\n"
      "    listed_name=${listed_file##*/}\n"
      "    case $listed_name in\n"
      "      *[!A-Za-z0-9._-]*) note \"skipped $1$listed_name: unexpected characters in its name\"; continue ;;\n"
      "    esac\n"
      "    listed_m=$(mtime \"$1$listed_name\")\n"
      "    case $listed_m in\n"
      "      '' | *[!0-9]*) note \"skipped $1$listed_name: no modification time\"; continue ;;\n"
      "    esac\n"
      "    printf '%s %s\\n' \"$listed_m\" \"$listed_name\" >>\"$work/.files\"\n"
      "  done\n"
      "  sort -n \"$work/.files\" >\"$work/.files.sorted\"\n"
      "}\n"
      "# rotations DIR BASE NEED: BASE and its rotations (BASE.1, BASE.2.gz, ...) in\n"
      "# DIR whose lines can fall in the window: a rotated file holds the lines\n"
      "# written after the next older file's last write, up to its own. With no\n"
      "# window, NEED decides: 'instance' = the files that name the instance,\n"
      "# 'newest' = the current file only.\n"
      "rotations() {\n"
      "  listed \"$1\" \"$2*\"\n"
      "  rot_start=0\n"
      "  rot_count=$(wc -l <\"$work/.files.sorted\")\n"
      "  rot_count=$((rot_count))\n"
      "  rot_n=0\n"
      "  while read -r rot_m rot_name; do\n"
      "    rot_n=$((rot_n + 1))\n"
      "    case $rot_name in \"$2\" | \"$2\".* | \"$2\"-*) ;; *) continue ;; esac\n"
      "    rot_keep=1\n"
      "    if [ -n \"$since_epoch\" ]; then\n"
      "      [ \"$rot_m\" -ge \"$since_epoch\" ] || rot_keep=0\n"
      "      if [ -n \"$until_epoch\" ] && [ \"$rot_start\" -gt \"$until_epoch\" ]; then rot_keep=0; fi\n"
      "    elif [ \"$3\" = newest ]; then\n"
      "      [ \"$rot_n\" -eq \"$rot_count\" ] || rot_keep=0\n"
      "    else\n"
      "      names_instance \"$1$rot_name\" || rot_keep=0\n"
      "    fi\n"
      "    if [ \"$rot_keep\" = 1 ]; then copy \"$1$rot_name\"; else note \"not needed: $1$rot_name\"; fi\n"
      "    rot_start=$rot_m\n"
      "  done <\"$work/.files.sorted\"\n"
      "  [ -s \"$work/.files.sorted\" ] || note \"missing: $1$2 (no such file)\"\n"
      "}\n"
      "# qemu_logs DIR: the domain logs in DIR that name the instance (written in\n"
      "# the window, when there is one).\n"
      "qemu_logs() {\n"
      "  listed \"$1\" '*.log*'\n"
      "  while read -r qemu_m qemu_name; do\n"
      "    if [ -n \"$since_epoch\" ] && [ \"$qemu_m\" -lt \"$since_epoch\" ]; then continue; fi\n"
      "    names_instance \"$1$qemu_name\" && copy \"$1$qemu_name\"\n"
      "  done <\"$work/.files.sorted\"\n"
      "}\n");
  (void)r;
}

void write_virsh_helpers(const request& r, script_builder& b) {
  const command pre = libvirt_prefix(r);
  b.text(
      "\n# jobinfo DOMAIN [active-only]: virsh domjobinfo framed as analyze reads a loop\n"
      "# (a `date -u` line, the command line, the block), sampled every $job_interval s\n"
      "# while a job is active, at most $job_samples times.\n"
      "jobinfo() {\n"
      "  job_dom=$1\n"
      "  job_file=\"captures/domjobinfo-$job_dom.txt\"\n"
      "  job_n=0\n"
      "  while [ \"$job_n\" -lt \"$job_samples\" ]; do\n"
      "    job_n=$((job_n + 1))\n"
      "    job_date=$(" + b.run({lit("date"), lit("-u")}) + ")\n"
      "    job_block=$(" + b.run(pre, {lit("virsh"), lit("-r"), lit("domjobinfo"), var("job_dom")}) +
      " 2>&1)\n"
      "    case $job_block in\n"
      "      *'Job type:'*[Bb]ounded*) job_active=1 ;;\n"
      "      *) job_active=0 ;;\n"
      "    esac\n"
      "    if [ \"$job_n\" = 1 ] && [ \"$job_active\" = 0 ] && [ \"${2:-}\" = active-only ]; then\n"
      "      return 0\n"
      "    fi\n"
      "    [ \"$job_n\" = 1 ] && note \"ran: virsh -r domjobinfo $job_dom (every ${job_interval}s while a job runs)\"\n"
      "    printf '%s\\n%s virsh domjobinfo %s\\n%s\\n\\n' \"$job_date\" '$' \"$job_dom\" \"$job_block\" >>\"$dest/$job_file\"\n"
      "    [ \"$job_active\" = 1 ] || break\n"
      "    [ \"$job_n\" -lt \"$job_samples\" ] && sleep \"$job_interval\"\n"
      "  done\n"
      "}\n");
}

void write_container_lookup(const request& r, script_builder& b) {
  const deployment_kind k = r.deployment;
  if (k == deployment_kind::plain || k == deployment_kind::edpm) return;  // libvirt on the host
  if (k == deployment_kind::kubernetes) {
    b.text(fmt::format(
        "\n# The pods kubelet keeps logs for on this node (/var/log/pods/NS_POD_UID/).\n"
        "k8s_ns={}\n"
        "pod_of() {{\n"
        "  for pod_dir in \"$root/var/log/pods/${{k8s_ns}}_$1\"*; do\n"
        "    [ -d \"$pod_dir\" ] || continue\n"
        "    pod_name=${{pod_dir##*/}}\n"
        "    pod_name=${{pod_name#\"${{k8s_ns}}_\"}}\n"
        "    pod_name=${{pod_name%_*}}\n"
        "    case $pod_name in '' | *[!a-z0-9.-]*) continue ;; esac\n"
        "    printf '%s\\n' \"$pod_name\"\n"
        "    return 0\n"
        "  done\n"
        "  return 1\n"
        "}}\n"
        "nova_pod=$(pod_of nova-compute) || note \"no nova-compute pod of namespace $k8s_ns under /var/log/pods\"\n"
        "libvirt_pod=$(pod_of libvirt) || note \"no libvirt pod of namespace $k8s_ns under /var/log/pods\"\n",
        shell_quote(r.k8s_namespace)));
    return;
  }
  const std::string engine(container_engine(k));
  b.text(fmt::format(
      "\n# The libvirt container: {} unless nova_virtqemud or nova_libvirt runs.\n"
      "libvirt_container=$({} 2>>\"$log\" | grep -x -e nova_virtqemud -e nova_libvirt | head -n 1)\n"
      "[ -n \"$libvirt_container\" ] || libvirt_container={}\n"
      "note \"libvirt container: $libvirt_container\"\n",
      default_libvirt_container(k),
      b.run({lit(engine), lit("ps"), lit("--format"), lit("{{.Names}}")}),
      default_libvirt_container(k)));
}

void write_nova_conf(const request& r, script_builder& b) {
  const std::string out = "captures/nova-conf-options.txt";
  b.text("\n# ---- collection: nova.conf, only the options an analysis reads ----\n"
         "# The single-quoted program is awk's: its $0 is awk's own field.\n"
         "# shellcheck disable=SC2016\n");
  if (r.deployment == deployment_kind::kubernetes) {
    b.text("[ -n \"${nova_pod:-}\" ] && run " + out + " " +
           b.run(nova_prefix(r), {lit("awk"), lit(kNovaConfFilter), lit("/etc/nova/nova.conf")}) +
           "\n");
    return;
  }
  const std::string path(nova_conf_path(r.deployment));
  const std::size_t slash = path.rfind('/');
  if (path.find('*') != std::string::npos) {  // EDPM: several files, in order
    b.text("for conf in \"$root\"" + shell_quote(path.substr(0, slash + 1)) + path.substr(slash + 1) +
           "; do\n  [ -f \"$conf\" ] || continue\n  conf=${conf#\"$root\"}\n"
           "  run_append " + out + " " +
           b.run({lit("awk"), lit(kNovaConfFilter), host_path_var("conf")}) + "\ndone\n");
    return;
  }
  b.text("if [ -f \"$root\"" + shell_quote(path) + " ]; then\n  run " + out + " " +
         b.run({lit("awk"), lit(kNovaConfFilter), host_path(path)}) +
         "\nelse\n  note " + shell_quote("missing: " + path) + "\nfi\n");
}

void write_logs(const request& r, script_builder& b) {
  const deployment_kind k = r.deployment;
  b.text("\n# ---- collection: nova-compute's logs ----\n");
  if (k == deployment_kind::kubernetes) {
    const std::string file = "\"var/log/containers/${nova_pod}_${k8s_ns}_nova-compute-";
    b.text("if [ -n \"${nova_pod:-}\" ]; then\n  run " + file + "current.log\" " +
           b.run({lit("kubectl"), lit("logs"), lit("-n"), lit(r.k8s_namespace), var("nova_pod"),
                  lit("-c"), lit("nova-compute")}) +
           "\n  run " + file + "previous.log\" " +
           b.run({lit("kubectl"), lit("logs"), lit("-n"), lit(r.k8s_namespace), var("nova_pod"),
                  lit("-c"), lit("nova-compute"), lit("--previous")}) +
           "\nfi\n");
  } else {
    if (nova_logs_in_journal(k)) {
      const std::vector<std::string> units{nova_unit(k)};
      b.text("run " + journal_file(units) + " " + b.run(journal(r, units)) + "\n");
    }
    b.text(fmt::format("rotations {} nova-compute.log instance\n", nova_log_dir(k)));
  }
  b.text("\n# ---- collection: the domain's QEMU logs, libvirt's logs and journal ----\n");
  const std::string libvirt_dir =
      k == deployment_kind::kubernetes ? "/var/log/libvirt/" : std::string(libvirt_log_dir(k));
  b.text("qemu_logs " + libvirt_dir + "qemu/\n");
  if (k == deployment_kind::kubernetes) {
    b.text("[ -n \"${libvirt_pod:-}\" ] && run \"var/log/containers/${libvirt_pod}_${k8s_ns}_libvirt-current.log\" " +
           b.run({lit("kubectl"), lit("logs"), lit("-n"), lit(r.k8s_namespace), var("libvirt_pod"),
                  lit("-c"), lit(default_libvirt_container(k))}) +
           "\n");
    return;
  }
  b.text("rotations " + libvirt_dir + " libvirtd.log newest\n");
  b.text("rotations " + libvirt_dir + " virtqemud.log newest\n");
  std::vector<std::string> units;
  if (k == deployment_kind::plain) {
    units = {"libvirtd", "virtqemud"};
  } else if (k == deployment_kind::tripleo) {
    units = {libvirt_unit(k, "nova_libvirt"), libvirt_unit(k, "nova_virtqemud")};
  } else {
    units = {libvirt_unit(k, default_libvirt_container(k))};
  }
  b.text("run " + journal_file(units) + " " + b.run(journal(r, units)) + "\n");
}

void write_domain(const request& r, script_builder& b) {
  const command pre = libvirt_prefix(r);
  b.text("\n# ---- collection: libvirt's view of the domain ----\n");
  const std::string guard =
      r.deployment == deployment_kind::kubernetes ? "if [ -n \"${libvirt_pod:-}\" ]; then\n" : "";
  b.text(guard);
  b.text("run captures/virsh-list-all.txt " +
         b.run(pre, {lit("virsh"), lit("-r"), lit("list"), lit("--all")}) + "\n");
  if (!r.instance.empty()) {
    b.text("dom=$(" + b.run(pre, {lit("virsh"), lit("-r"), lit("domname"), var("instance")}) +
           " 2>>\"$log\" | head -n 1)\n"
           "case $dom in\n"
           "  '' | *[!A-Za-z0-9._-]*)\n"
           "    note \"no domain of $instance on this host now (virsh domname): no dumpxml or domjobinfo\"\n"
           "    dom='' ;;\n"
           "esac\n"
           "if [ -n \"$dom\" ]; then\n"
           "  run \"captures/virsh-dumpxml-$dom.xml\" " +
           b.run(pre, {lit("virsh"), lit("-r"), lit("dumpxml"), var("dom")}) +
           "\n  jobinfo \"$dom\"\nfi\n");
  } else {
    b.text("# Every running domain with a migration job now.\n"
           "for dom in $(" + b.run(pre, {lit("virsh"), lit("-r"), lit("list"), lit("--name")}) +
           " 2>>\"$log\"); do\n"
           "  case $dom in *[!A-Za-z0-9._-]*) continue ;; esac\n"
           "  jobinfo \"$dom\" active-only\n"
           "done\n");
  }
  if (!guard.empty()) b.text("fi\n");
}

}  // namespace

void write_compute_steps(const request& r, script_builder& b) {
  b.text(fmt::format(
      "\n# What to collect. root: the test hook (empty: the host's own /).\n"
      "root=${{MIGSLEUTH_COLLECT_ROOT:-}}\n"
      "instance={}\nsince_epoch={}\nuntil_epoch={}\njob_samples={}\njob_interval={}\n",
      shell_quote(r.instance), r.since ? std::to_string(epoch_seconds(*r.since)) : "''",
      r.until ? std::to_string(epoch_seconds(*r.until)) : "''", r.job_samples,
      r.job_interval_s));
  write_file_helpers(r, b);
  write_virsh_helpers(r, b);
  b.text("\n# ---- collection: host names and clock ----\n");
  b.text("run captures/hostname.txt " + b.run({lit("hostname")}) + "\n");
  b.text("run captures/hostname-f.txt " + b.run({lit("hostname"), lit("-f")}) + "\n");
  b.text("run captures/date-u.txt " + b.run({lit("date"), lit("-u")}) + "\n");
  b.text("run captures/timedatectl.txt " + b.run({lit("timedatectl")}) + "\n");
  b.text("if command -v chronyc >/dev/null 2>&1; then\n  run captures/chronyc-tracking.txt " +
         b.run({lit("chronyc"), lit("tracking")}) +
         "\nelse\n  note 'chronyc: not installed (no clock offset from chrony)'\nfi\n");
  write_container_lookup(r, b);
  write_nova_conf(r, b);
  write_logs(r, b);
  write_domain(r, b);
}

}  // namespace migsleuth::collect
