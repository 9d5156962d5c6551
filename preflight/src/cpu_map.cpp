// Feature lists transcribed from libvirt's src/cpu_map/x86_<model>.xml (the
// files libvirt 9.x reads; the vmx-* features added later are left out: nova's
// cpu_info and domcapabilities' blockers do not name them). Variants are
// written as their libvirt difference from a parent so that the relations are
// visible (-IBRS adds spec-ctrl, -noTSX drops hle and rtm); each was checked
// against the libvirt file.
#include "cpu_map.hpp"

#include <algorithm>
#include <map>

namespace migsleuth::preflight {
namespace {

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto sp = s.find(' ');
    const std::string_view w = s.substr(0, sp);
    if (!w.empty()) out.emplace_back(w);
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return out;
}

struct row {
  std::string_view name, vendor;
  int rank;
  std::string_view parent;  // "" = `add` is the full list
  std::string_view add, remove;
};

constexpr std::string_view kGeneric64 =
    "apic clflush cmov cx16 cx8 de fpu fxsr lm mca mce mmx msr mtrr nx pae pat pge pni pse "
    "pse36 sep sse sse2 syscall tsc";
constexpr std::string_view kNehalem =
    "apic clflush cmov cx16 cx8 de fpu fxsr lahf_lm lm mca mce mmx msr mtrr nx pae pat pge pni "
    "popcnt pse pse36 sep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc";
constexpr std::string_view kIvyBridge =
    "aes apic avx clflush cmov cx16 cx8 de erms f16c fpu fsgsbase fxsr lahf_lm lm mca mce mmx "
    "msr mtrr nx pae pat pclmuldq pge pni popcnt pse pse36 rdrand rdtscp sep smep sse sse2 "
    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave";
constexpr std::string_view kHaswellNoTsx =
    "aes apic avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms fma fpu fsgsbase fxsr invpcid "
    "lahf_lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmuldq pge pni popcnt pse pse36 "
    "rdtscp sep smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline x2apic xsave";
constexpr std::string_view kBroadwellNoTsx =
    "3dnowprefetch adx aes apic avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms fma fpu "
    "fsgsbase fxsr invpcid lahf_lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmuldq pge "
    "pni popcnt pse pse36 rdseed rdtscp sep smap smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc "
    "tsc-deadline x2apic xsave";
constexpr std::string_view kSkylakeServer =
    "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd avx512dq avx512f avx512vl "
    "bmi1 bmi2 clflush clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle invpcid "
    "lahf_lm lm mca mce mmx movbe mpx msr mtrr nx pae pat pcid pclmuldq pdpe1gb pge pni popcnt "
    "pse pse36 rdrand rdseed rdtscp rtm sep smap smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc "
    "tsc-deadline vme x2apic xgetbv1 xsave xsavec xsaveopt";
constexpr std::string_view kOpteronG5 =
    "3dnowprefetch abm aes apic avx clflush cmov cx16 cx8 de f16c fma fma4 fpu fxsr lahf_lm lm "
    "mca mce misalignsse mmx msr mtrr nx pae pat pclmuldq pdpe1gb pge pni popcnt pse pse36 "
    "rdtscp sep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tbm tsc xop xsave";
constexpr std::string_view kEpyc =
    "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush clflushopt cmov cr8legacy "
    "cx16 cx8 de f16c fma fpu fsgsbase fxsr fxsr_opt lahf_lm lm mca mce misalignsse mmx mmxext "
    "monitor movbe msr mtrr nx osvw pae pat pclmuldq pdpe1gb pge pni popcnt pse pse36 rdrand "
    "rdseed rdtscp sep sha-ni smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tsc vme "
    "xgetbv1 xsave xsavec xsaveopt";
constexpr std::string_view kEpycRome =
    "3dnowprefetch abm adx aes amd-stibp apic arat avx avx2 bmi1 bmi2 clflush clflushopt clwb "
    "clzero cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr fxsr_opt ibpb lahf_lm lm mca "
    "mce misalignsse mmx mmxext movbe msr mtrr npt nrip-save nx osvw pae pat pclmuldq pdpe1gb "
    "perfctr_core pge pni popcnt pse pse36 rdpid rdrand rdseed rdtscp sep sha-ni smap smep sse "
    "sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tsc umip vme wbnoinvd xgetbv1 xsave xsavec "
    "xsaveerptr xsaveopt";

// Rank: the generation order per vendor; inside a generation the -noTSX
// variant ranks below the TSX one and -IBRS above the plain one, which is
// libvirt's own order of preference for host-model names.
const row kRows[] = {
    {"kvm64", "", 1, "", kGeneric64, ""},
    {"qemu64", "", 0, "", kGeneric64, ""},  // + svm: not usable on Intel hosts
    {"Nehalem", "Intel", 10, "", kNehalem, ""},
    {"Nehalem-IBRS", "Intel", 11, "Nehalem", "spec-ctrl", ""},
    {"Westmere", "Intel", 20, "Nehalem", "aes", ""},
    {"Westmere-IBRS", "Intel", 21, "Westmere", "spec-ctrl", ""},
    {"SandyBridge", "Intel", 30, "Westmere", "avx pclmuldq rdtscp tsc-deadline x2apic xsave", ""},
    {"SandyBridge-IBRS", "Intel", 31, "SandyBridge", "spec-ctrl", ""},
    {"IvyBridge", "Intel", 40, "", kIvyBridge, ""},
    {"IvyBridge-IBRS", "Intel", 41, "IvyBridge", "spec-ctrl", ""},
    {"Haswell-noTSX", "Intel", 50, "", kHaswellNoTsx, ""},
    {"Haswell-noTSX-IBRS", "Intel", 51, "Haswell-noTSX", "spec-ctrl", ""},
    {"Haswell", "Intel", 52, "Haswell-noTSX", "hle rtm", ""},
    {"Haswell-IBRS", "Intel", 53, "Haswell", "spec-ctrl", ""},
    {"Broadwell-noTSX", "Intel", 60, "", kBroadwellNoTsx, ""},
    {"Broadwell-noTSX-IBRS", "Intel", 61, "Broadwell-noTSX", "spec-ctrl", ""},
    {"Broadwell", "Intel", 62, "Broadwell-noTSX", "hle rtm", ""},
    {"Broadwell-IBRS", "Intel", 63, "Broadwell", "spec-ctrl", ""},
    {"Skylake-Server", "Intel", 81, "", kSkylakeServer, ""},
    {"Skylake-Server-IBRS", "Intel", 82, "Skylake-Server", "spec-ctrl", ""},
    {"Skylake-Server-noTSX-IBRS", "Intel", 80, "Skylake-Server-IBRS", "", "hle rtm"},
    {"Skylake-Client-IBRS", "Intel", 72, "Skylake-Server-IBRS", "",
     "avx512bw avx512cd avx512dq avx512f avx512vl clwb pdpe1gb"},
    {"Skylake-Client", "Intel", 71, "Skylake-Client-IBRS", "", "spec-ctrl"},
    {"Skylake-Client-noTSX-IBRS", "Intel", 70, "Skylake-Client-IBRS", "", "hle rtm"},
    {"Cascadelake-Server", "Intel", 91, "Skylake-Server-IBRS", "avx512vnni clflushopt ssbd", ""},
    {"Cascadelake-Server-noTSX", "Intel", 90, "Cascadelake-Server", "", "hle rtm"},
    {"Cooperlake", "Intel", 95, "Cascadelake-Server",
     "arch-capabilities avx512-bf16 ibrs-all mds-no pku pschange-mc-no rdctl-no "
     "skip-l1dfl-vmentry stibp taa-no",
     "mpx"},
    {"Icelake-Server", "Intel", 101, "Cascadelake-Server",
     "avx512-vpopcntdq avx512bitalg avx512vbmi avx512vbmi2 gfni intel-pt la57 pku umip vaes "
     "vpclmulqdq wbnoinvd",
     ""},
    {"Icelake-Server-noTSX", "Intel", 100, "Icelake-Server", "", "hle rtm"},
    {"Opteron_G5", "AMD", 10, "", kOpteronG5, ""},
    {"EPYC", "AMD", 20, "", kEpyc, ""},
    {"EPYC-IBPB", "AMD", 21, "EPYC", "ibpb", ""},
    {"EPYC-Rome", "AMD", 30, "", kEpycRome, ""},
    {"EPYC-Milan", "AMD", 40, "EPYC-Rome",
     "amd-ssbd erms fsrm ibrs invpcid pcid pku svme-addr-chk xsaves", ""},
};

std::vector<model_def> build() {
  std::vector<model_def> out;
  for (const row& r : kRows) {
    model_def m{r.name, r.vendor, r.rank, {}};
    if (!r.parent.empty()) {
      for (const auto& p : out) {
        if (p.name == r.parent) m.features = p.features;
      }
    }
    for (auto& f : words(r.add)) m.features.insert(std::move(f));
    for (const auto& f : words(r.remove)) m.features.erase(f);
    out.push_back(std::move(m));
  }
  out[1].features.insert("svm");  // qemu64 = the generic list + svm (x86_qemu64.xml)
  return out;
}

std::string normalized(std::string_view name) {
  std::string k;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_' || c == '.') c = '-';
    k += c;
  }
  return k;
}

// Host features that are in no model but appear in cpu_info and host-model.
constexpr std::string_view kHostOnly =
    "acpi amd-no-ssb amd-ssbd arch-capabilities avx512-vp2intersect dtes64 ds ds_cpl est fb-clear "
    "flush-l1d gds-no ht hypervisor ibrs ibrs-all invtsc md-clear mds-no monitor movdir64b movdiri "
    "ospke osxsave pbe pdcm pschange-mc-no rdctl-no rdpid sha-ni skip-l1dfl-vmentry smx ss "
    "ssbd stibp taa-no tm tm2 tsc_adjust tsx-ctrl umip vmx virt-ssbd xsaves xtpr fsrm "
    "topoext cmp_legacy extapic ibs skinit wdt lbrv svm-lock tsc-scale vmcb-clean "
    "flushbyasid decodeassists pause-filter pfthreshold v-vmsave-vmload vgif succor "
    "overflow-recov perfctr_nb invpcid pcid avx512ifma sgx sgxlc rdpid cldemote tce "
    "cpb dca";

const std::map<std::string, std::string>& spellings() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> s;
    for (const auto& md : all_models()) {
      for (const auto& f : md.features) s.emplace(normalized(f), f);
    }
    for (const auto& f : words(kHostOnly)) s.emplace(normalized(f), f);
    // QEMU and old libvirt aliases (FMT-16: QEMU writes tsc-adjust, libvirt tsc_adjust).
    s["pclmulqdq"] = "pclmuldq";
    s["sse3"] = "pni";
    s["ffxsr"] = "fxsr_opt";
    s["i64"] = "lm";
    s["xd"] = "nx";
    s["tsc-adjust"] = "tsc_adjust";
    s["sha"] = "sha-ni";
    return s;
  }();
  return m;
}

}  // namespace

const std::vector<model_def>& all_models() {
  static const std::vector<model_def> models = build();
  return models;
}

const model_def* find_model(std::string_view name) {
  for (const auto& m : all_models()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string canonical_feature(std::string_view name) {
  std::string k = normalized(name);
  const auto& s = spellings();
  const auto it = s.find(k);
  return it == s.end() ? k : it->second;
}

feature_set expand(std::string_view model, const std::vector<std::string>& extra,
                   const std::vector<std::string>& removed, bool& known) {
  feature_set out;
  const model_def* m = model.empty() ? nullptr : find_model(model);
  known = m != nullptr;
  if (m != nullptr) out = m->features;
  for (const auto& f : extra) out.insert(canonical_feature(f));
  for (const auto& f : removed) out.erase(canonical_feature(f));
  return out;
}

bool host_only_feature(std::string_view f) {
  static const std::set<std::string, std::less<>> kHostOnlySet = [] {
    std::set<std::string, std::less<>> s;
    for (auto& w : words("acpi dca ds ds_cpl dtes64 est ht monitor osxsave ospke pbe smx tm tm2 "
                         "xtpr invtsc intel-pt extapic ibs skinit wdt tce perfctr_nb lbrv "
                         "svm-lock tsc-scale vmcb-clean flushbyasid decodeassists pause-filter "
                         "pfthreshold v-vmsave-vmload vgif succor overflow-recov cpb")) {
      s.insert(canonical_feature(w));
    }
    return s;
  }();
  return kHostOnlySet.count(canonical_feature(f)) != 0;
}

const std::vector<std::string_view>& recommended_extra_flags() {
  // nova's [libvirt] cpu_model_extra_flags documentation names these.
  static const std::vector<std::string_view> flags = {
      "amd-no-ssb", "amd-ssbd", "md-clear", "pcid", "pdpe1gb", "ssbd", "virt-ssbd"};
  return flags;
}

}  // namespace migsleuth::preflight
