"""Whether a migsleuth binary was built with AddressSanitizer.

GCC links the ASan runtime as a shared library (libasan in `ldd`); clang links
it into the binary itself, where only its symbols tell. Tests that measure
memory or run under an address-space limit skip those checks on such builds:
ASan reserves terabytes of shadow address space and keeps freed memory in
quarantine.
"""
import subprocess


def asan_build(binary):
    ldd = subprocess.run(["ldd", binary], capture_output=True, check=False).stdout
    if b"libasan" in ldd:
        return True
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()
