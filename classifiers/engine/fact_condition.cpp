#include "engine/fact_condition.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <yaml-cpp/exceptions.h>

#include "migsleuth/rulepack/strict_yaml.hpp"

namespace migsleuth::classifiers {

bool fact_condition::met(const fact_set& facts) const {
  const fact* f = find_fact(facts, name);
  if (f == nullptr) return false;
  if (!compares) return f->holds();
  switch (f->type) {
    case fact_type::flag: return f->flag == flag;
    case fact_type::number: return f->number == number;
    case fact_type::text: return std::find(texts.begin(), texts.end(), f->text) != texts.end();
  }
  return false;
}

std::string fact_condition::describe() const {
  if (!compares) return name;
  switch (type) {
    case fact_type::flag: return name + (flag ? " is true" : " is false");
    case fact_type::number: return name + " is " + fmt::format("{}", number);
    case fact_type::text: {
      std::string out = name + " is ";
      for (std::size_t i = 0; i < texts.size(); ++i) out += (i == 0 ? "" : " or ") + texts[i];
      return out;
    }
  }
  return name;
}

double fact_confidence::for_facts(const fact_set& facts) const {
  for (const auto& w : when) {
    if (w.first.met(facts)) return w.second;
  }
  return value;
}

void fact_yaml::error(const rulepack::yaml_node& at, std::string message, std::string help) {
  errors_.push_back(rulepack::yaml_diag(at, file_, std::move(message), std::move(help)));
}

namespace {

constexpr std::string_view kFactsHelp = "rules/README.md \"Facts\" lists the facts analyzers provide";

std::string_view type_name(fact_type t) {
  switch (t) {
    case fact_type::flag: return "a flag";
    case fact_type::number: return "a number";
    case fact_type::text: return "a text";
  }
  return "a fact";
}

}  // namespace

std::optional<fact_condition> fact_yaml::condition(const rulepack::yaml_node& node, std::string_view key,
                                                   std::initializer_list<std::string_view> also) {
  fact_condition c;
  rulepack::yaml_node name_node = node;
  rulepack::yaml_node is;
  if (node.IsMap()) {
    rulepack::strict_map m(node, file_, errors_);
    if (!m.ok()) return std::nullopt;
    std::vector<std::string_view> allowed{"fact", "is"};
    allowed.insert(allowed.end(), also.begin(), also.end());
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        error(it->first, std::string(key) + ": unknown key '" + k + "'",
              "a fact condition is a fact name or {fact: <name>, is: <value>}");
        return std::nullopt;
      }
    }
    if (!m.has("fact")) {
      error(node, std::string(key) + ": a condition names its fact: {fact: <name>, is: <value>}");
      return std::nullopt;
    }
    name_node = m.get("fact");
    is = m.get("is");
  }
  if (!name_node.IsScalar()) {
    error(name_node, std::string(key) + " must name a fact", "e.g. devices.refused");
    return std::nullopt;
  }
  c.name = name_node.Scalar();
  const fact_spec* spec = find_fact_spec(c.name);
  if (spec == nullptr) {
    error(name_node, std::string(key) + ": unknown fact '" + c.name + "'", std::string(kFactsHelp));
    return std::nullopt;
  }
  c.type = spec->type;
  if (!is.IsDefined() || is.IsNull()) return c;
  c.compares = true;
  const std::string wrong = std::string(key) + ": fact '" + c.name + "' is " +
                            std::string(type_name(spec->type));
  switch (spec->type) {
    case fact_type::flag:
      if (!is.IsScalar() || (is.Scalar() != "true" && is.Scalar() != "false")) {
        error(is, wrong + ": 'is' must be true or false");
        return std::nullopt;
      }
      c.flag = is.Scalar() == "true";
      break;
    case fact_type::number:
      try {
        c.number = is.as_double();
      } catch (const YAML::Exception&) {
        error(is, wrong + ": 'is' must be a number");
        return std::nullopt;
      }
      break;
    case fact_type::text:
      if (is.IsScalar()) {
        c.texts.push_back(is.Scalar());
      } else if (is.IsSequence() && is.size() > 0) {
        for (const auto& item : is) {
          if (!item.IsScalar()) {
            error(item, wrong + ": 'is' lists texts");
            return std::nullopt;
          }
          c.texts.push_back(item.Scalar());
        }
      } else {
        error(is, wrong + ": 'is' must be a text or a list of texts (any one)");
        return std::nullopt;
      }
      break;
  }
  return c;
}

std::vector<std::string> fact_yaml::names(const rulepack::yaml_node& node, std::string_view key,
                                          bool text_only) {
  std::vector<std::string> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!node.IsSequence()) {
    error(node, std::string(key) + " must be a list of fact names", "e.g. [convergence.summary]");
    return out;
  }
  for (const auto& item : node) {
    const std::string name = item.IsScalar() ? item.Scalar() : "";
    const fact_spec* spec = find_fact_spec(name);
    if (spec == nullptr) {
      error(item, std::string(key) + ": unknown fact '" + name + "'", std::string(kFactsHelp));
    } else if (text_only && spec->type != fact_type::text) {
      error(item, std::string(key) + ": fact '" + name + "' is not text",
            "a verdict quotes text facts (e.g. convergence.summary); use numbers in "
            "{fact.<name>} placeholders");
    } else if (std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(name);
    }
  }
  return out;
}

std::vector<fact_condition> fact_yaml::conditions(const rulepack::yaml_node& node, std::string_view key) {
  std::vector<fact_condition> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!node.IsSequence()) {
    error(node, std::string(key) + " must be a list of fact names or {fact, is} conditions",
          "e.g. [convergence.guest_outpaces_copy, {fact: convergence.converging, is: false}]");
    return out;
  }
  for (const auto& item : node) {
    if (auto c = condition(item, key)) out.push_back(std::move(*c));
  }
  return out;
}

std::optional<double> fact_yaml::unit_number(const rulepack::yaml_node& node, std::string_view key) {
  double v = 0;
  try {
    v = node.as_double();
  } catch (const YAML::Exception&) {
    error(node, std::string(key) + " must be a number between 0 and 1");
    return std::nullopt;
  }
  if (v < 0.0 || v > 1.0) {
    error(node, "confidence must be between 0 and 1");
    return std::nullopt;
  }
  return v;
}

fact_confidence fact_yaml::confidence(const rulepack::yaml_node& node) {
  fact_confidence out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (node.IsScalar()) {
    if (auto v = unit_number(node, "confidence")) out.value = *v;
    return out;
  }
  rulepack::strict_map m(node, file_, errors_);
  if (!m.ok()) return out;
  m.reject_unknown({"default", "when"});
  m.require("default");
  if (m.has("default")) {
    if (auto v = unit_number(m.get("default"), "confidence.default")) out.value = *v;
  }
  const rulepack::yaml_node when = m.get("when");
  if (!when.IsDefined() || when.IsNull()) return out;
  std::vector<rulepack::yaml_node> items;
  if (when.IsSequence()) {
    for (const auto& item : when) items.push_back(item);
  } else {
    items.push_back(when);
  }
  for (const auto& item : items) {
    if (!item.IsMap() || !item["then"].IsDefined()) {
      error(item, "confidence.when: each item is {fact: <name>, is: <value>, then: <confidence>}");
      continue;
    }
    auto c = condition(item, "confidence.when", {"then"});
    auto v = unit_number(item["then"], "confidence.when.then");
    if (c && v) out.when.emplace_back(std::move(*c), *v);
  }
  return out;
}

std::vector<conditional_text> fact_yaml::texts(const rulepack::yaml_node& node, std::string_view key) {
  std::vector<conditional_text> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!node.IsSequence()) {
    error(node, std::string(key) + " must be a list of texts or {when, text}");
    return out;
  }
  for (const auto& item : node) {
    if (item.IsScalar()) {
      out.push_back({item.Scalar(), std::nullopt});
      continue;
    }
    rulepack::strict_map m(item, file_, errors_);
    if (!m.ok()) continue;
    m.reject_unknown({"when", "text"});
    conditional_text t;
    t.text = m.required_string("text");
    if (m.has("when")) {
      t.when = condition(m.get("when"), std::string(key) + ".when");
      if (!t.when) continue;
    } else if (m.ok()) {
      error(item, std::string(key) + ": a map item is {when: <fact condition>, text: '...'}",
            "write a plain text when it always applies");
      continue;
    }
    if (m.ok()) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace migsleuth::classifiers
