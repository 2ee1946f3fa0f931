#!/usr/bin/env bash
# Builds the real images the end-to-end tests scan, from Debian and npm packages only (no Docker engine),
# into <outdir>:
#   oci/        OCI layout with tags
#                 app         linux/amd64, 4 layers: debootstrap minbase + Python libs | a Go binary from
#                             Debian's docker-registry | a python3 venv (pip, setuptools) | an npm app
#                 base-arm64  linux/arm64 minbase (real via qemu when binfmt works, else --foreign)
#                 multi       OCI index: app + base-arm64 + a synthetic BuildKit-style attestation child
#                 truncated   app + one layer written by `umoci insert` (a truncated tar: kept on purpose)
#                 secrets     app + a layer of generated credentials + a layer deleting one; ENV credential
#   archives/   app as an oci-archive and a docker-archive (skopeo copy)
#   rootfs/     app's final root filesystem, unpacked
#   expected/   ground truth from real tools (see ground-truth.sh)
#   planted-secrets.json  what image `secrets` holds, generated values included (plant-secrets.sh)
#   COMPLETE    written last; when present, the build is reused as is
# Usage: build.sh <outdir>     (root; Debian mirror and npm registry reachable)
# Env:   MIRROR=<apt mirror, default: the one apt uses>
set -Eeuo pipefail
OUT=${1:?usage: build.sh <outdir>}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=ground-truth.sh
source "$HERE/ground-truth.sh"
# shellcheck source=plant-secrets.sh
source "$HERE/plant-secrets.sh"

SUITE=bookworm
PY_PACKAGES=python3-requests,python3-urllib3,python3-jinja2,python3-yaml,python3-venv
NPM_PACKAGES=(lodash@4.17.15 minimist@1.2.0 express@4.17.1)
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VENV_PATH=/opt/venv/bin:$IMAGE_PATH

if [ -f "$OUT/COMPLETE" ]; then
  log "e2e images: reusing $OUT (built $(cat "$OUT/COMPLETE"))"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot); run: sudo $0 $OUT"
for tool in debootstrap umoci skopeo node npm go dpkg-deb dpkg-query chroot gzip tar openssl ssh-keygen; do
  command -v "$tool" >/dev/null || die "missing tool: $tool (run test/install-deps.sh)"
done
[ -x /usr/bin/docker-registry ] || die "missing /usr/bin/docker-registry (apt-get install docker-registry)"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$OUT/work
LAYOUT=$OUT/oci
BUNDLE=$WORK/bundle
ROOT=$BUNDLE/rootfs
MIRROR=$(detect_mirror)
ARM64_METHOD=
mkdir -p "$WORK"
# The chroot step needs no /proc or /dev mounts (python3 -m venv runs without them), so nothing is
# mounted and nothing needs unmounting; on failure only the scratch bundles are dropped.
trap 'rm -rf "$BUNDLE" "$WORK/bundle-arm64"' EXIT
trap 'log "build.sh: failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

# Debootstrap results survive a failed later step (marker files), so a retry does not download again.
debootstrap_amd64() {
  local dir=$WORK/debootstrap-amd64
  [ -f "$dir.done" ] && return 0
  rm -rf "$dir"
  debootstrap --variant=minbase --include="$PY_PACKAGES" "$SUITE" "$dir" "$MIRROR" >"$WORK/debootstrap-amd64.log" 2>&1 ||
    die "debootstrap amd64 failed, see $WORK/debootstrap-amd64.log"
  slim_rootfs "$dir"
  touch "$dir.done"
}

debootstrap_arm64() {
  local dir=$WORK/debootstrap-arm64
  if [ -f "$dir.done" ]; then
    ARM64_METHOD=$(cat "$dir.done")
    return 0
  fi
  rm -rf "$dir"
  if grep -qs enabled /proc/sys/fs/binfmt_misc/qemu-aarch64; then
    ARM64_METHOD=qemu-user-static
    debootstrap --arch=arm64 --variant=minbase "$SUITE" "$dir" "$MIRROR" >"$WORK/debootstrap-arm64.log" 2>&1 ||
      die "debootstrap arm64 failed, see $WORK/debootstrap-arm64.log"
  else
    ARM64_METHOD=foreign+synthesised-dpkg-status
    debootstrap --foreign --arch=arm64 --variant=minbase "$SUITE" "$dir" "$MIRROR" >"$WORK/debootstrap-arm64.log" 2>&1 ||
      die "debootstrap --foreign arm64 failed, see $WORK/debootstrap-arm64.log"
    synthesise_dpkg_status "$dir"
  fi
  slim_rootfs "$dir"
  printf '%s\n' "$ARM64_METHOD" >"$dir.done"
}

npm_app() {
  local app=$WORK/app
  rm -rf "$app" && mkdir -p "$app"
  printf '{ "name": "customs-e2e-app", "version": "1.0.0", "private": true, "main": "index.js" }\n' >"$app/package.json"
  printf '%s\n' "require('express')().get('/', (req, res) => res.send('hi')).listen(3000);" >"$app/index.js"
  (cd "$app" && npm install --no-audit --no-fund --ignore-scripts "${NPM_PACKAGES[@]}" >"$WORK/npm-install.log" 2>&1) ||
    die "npm install failed, see $WORK/npm-install.log"
}

repack() { # created_by: the bundle's rootfs changes since the last repack become one layer
  umoci repack --refresh-bundle --image "$LAYOUT:app" --history.created_by "$1" "$BUNDLE"
}

layer_debootstrap() {
  rm -rf "$LAYOUT" "$BUNDLE"
  umoci init --layout "$LAYOUT"
  umoci new --image "$LAYOUT:app"
  umoci unpack --image "$LAYOUT:app" "$BUNDLE" >/dev/null
  rmdir "$ROOT" && cp -a "$WORK/debootstrap-amd64" "$ROOT"
  repack "debootstrap --variant=minbase --include=$PY_PACKAGES $SUITE / $MIRROR"
}

layer_go_binary() {
  local version
  version=$(dpkg-query -W -f '${Version}' docker-registry)
  mkdir -p "$ROOT/usr/local/bin"
  cp /usr/bin/docker-registry "$ROOT/usr/local/bin/registry"
  repack "COPY /usr/bin/docker-registry /usr/local/bin/registry # Debian docker-registry $version"
}

layer_venv() {
  chroot "$ROOT" python3 -m venv /opt/venv
  [ -z "$(ls -A "$ROOT/dev")" ] || die "the venv step left files in /dev"
  repack "RUN python3 -m venv /opt/venv"
}

# umoci repack builds on the bundle's source manifest and would drop this config change, so the last
# layer is a GNU tar of /app added with `umoci raw add-layer` (not `umoci insert`: it truncates tars).
layer_npm_app() {
  umoci config --image "$LAYOUT:app" --config.env "PATH=$VENV_PATH" --history.created_by "ENV PATH=$VENV_PATH"
  cp -a "$WORK/app" "$ROOT/app"
  tar --sort=name --numeric-owner -C "$ROOT" -cf "$WORK/app-layer.tar" app
  umoci raw add-layer --image "$LAYOUT:app" --history.created_by "COPY app /app # npm install ${NPM_PACKAGES[*]}" \
    "$WORK/app-layer.tar"
  rm -f "$WORK/app-layer.tar"
  umoci config --image "$LAYOUT:app" --os linux --architecture amd64 --config.workingdir /app \
    --config.cmd /bin/bash --history.created_by 'WORKDIR /app'
  mv "$ROOT" "$WORK/rootfs-final"
}

image_arm64() {
  local bundle=$WORK/bundle-arm64
  rm -rf "$bundle"
  umoci new --image "$LAYOUT:base-arm64"
  umoci unpack --image "$LAYOUT:base-arm64" "$bundle" >/dev/null
  rmdir "$bundle/rootfs" && cp -a "$WORK/debootstrap-arm64" "$bundle/rootfs"
  umoci repack --image "$LAYOUT:base-arm64" \
    --history.created_by "debootstrap --arch=arm64 --variant=minbase $SUITE / $MIRROR ($ARM64_METHOD)" "$bundle"
  umoci config --image "$LAYOUT:base-arm64" --os linux --architecture arm64 --config.cmd /bin/bash \
    --config.env "PATH=$IMAGE_PATH" --no-history
  rm -rf "$bundle"
}

image_multi() {
  node "$HERE/oci-make-index.mjs" "$LAYOUT" multi app base-arm64 --attest app >/dev/null
}

# The umoci insert gotcha as a test case: its layer must really be truncated, or the test proves nothing.
image_truncated() {
  local last
  umoci insert --image "$LAYOUT:app" --tag truncated --history.created_by "umoci insert e2e-scripts /srv/e2e-scripts" \
    "$HERE" /srv/e2e-scripts
  last=$(layer_blobs "$LAYOUT" truncated | tail -1 | cut -d' ' -f1)
  if layer_is_complete_tar "$LAYOUT/blobs/${last/://}"; then
    die "umoci insert wrote a complete tar ($last): the truncated-layer test needs another source of truncation"
  fi
}

finish_layout() {
  umoci gc --layout "$LAYOUT"
  for tag in app base-arm64 secrets; do verify_layers "$LAYOUT" "$tag"; done
  chmod -R a+rX "$LAYOUT" # umoci writes blobs 0600; scans as a normal user must be able to read them
}

archives() {
  rm -rf "$OUT/archives" && mkdir -p "$OUT/archives"
  skopeo copy -q "oci:$LAYOUT:app" "oci-archive:$OUT/archives/app-oci.tar:app"
  skopeo copy -q "oci:$LAYOUT:app" "docker-archive:$OUT/archives/app-docker.tar:customs-e2e/app:latest"
}

publish_rootfs() {
  rm -rf "$OUT/rootfs"
  mv "$WORK/rootfs-final" "$OUT/rootfs"
}

T0=$EPOCHREALTIME
log "e2e images: building into $OUT (mirror $MIRROR)"
step "debootstrap amd64 (+python libs)" debootstrap_amd64
step "debootstrap arm64" debootstrap_arm64
step "npm install app" npm_app
step "layer 1: debootstrap" layer_debootstrap
step "layer 2: Go binary" layer_go_binary
step "layer 3: python venv" layer_venv
step "layer 4: npm app" layer_npm_app
step "image base-arm64 ($ARM64_METHOD)" image_arm64
step "index multi" image_multi
step "image truncated (umoci insert)" image_truncated
step "image secrets (generated credentials)" image_secrets
step "gc + verify layers" finish_layout
step "oci-archive + docker-archive" archives
step "rootfs dir" publish_rootfs
step "ground truth" write_ground_truth
rm -rf "$WORK"
date -u +%Y-%m-%dT%H:%M:%SZ >"$OUT/COMPLETE"
log "$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "e2e images: built in %.1f s", b - a }')"
