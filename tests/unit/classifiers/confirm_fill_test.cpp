// Values from logs never become options: a value that starts with '-', or is
// not a host name where a host belongs, is withheld as `<name>`; and a command
// is checked again as filled, falling back to the form with every value
// withheld when a value makes it fail. Shown on templates, then end to end on
// the embedded rules.
#include <catch2/catch.hpp>

#include "embedded_rules.hpp"

#include <string>

#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"

using migsleuth::event;
using migsleuth::incident;
using migsleuth::input_kind;
using migsleuth::outcome;
using migsleuth::verdict;
using migsleuth::classifiers::bindings;
using migsleuth::classifiers::checked_command;
using migsleuth::classifiers::fill_mode;
using migsleuth::classifiers::fill_template;
using migsleuth::classifiers::make_confirm_command;

namespace {

std::string command(std::string_view tpl, const bindings& values) {
  return fill_template(tpl, values, fill_mode::command);
}

}  // namespace

TEST_CASE("confirm fill: a value starting with '-' is withheld", "[classifiers][confirm]") {
  CHECK(command("nc -zv -w 5 {dest} {port}", {{"dest", "-e/bin/sh"}, {"port", "16509"}}) ==
        "nc -zv -w 5 <dest> 16509");
  CHECK(command("getent hosts {uri_host}", {{"uri_host", "-oProxyCommand=reboot"}}) ==
        "getent hosts <uri_host>");
  CHECK(command("ls -la {path}", {{"path", "-R/"}}) == "ls -la <path>");
  CHECK(command("ls -la {path}", {{"path", "/var/lib/nova/instances/x"}}) ==
        "ls -la /var/lib/nova/instances/x");
  // Prose keeps the text as it is.
  CHECK(fill_template("at {dest}", {{"dest", "-e/bin/sh"}}, fill_mode::prose) == "at -e/bin/sh");
}

TEST_CASE("confirm fill: host placeholders take host names only", "[classifiers][confirm]") {
  const std::string tpl = "openstack network agent list --host {destination}";
  CHECK(command(tpl, {{"destination", "--os-auth-url=http://elsewhere/v3"}}) ==
        "openstack network agent list --host <destination host>");
  CHECK(command(tpl, {{"destination", "http://elsewhere/v3"}}) ==
        "openstack network agent list --host <destination host>");
  CHECK(command(tpl, {{"destination", "cmp_2"}}) ==
        "openstack network agent list --host <destination host>");
  CHECK(command(tpl, {{"destination", "cmp-2.example.net"}}) ==
        "openstack network agent list --host cmp-2.example.net");
  CHECK(command("ping -c 3 {dest}", {{"dest", "10.0.0.12"}}) == "ping -c 3 10.0.0.12");
  CHECK(command("getent hosts {uri_host}", {{"uri_host", "a..b"}}) == "getent hosts <uri_host>");
  CHECK(command("ping -c 3 {dest}", {{"dest", "10.0.0.12:16509"}}) == "ping -c 3 <dest>");
  CHECK(command("ping -c 3 {dest}", {{"dest", "fd00::12"}}) == "ping -c 3 fd00::12");
  CHECK(command("ping -c 3 {dest}", {{"dest", "cmp-2-"}}) == "ping -c 3 <dest>");
}

TEST_CASE("confirm fill: a command is checked again as filled", "[classifiers][confirm]") {
  std::string why;
  // A URI whose transport runs a command is shell-safe text; the checker
  // refuses the filled line and the form with the value withheld is shown.
  auto c = checked_command("virsh -r -c {uri} version", {{"uri", "qemu+ext:///system"}}, why);
  REQUIRE(c);
  CHECK(*c == "virsh -r -c <uri> version");
  CHECK_THAT(why, Catch::Matchers::Contains("transport"));
  c = checked_command("virsh -r -c {uri} version", {{"uri", "qemu+tcp://cmp-2/system"}}, why);
  REQUIRE(c);
  CHECK(*c == "virsh -r -c qemu+tcp://cmp-2/system version");
  // A gap never stands for code: an awk program to fill in is no proof of anything.
  CHECK_FALSE(checked_command("awk {prog} /proc/meminfo", {}, why));
  CHECK(checked_command("awk {prog} /proc/meminfo", {{"prog", "NR==1"}}, why) ==
        "awk NR==1 /proc/meminfo");
  // A gap is one opaque word: it stands where a value may, never as an option.
  CHECK(make_confirm_command("nc -zv -w 5 {dest} {port}", {}) == "nc -zv -w 5 <dest> <port>");
  CHECK(make_confirm_command("openstack port show {port_id} -f json", {}) ==
        "openstack port show <port_id> -f json");
}

TEST_CASE("confirm fill: log values that look like options never reach a rule's commands",
          "[classifiers][confirm]") {
  incident inc;
  inc.id = "inc-1";
  inc.instance = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
  inc.source = "cmp-1";
  // A migration record's "Dest Compute" that is an option, not a host.
  inc.destination = "--os-auth-url=http://elsewhere/v3";
  inc.result = outcome::failed;
  event e;
  e.source = input_kind::nova_compute;
  e.host = "cmp-1";
  e.where = {0, 10};
  e.time.micros = 1'700'000'000'000'000;
  e.level = "ERROR";
  e.instance = inc.instance;
  e.text = e.message =
      "Live Migration failure: unable to connect to server at '-e/bin/sh:16509': Connection "
      "refused";
  inc.events.push_back(e);
  const verdict v = migsleuth::test::rules().classify(inc, {});
  REQUIRE(v.cause == "network.migration-port-refused");
  bool probe = false;
  for (const auto& c : v.confirm) {
    INFO(c.command);
    CHECK(c.command.find("-e/bin/sh") == std::string::npos);
    CHECK(c.command.find("--os-auth-url") == std::string::npos);
    probe = probe || c.command == "nc -zv -w 5 <dest> 16509";
  }
  CHECK(probe);
}
