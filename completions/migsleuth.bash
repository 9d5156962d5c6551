# bash completion for migsleuth                             -*- shell-script -*-
# Installed as /usr/share/bash-completion/completions/migsleuth; works without
# the bash-completion package too (`source completions/migsleuth.bash`).
# tests/docs/check_cli_docs.py fails when a subcommand, option or option value
# of `migsleuth ... --help` is missing here.

_migsleuth() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=""
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  # `--format=te` arrives as (--format = te) when '=' breaks words.
  if [[ $cur == "=" ]]; then
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    cur=""
  elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  COMPREPLY=()

  # Options that take a value, per command (their values are not commands).
  local -A takes_value=(
    [analyze]=" -f --format -o --output --color --rules --tz --deployment --instance --since --until -j --jobs --max-decompressed --max-line "
    [scan]=" -j --jobs --jsonl --db --html --incident-html --shard --rules --deployment "
    [report-fleet]=" -o --output --incident-html --rules --deployment "
    [merge]=" -o --output --jsonl "
    [preflight]=" -f --format -o --output --cpu-model --extra-flags --deployment "
    [collect]=" --instance --since --until --deployment --out-dir -o --output --k8s-namespace --job-samples --job-interval "
  )
  local cmd="" sub="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if [[ -n $cmd && ${takes_value[$cmd]-} == *" $w "* ]]; then
      ((i++))
      continue
    fi
    [[ $w == -* || $w == "=" ]] && continue
    if [[ -z $cmd ]]; then
      case $w in analyze | rules | scan | merge | preflight | report-fleet | collect) cmd=$w ;; esac
    elif [[ $cmd == rules && -z $sub ]]; then
      case $w in list | lint | test | check-command | decode) sub=$w ;; esac
    fi
  done

  local opts=""
  case $cmd in
    "")
      opts="-h --help -V --version"
      if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -W "analyze rules scan merge preflight report-fleet collect" -- "$cur")
      fi
      return 0
      ;;
    analyze)
      case $prev in
        -f | --format) mapfile -t COMPREPLY < <(compgen -W "text json markdown html" -- "$cur"); return 0 ;;
        --color) mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur"); return 0 ;;
        --deployment) mapfile -t COMPREPLY < <(compgen -W "auto plain tripleo edpm kolla kubernetes" -- "$cur"); return 0 ;;
        --rules) _migsleuth_files -d; return 0 ;;
        -o | --output) _migsleuth_files -f; return 0 ;;
        --tz | --instance | --since | --until | -j | --jobs | --max-decompressed | --max-line) return 0 ;;
      esac
      opts="-h --help -f --format -o --output --color --rules --tz --deployment --instance --since --until -j --jobs --max-decompressed --max-line --explain"
      ;;
    rules)
      if [[ -z $sub ]]; then
        if [[ $cur == -* ]]; then
          mapfile -t COMPREPLY < <(compgen -W "-h --help" -- "$cur")
        else
          mapfile -t COMPREPLY < <(compgen -W "list lint test check-command decode" -- "$cur")
        fi
        return 0
      fi
      if [[ $sub == check-command ]]; then
        [[ $cur == -* ]] && mapfile -t COMPREPLY < <(compgen -W "-h --help --gaps" -- "$cur")
        return 0
      fi
      if [[ $sub == decode ]]; then
        [[ $cur == -* ]] && mapfile -t COMPREPLY < <(compgen -W "-h --help" -- "$cur")
        return 0
      fi
      if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "-h --help" -- "$cur")
      else
        _migsleuth_files -d
      fi
      return 0
      ;;
    scan)
      case $prev in
        --jsonl | --db | --html) _migsleuth_files -f; return 0 ;;
        --rules | --incident-html) _migsleuth_files -d; return 0 ;;
        -j | --jobs | --shard) return 0 ;;
        --deployment) mapfile -t COMPREPLY < <(compgen -W "auto plain tripleo edpm kolla kubernetes" -- "$cur"); return 0 ;;
      esac
      opts="-h --help -j --jobs --jsonl --db --html --incident-html --rescan --shard -q --quiet --rules --deployment"
      ;;
    report-fleet)
      case $prev in
        -o | --output) _migsleuth_files -f; return 0 ;;
        --rules | --incident-html) _migsleuth_files -d; return 0 ;;
        --deployment) mapfile -t COMPREPLY < <(compgen -W "auto plain tripleo edpm kolla kubernetes" -- "$cur"); return 0 ;;
      esac
      opts="-h --help -o --output --incident-html --rules --deployment"
      ;;
    merge)
      case $prev in
        -o | --output | --jsonl) _migsleuth_files -f; return 0 ;;
      esac
      opts="-h --help -o --output --jsonl -q --quiet"
      ;;
    preflight)
      case $prev in
        -f | --format) mapfile -t COMPREPLY < <(compgen -W "text markdown md json" -- "$cur"); return 0 ;;
        -o | --output) _migsleuth_files -f; return 0 ;;
        --cpu-model | --extra-flags) return 0 ;;
        --deployment) mapfile -t COMPREPLY < <(compgen -W "plain tripleo edpm kolla kubernetes" -- "$cur"); return 0 ;;
      esac
      opts="-h --help -f --format -o --output --cpu-model --extra-flags --deployment"
      ;;
    collect)
      case $prev in
        --deployment) mapfile -t COMPREPLY < <(compgen -W "plain tripleo edpm kolla kubernetes" -- "$cur"); return 0 ;;
        --out-dir) _migsleuth_files -d; return 0 ;;
        -o | --output) _migsleuth_files -f; return 0 ;;
        --instance | --since | --until | --k8s-namespace | --job-samples | --job-interval) return 0 ;;
      esac
      opts="-h --help --instance --since --until --deployment --controller --out-dir -o --output --k8s-namespace --job-samples --job-interval"
      [[ $cur == -* ]] && mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
      return 0
      ;;
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
  else
    _migsleuth_files -f   # PATHs: files, folders, archives
  fi
  return 0
}

# Files (-f, folders included) or folders only (-d) matching $cur.
_migsleuth_files() {
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen "$1" -- "$cur")
}

complete -F _migsleuth migsleuth
