# Sourced by build.sh: writes what real tools say about the built images into $OUT/expected/.
# Tests compare the scanner against these files, never against hand-written lists.

DPKG_FORMAT='${Package}\t${Version}\t${source:Package}\t${source:Version}\t${Architecture}\n'

# dpkg-query's view of a rootfs; every listed package must be fully installed, or the file would
# mix installed and half-installed packages and the comparison would be meaningless.
dpkg_truth() {
  local root=$1 out=$2 not_installed
  not_installed=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Package} ${db:Status-Abbrev}\n' | awk '$2 != "ii" { print $1 }')
  [ -z "$not_installed" ] || die "$root: packages not fully installed: $not_installed"
  dpkg-query --admindir="$root/var/lib/dpkg" -W -f "$DPKG_FORMAT" | LC_ALL=C sort >"$out"
}

# Each Python distribution the system interpreter and the venv's interpreter see, with the Debian
# package that owns its metadata directory per `dpkg-query -S` ("-" when no package does).
python_truth() {
  local root=$1 out=$2 interpreter name version path
  for interpreter in /usr/bin/python3 /opt/venv/bin/python3; do
    chroot "$root" "$interpreter" -I -B - <"$HERE/python-dists.py"
  done | LC_ALL=C sort -u | while IFS=$'\t' read -r name version path; do
    printf '%s\t%s\t%s\t%s\n' "$name" "$version" "${path#/}" "$(dpkg_owner "$root" "$path")"
  done >"$out"
}

# The package whose file list has PATH, or "-": dpkg-query -S exits 1 for "no path found", 2 on errors.
dpkg_owner() {
  local root=$1 path=$2 found status=0
  found=$(dpkg-query --admindir="$root/var/lib/dpkg" -S "$path" 2>/dev/null) || status=$?
  case $status in
    0) printf '%s\n' "${found%%: *}" ;;
    1) printf '%s\n' - ;;
    *) die "dpkg-query -S $path failed (exit $status)" ;;
  esac
}

write_ground_truth() {
  local expected=$OUT/expected
  rm -rf "$expected" && mkdir -p "$expected"
  dpkg_truth "$OUT/rootfs" "$expected/dpkg-amd64.tsv"
  dpkg_truth "$WORK/debootstrap-arm64" "$expected/dpkg-arm64.tsv"
  python_truth "$OUT/rootfs" "$expected/python-amd64.tsv"
  go version -m "$OUT/rootfs/usr/local/bin/registry" >"$expected/go-registry.txt"
  cp "$OUT/rootfs/app/package-lock.json" "$expected/npm-app-package-lock.json"
  (cd "$OUT/rootfs/app" && npm ls --all --json) >"$expected/npm-app-ls.json"
  node "$HERE/oci-describe.mjs" "$LAYOUT" app base-arm64 multi truncated >"$expected/images.json"
  printf '%s\n' "$ARM64_METHOD" >"$expected/arm64-method.txt"
  log "  expected/: $(wc -l <"$expected/dpkg-amd64.tsv") amd64 debs, $(wc -l <"$expected/dpkg-arm64.tsv") arm64 debs," \
    "$(wc -l <"$expected/python-amd64.tsv") python dists"
}
