// migsleuth collect: the script as written, read back the way the shell reads
// it. Every command it runs is either part of the fixed template (shell
// built-ins, its own helper functions, and the packaging tools on their exact
// reviewed lines) or passes the read-only checker as written in the script,
// for every deployment kind and both variants. Adding `virsh migrate`, `rm`
// of a host file or any unchecked tool to a collection step fails here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/collect/collect.hpp"

using namespace migsleuth;

namespace {

struct token {
  std::string text;
  bool op = false;  // ; ;; | || && $( ( ) { } > >> < 2>> 2>&1 newline
};

// A small POSIX shell lexer: enough for the scripts collect writes (quotes,
// "$(...)" inside double quotes, redirections); a word keeps its quotes.
class lexer {
 public:
  explicit lexer(const std::string& s) : s_(s) {}
  std::vector<token> run() {
    while (i_ < s_.size()) step();
    flush();
    return out_;
  }

 private:
  void flush() {
    if (!word_.empty()) out_.push_back({word_, false});
    word_.clear();
  }
  void op(std::string o) {
    flush();
    out_.push_back({std::move(o), true});
  }
  void step() {
    const char c = s_[i_];
    if (c == '#' && word_.empty() && (i_ == 0 || s_[i_ - 1] == ' ' || s_[i_ - 1] == '\n')) {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      return;
    }
    if (c == '\'') {
      const std::size_t end = s_.find('\'', i_ + 1);
      word_ += s_.substr(i_, end - i_ + 1);
      i_ = end + 1;
      return;
    }
    if (c == '"') {
      double_quoted();
      return;
    }
    if (c == '\\' && i_ + 1 < s_.size()) {
      word_ += s_.substr(i_, 2);
      i_ += 2;
      return;
    }
    if (c == ' ' || c == '\t') {
      flush();
      ++i_;
      return;
    }
    for (const char* o : {"2>&1", "2>>", "2>", ";;", "||", "&&", ">>", "$(", "\n", ";", "|", "(",
                          ")", ">", "<"}) {
      const std::string_view ov(o);
      if (s_.compare(i_, ov.size(), ov) == 0) {
        // "${name}" and "$((n + 1))" are words, not operators.
        if (ov == "$(" && i_ + 2 < s_.size() && s_[i_ + 2] == '(') break;
        op(std::string(ov));
        i_ += ov.size();
        return;
      }
    }
    if (c == '$' && i_ + 2 < s_.size() && s_[i_ + 1] == '(' && s_[i_ + 2] == '(') {
      const std::size_t end = s_.find("))", i_);
      word_ += s_.substr(i_, end + 2 - i_);
      i_ = end + 2;
      return;
    }
    word_ += c;
    ++i_;
  }
  // "...": the text stays in the word; a $( ... ) inside runs, so its text
  // is kept apart (substitutions()) and lexed as commands of its own.
  void double_quoted() {
    word_ += '"';
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\') {
        word_ += s_.substr(i_, 2);
        i_ += 2;
      } else if (s_.compare(i_, 2, "$(") == 0) {
        std::size_t j = i_ + 2;
        int depth = 1;
        char quote = 0;
        for (; j < s_.size() && depth > 0; ++j) {
          const char c = s_[j];
          if (quote != 0) {
            if (c == quote) quote = 0;
          } else if (c == '"' || c == '\'') {
            quote = c;
          } else if (c == '(') {
            ++depth;
          } else if (c == ')') {
            --depth;
          }
        }
        subs_.push_back(s_.substr(i_ + 2, j - 1 - (i_ + 2)));
        word_ += "$(...)";
        i_ = j;
      } else {
        word_ += s_[i_++];
      }
    }
    word_ += '"';
    ++i_;
  }

 public:
  [[nodiscard]] const std::vector<std::string>& substitutions() const noexcept { return subs_; }

 private:
  std::vector<std::string> subs_;
  const std::string& s_;
  std::size_t i_ = 0;
  std::string word_;
  std::vector<token> out_;
};

using words = std::vector<std::string>;

// Shell keywords, built-ins and the script's own helper functions.
const std::set<std::string> kTemplateWords = {
    "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "case", "esac",
    "!", "[", "{", "}", ":", "set", "umask", "export", "trap", "exit", "return", "shift",
    "read", "break", "continue", "command", "printf", "echo", "note", "run", "run_append",
    "copy", "names_instance", "mtime", "listed", "rotations", "qemu_logs", "jobinfo",
    "hypervisor", "pod_of", "\"$@\"",
    // Packaging and the script's own text processing: they work on the
    // script's work folder or on output already captured, never on the host.
    "mktemp", "mkdir", "rm", "tar", "sort", "wc", "tr", "head", "grep", "dirname", "basename",
    "sleep", "cd", "find"};

// The lines where the packaging tools that write may appear, exactly.
const std::set<std::string> kPackagingLines = {
    "mktemp -d \"${TMPDIR:-/tmp}/migsleuth-collect.XXXXXX\"",
    "cd \"$work\"",
    "find \"$host\" -type f",
    "rm -rf -- \"$work\"",
    "mkdir -p \"$dest\"",
    "mkdir -p \"$dest/$(...)\"",
    "rm -f -- \"$work/.files\" \"$work/.files.sorted\"",
    "tar -C \"$work\" -czf \"$tarball\" $members",
    "rm -f -- \"$tarball\"",
    "rm -f -- \"$dest/$run_out\"",
};

std::string joined(const words& w) {
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

// A word of the script as the checker judges it: "$name" is the gap <name>,
// the test hook's "$root" prefix is nothing.
std::string shown_word(std::string w) {
  for (const std::string root : {"\"$root\"", "$root"}) {
    if (w.rfind(root, 0) == 0) w = w.substr(root.size());
  }
  if (w.size() > 3 && w.front() == '"' && w[1] == '$' && w.back() == '"' &&
      w.find_first_of(" /$", 2) == std::string::npos) {
    return "<" + w.substr(2, w.size() - 3) + ">";
  }
  return w;
}

struct judged {
  std::vector<std::string> checked;  // commands that went to the checker
  std::vector<std::string> refused;
};

void judge_command(const words& cmd, judged& out) {
  if (cmd.empty()) return;
  words w = cmd;
  // run OUT COMMAND...: the command is what runs.
  if ((w[0] == "run" || w[0] == "run_append") && w.size() > 2) {
    w.erase(w.begin(), w.begin() + 2);
  } else if (kTemplateWords.count(w[0]) != 0) {
    const std::string& t = w[0];
    if ((t == "rm" || t == "tar" || t == "mktemp" || t == "mkdir" || t == "cd" || t == "find") &&
        kPackagingLines.count(joined(w)) == 0) {
      out.refused.push_back("packaging tool off its reviewed line: " + joined(w));
    }
    return;
  }
  words shown;
  for (auto& x : w) shown.push_back(shown_word(x));
  const std::string line = joined(shown);
  std::string why;
  out.checked.push_back(line);
  if (!classifiers::is_read_only_shown_command(line, why)) out.refused.push_back(line + ": " + why);
}

// Every simple command of the script, after assignments, case patterns and
// redirections are set aside.
void judge_into(const std::string& text, judged& out);

judged judge_script(const std::string& text) {
  judged out;
  judge_into(text, out);
  return out;
}

void judge_into(const std::string& text, judged& out) {
  lexer lex(text);
  const std::vector<token> toks = lex.run();
  for (const auto& sub : lex.substitutions()) judge_into(sub, out);
  words cmd;
  bool in_case_patterns = false;
  bool skip_next = false;  // the word after a redirection, or after 'case'
  int case_depth = 0;
  const auto end_command = [&] {
    judge_command(cmd, out);
    cmd.clear();
  };
  for (const token& t : toks) {
    if (skip_next) {
      skip_next = false;
      continue;
    }
    if (t.op) {
      if (t.text == ">" || t.text == ">>" || t.text == "<" || t.text == "2>>" ||
          t.text == "2>") {
        skip_next = true;
        continue;
      }
      if (t.text == "2>&1") continue;
      if (in_case_patterns) {
        if (t.text == ")") in_case_patterns = false;
        continue;
      }
      end_command();
      if (t.text == ";;" || (t.text == "\n" && case_depth > 0 && false)) in_case_patterns = true;
      continue;
    }
    if (in_case_patterns) {
      if (t.text == "esac") {
        in_case_patterns = false;
        --case_depth;
      }
      continue;
    }
    if (cmd.empty() && t.text == "case") {
      ++case_depth;
      cmd.push_back("case");
      continue;
    }
    if (!cmd.empty() && cmd[0] == "case") {
      if (t.text == "in") {
        cmd.clear();
        in_case_patterns = true;
      }
      continue;
    }
    if (cmd.empty() && t.text == "esac") {
      --case_depth;
      continue;
    }
    // Assignments before a command (or alone) are not the command.
    const std::size_t eq = t.text.find('=');
    if (cmd.empty() && eq != std::string::npos && eq > 0 &&
        t.text.find_first_of("\"'$") > eq) {
      continue;
    }
    // for NAME in WORDS; do: only the words' $( ... ) run.
    if (!cmd.empty() && cmd[0] == "for") continue;
    if (cmd.empty() && (t.text == "if" || t.text == "elif" || t.text == "while" ||
                        t.text == "then" || t.text == "do" || t.text == "else" ||
                        t.text == "!" || t.text == "{" || t.text == "}")) {
      continue;
    }
    cmd.push_back(t.text);
  }
  end_command();
}

std::vector<collect::request> every_request() {
  std::vector<collect::request> out;
  for (const auto k : {deployment_kind::plain, deployment_kind::tripleo, deployment_kind::edpm,
                       deployment_kind::kolla, deployment_kind::kubernetes}) {
    for (const auto where : {collect::target::compute, collect::target::controller}) {
      collect::request one;
      one.deployment = k;
      one.where = where;
      one.instance = "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69";
      out.push_back(one);
      collect::request window = one;
      window.instance.clear();
      window.since = parse_iso_datetime("2024-02-13 09:00:00")->time;
      window.until = parse_iso_datetime("2024-02-13 10:00:00")->time;
      out.push_back(window);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("collect: every command the script runs is template or passes the read-only checker",
          "[collect]") {
  for (const auto& r : every_request()) {
    const collect::script s = collect::write_script(r);
    INFO(to_string(r.deployment) << (r.where == collect::target::controller ? " controller" : "")
                                 << (r.instance.empty() ? " window" : " instance"));
    REQUIRE(s.error.empty());
    CHECK(!s.commands.empty());
    for (const auto& c : s.commands) {
      std::string why;
      INFO(c);
      CHECK(classifiers::is_read_only_shown_command(c, why));
    }
    const judged j = judge_script(s.text);
    CHECK(j.refused.empty());
    for (const auto& bad : j.refused) FAIL_CHECK(bad);
    // Read back from the text, the commands are the ones the script was
    // built with: the lexer saw the whole collection, nothing else runs.
    const std::set<std::string> read_back(j.checked.begin(), j.checked.end());
    const std::set<std::string> built(s.commands.begin(), s.commands.end());
    CHECK(read_back == built);
  }
}

TEST_CASE("collect: a state-changing step written into the script is caught", "[collect]") {
  collect::request r;
  r.instance = "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69";
  const std::string text = collect::write_script(r).text;
  const std::string anchor = "run captures/virsh-list-all.txt";
  REQUIRE(text.find(anchor) != std::string::npos);
  for (const std::string step :
       {"run captures/m.txt virsh migrate --live \"$dom\" qemu+ssh://cmp-b/system\n",
        "rm -f /var/log/nova/nova-compute.log\n", "virsh destroy \"$dom\"\n",
        "copy_out=$(sed -i 1d \"$root\"/etc/nova/nova.conf)\n",
        "tar -czf /etc/nova/backup.tgz /etc/nova\n", "journalctl --vacuum-time=1s\n"}) {
    std::string bad = text;
    bad.insert(bad.find(anchor), step);
    INFO(step);
    CHECK_FALSE(judge_script(bad).refused.empty());
  }
}

TEST_CASE("collect: what the operator gets wrong is a usage error, with what is expected",
          "[collect]") {
  collect::request r;
  r.instance = "instance-0000062a";
  CHECK_THAT(collect::write_script(r).error, Catch::Matchers::Contains("not an instance UUID"));
  r.instance = "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69; rm -rf /";
  CHECK_THAT(collect::write_script(r).error, Catch::Matchers::Contains("not an instance UUID"));
  r.instance.clear();
  CHECK_THAT(collect::write_script(r).error, Catch::Matchers::Contains("--instance UUID"));
  r.since = parse_iso_datetime("2024-02-13 10:00:00")->time;
  r.until = parse_iso_datetime("2024-02-13 09:00:00")->time;
  CHECK_THAT(collect::write_script(r).error, Catch::Matchers::Contains("is after --until"));
  r.until.reset();
  r.k8s_namespace = "open stack";
  CHECK_THAT(collect::write_script(r).error, Catch::Matchers::Contains("namespace"));
  r.k8s_namespace = "openstack";
  r.out_dir = "/tmp/x\nrm -rf /";
  CHECK_THAT(collect::write_script(r).error, Catch::Matchers::Contains("--out-dir"));
}

TEST_CASE("collect: an upper-case UUID is the same instance", "[collect]") {
  CHECK(collect::normalized_uuid("8B2F6D14-C35E-4A0B-9E71-5D3A0C8F2E69") ==
        "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69");
  CHECK_FALSE(collect::normalized_uuid("8b2f6d14c35e4a0b9e715d3a0c8f2e69").has_value());
  CHECK_FALSE(collect::normalized_uuid("8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e6g").has_value());
}
