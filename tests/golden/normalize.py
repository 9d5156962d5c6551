"""Normalization shared by the golden test and tests/update_expected.sh.

A report is compared as text. Two things vary between machines and releases and
are replaced; nothing else is stripped (conventions B.7):

  * the samples root (absolute path of samples/) -> ``{samples}``
  * the tool version (``tool.version``; in the text and markdown reports
    ``migsleuth <version>``)                      -> ``{version}``

Besides expected.json, each sample keeps expected.md (``--format markdown``) and
expected.txt (``--format text --color never``), normalized the same way.

Both the plain and the JSON-escaped (``\\/``) spelling of the path are replaced.
"""
import json
import os
import subprocess

# Exit codes that still mean "analysis completed, report written" (conventions B.4 #6:
# 0 = report written, 1 = reserved for "failed migrations found").
OK_EXIT_CODES = (0, 1)


# Human-readable goldens: file name -> extra analyze arguments.
HUMAN_FORMATS = {
    "expected.md": ["--format", "markdown"],
    "expected.txt": ["--format", "text", "--color", "never"],
}


def stdin_file(bundle):
    """The file a scenario pipes to `analyze -` instead of naming its bundle: the
    path (relative to the scenario) written in the scenario's `stdin` file, or None."""
    marker = os.path.join(os.path.dirname(os.path.abspath(bundle)), "stdin")
    if not os.path.isfile(marker):
        return None
    with open(marker, encoding="utf-8") as f:
        return os.path.join(os.path.dirname(marker), f.read().strip())


def run_analyze(binary, bundle, cwd, args=("--format", "json")):
    """Run `binary analyze ARGS bundle` in cwd (`analyze ARGS -` with the scenario's
    stdin file piped, when it has one); return (exit code, stdout, stderr)."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    piped = stdin_file(bundle)
    if piped:
        with open(piped, "rb") as f:
            proc = subprocess.run([binary, "analyze", *args, "-"], cwd=cwd, env=env, stdin=f,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    else:
        proc = subprocess.run([binary, "analyze", *args, bundle], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def normalize_human(text, samples_root, version):
    """A text or markdown report with the samples root and `migsleuth <version>` replaced."""
    root = os.path.abspath(samples_root).rstrip("/")
    text = text.replace(root, "{samples}")
    if version:
        text = text.replace(f"migsleuth {version}", "migsleuth {version}")
    if not text.endswith("\n"):
        text += "\n"
    return text


def tool_version(text):
    """The `tool.version` string of a report, or None if the text is not such a report."""
    try:
        doc = json.loads(text)
        return doc["tool"]["version"]
    except (ValueError, KeyError, TypeError):
        return None


def normalize(text, samples_root):
    """Return the report text with the samples root and the tool version replaced."""
    root = os.path.abspath(samples_root).rstrip("/")
    escaped = root.replace("/", "\\/")
    for spelling in (root, escaped):
        text = text.replace(spelling, "{samples}")

    version = tool_version(text)
    if version is not None:
        quoted = json.dumps(version)
        tool_at = text.find('"tool"')
        ver_at = text.find(quoted, tool_at if tool_at >= 0 else 0)
        if ver_at >= 0:
            text = text[:ver_at] + '"{version}"' + text[ver_at + len(quoted):]
    if not text.endswith("\n"):
        text += "\n"
    return text
