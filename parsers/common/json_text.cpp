#include "migsleuth/parsers/json_text.hpp"

namespace migsleuth::parsers::json {
namespace {

std::string_view trim_token(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t' || s.back() == ',' || s.back() == '}' ||
                        s.back() == ']')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

bool value_text(simdjson::ondemand::value v, std::string& out) noexcept {
  using simdjson::ondemand::json_type;
  try {
    json_type t{};
    if (v.type().get(t) != simdjson::SUCCESS) return false;
    switch (t) {
      case json_type::string: {
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) return false;
        out.assign(s);
        return true;
      }
      case json_type::number:
      case json_type::boolean:
        out.assign(trim_token(v.raw_json_token()));
        return true;
      case json_type::null:
        out.clear();
        return true;
      case json_type::object: {
        simdjson::ondemand::object o;
        std::string_view raw;
        if (v.get_object().get(o) != simdjson::SUCCESS || o.raw_json().get(raw) != simdjson::SUCCESS) {
          return false;
        }
        out.assign(raw);
        return true;
      }
      case json_type::array: {
        simdjson::ondemand::array a;
        std::string_view raw;
        if (v.get_array().get(a) != simdjson::SUCCESS || a.raw_json().get(raw) != simdjson::SUCCESS) {
          return false;
        }
        out.assign(raw);
        return true;
      }
    }
  } catch (...) {  // std::bad_alloc from assign: the value is lost, not the run
  }
  return false;
}

bool value_number(simdjson::ondemand::value v, double& out) noexcept {
  simdjson::ondemand::json_type t{};
  if (v.type().get(t) != simdjson::SUCCESS || t != simdjson::ondemand::json_type::number) {
    return false;
  }
  return v.get_double().get(out) == simdjson::SUCCESS;
}

std::size_t object_end(std::string_view text) noexcept {
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return std::string_view::npos;
  depth_tracker depth;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (depth.step(text[i])) return i + 1;
  }
  return std::string_view::npos;
}

bool depth_tracker::step(char c) noexcept {
  if (in_string_) {
    if (escape_) {
      escape_ = false;
    } else if (c == '\\') {
      escape_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
  } else if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    ++depth_;
  } else if ((c == '}' || c == ']') && --depth_ <= 0) {
    depth_ = 0;
    return true;
  }
  return false;
}

bool depth_tracker::feed(std::string_view line) noexcept {
  bool closed = false;
  for (const char c : line) closed = step(c) || closed;
  // A string never spans lines in JSON; a line that ends inside one was cut.
  in_string_ = false;
  escape_ = false;
  return closed && depth_ == 0;
}

}  // namespace migsleuth::parsers::json
