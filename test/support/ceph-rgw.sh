#!/usr/bin/env bash
# Copied unchanged (apart from this note) from ../shared/e2e/ceph-rgw.sh, the recipe shared by the
# Customs sessions for a real S3 server on loopback; test/support/ceph-rgw.ts drives it.
# Single-node, in-memory Ceph (1 mon + 1 memstore OSD, no mgr) with a real
# RADOS Gateway (S3 API) on 127.0.0.1, for end-to-end tests.
# Debian 12 packages: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
#
#   ceph-rgw.sh start [DIR]   -> S3 at http://127.0.0.1:${RGW_PORT:-7480}
#   ceph-rgw.sh stop  [DIR]   -> kills the daemons it started (by pidfile), keeps DIR
#   ceph-rgw.sh clean [DIR]   -> stop + rm -rf DIR
# Env: RGW_PORT (7480), MON_PORT (3300), S3_ACCESS_KEY, S3_SECRET_KEY
# Buckets: create them from the client (CreateBucket); the first one takes ~4 s
# because RGW then creates its bucket index/data pools.
# All data lives in RAM (memstore, 2 GiB cap) and in DIR; nothing system-wide is touched.
set -euo pipefail
CMD=${1:-start}
C=${2:-/tmp/e2e/ceph}
RGW_PORT=${RGW_PORT:-7480}
MON_PORT=${MON_PORT:-3300}
AK=${S3_ACCESS_KEY:-e2eaccesskey}
SK=${S3_SECRET_KEY:-e2esecretkey0123456789}
CONF=$C/ceph.conf

alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }
stop() {
  for d in rgw osd mon; do   # reverse start order
    if [ -f "$C/$d.pid" ]; then
      pid=$(cat "$C/$d.pid")
      if alive "$pid"; then
        kill "$pid"
        for _ in $(seq 1 150); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -9 "$pid" || true
      fi
      rm -f "$C/$d.pid"
    fi
  done
}

case "$CMD" in
  stop) stop; exit 0 ;;
  clean) stop; rm -rf "$C"; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop|clean [DIR]" >&2; exit 2 ;;
esac

command -v ceph-mon >/dev/null || { echo "ceph-mon missing: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common" >&2; exit 1; }
T0=$(date +%s.%N)
stop; rm -rf "$C"; mkdir -p "$C"/{run,log,mon,osd,rgw}
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon initial members = a
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.1/32
cluster network = 127.0.0.1/32
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $C/run
admin socket = $C/run/\$name.asok
log file = $C/log/\$name.log
keyring = $C/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
[mon]
mon data = $C/mon/\$cluster-\$id
[osd]
osd data = $C/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd max object name len = 256
osd max object namespace len = 64
[client.rgw.a]
# radosgw defaults ms_mon_client_mode to "secure", which cannot work with
# auth none (fails with "get_initial_auth_request returned -13"): allow crc.
ms mon client mode = crc secure
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $C/rgw
rgw enable usage log = false
EOF
ceph-authtool --create-keyring "$C/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$C/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$C/monmap" --keyring "$C/keyring"
nohup ceph-mon -c "$CONF" -i a -f > "$C/log/mon.stdout" 2>&1 &
echo $! > "$C/mon.pid"
for _ in $(seq 1 50); do timeout 5 ceph -c "$CONF" mon stat >/dev/null 2>&1 && break; sleep 0.2; done

OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph -c "$CONF" osd new "$OSD_UUID")
mkdir -p "$C/osd/ceph-$OSD_ID"
ceph-osd -c "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" > "$C/log/osd-mkfs.log" 2>&1
nohup ceph-osd -c "$CONF" -i "$OSD_ID" -f > "$C/log/osd.stdout" 2>&1 &
echo $! > "$C/osd.pid"
for _ in $(seq 1 100); do ceph -c "$CONF" osd stat 2>/dev/null | grep -q '1 up' && break; sleep 0.2; done

nohup radosgw -c "$CONF" -n client.rgw.a -f > "$C/log/rgw.stdout" 2>&1 &
echo $! > "$C/rgw.pid"
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$RGW_PORT/" && break; sleep 0.2; done
curl -s -o /dev/null "http://127.0.0.1:$RGW_PORT/" || { echo "radosgw did not come up; see $C/log" >&2; exit 1; }

radosgw-admin -c "$CONF" user create --uid=e2e --display-name=e2e \
  --access-key="$AK" --secret="$SK" > "$C/user.json" 2>"$C/log/radosgw-admin.log"
echo "ceph-rgw up in $(python3 -c "import time;print(round(time.time()-$T0,1))")s: S3 endpoint http://127.0.0.1:$RGW_PORT access=$AK secret=$SK (pids: mon $(cat "$C/mon.pid") osd $(cat "$C/osd.pid") rgw $(cat "$C/rgw.pid"))"
