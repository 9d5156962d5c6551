#!/usr/bin/env bash
# The bash completion loads in a bare shell (bash --norc, no bash-completion
# package) and completes what it should. Usage: test_bash_completion.sh FILE
set -u
file=${1:?completion file}
exec bash --norc --noprofile -c '
set -u
source "$1" || { echo "FAIL: sourcing $1"; exit 1; }
spec=$(complete -p migsleuth) || { echo "FAIL: complete -p migsleuth: nothing registered"; exit 1; }
[[ $spec == *"-F _migsleuth"* ]] || { echo "FAIL: complete -p migsleuth gives: $spec"; exit 1; }
fails=0
# expect "COMMAND LINE (last word is completed)" "expected replies, sorted"
expect() {
  read -r -a COMP_WORDS <<<"$1"
  [[ $1 == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$1
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _migsleuth migsleuth "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]:-}"
  local got
  got=$(printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//")
  if [[ $got != "$2" ]]; then
    echo "FAIL: \"$1\" completes to [$got], expected [$2]"
    fails=$((fails + 1))
  else
    echo "ok: \"$1\" -> [$got]"
  fi
}
expect "migsleuth an" "analyze"
expect "migsleuth " "analyze collect merge preflight report-fleet rules scan"
expect "migsleuth --v" "--version"
expect "migsleuth rules l" "lint list"
expect "migsleuth analyze --fo" "--format"
expect "migsleuth analyze --format " "html json markdown text"
expect "migsleuth analyze -f j" "json"
expect "migsleuth analyze --color a" "always auto"
expect "migsleuth analyze --rules rules --col" "--color"
expect "migsleuth scan --re" "--rescan"
expect "migsleuth merge --js" "--jsonl"
expect "migsleuth report-fleet --inc" "--incident-html"
expect "migsleuth scan --ht" "--html"
expect "migsleuth preflight --format m" "markdown md"
expect "migsleuth collect --deployment k" "kolla kubernetes"
expect "migsleuth collect --instance 8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69 --con" "--controller"
# PATHs complete to files: this test file itself.
cd "$(dirname "$2")"
expect "migsleuth analyze test_bash_comp" "test_bash_completion.sh"
exit $((fails > 0))
' bash "$file" "$(realpath "$0")"
