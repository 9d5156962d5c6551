#include "engine/template_fill.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>

#include "engine/readonly_spec.hpp"

namespace migsleuth::classifiers {
namespace {

bool is_identifier(std::string_view s) noexcept {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])) != 0) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

// `{fact.<analyzer>.<what>}`: an analyzer fact (README "Facts").
bool is_fact_placeholder(std::string_view s) noexcept {
  if (!s.starts_with(kFactPrefix)) return false;
  s.remove_prefix(kFactPrefix.size());
  if (s.empty() || s.back() == '.') return false;
  for (std::size_t start = 0; start <= s.size();) {
    const std::size_t dot = std::min(s.find('.', start), s.size());
    if (!is_identifier(s.substr(start, dot - start))) return false;
    start = dot + 1;
  }
  return true;
}

// fmt takes only identifiers as argument names: `fact.a.b` is passed as
// `fact__a__b` (the loader keeps captures from starting with `fact`).
std::string fmt_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '.') {
      out += "__";
    } else {
      out += c;
    }
  }
  return out;
}

// What a reader sees instead of an unknown value; spelled out for built-ins so
// `nc -zv <destination host> 49152` is obviously a form to complete.
std::string missing_label(std::string_view name) {
  if (name == "source") return "<source host>";
  if (name == "destination") return "<destination host>";
  if (name == "instance") return "<instance uuid>";
  if (name == "domain") return "<libvirt domain>";
  if (name == "request_id") return "<request id>";
  if (name == "migration_id") return "<migration id>";
  return "<" + std::string(name) + ">";
}

// Values taken from logs end up inside commands an operator pastes; anything
// beyond host names, ids, paths and ports could change what the shell runs.
bool shell_safe(std::string_view v) noexcept {
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' ||
           c == '-' || c == ':' || c == '/' || c == '@' || c == ',' || c == '+' || c == '=';
  });
}

bool is_host_placeholder(std::string_view name) noexcept {
  return name == "source" || name == "destination" || name == "dest" ||
         (name.size() >= 4 && name.substr(name.size() - 4) == "host");
}

}  // namespace

bool command_safe_value(std::string_view name, std::string_view value) noexcept {
  if (value.empty() || value[0] == '-' || !shell_safe(value)) return false;
  return !is_host_placeholder(name) || readonly::is_host_name(value);
}

bool is_builtin_placeholder(std::string_view name) noexcept {
  return std::find(std::begin(kBuiltinPlaceholders), std::end(kBuiltinPlaceholders), name) !=
         std::end(kBuiltinPlaceholders);
}

bool template_placeholders(std::string_view tpl, std::vector<std::string>& names,
                           std::string& why) {
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    const char c = tpl[i];
    if (c == '}') {
      if (i + 1 < tpl.size() && tpl[i + 1] == '}') {
        ++i;
        continue;
      }
      why = "single '}' (write '}}' for a literal brace)";
      return false;
    }
    if (c != '{') continue;
    if (i + 1 < tpl.size() && tpl[i + 1] == '{') {
      ++i;
      continue;
    }
    const std::size_t close = tpl.find('}', i + 1);
    if (close == std::string_view::npos) {
      why = "unclosed '{' (write '{{' for a literal brace)";
      return false;
    }
    std::string_view inner = tpl.substr(i + 1, close - i - 1);
    inner = inner.substr(0, inner.find_first_of(":!"));
    if (!is_identifier(inner) && !is_fact_placeholder(inner)) {
      why = "placeholder '{" + std::string(inner) + "}' is not a name";
      return false;
    }
    names.emplace_back(inner);
    i = close;
  }
  return true;
}

bindings builtin_bindings(const incident& inc) {
  // virsh accepts the instance UUID wherever it accepts a domain name, so a
  // command stays runnable when the QEMU log (and thus the name) is missing.
  return {{"instance", inc.instance},
          {"domain", inc.domain.empty() ? inc.instance : inc.domain},
          {"source", inc.source},
          {"destination", inc.destination},
          {"request_id", inc.request_id},
          {"migration_id", inc.migration_id}};
}

std::string fill_template(std::string_view tpl, const bindings& values, fill_mode mode) {
  std::vector<std::string> names;
  std::string why;
  if (!template_placeholders(tpl, names, why)) return std::string(tpl);
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  std::string text(tpl);
  if (std::any_of(names.begin(), names.end(),
                  [](const std::string& n) { return n.find('.') != std::string::npos; })) {
    std::string out;
    bool in_name = false;  // between '{' and the end of the name
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
        out += "{{";
        ++i;
        continue;
      }
      if (c == '{') in_name = true;
      if (c == '}' || c == ':' || c == '!') in_name = false;
      out += in_name && c == '.' ? std::string("__") : std::string(1, c);
    }
    text = std::move(out);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::deque<std::string> mangled;
  for (const auto& name : names) {
    auto it = std::find_if(values.begin(), values.end(),
                           [&](const auto& kv) { return kv.first == name; });
    std::string value = it == values.end() ? std::string() : it->second;
    if (value.empty() || (mode != fill_mode::prose && !command_safe_value(name, value))) {
      value = mode == fill_mode::check ? std::string(1, readonly::kGapMark) : missing_label(name);
    }
    // The store copies the value; the name's storage must outlive vformat.
    store.push_back(fmt::arg(mangled.emplace_back(fmt_name(name)).c_str(), value));
  }
  try {
    // vformat takes the format string at run time already (no fmt::runtime needed).
    return fmt::vformat(fmt::string_view(text.data(), text.size()), store);
  } catch (const fmt::format_error&) {
    // Loader-validated templates cannot get here; keep the text rather than fail.
    return std::string(tpl);
  }
}

}  // namespace migsleuth::classifiers
