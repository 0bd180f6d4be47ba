#!/usr/bin/env bash
# Bad input: one clear line on stderr, exit 3, nothing on stdout, nothing changed.
source "$(dirname "$0")/lib.sh"

ROOT="$TMP/root"
mkdir -p "$ROOT/etc/sysctl.d"
printf 'net.ipv4.conf.all.rp_filter = 1\n' >"$ROOT/etc/sysctl.conf"
before=$(cd "$ROOT" && find . -printf '%p %s %T@\n' | sort)

printf '{"schema": "haprep-facts/1", "host": ' >"$TMP/truncated.json"
printf '{"schema": "something-else"}' >"$TMP/wrong-schema.json"
chmod 000 "$TMP/wrong-schema.json" 2>/dev/null || true
cp /dev/null "$TMP/empty.json"

bad() {
    local expect=$1; shift
    RC=0
    "$HAPREP" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
    expect_rc 3 "haprep $*"
    [ -z "$OUT" ] || fail "haprep $*: stdout must be empty, got: $OUT"
    [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "haprep $*: expected one line on stderr, got: $ERR"
    expect_contains "$ERR" "$expect"
}

bad "--bogus" --root "$ROOT" check --bogus
bad "A subcommand is required" --root "$ROOT"
bad "did you mean 'sysctl.rp_filter'" --root "$ROOT" check --only sysctl.rpfilter
bad "did you mean 'sysctl.rp_filter_boot'" --root "$ROOT" check --skip sysctl.rp_filter_bot
bad "--format" --root "$ROOT" check --format yaml
bad "--root $TMP/does-not-exist: not a directory" --root "$TMP/does-not-exist" check
bad "--facts $TMP/missing.json: cannot open" check --facts "$TMP/missing.json"
bad "--facts $TMP/truncated.json: not a valid snapshot" check --facts "$TMP/truncated.json"
bad "--facts $TMP/empty.json: not a valid snapshot" check --facts "$TMP/empty.json"
if [ "$(id -u)" -ne 0 ]; then
    bad "cannot open" check --facts "$TMP/wrong-schema.json"
fi
chmod 644 "$TMP/wrong-schema.json"
bad "not a haprep snapshot" check --facts "$TMP/wrong-schema.json"
bad "cannot be combined with --facts" --root "$ROOT" fix --apply --facts "$TMP/wrong-schema.json"
bad "--keepalived-conf /etc/keepalived/other.conf: no such file under --root $ROOT" \
    --root "$ROOT" check --keepalived-conf /etc/keepalived/other.conf
bad "--peer-conf $TMP/peer.conf: no such file" --root "$ROOT" check --peer-conf "$TMP/peer.conf"
bad "--peer-facts $TMP/truncated.json: not a valid snapshot" --root "$ROOT" check --peer-facts "$TMP/truncated.json"
printf '{"schema": "haprep-facts/1", "host": "b", "interfaces": {"value": []}, "vrrp_interfaces": {"names": [], "source": "x"}, "sysctl": {}, "boot_sysctl": {"error": "x"}}' >"$TMP/no-keepalived.json"
bad "--peer-facts $TMP/no-keepalived.json: the snapshot holds no keepalived configuration" \
    --root "$ROOT" check --peer-facts "$TMP/no-keepalived.json"

after=$(cd "$ROOT" && find . -printf '%p %s %T@\n' | sort)
[ "$before" = "$after" ] || fail "bad input changed the root: $before -> $after"
echo "PASS: $TEST_NAME"
