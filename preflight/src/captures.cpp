// Reading one capture: virsh -r domcapabilities / capabilities XML with
// pugixml (a real parser: a cut or hand-edited file is reported, never
// half-read), openstack hypervisor show -f json with simdjson.
#include <pugixml.hpp>
#include <simdjson.h>

#include <algorithm>

#include "migsleuth/preflight/preflight.hpp"

namespace migsleuth::preflight {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' ||
                        s.front() == '\t' || s.front() == '\xEF' || s.front() == '\xBB' ||
                        s.front() == '\xBF')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string first_line(std::string_view s) {
  s = trim(s);
  std::string line(s.substr(0, std::min(s.find('\n'), std::size_t{160})));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

// "virsh ... capabilities" runs that failed print "error: ..." lines instead.
std::string not_xml_reason(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return "empty capture";
  if (t.substr(0, 6) == "error:") return "virsh error instead of XML: " + first_line(t);
  return "not XML (it starts: " + first_line(t) + ")";
}

void read_domcaps(const pugi::xml_node root, host_facts& h) {
  h.has_domcaps = true;
  h.arch = root.child_value("arch");
  for (const pugi::xml_node mode : root.child("cpu").children("mode")) {
    const std::string_view name = mode.attribute("name").value();
    const bool supported = std::string_view(mode.attribute("supported").value()) == "yes";
    if (name == "host-passthrough") {
      h.passthrough_supported = supported;
    } else if (name == "host-model") {
      h.host_model_supported = supported;
      h.host_model = trim(mode.child_value("model"));
      if (const std::string_view v = trim(mode.child_value("vendor")); !v.empty()) {
        h.vendor = v;
      }
      for (const pugi::xml_node f : mode.children("feature")) {
        const std::string_view policy = f.attribute("policy").value();
        const std::string feature = f.attribute("name").value();
        if (feature.empty()) continue;
        if (policy == "disable" || policy == "forbid") {
          h.host_model_disable.push_back(feature);
        } else {
          h.host_model_require.push_back(feature);  // require, force, optional
        }
      }
    } else if (name == "custom") {
      for (const pugi::xml_node m : mode.children("model")) {
        named_model nm;
        nm.name = trim(m.child_value());
        nm.vendor = m.attribute("vendor").value();
        nm.usable = std::string_view(m.attribute("usable").value()) == "yes";
        if (!nm.name.empty()) h.models.push_back(std::move(nm));
      }
      for (const pugi::xml_node b : mode.children("blockers")) {
        const std::string_view model = b.attribute("model").value();
        for (auto& nm : h.models) {
          if (nm.name != model) continue;
          nm.has_blockers = true;
          for (const pugi::xml_node f : b.children("feature")) {
            nm.blockers.emplace_back(f.attribute("name").value());
          }
        }
      }
    }
  }
}

void read_caps(const pugi::xml_node root, host_facts& h) {
  const pugi::xml_node cpu = root.child("host").child("cpu");
  if (!cpu) return;
  h.has_host_cpu = true;
  h.arch = trim(cpu.child_value("arch"));
  h.host_cpu_model = trim(cpu.child_value("model"));
  h.vendor = trim(cpu.child_value("vendor"));
  for (const pugi::xml_node f : cpu.children("feature")) {
    const std::string_view policy = f.attribute("policy").value();
    if (policy == "disable" || policy == "forbid") continue;
    if (const std::string name = f.attribute("name").value(); !name.empty()) {
      h.host_cpu_features.push_back(name);
    }
  }
}

capture parse_xml(std::string_view text) {
  capture c;
  pugi::xml_document doc;
  const pugi::xml_parse_result ok = doc.load_buffer(text.data(), text.size());
  const pugi::xml_node root = doc.document_element();
  const std::string_view name = root.name();
  c.kind = name == "domainCapabilities" ? capture_kind::domcapabilities
           : name == "capabilities"     ? capture_kind::capabilities
                                        : capture_kind::none;
  if (!ok) {
    c.error = std::string("XML cut or malformed (") + ok.description() + " at byte " +
              std::to_string(ok.offset) + ")";
    return c;
  }
  if (c.kind == capture_kind::domcapabilities) read_domcaps(root, c.facts);
  if (c.kind == capture_kind::capabilities) read_caps(root, c.facts);
  if (c.kind == capture_kind::none) c.error = "XML root <" + std::string(name) + "> is not a capabilities document";
  if (c.kind == capture_kind::capabilities && !c.facts.has_host_cpu) {
    c.error = "capabilities without <host><cpu>";
  }
  return c;
}

bool read_cpu_info(simdjson::ondemand::object obj, host_facts& h) {
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return false;
    std::string_view s;
    if (key == "model" && v.get_string().get(s) == simdjson::SUCCESS) h.host_cpu_model = s;
    if (key == "vendor" && v.get_string().get(s) == simdjson::SUCCESS) h.vendor = s;
    if (key == "arch" && v.get_string().get(s) == simdjson::SUCCESS) h.arch = s;
    if (key == "features") {
      simdjson::ondemand::array arr;
      if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
      for (auto item : arr) {
        if (item.get_string().get(s) == simdjson::SUCCESS) h.host_cpu_features.emplace_back(s);
      }
    }
  }
  h.has_host_cpu = !h.host_cpu_model.empty() || !h.host_cpu_features.empty();
  std::sort(h.host_cpu_features.begin(), h.host_cpu_features.end());
  return true;
}

capture parse_json(std::string_view text) {
  capture c;
  c.kind = capture_kind::hypervisor_show;
  simdjson::ondemand::parser parser;
  const simdjson::padded_string padded(text);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(obj) != simdjson::SUCCESS) {
    c.error = "not a JSON object";
    return c;
  }
  std::string service_host, hypervisor_hostname, cpu_info_string;
  bool have_cpu_info = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) break;
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) break;
    std::string_view s;
    if (key == "service_host" && v.get_string().get(s) == simdjson::SUCCESS) service_host = s;
    if (key == "hypervisor_hostname" && v.get_string().get(s) == simdjson::SUCCESS) {
      hypervisor_hostname = s;
    }
    if (key == "error") c.error = "openstack error body instead of hypervisor show";
    if (key != "cpu_info") continue;
    have_cpu_info = true;
    simdjson::ondemand::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) break;
    if (type == simdjson::ondemand::json_type::object) {
      simdjson::ondemand::object info;
      if (v.get_object().get(info) != simdjson::SUCCESS || !read_cpu_info(info, c.facts)) {
        c.error = "cpu_info is not a readable object";
      }
    } else if (type == simdjson::ondemand::json_type::string &&
               v.get_string().get(s) == simdjson::SUCCESS) {
      cpu_info_string = s;  // before microversion 2.28: a JSON document in a string
    }
  }
  if (!cpu_info_string.empty()) {
    simdjson::ondemand::parser inner_parser;
    const simdjson::padded_string inner(cpu_info_string);
    simdjson::ondemand::document inner_doc;
    simdjson::ondemand::object info;
    if (inner_parser.iterate(inner).get(inner_doc) != simdjson::SUCCESS ||
        inner_doc.get_object().get(info) != simdjson::SUCCESS || !read_cpu_info(info, c.facts)) {
      c.error = "cpu_info string is not a JSON object";
    }
  }
  c.named_host = !service_host.empty() ? service_host : hypervisor_hostname;
  c.named_node = hypervisor_hostname;
  if (c.error.empty() && (!have_cpu_info || !c.facts.has_host_cpu)) {
    c.error = "no cpu_info model or features";
  }
  return c;
}

}  // namespace

std::string_view to_string(capture_kind k) noexcept {
  switch (k) {
    case capture_kind::domcapabilities: return "domcapabilities";
    case capture_kind::capabilities: return "capabilities";
    case capture_kind::hypervisor_show: return "hypervisor-show";
    case capture_kind::none: break;
  }
  return "none";
}

capture parse_capture(std::string_view text) {
  try {
    const std::string_view t = trim(text);
    if (!t.empty() && t.front() == '<') return parse_xml(t);
    if (!t.empty() && t.front() == '{') return parse_json(t);
    capture c;
    c.error = not_xml_reason(text);
    return c;
  } catch (const std::exception& e) {  // bad_alloc from a huge capture: a warning, not a crash
    capture c;
    c.error = std::string("could not be read: ") + e.what();
    return c;
  }
}

bool is_cpu_capture(std::string_view path, std::string_view head) {
  const std::string_view name = input_file_name(path);
  if (contains(name, "capabilities") || contains(name, "hypervisor-show") ||
      contains(name, "hypervisor_show") || contains(name, "cpu_info") ||
      contains(name, "cpu-info")) {
    return true;
  }
  const std::string_view h = head.substr(0, 4096);
  return contains(h, "<domainCapabilities") || contains(h, "<capabilities>") ||
         (trim(h).substr(0, 1) == "{" && contains(head, "\"cpu_info\""));
}

}  // namespace migsleuth::preflight
