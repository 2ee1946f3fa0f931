#!/usr/bin/env bash
# Builds the e2e images, or reuses the cached build for these build scripts, and prints the images
# directory (oci/ layout, archives/, rootfs/, expected/) as the only line on stdout; progress and
# timings go to stderr. `npm test` exports the printed path as CUSTOMS_E2E_IMAGES.
# CUSTOMS_SKIP_E2E=1 skips the build (the e2e tests then skip too, saying so).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "${CUSTOMS_SKIP_E2E:-}" = 1 ]; then
  echo "prepare.sh: CUSTOMS_SKIP_E2E=1, e2e images not built" >&2
  exit 0
fi
dir=$(bash "$here/images/cache-dir.sh")
mkdir -p "$(dirname "$dir")"
# Two test runs sharing the cache must not build into the same directory at once.
# (A non-root user reusing a build made as root may only read the lock; a shared lock is enough then.)
if [ -w "$dir.lock" ] || [ ! -e "$dir.lock" ]; then exec 9>>"$dir.lock"; else exec 9<"$dir.lock"; fi
flock 9
if [ ! -f "$dir/COMPLETE" ]; then
  if [ "$(id -u)" = 0 ]; then
    bash "$here/images/build.sh" "$dir" >&2
  elif sudo -n true 2>/dev/null; then
    sudo -n bash "$here/images/build.sh" "$dir" >&2
  else
    echo "prepare.sh: the e2e images are not built and building them needs root: sudo bash $here/images/build.sh $dir" >&2
    exit 1
  fi
else
  echo "e2e images: reusing $dir (built $(cat "$dir/COMPLETE"))" >&2
fi
touch "$dir/LAST_USED" 2>/dev/null || true # best effort: only prunes less eagerly
exec 9>&-

# Builds of other versions of the scripts (about 700 MB each) go once unused for a week; one that is
# being built holds its lock, and is left alone.
for old in "$(dirname "$dir")"/images-*/; do
  old=${old%/}
  [ "$old" != "$dir" ] || continue
  [ -z "$(find "$old" -maxdepth 1 \( -name LAST_USED -o -name COMPLETE \) -mtime -7)" ] || continue
  [ -z "$(find "$old" -maxdepth 0 -mtime -7)" ] || continue
  if (flock -n 9 && rm -rf "$old" && rm -f "$old.lock") 9>>"$old.lock"; then
    echo "e2e images: removed $old (unused for 7 days)" >&2
  fi
done
printf '%s\n' "$dir"
