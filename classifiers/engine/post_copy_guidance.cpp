// What an operator must know and do when an attempt went post-copy: the guest
// already ran on the destination, so the usual "the guest is still on the
// source, abandon the migration" reflexes (reset-state, destroy the
// destination domain, retry) can lose it. Added to whatever verdict the rules
// or the unknown path gave; never to a success.
#include "engine/post_copy_guidance.hpp"

#include <algorithm>
#include <string>

#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {
namespace {

std::string host_or(const std::string& host, const char* role) {
  return host.empty() ? std::string("the ") + role : host;
}

}  // namespace

void add_post_copy_guidance(verdict& v, const incident& inc) {
  if (!inc.post_copy || inc.result == outcome::succeeded) return;
  const std::string dest = host_or(inc.destination, "destination");
  const std::string src = host_or(inc.source, "source");
  const std::string when =
      inc.post_copy_at.known() ? " at " + format_rfc3339(inc.post_copy_at) : std::string();
  v.summary += " The job had switched to post-copy" + when + ": the guest runs on " + dest +
               ", not on " + src + ".";
  if (inc.result == outcome::failed) {
    v.remediation.insert(
        v.remediation.begin(),
        "The job failed after the switch to post-copy: the guest ran on " + dest +
            " and its memory was split between the hosts. First find where the domain exists and "
            "in which state ('virsh -r domstate --reason' on both hosts); keep both QEMU processes "
            "while you do. A destination domain paused by a post-copy failure can be resumed once "
            "the migration network works again ('virsh migrate --postcopy-resume', libvirt >= 8.5 "
            "and QEMU >= 3.0). If the source QEMU is gone, the guest's memory is incomplete: start "
            "it again from its disks and tell its owner. Only then align nova's record (host, "
            "task_state) with where the guest runs.");
  } else {
    v.remediation.insert(
        v.remediation.begin(),
        "Post-copy in progress: the guest runs on " + dest + " and pulls the pages it has not "
            "received yet from " + src + ". Do not 'nova reset-state', destroy either domain or "
            "restart either host's QEMU or libvirt: the source holds the only copy of those pages. "
            "If 'virsh -r domjobinfo' on " + src + " shows the job moving, let it finish; if the "
            "destination domain is paused in post-copy, restore the migration network and resume "
            "it ('virsh migrate --postcopy-resume', libvirt >= 8.5, QEMU >= 3.0).");
  }
  const bindings values = builtin_bindings(inc);
  auto confirm = [&](run_where where, std::string_view tpl, std::string why) {
    auto command = make_confirm_command(tpl, values);
    if (!command) return;  // withheld: not provably read-only once filled
    confirm_command c{where, std::move(*command), std::move(why)};
    const bool seen = std::any_of(v.confirm.begin(), v.confirm.end(), [&](const auto& o) {
      return o.command == c.command && o.where == c.where;
    });
    if (!seen) v.confirm.push_back(std::move(c));
  };
  confirm(run_where::both, "virsh -r domstate --reason {domain}",
          "Where the guest runs after the switch to post-copy, and why it is paused if it is");
  confirm(run_where::source, "virsh -r domjobinfo {domain}",
          "Whether the post-copy job is still moving pages (Memory remaining, Postcopy requests)");
}

}  // namespace migsleuth::classifiers
