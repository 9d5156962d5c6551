// How the collect script is assembled: shell text of the fixed template, and
// commands that read the host, built from words and checked before they are
// written. A word is literal text (single-quoted in the script), a shell
// variable set at run time ("$dom" in the script, the gap <dom> for the
// checker: a value the checker accepts only where any value may stand), or
// both joined ("$root$path": the test hook's root prefix, which the checker
// does not see, then the path).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::collect {

struct part {
  enum class kind : unsigned char { literal, variable, root } what = kind::literal;
  std::string text;  // the literal, or the variable's name
};

struct word {
  std::vector<part> parts;
};

// Literal `s`; variable `name` ("$name" / <name>); a host path read through
// the test hook's root ("$root"'/etc/nova/nova.conf'); a host path held in a
// variable ("$root$path" / <path>).
word lit(std::string_view s);
word var(std::string_view name);
word host_path(std::string_view absolute);
word host_path_var(std::string_view name);

using command = std::vector<word>;

// POSIX single-quoting: 'it'\''s'; plain words stay bare when safe.
std::string shell_quote(std::string_view s);

class script_builder {
 public:
  // Template text, written as is (one or more whole lines).
  void text(std::string_view lines);
  // The command as the script runs it, after the read-only checker accepted
  // its shown form; a refused command is recorded in error() and comes back
  // as "false" so that nothing unchecked is ever written.
  std::string run(const command& c);
  // The same command with another wrapper in front (podman exec NAME ...),
  // judged whole.
  std::string run(const command& prefix, const command& c);

  [[nodiscard]] const std::string& out() const noexcept { return out_; }
  [[nodiscard]] const std::vector<std::string>& checked() const noexcept { return checked_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

 private:
  std::string out_;
  std::vector<std::string> checked_;
  std::string error_;
};

}  // namespace migsleuth::collect
