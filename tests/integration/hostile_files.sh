#!/usr/bin/env bash
# Nothing a file is can crash, hang, exhaust or fool haprep. Where a file is expected,
# a directory, a FIFO, a device, an endless or oversized file is refused with its
# reason (host/files.h, read_regular_file: at most 16 MiB per file):
#  - the default keepalived.conf, sysctl.d, /etc/sysctl.conf, nftables.conf,
#    /etc/network/interfaces: an unreadable fact, the check that needs it is unknown
#    (keepalived.parse: exit 3);
#  - an include in keepalived.conf: keepalived.parse fails at the include's file:line
#    (exit 2), like a missing include;
#  - a file named on the command line (--keepalived-conf, --peer-conf, --peer-facts,
#    --facts): bad usage, exit 3, one line naming the file and the reason.
# Every run is under `timeout`, only so that a hang fails the test instead of ctest,
# and under a memory limit, so that an endless read fails it instead of the machine.
source "$(dirname "$0")/lib.sh"
require_root  # a network namespace for the probes, mknod for a device under --root

ns_with_vrrp_interface hf
ROOT="$TMP/root"

# The memory guard: ASan reserves terabytes of address space, so it gets its own.
VLIMIT=""
if [[ "$HAPREP" == *_asan ]] || { command -v ldd >/dev/null && ldd "$HAPREP" 2>/dev/null | grep -q libasan; }; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=2048:allocator_may_return_null=0"
else
    VLIMIT=2097152  # KiB: 2 GiB of address space
fi

# hp ARGS...: haprep in $NS; sets OUT, ERR, RC. A hang is a failure, not an exit code.
hp() {
    RC=0
    (
        [ -z "$VLIMIT" ] || ulimit -v "$VLIMIT"
        exec timeout -k 5 60 ip netns exec "$NS" "$HAPREP" "$@"
    ) >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then fail "haprep $* hung: killed by timeout after 60 s"; fi
}

# A fresh --root with a valid keepalived.conf (one instance on $IF) unless told not to.
fresh_root() {
    rm -rf "$ROOT"
    mkdir -p "$ROOT/etc/keepalived/conf.d" "$ROOT/etc/sysctl.d" "$ROOT/etc/network" "$ROOT/dev"
}
valid_conf() {
    cat <<CONF
vrrp_instance VI_1 {
    state BACKUP
    interface $IF
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
include $1
CONF
}

# finding CHECK STATUS TEXT: the one finding of CHECK has that status and its message
# contains TEXT. (jq -e passes on empty input: a crash with no report must not.)
finding() {
    [ -n "$OUT" ] || fail "expected $1 to be $2 with '$3'; got no report (exit $RC); stderr: $ERR"
    jq -e --arg c "$1" --arg s "$2" --arg t "$3" \
        '[.findings[] | select(.check == $c)] | length > 0 and all(.status == $s and (.message | contains($t)))' \
        >/dev/null <<<"$OUT" || fail "expected $1 to be $2 with '$3'; got: $(jq -c --arg c "$1" '[.findings[] | select(.check == $c) | {status, message}]' <<<"$OUT" 2>/dev/null || echo "$OUT") stderr: $ERR"
}

# usage EXPECT ARGS...: exit 3, nothing on stdout, one line on stderr containing EXPECT.
usage() {
    local expect=$1; shift
    hp "$@"
    expect_rc 3 "haprep $*"
    [ -z "$OUT" ] || fail "haprep $*: stdout must be empty, got: $OUT"
    [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "haprep $*: expected one line on stderr, got: $ERR"
    expect_contains "$ERR" "$expect"
}

KCONF=/etc/keepalived/keepalived.conf

# 1. keepalived.conf is a directory: not "0 vrrp_instances", unknown with the reason.
fresh_root
mkdir "$ROOT$KCONF"
hp --root "$ROOT" --only keepalived.parse check --format json
expect_rc 3 "keepalived.conf is a directory"
finding keepalived.parse unknown "$KCONF is a directory, not a regular file"
# Named on the command line: bad usage.
usage "--keepalived-conf $KCONF is a directory, not a regular file" \
    --root "$ROOT" --keepalived-conf "$KCONF" check

# 2. keepalived.conf is a FIFO (no writer: open(2) would block forever).
fresh_root
mkfifo "$ROOT$KCONF"
hp --root "$ROOT" --only keepalived.parse check --format json
expect_rc 3 "keepalived.conf is a FIFO"
finding keepalived.parse unknown "$KCONF is a FIFO, not a regular file"
usage "--keepalived-conf $KCONF is a FIFO, not a regular file" --root "$ROOT" --keepalived-conf "$KCONF" check

# 3. An include that is a FIFO: the include fails at its line, like a missing one.
fresh_root
valid_conf '/etc/keepalived/conf.d/*.conf' >"$ROOT$KCONF"
mkfifo "$ROOT/etc/keepalived/conf.d/fifo.conf"
hp --root "$ROOT" --only keepalived.parse check --format json
expect_rc 2 "an include is a FIFO"
finding keepalived.parse fail "include /etc/keepalived/conf.d/fifo.conf: is a FIFO, not a regular file"
finding keepalived.parse fail "$KCONF:11"

# 4. include /dev/zero: refused, never read until memory runs out. Under --root the
# include is ROOT/dev/zero: a real zero device there, then a symlink that points at
# itself under the root (the kernel would follow it to this machine's /dev/zero).
fresh_root
valid_conf /dev/zero >"$ROOT$KCONF"
if mknod "$ROOT/dev/zero" c 1 5 2>/dev/null; then
    hp --root "$ROOT" --only keepalived.parse check --format json
    expect_rc 2 "include /dev/zero (a device)"
    finding keepalived.parse fail "include /dev/zero: is a character device, not a regular file"
    rm "$ROOT/dev/zero"
else
    echo "$TEST_NAME: mknod is not allowed here; the device under --root is not tried"
fi
ln -s /dev/zero "$ROOT/dev/zero"
hp --root "$ROOT" --only keepalived.parse check --format json
expect_rc 2 "include /dev/zero (a symlink out of the root)"
finding keepalived.parse fail "include /dev/zero: is a symlink that does not resolve to a file (a loop, or out of --root): not followed"
# A regular file over the budget (sparse: no disk used) is refused, not truncated.
rm "$ROOT/dev/zero"
truncate -s 17M "$ROOT/etc/keepalived/huge.conf"
valid_conf /etc/keepalived/huge.conf >"$ROOT$KCONF"
hp --root "$ROOT" --only keepalived.parse check --format json
expect_rc 2 "an include over 16 MiB"
finding keepalived.parse fail "include /etc/keepalived/huge.conf: is larger than 16 MiB: not read"

# 5. sysctl.d: a FIFO, a symlink to /dev/zero (a device under the root, then a symlink
# out of it), a file over the budget: sysctl.rp_filter_boot is unknown, never pass.
boot() {
    hp --root "$ROOT" --interface "$IF" --only sysctl.rp_filter_boot check --format json
    expect_rc 3 "$1"
    finding sysctl.rp_filter_boot unknown "cannot read the boot sysctl configuration: $2"
}
fresh_root
printf 'net.ipv4.conf.all.rp_filter = 0\n' >"$ROOT/etc/sysctl.d/10-ok.conf"
mkfifo "$ROOT/etc/sysctl.d/50-fifo.conf"
boot "a sysctl.d FIFO" "/etc/sysctl.d/50-fifo.conf is a FIFO, not a regular file"
rm "$ROOT/etc/sysctl.d/50-fifo.conf"
ln -s /dev/zero "$ROOT/etc/sysctl.d/99-zero.conf"
if mknod "$ROOT/dev/zero" c 1 5 2>/dev/null; then
    boot "sysctl.d -> /dev/zero (a device)" \
        "/etc/sysctl.d/99-zero.conf (a symlink to /dev/zero) is a character device, not a regular file"
    rm "$ROOT/dev/zero"
fi
ln -s /dev/zero "$ROOT/dev/zero"
boot "sysctl.d -> /dev/zero (out of the root)" \
    "/etc/sysctl.d/99-zero.conf (a symlink to /dev/zero) is a symlink that does not resolve to a file"
rm "$ROOT/etc/sysctl.d/99-zero.conf"
truncate -s 17M "$ROOT/etc/sysctl.d/98-huge.conf"
boot "a sysctl.d file over 16 MiB" "/etc/sysctl.d/98-huge.conf is larger than 16 MiB: not read"
rm "$ROOT/etc/sysctl.d/98-huge.conf"
mkfifo "$ROOT/etc/sysctl.conf"
boot "/etc/sysctl.conf is a FIFO" "/etc/sysctl.conf is a FIFO, not a regular file"

# 6. The other configuration files, FIFOs all: the snapshot holds each as unreadable,
# with the reason (and returns).
fresh_root
for f in /etc/nftables.conf /etc/network/interfaces /etc/iptables/rules.v4 /etc/sysctl.conf "$KCONF"; do
    mkdir -p "$(dirname "$ROOT$f")"
    mkfifo "$ROOT$f"
done
hp --root "$ROOT" --interface "$IF" snapshot
expect_rc 0 "snapshot with FIFOs"
[ -n "$OUT" ] || fail "snapshot with FIFOs: no snapshot on stdout; stderr: $ERR"
expect_json '.nft_config.error == "/etc/nftables.conf is a FIFO, not a regular file"'
expect_json '.network_config.error == "/etc/network/interfaces is a FIFO, not a regular file"'
expect_json '.iptables_persistent.error == "/etc/iptables/rules.v4 is a FIFO, not a regular file"'
expect_json '.boot_sysctl.error == "/etc/sysctl.conf is a FIFO, not a regular file"'
expect_json ".keepalived.error == \"$KCONF is a FIFO, not a regular file\""
cp "$TMP/out" "$TMP/snapshot.json"

# nftables.conf unreadable: the nft.vrrp fix is runtime only, and says why (it does
# not persist into a file it could not read).
if command -v nft >/dev/null; then
    rm -f "$ROOT/etc/network/interfaces" "$ROOT/etc/iptables/rules.v4" "$ROOT$KCONF"
    in_ns "$NS" nft -f - <<'NFT'
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
    }
}
NFT
    hp --root "$ROOT" --interface "$IF" --only nft.vrrp fix --format json
    expect_rc 2 "dry run: the policy drops the adverts"
    [ -n "$OUT" ] || fail "nft.vrrp fix: no report; stderr: $ERR"
    jq -e '[.changes[] | select(.note? // "" | contains("runtime only: cannot read the nftables configuration (/etc/nftables.conf is a FIFO, not a regular file)"))] | length > 0' \
        >/dev/null <<<"$OUT" || fail "nft.vrrp fix with a FIFO nftables.conf: expected a runtime-only note; got: $OUT $ERR"
    in_ns "$NS" nft delete table inet filter
fi

# 7. Files named on the command line: exit 3, one line naming the file and the reason.
fresh_root
mkdir "$TMP/peer.d"
mkfifo "$TMP/peer.fifo" "$TMP/facts.fifo"
usage "--peer-conf $TMP/peer.d is a directory, not a regular file" --root "$ROOT" check --peer-conf "$TMP/peer.d"
usage "--peer-conf $TMP/peer.fifo is a FIFO, not a regular file" --root "$ROOT" check --peer-conf "$TMP/peer.fifo"
usage "--facts $TMP/facts.fifo is a FIFO, not a regular file" check --facts "$TMP/facts.fifo"
usage "--facts $TMP/peer.d is a directory, not a regular file" check --facts "$TMP/peer.d"
usage "--facts /dev/zero is a character device, not a regular file" check --facts /dev/zero
usage "--peer-facts $TMP/facts.fifo is a FIFO, not a regular file" \
    check --facts "$TMP/snapshot.json" --peer-facts "$TMP/facts.fifo"
truncate -s 17M "$TMP/huge.json"
usage "--facts $TMP/huge.json is larger than 16 MiB: not read" check --facts "$TMP/huge.json"

echo "PASS: $TEST_NAME"
