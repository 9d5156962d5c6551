// The message catalog (rules/catalog/<layer>/*.yaml): one entry per upstream
// format string on the live-migration path of nova, libvirt, QEMU and the
// kernel/C library, with the regex that recognises its rendered form, one
// example line, what it means and its verdict. rules/README.md "Message
// catalog" is the field reference; this header is the loader and the lookup
// the decoder is built on.
//
// Lookup contract (what a layered decoder relies on):
//   - lookup(text) answers the entry whose match starts leftmost in `text`;
//     at the same start a non-wrapper entry beats a wrapper, then the longer
//     hint (the more specific literal) wins, then catalog order (files by
//     path, entries in file order).
//   - decode(text) repeats lookup() on the entry's `inner` capture while there
//     is one: "Live Migration failure: <libvirt>" -> "operation failed: job
//     'migration out' failed: <qemu>" -> "<qemu text>". The chain is
//     outermost first; decision() is its innermost entry that names a cause.
//
//   diags errors;
//   auto cat = message_catalog::load(builtin_sources("catalog/"), errors);
//   for (const auto& m : cat.decode(line)) ...;   // nova -> libvirt -> QEMU
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/diag.hpp"
#include "migsleuth/core/event.hpp"
#include "migsleuth/core/verdict.hpp"
#include "migsleuth/rulepack/sources.hpp"

namespace re2 {
class RE2;
}

namespace migsleuth::rulepack {
class hint_index;
}

namespace migsleuth::rulepack {

enum class catalog_layer : std::uint8_t { nova, libvirt, qemu, kernel_os };
std::string_view to_string(catalog_layer l) noexcept;  // "nova" ... "kernel-os"

// What a line that matches an entry says about a failed migration.
enum class catalog_verdict : std::uint8_t {
  classified,  // names a class and a cause id
  context,     // describes a state (a progress line, an errno), not a cause
  wrapper,     // carries another layer's error in its `inner` capture
  benign,      // seen in successful migrations too; never a cause
};
std::string_view to_string(catalog_verdict v) noexcept;

// An entry's regex, compiled on first use: a trusted catalog (the embedded
// one, tested in CI) is loaded without compiling its hundreds of regexes, of
// which an analysis needs the few whose hint its failure lines hold.
// Thread-safe; a regex that does not compile matches nothing.
class entry_regex {
 public:
  explicit entry_regex(std::string source) : source_(std::move(source)) {}
  // nullptr when RE2 rejects the source.
  [[nodiscard]] const re2::RE2* get() const;
  // Group index of (?P<inner>...), 0 = none.
  [[nodiscard]] int inner_group() const;

 private:
  void compile() const;
  std::string source_;
  mutable std::once_flag once_;
  mutable std::shared_ptr<const re2::RE2> re_;
  mutable int inner_ = 0;
};

struct catalog_entry {
  std::string id;  // <layer>.<area>.<slug>, stable forever
  catalog_layer layer = catalog_layer::nova;
  std::string source_file;      // upstream path, e.g. "nova/virt/libvirt/driver.py"
  std::string source_function;  // upstream function or class
  std::string releases;         // "<project> <first>..<last>", e.g. "nova 17.0.0..master"
  std::string format;           // the upstream format string, verbatim
  std::string regex;            // RE2 source
  std::string hint;             // a literal every match contains
  std::string example;          // one rendered line as it appears in a log
  bool example_real = false;    // true: observed (example_cite says where); false: rendered
  std::string example_cite;
  std::string meaning;
  catalog_verdict verdict = catalog_verdict::context;
  classification cls = classification::unknown;  // classified only
  std::string cause;                             // classified only
  bool new_cause = false;       // the cause rule does not exist yet (declared on purpose)
  std::string yaml_file;        // where the entry was read, for diagnostics
  int yaml_line = 0;
  int yaml_column = 0;

  std::shared_ptr<const entry_regex> re;  // `regex`, compiled on first use
};

// The names an entry's regex captures (its `inner` excluded), sorted.
[[nodiscard]] std::vector<std::string> capture_names(const catalog_entry& e);

// A format string deliberately left out of the catalog (rules/catalog/excluded.yaml).
struct catalog_exclusion {
  std::string project;  // nova | libvirt | qemu
  std::string file;     // upstream path
  std::string format;
  std::string why;
};

struct catalog_match {
  const catalog_entry* entry = nullptr;
  std::size_t begin = 0;  // byte offsets of the whole match in the looked-up text
  std::size_t end = 0;
  fields captures;        // named captures, non-empty ones
  // The `inner` capture, as offsets into the looked-up text (none when
  // equal): a chain keeps no copy of the line, whose layers are each most of
  // it (a megabyte line kept to 8 KiB would cost 8 KiB per layer per line).
  std::size_t inner_begin = 0;
  std::size_t inner_end = 0;
  [[nodiscard]] bool has_inner() const noexcept { return inner_end > inner_begin; }
  // The inner text, given the text this match was looked up in.
  [[nodiscard]] std::string_view inner_of(std::string_view looked_up) const noexcept {
    if (!has_inner() || inner_end > looked_up.size()) return {};
    return looked_up.substr(inner_begin, inner_end - inner_begin);
  }
};

class message_catalog {
 public:
  // Loads catalog/<layer>/*.yaml and catalog/excluded.yaml from `sources`
  // (any other path is ignored). Every problem is a diag with file:line:col:
  // unknown/duplicate keys, a regex RE2 rejects, a hint missing from the
  // example's match, an example its regex does not match, duplicate ids, an
  // id whose layer differs from its folder. Entries with errors are dropped.
  // `trusted`: the sources were checked already (the embedded catalog, by
  // `rules lint`/`rules test` in CI): regexes compile on first use and the
  // per-entry checks that need them (compiles, matches its example, hint in
  // the match, a wrapper's inner) are skipped. Everything else is checked.
  static message_catalog load(const std::vector<rule_source>& sources, diags& errors,
                              bool trusted = false);

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  [[nodiscard]] const std::vector<catalog_entry>& entries() const noexcept { return entries_; }
  [[nodiscard]] const std::vector<catalog_exclusion>& exclusions() const noexcept {
    return exclusions_;
  }

  // capture_names(entries()[i]), read once at load: every cause rule's
  // catalog selections ask them.
  [[nodiscard]] const std::vector<std::string>& capture_names_of(std::size_t i) const {
    return captures_[i];
  }
  // The names of every entry, and of every wrapper, each once, in entry order
  // (each entry's names sorted): what a `catalog: decides` selection, and the
  // outer layers of any catalog selection, may bind.
  [[nodiscard]] const std::vector<std::string>& capture_names_of_all() const noexcept {
    return all_captures_;
  }
  [[nodiscard]] const std::vector<std::string>& capture_names_of_wrappers() const noexcept {
    return wrapper_captures_;
  }

  // A classified entry's cause must be one of `known_causes` (the loaded
  // cause rules' ids) unless it is declared `new: true`, and then it must not
  // be one. Returns one diag per offending entry.
  [[nodiscard]] diags check_causes(std::span<const std::string> known_causes) const;

  // Whether any entry's hint occurs in `text` (one pass over it): a line
  // for which this is false decodes to nothing. Never a false negative.
  [[nodiscard]] bool may_match(std::string_view text) const;
  // The indexes (into entries(), ascending) of the entries whose hint occurs.
  [[nodiscard]] std::vector<std::size_t> candidates(std::string_view text) const;

  [[nodiscard]] std::optional<catalog_match> lookup(std::string_view text) const;
  [[nodiscard]] std::vector<catalog_match> decode(std::string_view text) const;
  // The innermost classified entry of a chain, or nullptr (also when any
  // layer is benign: the message as a whole is not a failure).
  static const catalog_entry* decision(const std::vector<catalog_match>& chain) noexcept;
  // The text layer `layer` of `chain` (decoded from `text`) was looked up
  // in: `text` itself for the outermost, else the inner text of the layer
  // above. Empty past the chain's end.
  static std::string_view layer_text(const std::vector<catalog_match>& chain,
                                     std::string_view text, std::size_t layer) noexcept;

  // Every entry's example decoded through the whole catalog: it must pass
  // through the entry itself (else an entry that looks the same but means
  // something else took it: a conflict), and a classified entry's example
  // must be decided in the entry's class.
  [[nodiscard]] diags test_examples() const;

 private:
  std::vector<catalog_entry> entries_;
  std::vector<catalog_exclusion> exclusions_;
  std::vector<std::vector<std::string>> captures_;  // per entry
  std::vector<std::string> all_captures_;
  std::vector<std::string> wrapper_captures_;
  // Every distinct hint in one RE2::Set: a lookup runs only the regexes of
  // entries whose hint occurs, found in one pass instead of one find per entry.
  std::shared_ptr<const hint_index> hints_;
};

}  // namespace migsleuth::rulepack
