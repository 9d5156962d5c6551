#!/usr/bin/env zsh -f
# The zsh completion loads under compinit (from $fpath, as installed, and by
# `source`). Usage: zsh -f test_zsh_completion.zsh DIR
# (DIR holds _migsleuth).
emulate -L zsh
dir=${1:?folder holding _migsleuth}
fails=0
# compinit -D: no dump file. Never `-d FILE` with it: -d turns dumping back on,
# and compdump replaces FILE (as root, `-d /dev/null` replaced /dev/null by a
# regular file). HOME/ZDOTDIR point at a scratch folder for the same reason.
export HOME=$(mktemp -d) ZDOTDIR=
trap 'rm -rf $HOME' EXIT
fail() { print -r -- "FAIL: $*"; fails=$((fails + 1)) }

# 1. As installed: found on $fpath by compinit.
zsh -fc "fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u -D
  [[ \$_comps[migsleuth] == _migsleuth ]] || exit 1
  autoload +X _migsleuth || exit 1" || fail "compinit does not bind migsleuth to _migsleuth from \$fpath"
# 2. Sourced after compinit.
zsh -fc "autoload -U compinit; compinit -u -D; source ${(q)dir}/_migsleuth
  [[ \$_comps[migsleuth] == _migsleuth ]]" || fail "source ${dir}/_migsleuth does not register it"

# What it completes is not driven here: an interactive zsh under zsh/zpty
# took minutes on a loaded 2-core CI machine. check_cli_docs.py checks that
# every subcommand, option and value is in the file; the bash test drives the
# bash completion.
[[ $fails == 0 ]] && print "ok: _migsleuth loads under compinit (fpath and source)"
exit $((fails > 0))
