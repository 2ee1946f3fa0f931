#!/usr/bin/env bash
# Prints where the e2e images of this checkout live: one directory per content hash of the build
# script and its helpers (every file beside this one), so editing any of them means a rebuild and
# two checkouts with the same scripts share one build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hash=$(cd "$here" && find . -maxdepth 1 -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
printf '%s/images-%s\n' "${CUSTOMS_E2E_CACHE:-/var/tmp/customs-e2e}" "$hash"
