// preflight: capture readers (typical, empty, virsh error, cut XML, cpu_info
// as object and as string), matrix semantics per cpu_mode, baseline choice,
// mixed vendors, the analyze explanation, and the mixed-fleet sample checked
// against what its libvirt domcapabilities say.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "migsleuth/preflight/preflight.hpp"

using namespace migsleuth::preflight;

namespace {

constexpr const char* kDomcaps = R"(<domainCapabilities>
  <path>/usr/bin/qemu-system-x86_64</path>
  <domain>kvm</domain>
  <arch>x86_64</arch>
  <cpu>
    <mode name='host-passthrough' supported='yes'/>
    <mode name='host-model' supported='yes'>
      <model fallback='forbid'>Cascadelake-Server</model>
      <vendor>Intel</vendor>
      <feature policy='require' name='ss'/>
      <feature policy='require' name='md-clear'/>
      <feature policy='disable' name='hle'/>
      <feature policy='disable' name='rtm'/>
    </mode>
    <mode name='custom' supported='yes'>
      <model usable='yes' vendor='unknown'>kvm64</model>
      <model usable='yes' vendor='Intel'>Skylake-Server-noTSX-IBRS</model>
      <model usable='no' vendor='Intel'>Skylake-Server-IBRS</model>
      <blockers model='Skylake-Server-IBRS'>
        <feature name='hle'/>
        <feature name='rtm'/>
      </blockers>
      <model usable='yes' vendor='Intel'>Cascadelake-Server-noTSX</model>
      <model usable='no' vendor='Intel'>Icelake-Server-noTSX</model>
      <blockers model='Icelake-Server-noTSX'>
        <feature name='avx512vbmi'/>
        <feature name='gfni'/>
      </blockers>
    </mode>
  </cpu>
</domainCapabilities>
)";

host_facts facts_of(const std::string& host, std::string_view text) {
  capture c = parse_capture(text);
  INFO(c.error);
  REQUIRE(c.error.empty());
  c.facts.host = host;
  return c.facts;
}

std::string cpu_info_json(std::string_view model, std::string_view vendor,
                          std::string_view features, bool as_string) {
  const std::string info = std::string(R"({"arch": "x86_64", "model": ")") + std::string(model) +
                           R"(", "vendor": ")" + std::string(vendor) +
                           R"(", "topology": {"cells": 1, "sockets": 1, "cores": 8, "threads": 2}, "features": [)" +
                           std::string(features) + "]}";
  std::string escaped;
  for (char c : info) {
    if (c == '"') escaped += '\\';
    escaped += c;
  }
  return std::string(R"({"hypervisor_hostname": "h.example.net", "service_host": "h", "cpu_info": )") +
         (as_string ? "\"" + escaped + "\"" : info) + "}";
}

const pair_result& pair(const result& r, cpu_mode m, std::string_view s, std::string_view d) {
  for (const auto& mm : r.matrices) {
    if (mm.mode != m) continue;
    for (const auto& p : mm.pairs) {
      if (p.source == s && p.destination == d) return p;
    }
  }
  FAIL("no such pair");
  static pair_result none;
  return none;
}

bool has(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("domcapabilities: host-model with require/disable, usable models and blockers") {
  const capture c = parse_capture(kDomcaps);
  REQUIRE(c.error.empty());
  CHECK(c.kind == capture_kind::domcapabilities);
  const host_facts& h = c.facts;
  CHECK(h.passthrough_supported);
  CHECK(h.host_model == "Cascadelake-Server");
  CHECK(h.vendor == "Intel");
  CHECK(h.host_model_require == std::vector<std::string>{"ss", "md-clear"});
  CHECK(h.host_model_disable == std::vector<std::string>{"hle", "rtm"});
  REQUIRE(h.models.size() == 5);
  CHECK(h.models[2].name == "Skylake-Server-IBRS");
  CHECK_FALSE(h.models[2].usable);
  CHECK(h.models[2].blockers == std::vector<std::string>{"hle", "rtm"});
  CHECK(h.models[3].usable);
}

TEST_CASE("captures: empty, virsh error text and cut XML are errors, not facts") {
  CHECK(parse_capture("").error == "empty capture");
  CHECK(parse_capture("  \n").error == "empty capture");
  const capture err = parse_capture("error: failed to connect to the hypervisor\nerror: no socket\n");
  CHECK(err.error.find("virsh error instead of XML") != std::string::npos);
  const std::string text(kDomcaps);
  const capture cut = parse_capture(text.substr(0, text.size() / 2));
  CHECK(cut.kind == capture_kind::domcapabilities);
  CHECK(cut.error.find("XML cut or malformed") != std::string::npos);
  CHECK(parse_capture("<html><body>502</body></html>").error.find("not a capabilities") !=
        std::string::npos);
  CHECK_FALSE(parse_capture(R"({"error": {"message": "Hypervisor not found"}})").error.empty());
}

TEST_CASE("capabilities: the host CPU model and its extra features") {
  const capture c = parse_capture(R"(<capabilities>
  <host>
    <cpu>
      <arch>x86_64</arch>
      <model>Skylake-Server-IBRS</model>
      <vendor>Intel</vendor>
      <topology sockets='1' dies='1' cores='16' threads='2'/>
      <feature name='ds'/>
      <feature name='clflushopt'/>
      <pages unit='KiB' size='4'/>
    </cpu>
  </host>
</capabilities>)");
  REQUIRE(c.error.empty());
  CHECK(c.kind == capture_kind::capabilities);
  CHECK(c.facts.host_cpu_model == "Skylake-Server-IBRS");
  CHECK(c.facts.host_cpu_features == std::vector<std::string>{"ds", "clflushopt"});
}

TEST_CASE("hypervisor show: cpu_info as an object and as a JSON string read the same") {
  const std::string features = R"("ssbd", "md-clear", "vmx")";
  const capture obj = parse_capture(cpu_info_json("Skylake-Server-IBRS", "Intel", features, false));
  const capture str = parse_capture(cpu_info_json("Skylake-Server-IBRS", "Intel", features, true));
  REQUIRE(obj.error.empty());
  REQUIRE(str.error.empty());
  CHECK(obj.kind == capture_kind::hypervisor_show);
  CHECK(obj.named_host == "h");
  CHECK(obj.facts.host_cpu_model == "Skylake-Server-IBRS");
  CHECK(obj.facts.host_cpu_features == std::vector<std::string>{"md-clear", "ssbd", "vmx"});
  CHECK(str.facts.host_cpu_model == obj.facts.host_cpu_model);
  CHECK(str.facts.host_cpu_features == obj.facts.host_cpu_features);
  CHECK(str.facts.vendor == "Intel");
}

TEST_CASE("matrix: host-passthrough compares whole feature sets; host-CPU-only bits never count") {
  fleet f;
  // A Skylake with TSX, a Cascade Lake with TSX off: each lacks something of the other.
  f.hosts.push_back(facts_of("sky", cpu_info_json("Skylake-Server-IBRS", "Intel",
                                                  R"("ds", "acpi", "clflushopt", "ssbd")", false)));
  f.hosts.push_back(facts_of("clx", cpu_info_json("Cascadelake-Server-noTSX", "Intel",
                                                  R"("tm2", "invtsc", "md-clear")", false)));
  const result r = analyze(f, {});
  const pair_result& s2c = pair(r, cpu_mode::host_passthrough, "sky", "clx");
  CHECK_FALSE(s2c.compatible);
  CHECK(s2c.missing == std::vector<std::string>{"hle", "rtm"});  // not ds/acpi: host-only
  const pair_result& c2s = pair(r, cpu_mode::host_passthrough, "clx", "sky");
  CHECK(c2s.missing == std::vector<std::string>{"avx512vnni", "md-clear"});
}

TEST_CASE("matrix: host-model uses the source's host-model, disabled features excluded") {
  fleet f;
  f.hosts.push_back(facts_of("clx", kDomcaps));  // Cascadelake-Server - hle - rtm
  f.hosts.push_back(facts_of("sky", cpu_info_json("Skylake-Server-IBRS", "Intel",
                                                  R"("clflushopt", "ssbd", "ss", "md-clear")", false)));
  const result r = analyze(f, {});
  const pair_result& p = pair(r, cpu_mode::host_model, "clx", "sky");
  CHECK(p.missing == std::vector<std::string>{"avx512vnni"});  // hle/rtm disabled, so not needed
  CHECK(pair(r, cpu_mode::host_model, "sky", "clx").missing ==
        std::vector<std::string>{"hle", "rtm"});
}

TEST_CASE("matrix: custom model follows domcapabilities usable/blockers and -flag removal") {
  fleet f;
  f.hosts.push_back(facts_of("clx", kDomcaps));
  f.hosts.push_back(facts_of("sky", cpu_info_json("Skylake-Server-IBRS", "Intel",
                                                  R"("clflushopt", "ssbd")", false)));
  options o;
  o.cpu_model = "Skylake-Server-IBRS";
  result r = analyze(f, o);
  REQUIRE(r.matrices.size() == 3);
  const pair_result& to_clx = pair(r, cpu_mode::custom, "sky", "clx");
  CHECK_FALSE(to_clx.compatible);
  CHECK(to_clx.missing == std::vector<std::string>{"hle", "rtm"});  // libvirt's blockers
  o.extra_flags = {"-hle", "-rtm"};
  r = analyze(f, o);
  CHECK(pair(r, cpu_mode::custom, "sky", "clx").compatible);
  o.extra_flags = {"-hle", "-rtm", "avx512vnni"};
  r = analyze(f, o);
  CHECK(pair(r, cpu_mode::custom, "clx", "sky").missing == std::vector<std::string>{"avx512vnni"});
}

TEST_CASE("baseline: the most capable model usable on all hosts, and who holds the fleet back") {
  fleet f;
  f.hosts.push_back(facts_of("clx", kDomcaps));
  f.hosts.push_back(facts_of("sky", cpu_info_json("Skylake-Server-IBRS", "Intel",
                                                  R"("clflushopt", "ssbd", "md-clear")", false)));
  const result r = analyze(f, {});
  const baseline& b = r.fleet_baseline;
  REQUIRE(b.found);
  CHECK(b.model == "Skylake-Server-noTSX-IBRS");
  CHECK(has(b.nova_conf, "cpu_models = Skylake-Server-noTSX-IBRS"));
  CHECK(has(b.extra_flags, "md-clear"));
  REQUIRE(b.has_next);
  CHECK(b.next_model == "Cascadelake-Server-noTSX");
  CHECK(b.held_back_by == std::vector<std::string>{"sky"});
  CHECK(b.next_remove_flags == std::vector<std::string>{"avx512vnni"});
  CHECK(r.vendor_baselines.empty());
}

TEST_CASE("baseline: mixed vendors leave only generic models, with per-vendor baselines") {
  fleet f;
  f.hosts.push_back(facts_of("amd", cpu_info_json("EPYC-Rome", "AMD", R"("x2apic", "ibrs")", false)));
  f.hosts.push_back(facts_of("intel", cpu_info_json("Skylake-Server-IBRS", "Intel", R"("ssbd")", false)));
  const result r = analyze(f, {});
  CHECK(r.fleet_baseline.model == "kvm64");  // qemu64 has svm: not on Intel
  CHECK_FALSE(r.fleet_baseline.notes.empty());
  REQUIRE(r.vendor_baselines.size() == 2);
  CHECK(r.vendor_baselines[0].model == "EPYC-Rome");
  CHECK(r.vendor_baselines[1].model == "Skylake-Server-IBRS");
  const pair_result& p = pair(r, cpu_mode::host_passthrough, "intel", "amd");
  CHECK_FALSE(p.compatible);
  CHECK(has(p.notes, "vendor differs: Intel -> AMD"));
}

TEST_CASE("explain_pair: names the missing features and the baseline for analyze") {
  fleet f;
  f.hosts.push_back(facts_of("cmp-a", cpu_info_json("Cascadelake-Server", "Intel", R"("ssbd")", false)));
  f.hosts.push_back(facts_of("cmp-b", cpu_info_json("Skylake-Server-IBRS", "Intel", R"("ssbd")", false)));
  // The incident names its hosts as the analysis does; so do the facts.
  f.hosts[0].identity = "cmp-a.example.net";
  f.hosts[1].identity = "cmp-b";
  const pair_explanation e = explain_pair(f, "cmp-a.example.net", "cmp-b");
  REQUIRE(e.known);
  CHECK(e.missing_passthrough == std::vector<std::string>{"avx512vnni", "clflushopt"});
  CHECK(e.baseline_model == "Skylake-Server-IBRS");
  CHECK(e.sentence.find("cmp-b lacks 2 feature(s) of cmp-a's host CPU: avx512vnni, clflushopt") !=
        std::string::npos);
  CHECK_FALSE(explain_pair(f, "cmp-a", "cmp-z").known);
}

TEST_CASE("sample preflight-mixed-fleet: computed usability agrees with libvirt's domcapabilities") {
  const fleet f = collect({std::string(MIGSLEUTH_SOURCE_DIR) + "/samples/preflight-mixed-fleet/hosts"});
  REQUIRE(f.hosts.size() == 4);
  CHECK(f.warnings.size() == 2);  // cmp-old7's virsh error
  // Every model of every domcapabilities: libvirt's usable/blockers equal what
  // migsleuth computes from the same host's facts with --cpu-model.
  for (const auto& h : f.hosts) {
    for (const auto& m : h.models) {
      fleet one;
      one.hosts = {h, h};
      one.hosts[1].host = "copy";
      one.hosts[1].models.clear();  // forces the computed path on the destination
      options o;
      o.cpu_model = m.name;
      const result r = analyze(one, o);
      const pair_result& p = pair(r, cpu_mode::custom, h.host, "copy");
      INFO(h.host << " " << m.name);
      std::vector<std::string> blockers = m.blockers;
      std::sort(blockers.begin(), blockers.end());
      CHECK(p.missing == blockers);
    }
  }
  const result r = analyze(f, {});
  CHECK(r.fleet_baseline.model == "kvm64");
  REQUIRE(r.vendor_baselines.size() == 2);
  const baseline& intel = r.vendor_baselines[1];
  CHECK(intel.model == "Broadwell-noTSX-IBRS");
  CHECK(intel.next_model == "Skylake-Server-noTSX-IBRS");
  CHECK(intel.held_back_by == std::vector<std::string>{"cmp-icx1"});
  CHECK(intel.next_remove_flags == std::vector<std::string>{"mpx"});
  CHECK(pair(r, cpu_mode::host_passthrough, "cmp-sky1", "cmp-clx1").missing ==
        std::vector<std::string>{"hle", "rtm"});
}

TEST_CASE("json: a host name with invalid UTF-8 or a bidi control stays valid, visible JSON") {
  fleet f;
  // A capture folder name is whatever the operator's tools wrote: a Latin-1
  // byte and a right-to-left override must not make the JSON unreadable or
  // reorder what a reader sees.
  f.hosts.push_back(facts_of("cmp-\xE9t\xE9", cpu_info_json("Skylake-Server-IBRS", "Intel",
                                                             R"("ssbd")", false)));
  f.hosts.push_back(facts_of("cmp-\xE2\x80\xAE" "b", cpu_info_json("Skylake-Server-IBRS", "Intel",
                                                                    R"("ssbd")", false)));
  const std::string json = write_json(analyze(f, {}));
  CHECK(json.find("\xE9") == std::string::npos);
  CHECK(json.find("cmp-\xEF\xBF\xBDt\xEF\xBF\xBD") != std::string::npos);
  CHECK(json.find("\xE2\x80\xAE") == std::string::npos);
  CHECK(json.find("cmp-\\u202eb") != std::string::npos);
}

namespace {

// A hypervisor show of the host nova runs as `service_host`, named `node`.
std::string hypervisor_show(std::string_view service_host, std::string_view node,
                            std::string_view model) {
  std::string text = cpu_info_json(model, "Intel", R"("ssbd")", false);
  text.replace(text.find("h.example.net"), 13, node);
  const std::string old_service = R"("service_host": "h")";
  text.replace(text.find(old_service), old_service.size(),
               "\"service_host\": \"" + std::string(service_host) + "\"");
  return text;
}

migsleuth::input filed(std::string host, std::string path) {
  migsleuth::input in;
  in.host = std::move(host);
  in.path = std::move(path);
  in.host_from = "folder name";
  return in;
}

}  // namespace

TEST_CASE("facts_from: two hosts whose names begin alike stay two hosts",
          "[preflight][identity]") {
  // nova runs both under their FQDNs, in two sites; only their first label is alike.
  const std::vector<migsleuth::input> inputs = {
      filed("controller", "b/controller/hypervisor-show-1.json"),
      filed("controller", "b/controller/hypervisor-show-2.json")};
  const std::vector<migsleuth::ingest::kept_text> kept = {
      {0, hypervisor_show("cmp-07.dc1.example.net", "cmp-07.dc1.example.net", "Cascadelake-Server"),
       false},
      {1, hypervisor_show("cmp-07.dc2.example.net", "cmp-07.dc2.example.net", "Skylake-Server-IBRS"),
       false}};
  const fleet f = facts_from(inputs, kept);
  REQUIRE(f.hosts.size() == 2);  // one "cmp-07" with one site's CPU, before
  CHECK(f.hosts[0].host == "cmp-07.dc1.example.net");
  CHECK(f.hosts[0].host_cpu_model == "Cascadelake-Server");
  CHECK(f.hosts[1].host == "cmp-07.dc2.example.net");
  CHECK(f.hosts[1].host_cpu_model == "Skylake-Server-IBRS");
}

TEST_CASE("facts_from: captures of one host under its folder name and nova's name are one host",
          "[preflight][identity]") {
  const std::vector<migsleuth::input> inputs = {
      filed("cmp-a.example.net", "b/cmp-a.example.net/domcapabilities.xml"),
      filed("controller", "b/controller/hypervisor-show-cmp-a.json")};
  const std::vector<migsleuth::ingest::kept_text> kept = {
      {0, kDomcaps, false}, {1, hypervisor_show("cmp-a", "cmp-a.example.net", "Cascadelake-Server"), false}};
  const fleet f = facts_from(inputs, kept);
  REQUIRE(f.hosts.size() == 1);
  CHECK(f.hosts[0].host == "cmp-a");                    // printed by its first label
  CHECK(f.hosts[0].identity == "cmp-a.example.net");    // as analyze names it (its files' name)
  CHECK(f.hosts[0].has_domcaps);
  CHECK(f.hosts[0].has_host_cpu);
  // analyze asks with the analysis' names, and finds it.
  migsleuth::identity_index names;
  const std::vector<std::pair<std::string, std::string>> joined = {
      {"cmp-a", "cmp-a.example.net"}, {"cmp-a.example.net", "cmp-a.example.net"}};
  names.learn_hosts(joined);
  const fleet g = facts_from(inputs, kept, names);
  REQUIRE(g.hosts.size() == 1);
  CHECK(g.hosts[0].identity == "cmp-a.example.net");
}
