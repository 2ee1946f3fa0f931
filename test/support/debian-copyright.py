#!/usr/bin/python3
"""Debian's own reading of copyright files: python3-debian's debian.copyright, for the licenses test.

Usage: debian-copyright.py ROOTFS PACKAGE[:SOURCE]...  Prints JSON {package: [synopsis, ...] | null}:
the License synopses of the header and of every Files paragraph, in file order, as written; null for
a missing or not machine-readable file. The doc directory is the package's, else its source's.
"""
import json
import os
import sys

from debian.copyright import Copyright, NotMachineReadableError


def synopses(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        try:
            parsed = Copyright(handle, strict=False)
        except NotMachineReadableError:
            return None
    found = []
    if parsed.header.license is not None:
        found.append(parsed.header.license.synopsis)
    found.extend(p.license.synopsis for p in parsed.all_files_paragraphs() if p.license is not None)
    return [s for s in found if s.strip()]


def main():
    root, names = sys.argv[1], sys.argv[2:]
    result = {}
    for spec in names:
        package, _, source = spec.partition(":")
        candidates = [os.path.join(root, "usr/share/doc", name, "copyright") for name in (package, source) if name]
        path = next((p for p in candidates if os.path.isfile(p)), None)
        result[package] = synopses(path) if path else None
    json.dump(result, sys.stdout)


main()
