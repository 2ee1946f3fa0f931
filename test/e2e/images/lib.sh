# Helpers sourced by build.sh. Everything logs to stderr: stdout belongs to the caller (prepare.sh prints
# the layout path there).

log() { printf '%s\n' "$*" >&2; }
die() { log "build.sh: $*"; exit 1; }

# step NAME CMD...: runs CMD and prints how long it took, so slow steps show up in CI logs.
step() {
  local name=$1 t0=$EPOCHREALTIME
  shift
  "$@"
  log "$(awk -v a="$t0" -v b="$EPOCHREALTIME" -v n="$name" 'BEGIN { printf "  %-34s %6.1f s", n, b - a }')"
}

# The mirror apt already uses: on the test machines only Debian's mirrors are reachable.
detect_mirror() {
  local mirror=${MIRROR:-}
  if [ -z "$mirror" ]; then
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  fi
  if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
      /etc/apt/sources.list 2>/dev/null || true)
  fi
  printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

# What official Debian images drop; keeps var/lib/dpkg/status, info/*.list and usr/share/doc for scanners.
slim_rootfs() {
  local root=$1
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
    "$root"/tmp/* "$root"/var/log/apt/* "$root"/var/log/*.log "$root"/debootstrap
  find "$root/dev" -mindepth 1 -delete # device nodes do not belong in an image layer
}

# For a --foreign (first stage only) rootfs, whose dpkg status is still empty: the status dpkg would
# write, from each downloaded .deb's control fields.
synthesise_dpkg_status() {
  local root=$1 deb
  for deb in "$root"/var/cache/apt/archives/*.deb; do
    dpkg-deb -f "$deb" | awk 'NR == 1 { print; print "Status: install ok installed"; next } { print }'
    echo
  done >"$root/var/lib/dpkg/status"
}

# The layer blobs (bottom first) of one tag's manifest, as "digest mediaType" lines.
layer_blobs() {
  node "$HERE/oci-describe.mjs" --layer-lines "$1" "$2"
}

# Exit status of a full read of one gzip'd tar layer: 0 only when the archive is complete.
layer_is_complete_tar() {
  local blob=$1
  gzip -dc "$blob" | tar -t >/dev/null 2>&1
}

# Every tar layer of the tag must read to its end; the umoci insert gotcha makes this worth checking.
verify_layers() {
  local layout=$1 tag=$2 digest media_type count=0
  while read -r digest media_type; do
    case "$media_type" in *tar+gzip | *tar.gzip) ;; *) continue ;; esac
    layer_is_complete_tar "$layout/blobs/${digest/://}" || die "$tag: layer $digest is not a complete tar"
    count=$((count + 1))
  done < <(layer_blobs "$layout" "$tag")
  log "  $tag: $count layers, each a complete tar"
}
