// The option parser of the read-only checker: parses a tool's arguments the
// way getopt_long, argparse or OpenSSL's opt_next would, against the tool's
// allowlist only. It never guesses: an option the list does not hold, spelled
// in any way (an abbreviation of a listed one included), is refused.
#include <algorithm>
#include <cctype>

#include "engine/readonly_spec.hpp"
#include "engine/shell_words.hpp"

namespace migsleuth::classifiers::readonly {
namespace {

std::string dashed(std::string_view name, syntax style) {
  return (style == syntax::single_dash ? "-" : "--") + std::string(name);
}

// A long word that is not on the list: say so, and when it abbreviates a
// listed option, say which one to write in full.
bool unknown_long(std::string_view name, const tool_syntax& syn, std::string& why) {
  std::string reason = std::string(syn.tool) + " option '" + dashed(name, syn.style) +
                       "' is not on its read-only allowlist";
  for (const option& o : syn.options) {
    if (!o.long_name.empty() && o.long_name.size() > name.size() &&
        o.long_name.substr(0, name.size()) == name) {
      return refuse(why, reason + " (options must be written in full: '" +
                             dashed(o.long_name, syn.style) + "')");
    }
  }
  return refuse(why, reason + " (write options in full: only the exact listed spellings are accepted)");
}

const option* find_long(std::string_view name, const tool_syntax& syn) {
  for (const option& o : syn.options) {
    if (!o.long_name.empty() && o.long_name == name) return &o;
  }
  return nullptr;
}

const option* find_short(char c, const tool_syntax& syn) {
  for (const option& o : syn.options) {
    if (o.short_name != 0 && o.short_name == c) return &o;
  }
  return nullptr;
}

// What journalctl takes after a bare -b / -n: a signed decimal offset, or a
// word not starting with '-' that is a number or a boot id (hex). A '-' word
// that is not a number ("-f") is the next option, as journalctl reads it.
bool looks_numeric(std::string_view w) {
  const auto all = [](std::string_view s, bool hex) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [hex](char c) {
      const auto u = static_cast<unsigned char>(c);
      return (hex ? std::isxdigit(u) : std::isdigit(u)) != 0;
    });
  };
  if (!w.empty() && (w[0] == '-' || w[0] == '+')) return all(w.substr(1), false);
  return all(w, true);
}

class parser {
 public:
  parser(args_t args, const tool_syntax& syn, invocation& out, std::string& why)
      : args_(args), syn_(syn), out_(out), why_(why) {}

  bool run() {
    if (!run_words()) return false;
    for (const auto& g : out_.options) {
      if (g.value.find(kGlobMark) != std::string::npos) {
        return refuse(why_, std::string(syn_.tool) + " option '" +
                                std::string(g.spec->long_name.empty()
                                                ? std::string(1, g.spec->short_name)
                                                : g.spec->long_name) +
                                "' is given a glob, which may expand to several words");
      }
    }
    return true;
  }

 private:
  bool run_words() {
    bool options_end = false;
    for (i_ = 0; i_ < args_.size(); ++i_) {
      const std::string& w = args_[i_];
      if (options_end || w.size() < 2 || w[0] != '-') {
        out_.operands.push_back(w);
        if (syn_.style == syntax::gnu_leading) options_end = true;
        continue;
      }
      if (w == "--") {
        options_end = true;
        continue;
      }
      const bool ok = syn_.style == syntax::single_dash ? single_dash(w)
                      : w[1] == '-'                     ? long_option(w.substr(2))
                                                        : short_cluster(w);
      if (!ok) return false;
    }
    return true;
  }

  // The next word as the value of `o`; argparse would read a word starting
  // with '-' as another option, so it is never taken as a value there.
  bool next_value(std::string_view spelled, given_option& g) {
    if (i_ + 1 >= args_.size()) {
      return refuse(why_, std::string(syn_.tool) + " option '" + std::string(spelled) +
                              "' needs a value");
    }
    const std::string& v = args_[i_ + 1];
    if (syn_.style == syntax::argparse && !v.empty() && v[0] == '-') {
      return refuse(why_, std::string(syn_.tool) + " option '" + std::string(spelled) +
                              "' is followed by '" + v + "', which it would read as an option");
    }
    ++i_;
    g.value = v;
    g.has_value = true;
    return true;
  }

  void maybe_number(given_option& g) {
    if (i_ + 1 < args_.size() && looks_numeric(args_[i_ + 1])) {
      g.value = args_[++i_];
      g.has_value = true;
    }
  }

  bool long_option(const std::string& body) {
    const std::size_t eq = body.find('=');
    const std::string_view name = std::string_view(body).substr(0, eq);
    const option* o = find_long(name, syn_);
    if (o == nullptr) return unknown_long(name, syn_, why_);
    given_option g{o, {}, false};
    if (eq != std::string::npos) {
      if (o->arg == takes::none) {
        return refuse(why_, std::string(syn_.tool) + " option '--" + std::string(name) +
                                "' takes no value");
      }
      g.value = body.substr(eq + 1);
      g.has_value = true;
    } else if (o->arg == takes::value) {
      if (!next_value("--" + std::string(name), g)) return false;
    } else if (o->arg == takes::number) {
      maybe_number(g);
    }
    out_.options.push_back(std::move(g));
    return true;
  }

  bool short_cluster(const std::string& w) {
    for (std::size_t k = 1; k < w.size(); ++k) {
      const option* o = find_short(w[k], syn_);
      if (o == nullptr) {
        return refuse(why_, std::string(syn_.tool) + " option '-" + std::string(1, w[k]) + "'" +
                                (w.size() > 2 ? " (in '" + w + "')" : "") +
                                " is not on its read-only allowlist");
      }
      given_option g{o, {}, false};
      if (o->arg != takes::none && k + 1 < w.size()) {
        g.value = w.substr(k + 1);  // -w5, -oKEY=VALUE: the rest of the word is the value
        g.has_value = true;
        out_.options.push_back(std::move(g));
        return true;
      }
      if (o->arg == takes::value && !next_value("-" + std::string(1, w[k]), g)) return false;
      if (o->arg == takes::number) maybe_number(g);
      out_.options.push_back(std::move(g));
    }
    return true;
  }

  // OpenSSL's opt_next: "-name" or "--name", a value after '=' or in the next word.
  bool single_dash(const std::string& w) {
    std::string_view body = std::string_view(w).substr(w[1] == '-' ? 2 : 1);
    const std::size_t eq = body.find('=');
    const std::string_view name = body.substr(0, eq);
    const option* o = find_long(name, syn_);
    if (o == nullptr) return unknown_long(name, syn_, why_);
    given_option g{o, {}, false};
    if (eq != std::string_view::npos) {
      if (o->arg == takes::none) {
        return refuse(why_, std::string(syn_.tool) + " option '-" + std::string(name) +
                                "' takes no value");
      }
      g.value = std::string(body.substr(eq + 1));
      g.has_value = true;
    } else if (o->arg == takes::value && !next_value("-" + std::string(name), g)) {
      return false;
    }
    out_.options.push_back(std::move(g));
    return true;
  }

  args_t args_;
  const tool_syntax& syn_;
  invocation& out_;
  std::string& why_;
  std::size_t i_ = 0;
};

bool is_label(std::string_view l) {
  if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
  return std::all_of(l.begin(), l.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
}

}  // namespace

bool invocation::has(std::string_view long_name) const noexcept {
  return std::any_of(options.begin(), options.end(),
                     [&](const given_option& g) { return g.spec->long_name == long_name; });
}

bool invocation::has_short(char short_name) const noexcept {
  return std::any_of(options.begin(), options.end(),
                     [&](const given_option& g) { return g.spec->short_name == short_name; });
}

std::vector<std::string_view> invocation::values(std::string_view long_name) const {
  std::vector<std::string_view> out;
  for (const auto& g : options) {
    if (g.spec->long_name == long_name && g.has_value) out.emplace_back(g.value);
  }
  return out;
}

bool parse_options(args_t args, const tool_syntax& syn, invocation& out, std::string& why) {
  parser p(args, syn, out, why);
  return p.run();
}

bool refuse(std::string& why, std::string reason) {
  why = std::move(reason);
  return false;
}

bool is_host_name(std::string_view v) noexcept {
  if (has_gap(v)) return true;
  if (v.empty() || v.size() > 253) return false;
  // An IPv6 literal: hex digits, dots and at least two colons (a name has none,
  // and host:port is not a host).
  if (v.find(':') != std::string_view::npos) {
    return std::count(v.begin(), v.end(), ':') >= 2 && std::all_of(v.begin(), v.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
  }
  std::string_view rest = v;
  if (rest.back() == '.') rest.remove_suffix(1);  // a fully qualified name
  while (true) {
    const std::size_t dot = rest.find('.');
    if (!is_label(rest.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    rest.remove_prefix(dot + 1);
  }
}

bool is_number(std::string_view v) noexcept {
  if (has_gap(v)) return true;
  return !v.empty() && v.size() <= 9 && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool is_duration(std::string_view v) noexcept {
  if (has_gap(v)) return true;
  if (!v.empty() && std::string_view("smhd").find(v.back()) != std::string_view::npos) {
    v.remove_suffix(1);
  }
  const std::size_t dot = v.find('.');
  if (dot == std::string_view::npos) return is_number(v);
  return is_number(v.substr(0, dot)) && is_number(v.substr(dot + 1));
}

}  // namespace migsleuth::classifiers::readonly
