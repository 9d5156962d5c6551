// The three outputs of a preflight result. JSON is the contract (README
// "Preflight", schema_version); text is for a terminal, markdown for a ticket.
// Every list is already in host order, so the output is deterministic.
#include <fmt/format.h>

#include <algorithm>

#include "migsleuth/core/json_escape.hpp"
#include "migsleuth/preflight/preflight.hpp"

namespace migsleuth::preflight {
namespace {

// Through the report's escaper: a host name or CPU model read from a capture
// may hold invalid UTF-8 or bidi controls like any log line.
std::string quote(std::string_view s) {
  std::string out = "\"";
  append_json_escaped(out, s);
  return out + "\"";
}

std::string list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? ", " : "") + quote(v[i]);
  return out + "]";
}

std::string joined(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

const char* boolean(bool b) { return b ? "true" : "false"; }

std::vector<std::string> usable_models(const host_facts& h) {
  std::vector<std::string> out;
  for (const auto& m : h.models) {
    if (m.usable) out.push_back(m.name);
  }
  return out;
}

std::string json_baseline(const baseline& b, std::string_view ind) {
  std::string o = "{\n";
  const std::string in = std::string(ind) + "  ";
  o += fmt::format("{}\"scope\": {},\n{}\"hosts\": {},\n{}\"found\": {},\n", in, quote(b.scope),
                   in, list(b.hosts), in, boolean(b.found));
  o += fmt::format("{}\"model\": {},\n{}\"vendor\": {},\n", in,
                   b.found ? quote(b.model) : "null", in, b.found ? quote(b.vendor) : "null");
  o += fmt::format("{}\"extra_flags\": {},\n{}\"nova_conf\": {},\n", in, list(b.extra_flags), in,
                   list(b.nova_conf));
  if (b.has_next) {
    o += fmt::format("{}\"next_model\": {{\n{}  \"model\": {},\n{}  \"remove_flags\": {},\n{}  "
                     "\"blocked_on\": [",
                     in, in, quote(b.next_model), in, list(b.next_remove_flags), in);
    for (std::size_t i = 0; i < b.next_blocked_on.size(); ++i) {
      o += fmt::format("{}\n{}    {{\"host\": {}, \"features\": {}}}", i > 0 ? "," : "", in,
                       quote(b.next_blocked_on[i].host), list(b.next_blocked_on[i].features));
    }
    o += fmt::format("\n{}  ]\n{}}},\n", in, in);
  } else {
    o += fmt::format("{}\"next_model\": null,\n", in);
  }
  o += fmt::format("{}\"held_back_by\": {},\n{}\"notes\": {}\n{}}}", in, list(b.held_back_by), in,
                   list(b.notes), ind);
  return o;
}

std::string cell(const pair_result& p) {
  if (p.compatible) return "ok";
  if (p.missing.empty()) return "no";
  return fmt::format("no ({})", p.missing.size());
}

const pair_result* find_pair(const mode_matrix& m, const std::string& s, const std::string& d) {
  for (const auto& p : m.pairs) {
    if (p.source == s && p.destination == d) return &p;
  }
  return nullptr;
}

std::string mode_title(const mode_matrix& m) {
  return m.mode == cpu_mode::custom ? "custom " + m.cpu_model : std::string(to_string(m.mode));
}

void trim_right(std::string& o) {
  while (!o.empty() && o.back() == ' ') o.pop_back();
}

void text_baseline(std::string& o, const baseline& b, bool md) {
  const std::string bullet = md ? "- " : "  ";
  o += md ? fmt::format("\n### Baseline ({}: {})\n\n", b.scope, joined(b.hosts))
          : fmt::format("\nBaseline ({}: {})\n", b.scope, joined(b.hosts));
  if (b.found) {
    o += fmt::format("{}most capable named model usable on every host: {}{}{}\n", bullet,
                     md ? "`" : "", b.model, md ? "`" : "");
    o += md ? "\n```ini\n" : "";
    for (const auto& l : b.nova_conf) o += (md ? "" : "    ") + l + "\n";
    o += md ? "```\n\n" : "";
  }
  if (b.has_next) {
    o += fmt::format("{}next model up, {}, is blocked on:", bullet, b.next_model);
    for (const auto& hb : b.next_blocked_on) {
      o += fmt::format(" {} ({})", hb.host, joined(hb.features));
    }
    o += "\n";
    o += fmt::format("{}held back by: {}; {} with cpu_model_extra_flags = -{} would be usable "
                     "everywhere\n",
                     bullet, joined(b.held_back_by), b.next_model,
                     joined(b.next_remove_flags, ", -"));
  }
  for (const auto& n : b.notes) o += bullet + "note: " + n + "\n";
}

std::string human(const result& r, bool md) {
  std::string o;
  o += md ? fmt::format("## migsleuth preflight: {} host(s)\n\n| host | vendor | host CPU | "
                        "host-model | sources |\n|---|---|---|---|---|\n",
                        r.hosts.size())
          : fmt::format("migsleuth preflight: {} host(s)\n", r.hosts.size());
  // Columns as wide as their widest entry plus two spaces: long host names
  // (overcloud-novacompute-12.localdomain) never run into the next column.
  std::size_t host_w = 4, cpu_w = 8;
  for (const auto& h : r.hosts) {
    host_w = std::max(host_w, h.host.size());
    cpu_w = std::max(cpu_w, h.has_host_cpu ? h.host_cpu_model.size() : 1);
  }
  for (const auto& h : r.hosts) {
    const std::string cpu = h.has_host_cpu ? h.host_cpu_model : "-";
    const std::string hm = h.host_model.empty() ? "-" : h.host_model;
    o += md ? fmt::format("| {} | {} | {} | {} | {} |\n", h.host, h.vendor, cpu, hm,
                          joined(h.sources, "<br>"))
            : fmt::format("  {:<{}}  {:<6} host CPU {:<{}}  host-model {}\n", h.host, host_w,
                          h.vendor, cpu, cpu_w, hm);
  }
  for (const auto& m : r.matrices) {
    std::size_t cell_w = host_w;
    for (const auto& p : m.pairs) cell_w = std::max(cell_w, cell(p).size());
    o += md ? fmt::format("\n### {} (row: source, column: destination)\n\n| |", mode_title(m))
            : fmt::format("\n{} (row: source -> column: destination)\n  {:<{}}", mode_title(m),
                          "", host_w + 2);
    for (const auto& h : r.hosts) {
      o += md ? " " + h.host + " |" : fmt::format("{:<{}}", h.host, cell_w + 2);
    }
    if (!md) trim_right(o);
    o += md ? "\n|---|" : "\n";
    if (md) {
      for (std::size_t i = 0; i < r.hosts.size(); ++i) o += "---|";
      o += "\n";
    }
    for (const auto& s : r.hosts) {
      o += md ? "| " + s.host + " |" : fmt::format("  {:<{}}", s.host, host_w + 2);
      for (const auto& d : r.hosts) {
        const pair_result* p = find_pair(m, s.host, d.host);
        const std::string c = p == nullptr ? "-" : cell(*p);
        o += md ? " " + c + " |" : fmt::format("{:<{}}", c, cell_w + 2);
      }
      if (!md) trim_right(o);
      o += "\n";
    }
    if (md) o += "\n";
    for (const auto& p : m.pairs) {
      if (p.compatible) continue;
      o += fmt::format("{}{} -> {}: ", md ? "- " : "  ", p.source, p.destination);
      o += p.missing.empty() ? "" : "missing " + joined(p.missing);
      if (!p.notes.empty()) o += (p.missing.empty() ? "" : "; ") + joined(p.notes, "; ");
      o += "\n";
    }
  }
  text_baseline(o, r.fleet_baseline, md);
  for (const auto& b : r.vendor_baselines) text_baseline(o, b, md);
  o += md ? "\n### Confirm (read-only)\n\n" : "\nConfirm (read-only)\n";
  for (const auto& c : r.confirm) o += md ? "- `" + c + "`\n" : "  " + c + "\n";
  if (!r.warnings.empty()) {
    o += md ? "\n### Warnings\n\n" : "\nWarnings\n";
    for (const auto& w : r.warnings) o += (md ? "- " : "  ") + w + "\n";
  }
  return o;
}

}  // namespace

std::string write_json(const result& r) {
  std::string o = "{\n";
  o += fmt::format("  \"schema\": \"migsleuth.preflight/v{}\",\n  \"schema_version\": {},\n",
                   kSchemaVersion, kSchemaVersion);
  o += "  \"hosts\": [";
  for (std::size_t i = 0; i < r.hosts.size(); ++i) {
    const host_facts& h = r.hosts[i];
    o += fmt::format(
        "{}\n    {{\n      \"host\": {},\n      \"vendor\": {},\n      \"arch\": {},\n"
        "      \"host_cpu_model\": {},\n      \"host_cpu_features\": {},\n"
        "      \"host_model\": {},\n      \"passthrough_supported\": {},\n"
        "      \"host_model_supported\": {},\n      \"usable_models\": {},\n"
        "      \"sources\": {},\n      \"warnings\": {}\n    }}",
        i > 0 ? "," : "", quote(h.host), quote(h.vendor), quote(h.arch),
        h.has_host_cpu ? quote(h.host_cpu_model) : "null", list(h.host_cpu_features),
        h.host_model.empty() ? "null" : quote(h.host_model),
        h.has_domcaps ? boolean(h.passthrough_supported) : "null",
        h.has_domcaps ? boolean(h.host_model_supported) : "null", list(usable_models(h)),
        list(h.sources), list(h.warnings));
  }
  o += r.hosts.empty() ? "],\n" : "\n  ],\n";
  o += "  \"matrices\": [";
  for (std::size_t i = 0; i < r.matrices.size(); ++i) {
    const mode_matrix& m = r.matrices[i];
    const auto ok = std::count_if(m.pairs.begin(), m.pairs.end(),
                                  [](const pair_result& p) { return p.compatible; });
    o += fmt::format(
        "{}\n    {{\n      \"cpu_mode\": {},\n      \"cpu_model\": {},\n"
        "      \"compatible_pairs\": {},\n      \"incompatible_pairs\": {},\n      \"pairs\": [",
        i > 0 ? "," : "", quote(to_string(m.mode)),
        m.cpu_model.empty() ? "null" : quote(m.cpu_model), ok,
        static_cast<std::ptrdiff_t>(m.pairs.size()) - ok);
    for (std::size_t j = 0; j < m.pairs.size(); ++j) {
      const pair_result& p = m.pairs[j];
      o += fmt::format(
          "{}\n        {{\"source\": {}, \"destination\": {}, \"compatible\": {}, "
          "\"missing_features\": {}, \"notes\": {}}}",
          j > 0 ? "," : "", quote(p.source), quote(p.destination), boolean(p.compatible),
          list(p.missing), list(p.notes));
    }
    o += m.pairs.empty() ? "]\n    }" : "\n      ]\n    }";
  }
  o += r.matrices.empty() ? "],\n" : "\n  ],\n";
  o += "  \"baseline\": " + json_baseline(r.fleet_baseline, "  ") + ",\n";
  o += "  \"vendor_baselines\": [";
  for (std::size_t i = 0; i < r.vendor_baselines.size(); ++i) {
    o += (i > 0 ? ",\n    " : "\n    ") + json_baseline(r.vendor_baselines[i], "    ");
  }
  o += r.vendor_baselines.empty() ? "],\n" : "\n  ],\n";
  o += "  \"confirm_commands\": " + list(r.confirm) + ",\n";
  o += "  \"warnings\": " + list(r.warnings) + "\n}\n";
  return o;
}

std::string write_text(const result& r) { return human(r, false); }
std::string write_markdown(const result& r) { return human(r, true); }

}  // namespace migsleuth::preflight
