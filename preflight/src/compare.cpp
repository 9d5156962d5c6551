// The semantics (README "Preflight"):
// - guest view F(H): what H's hypervisor can give a guest = H's host CPU
//   (capabilities / cpu_info, expanded, minus host-only bits such as acpi,
//   monitor, invtsc) ∪ H's host-model (domcapabilities). Both descriptions
//   are used because a bundle may hold either; capacity(D) = F(D).
// - host-passthrough S->D: F(S) ⊆ F(D), same vendor: the guest sees all of
//   S that KVM can give. nova's own pre-check is the same comparison
//   (_compare_cpu sends S's cpu_info to D's compareHypervisorCPU).
// - host-model S->D: S's host-model (model + require - disable) ⊆ capacity(D).
// - custom M: M usable on D (domcapabilities usable='yes'; else computed),
//   extra flags in capacity(D), and M's vendor is D's.
#include <algorithm>
#include <map>

#include "cpu_map.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/preflight/preflight.hpp"

namespace migsleuth::preflight {
namespace {

struct host_sets {
  feature_set host_cpu, host_model, capacity;
  bool has_host_cpu = false, has_host_model = false;
  std::vector<std::string> unknown_models;
};

host_sets sets_of(const host_facts& h) {
  host_sets s;
  bool known = true;
  if (h.has_host_cpu) {
    s.has_host_cpu = true;
    s.host_cpu = expand(h.host_cpu_model, h.host_cpu_features, {}, known);
    if (!known && !h.host_cpu_model.empty()) s.unknown_models.push_back(h.host_cpu_model);
  }
  if (h.has_domcaps && h.host_model_supported && !h.host_model.empty()) {
    s.has_host_model = true;
    s.host_model = expand(h.host_model, h.host_model_require, h.host_model_disable, known);
    if (!known) s.unknown_models.push_back(h.host_model);
  }
  for (auto it = s.host_cpu.begin(); it != s.host_cpu.end();) {
    it = host_only_feature(*it) ? s.host_cpu.erase(it) : std::next(it);
  }
  s.capacity = s.host_cpu;
  s.capacity.insert(s.host_model.begin(), s.host_model.end());
  return s;
}

std::vector<std::string> minus(const feature_set& a, const feature_set& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::string model_vendor(std::string_view model, const std::vector<host_facts>& hosts) {
  if (const model_def* m = find_model(model)) return std::string(m->vendor);
  for (const auto& h : hosts) {
    for (const auto& nm : h.models) {
      if (nm.name == model) return nm.vendor == "unknown" ? std::string() : nm.vendor;
    }
  }
  return {};
}

struct usability {
  bool usable = false;
  bool reported = false;  // libvirt said so (domcapabilities), not computed
  std::vector<std::string> blockers;
  std::string note;
};

usability usable_on(std::string_view model, const host_facts& h, const host_sets& s) {
  usability u;
  bool known = false;
  const feature_set need = expand(model, {}, {}, known);
  if (h.has_domcaps && !h.models.empty()) {  // no custom list: computed below
    for (const auto& nm : h.models) {
      if (nm.name != model) continue;
      u.reported = true;
      u.usable = nm.usable;
      if (nm.has_blockers) {
        for (const auto& b : nm.blockers) u.blockers.push_back(canonical_feature(b));
        std::sort(u.blockers.begin(), u.blockers.end());
      } else if (!nm.usable && known) {
        u.blockers = minus(need, s.capacity);
      }
      return u;
    }
    u.note = std::string(model) + " is not in " + h.host + "'s domcapabilities";
    return u;
  }
  if (!known) {
    u.note = std::string(model) + " is not a model migsleuth knows, and " + h.host +
             " has no domcapabilities capture to say";
    return u;
  }
  u.blockers = minus(need, s.capacity);
  u.usable = u.blockers.empty();
  return u;
}

pair_result compare_pair(cpu_mode mode, const host_facts& src, const host_sets& ss,
                         const host_facts& dst, const host_sets& ds, const options& opt,
                         const std::vector<host_facts>& hosts) {
  pair_result p{src.host, dst.host, false, {}, {}};
  bool ok = true;
  if (mode == cpu_mode::custom) {
    // cpu_model_extra_flags: "flag" / "+flag" must be on D; "-flag" is
    // disabled in the guest, so it no longer blocks the model.
    feature_set add, drop;
    for (const auto& f : opt.extra_flags) {
      if (!f.empty() && f.front() == '-') {
        drop.insert(canonical_feature(f.substr(1)));
      } else {
        add.insert(canonical_feature(!f.empty() && f.front() == '+' ? f.substr(1) : f));
      }
    }
    const auto blocked = [&](const usability& u) {
      feature_set b(u.blockers.begin(), u.blockers.end());
      return minus(b, drop);
    };
    const usability u = usable_on(opt.cpu_model, dst, ds);
    p.missing = blocked(u);
    for (const auto& f : minus(add, ds.capacity)) p.missing.push_back(f);
    std::sort(p.missing.begin(), p.missing.end());
    ok = u.usable || (u.note.empty() && !u.blockers.empty());
    if (!u.note.empty()) p.notes.push_back(u.note);
    const usability us = usable_on(opt.cpu_model, src, ss);
    if (!us.note.empty() || !blocked(us).empty() || !minus(add, ss.capacity).empty()) {
      ok = false;
      p.notes.push_back(opt.cpu_model + " is not usable on " + src.host +
                        ": no guest with it can start there");
    }
    const std::string mv = model_vendor(opt.cpu_model, hosts);
    if (!mv.empty() && !dst.vendor.empty() && mv != dst.vendor) {
      ok = false;
      p.notes.push_back(opt.cpu_model + " is an " + mv + " model; " + dst.host + " is " +
                        dst.vendor);
    }
  } else {
    const bool passthrough = mode == cpu_mode::host_passthrough;
    // passthrough: the guest saw F(S); host-model: S's host-model, or F(S)
    // when S has no domcapabilities.
    const feature_set& need = passthrough || !ss.has_host_model ? ss.capacity : ss.host_model;
    if (!passthrough && !ss.has_host_model) {
      p.notes.push_back(src.host + " has no domcapabilities host-model: its host CPU stands in");
    }
    const bool supported = passthrough ? dst.passthrough_supported : dst.host_model_supported;
    if (dst.has_domcaps && !supported) {
      ok = false;
      p.notes.push_back(std::string(to_string(mode)) + " is not supported on " + dst.host);
    }
    p.missing = minus(need, ds.capacity);
  }
  if (mode != cpu_mode::custom && src.vendor != dst.vendor) {
    ok = false;
    p.notes.push_back("vendor differs: " + src.vendor + " -> " + dst.vendor);
  }
  for (const auto* s : {&ss, &ds}) {
    for (const auto& m : s->unknown_models) {
      p.notes.push_back("model " + m + " is not in migsleuth's table: compared by its listed "
                        "features only");
    }
  }
  p.compatible = ok && p.missing.empty();
  return p;
}

struct candidate {
  std::string name, vendor;
  int rank = -1;
  std::size_t features = 0;
};

std::vector<candidate> candidates(const std::vector<const host_facts*>& hs) {
  std::map<std::string, candidate> all;
  for (const auto& m : all_models()) {
    all[std::string(m.name)] = {std::string(m.name), std::string(m.vendor), m.rank,
                                m.features.size()};
  }
  for (const auto* h : hs) {
    for (const auto& nm : h->models) {
      if (all.count(nm.name) == 0) {
        all[nm.name] = {nm.name, nm.vendor == "unknown" ? "" : nm.vendor, -1, 0};
      }
    }
  }
  std::vector<candidate> out;
  for (auto& [name, c] : all) out.push_back(std::move(c));
  return out;
}

bool better(const candidate& a, const candidate& b) {
  if (a.rank != b.rank) return a.rank > b.rank;
  if (a.features != b.features) return a.features > b.features;
  return a.name < b.name;
}

}  // namespace

std::string_view to_string(cpu_mode m) noexcept {
  switch (m) {
    case cpu_mode::host_passthrough: return "host-passthrough";
    case cpu_mode::host_model: return "host-model";
    case cpu_mode::custom: return "custom";
  }
  return "custom";
}

namespace {

// Baseline over a set of hosts: the best named model usable on all of them.
baseline choose_baseline(const std::vector<const host_facts*>& hs, std::string scope) {
  baseline b;
  b.scope = std::move(scope);
  std::set<std::string> vendors;
  std::vector<host_sets> sets;
  for (const auto* h : hs) {
    b.hosts.push_back(h->host);
    vendors.insert(h->vendor.empty() ? "unknown" : h->vendor);
    sets.push_back(sets_of(*h));
  }
  const bool mixed = vendors.size() > 1;
  const std::string vendor = mixed ? "" : *vendors.begin();
  std::vector<candidate> usable_all;
  std::vector<candidate> above;
  for (const auto& c : candidates(hs)) {
    if (!c.vendor.empty() && (mixed || c.vendor != vendor)) continue;
    bool all = true;
    for (std::size_t i = 0; i < hs.size(); ++i) all = all && usable_on(c.name, *hs[i], sets[i]).usable;
    if (all) usable_all.push_back(c);
    if (!all && c.rank >= 0) above.push_back(c);
  }
  std::sort(usable_all.begin(), usable_all.end(), better);
  if (mixed) {
    b.notes.push_back("the hosts are of different vendors: live migration between them changes "
                      "the CPU vendor the guest sees; only QEMU's generic models (kvm64, "
                      "qemu64) are common, and they hide most CPU features. Keep each vendor "
                      "in its own host aggregate (see the per-vendor baselines)");
  }
  if (usable_all.empty()) {
    b.notes.push_back("no named CPU model is usable on every host");
    return b;
  }
  const candidate& best = usable_all.front();
  b.found = true;
  b.model = best.name;
  b.vendor = best.vendor;
  bool known = false;
  const feature_set in_model = expand(best.name, {}, {}, known);
  for (const auto f : recommended_extra_flags()) {
    const std::string flag(f);
    if (in_model.count(flag) != 0) continue;
    bool everywhere = true;
    for (const auto& s : sets) everywhere = everywhere && s.capacity.count(flag) != 0;
    if (everywhere) b.extra_flags.push_back(flag);
  }
  b.nova_conf = {"[libvirt]", "cpu_mode = custom", "cpu_models = " + b.model};
  if (!b.extra_flags.empty()) {
    std::string line = "cpu_model_extra_flags = ";
    for (std::size_t i = 0; i < b.extra_flags.size(); ++i) {
      line += (i > 0 ? ", " : "") + b.extra_flags[i];
    }
    b.nova_conf.push_back(line);
  }
  // The next step up: the more capable model usable on the most hosts.
  const candidate* next = nullptr;
  std::size_t next_usable = 0;
  for (const auto& c : above) {
    if (c.rank <= best.rank) continue;
    std::size_t n = 0;
    for (std::size_t i = 0; i < hs.size(); ++i) if (usable_on(c.name, *hs[i], sets[i]).usable) ++n;
    if (n == 0) continue;  // usable nowhere: no host is holding the others back
    if (next == nullptr || n > next_usable || (n == next_usable && better(c, *next))) {
      next = &c;
      next_usable = n;
    }
  }
  if (next != nullptr) {
    b.has_next = true;
    b.next_model = next->name;
    std::set<std::string> remove;
    for (std::size_t i = 0; i < hs.size(); ++i) {
      const usability u = usable_on(next->name, *hs[i], sets[i]);
      if (u.usable) continue;
      b.next_blocked_on.push_back({hs[i]->host, u.blockers});
      b.held_back_by.push_back(hs[i]->host);
      remove.insert(u.blockers.begin(), u.blockers.end());
    }
    b.next_remove_flags.assign(remove.begin(), remove.end());
  }
  return b;
}

}  // namespace

result analyze(const fleet& f, const options& opt) {
  result r;
  r.hosts = f.hosts;
  r.warnings = f.warnings;
  std::vector<host_sets> sets;
  for (const auto& h : f.hosts) sets.push_back(sets_of(h));
  std::vector<cpu_mode> modes = {cpu_mode::host_passthrough, cpu_mode::host_model};
  if (!opt.cpu_model.empty()) modes.push_back(cpu_mode::custom);
  for (const cpu_mode m : modes) {
    mode_matrix mm{m, m == cpu_mode::custom ? opt.cpu_model : "", {}};
    for (std::size_t s = 0; s < f.hosts.size(); ++s) {
      for (std::size_t d = 0; d < f.hosts.size(); ++d) {
        if (s == d) continue;
        mm.pairs.push_back(compare_pair(m, f.hosts[s], sets[s], f.hosts[d], sets[d], opt, f.hosts));
      }
    }
    r.matrices.push_back(std::move(mm));
  }
  std::vector<const host_facts*> all;
  std::map<std::string, std::vector<const host_facts*>> by_vendor;
  for (const auto& h : f.hosts) {
    all.push_back(&h);
    by_vendor[h.vendor.empty() ? "unknown" : h.vendor].push_back(&h);
  }
  if (!all.empty()) r.fleet_baseline = choose_baseline(all, "fleet");
  if (by_vendor.size() > 1) {
    for (const auto& [vendor, hs] : by_vendor) {
      r.vendor_baselines.push_back(choose_baseline(hs, "vendor " + vendor));
    }
  }
  // Host names come from the captures: every command is filled and checked
  // (a name that is not a host name is withheld as <host>).
  auto confirm = [&r](std::string_view tpl, const std::string& host) {
    if (auto c = classifiers::make_confirm_command(tpl, {{"host", host}})) r.confirm.push_back(*c);
  };
  // Comments are words to the checker (interactive zsh passes them as arguments),
  // so they hold no shell syntax: no <, >, ;, quotes or parentheses.
  confirm("virsh -r capabilities   # on each host: the host CPU model and features", {});
  confirm("virsh -r domcapabilities   # on each host: host-model, usable models, blockers", {});
  for (const auto& h : f.hosts) confirm("openstack hypervisor show {host} -c cpu_info -f json", h.host);
  confirm("virsh hypervisor-cpu-compare SRC-cpu.xml   # on a destination, SRC-cpu.xml being "
          "the cpu element of the source capabilities: compares, changes nothing", {});
  return r;
}

pair_explanation explain_pair(const fleet& f, std::string_view source,
                              std::string_view destination) {
  pair_explanation e;
  const auto find = [&](std::string_view name) -> const host_facts* {
    for (const auto& h : f.hosts) {
      if (h.identity == name) return &h;
    }
    return nullptr;
  };
  const host_facts* src = find(source);
  const host_facts* dst = find(destination);
  if (src == nullptr || dst == nullptr || source.empty() || destination.empty()) return e;
  e.known = true;
  const host_sets ss = sets_of(*src), ds = sets_of(*dst);
  const pair_result pt = compare_pair(cpu_mode::host_passthrough, *src, ss, *dst, ds, {}, f.hosts);
  const pair_result hm = compare_pair(cpu_mode::host_model, *src, ss, *dst, ds, {}, f.hosts);
  e.missing_passthrough = pt.missing;
  e.missing_host_model = hm.missing;
  const baseline b = choose_baseline({src, dst}, "pair");
  if (b.found) e.baseline_model = b.model;
  const auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  std::string& t = e.sentence;
  if (src->vendor != dst->vendor) {
    t = "CPU facts in the bundle: " + src->host + " is " + src->vendor + " and " + dst->host +
        " is " + dst->vendor + ".";
  } else if (pt.missing.empty() && hm.missing.empty()) {
    t = "CPU facts in the bundle: " + dst->host + " has every feature of " + src->host +
        "'s CPU (the facts may have been collected after a change).";
  } else {
    t = "CPU facts in the bundle: " + dst->host + " lacks " +
        std::to_string(pt.missing.size()) + " feature(s) of " + src->host +
        "'s host CPU: " + join(pt.missing);
    if (hm.missing != pt.missing) {
      t += hm.missing.empty() ? " (none of its host-model)"
                              : " (of its host-model: " + join(hm.missing) + ")";
    }
    t += ".";
  }
  if (b.found) {
    t += " The most capable CPU model usable on both is " + b.model +
         " ([libvirt] cpu_mode = custom, cpu_models = " + b.model + ").";
  } else {
    t += " No named CPU model is usable on both.";
  }
  return e;
}

}  // namespace migsleuth::preflight
