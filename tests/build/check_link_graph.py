#!/usr/bin/env python3
"""The build graph is the include graph.

For every stage (a top-level folder with a CMakeLists.txt that defines
migsleuth_<stage>, or the app), the migsleuth stage libraries it links must be
exactly the stages whose headers it includes:
  - PUBLIC  when its public headers (<stage>/include/) include that stage's
            headers (a user of the stage compiles them too);
  - PRIVATE when only its sources and private headers do.
A link without an include hides a dependency the code does not have (the
stage cannot be built or tested without it); an include without a link only
compiles by accident, through another stage's PUBLIC link.

  check_link_graph.py SOURCE_DIR
"""
import re
import sys
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"migsleuth/([a-z_]+)/', re.M)
LINK = re.compile(r'target_link_libraries\(\s*([A-Za-z0-9_]+)(.*?)\)', re.S)
SOURCES = ('.cpp', '.hpp', '.h', '.cc')


def stage_dirs(root):
    """{stage: (folder, target)} for every folder building a migsleuth_ library."""
    out = {}
    for cm in sorted(root.glob('*/CMakeLists.txt')):
        folder = cm.parent
        text = cm.read_text()
        lib = re.search(r'add_library\(\s*migsleuth_([a-z_]+)\b', text)
        if lib and lib.group(1) == folder.name:
            out[folder.name] = (folder, 'migsleuth_' + folder.name)
        elif folder.name == 'app' and 'add_executable(migsleuth' in text:
            out['app'] = (folder, 'migsleuth')
    return out


def includes(files, own):
    found = set()
    for f in files:
        found.update(INCLUDE.findall(f.read_text(errors='replace')))
    found.discard(own)
    return found


def links(cmake_text, target, stages):
    """{stage: 'PUBLIC'|'PRIVATE'|'INTERFACE'} from target_link_libraries(target ...)."""
    out = {}
    # Comments first: a ')' in one would end the call early.
    for m in LINK.finditer(re.sub(r'#[^\n]*', ' ', cmake_text)):
        if m.group(1) != target:
            continue
        scope = 'PRIVATE'  # an executable's plain list is private
        for word in m.group(2).split():
            if word in ('PUBLIC', 'PRIVATE', 'INTERFACE'):
                scope = word
                continue
            name = word.removeprefix('migsleuth_')
            if word.startswith('migsleuth_') and name in stages:
                out[name] = scope
    return out


# Every stage HACKING's "Data flow" draws: a folder that stops building its
# library, or a new stage left out of this list and of the diagram, fails too.
STAGES = {'core', 'rulepack', 'parsers', 'ingest', 'correlate', 'classifiers', 'preflight',
          'pipeline', 'report', 'scan', 'collect', 'app'}


def main():
    root = Path(sys.argv[1])
    stages = stage_dirs(root)
    problems = []
    for s in sorted(STAGES - set(stages)):
        problems.append(f'{s}: no migsleuth_{s} library in {s}/CMakeLists.txt')
    for s in sorted(set(stages) - STAGES):
        problems.append(f'{s}: a stage this test and HACKING\'s diagram do not know')
    for stage, (folder, target) in sorted(stages.items()):
        files = [p for p in folder.rglob('*') if p.suffix in SOURCES]
        public = [p for p in files if (folder / 'include') in p.parents]
        inc_public = includes(public, stage)
        inc_all = includes(files, stage)
        want = {s: ('PUBLIC' if s in inc_public else 'PRIVATE') for s in inc_all if s in stages}
        have = links((folder / 'CMakeLists.txt').read_text(), target, stages)
        for s in sorted(set(want) | set(have)):
            if s not in have:
                problems.append(f'{stage}: includes migsleuth/{s}/ headers but does not link {"migsleuth_" + s} ({want[s]})')
            elif s not in want:
                problems.append(f'{stage}: links migsleuth_{s} ({have[s]}) but includes none of its headers')
            elif have[s] != want[s]:
                where = 'its public headers include' if want[s] == 'PUBLIC' else 'only its sources include'
                problems.append(f'{stage}: links migsleuth_{s} {have[s]}, but {where} it: {want[s]}')
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} difference(s) between the link graph and the include graph')
        return 1
    print(f'ok: {len(stages)} stages link exactly the stages they include')
    return 0


if __name__ == '__main__':
    sys.exit(main())
