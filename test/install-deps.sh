#!/usr/bin/env bash
# Debian packages the test suite drives for real: a CNCF registry, skopeo/umoci/debootstrap to build
# and push images, redis-server and PostgreSQL, a Go toolchain to build a module-mode test binary,
# docker-compose to validate the compose file, kubectl (kubernetes-client) to build deploy/kubernetes
# with kustomize, Ceph (mon, memstore OSD, RADOS Gateway) for a real S3 server, python3-debian to read
# DEP-5 copyright files independently. Idempotent; needs root (or sudo) and Debian's mirror.
set -euo pipefail
packages=(docker-registry skopeo umoci debootstrap apache2-utils redis-server postgresql
  golang-go docker-compose zstd openssl curl ca-certificates python3 python3-debian
  ceph-mon ceph-osd radosgw ceph-common)
# Any kubectl will do; Debian's would collide with one installed another way (e.g. the Cloud SDK's).
command -v kubectl >/dev/null || packages+=(kubernetes-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
fi
