#!/usr/bin/env bash
# The keepalived.conf corpus (tests/data/keepalived/corpus/NN-name/) against the real
# keepalived and haprep, in one namespace holding the interfaces the cases name:
# hc0 (192.0.2.10/24, 2001:db8::10/64, a link-local) and hc1 (198.51.100.10/24), the
# two ends of one veth.
#
# For every case:
#  1. `keepalived -t` must agree with the case's `keepalived-t` line (accepted: exit 0;
#     rejected: 4, 5 or 6; inconclusive: 143, Debian 2.2.7's "Terminated" bug);
#  2. haprep's keepalived.* findings must match `expect`: every listed finding present
#     with its status (and file:line for warn/fail), no unlisted warn/fail;
#  3. haprep agrees where keepalived rejects: at least one keepalived.* warn or fail;
#     a fail where keepalived's messages are ones its VRRP process exits on (a fatal
#     config error, not one it corrects and runs on). HAPREP_CORPUS_REJECT_NEEDS_FAIL=1
#     demands a fail for every rejected case.
# `expect` lines: `CHECK SUBJECT STATUS [LINE | FILE:LINE]` (FILE relative to the
# case's etc/keepalived/; LINE alone: keepalived.conf) and `keepalived-t VERDICT`.
# HAPREP_CORPUS_CASES=GLOB runs only the matching case directories.
source "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null || skip "keepalived is not installed"

CORPUS=$(cd "$(dirname "$0")/../data/keepalived/corpus" && pwd)
CONFIG_ID=corpus
# What keepalived 2.2.7 prints before its VRRP process exits with "permanent error
# CONFIG" (checked by running each case for real); everything else it corrects.
FATAL_MESSAGES=(
    "the virtual router id must be set"
    " both use VRID "
    "Non-existent interface specified in configuration"
    "Unicast peers are not supported in strict mode"
    "Unicast instances must have unicast_src_ip or interface"
)

new_netns c NS
in_ns "$NS" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n "$NS" link add hc0 type veth peer name hc1
ip -n "$NS" addr add 192.0.2.10/24 dev hc0
ip -n "$NS" addr add 2001:db8::10/64 dev hc0 nodad
ip -n "$NS" addr add 198.51.100.10/24 dev hc1
ip -n "$NS" link set hc0 up
ip -n "$NS" link set hc1 up
link_local_ready() {
    local addrs
    addrs=$(ip -n "$NS" -6 addr show dev hc0 scope link)
    grep -q 'inet6 fe80::' <<<"$addrs" && ! grep -q tentative <<<"$addrs"
}
await "hc0's IPv6 link-local address" link_local_ready

# expected_verdict EXIT: what `keepalived -t`'s exit status means.
verdict_of() {
    case "$1" in
        0) echo accepted ;;
        4 | 5 | 6) echo rejected ;;
        143) echo inconclusive ;;
        *) echo "exit-$1" ;;
    esac
}

# The keepalived.* findings of $OUT, one per line: CHECK SUBJECT STATUS FILE:LINE
# (subjects never contain spaces in the corpus).
actual_findings() {
    jq -r '.findings[] | select(.check | startswith("keepalived."))
           | [.check, .subject, .status,
              (if .source then "\(.source.file // ""):\(.source.line // 0)" else "-" end)]
           | join(" ")' <<<"$OUT"
}

# location_matches WANT GOT: WANT is LINE or FILE:LINE, GOT is HOSTPATH:LINE.
location_matches() {
    local want=$1 got=$2 file line
    if [[ $want == *:* ]]; then file=${want%:*}; line=${want##*:}; else file=keepalived.conf; line=$want; fi
    [ "${got##*:}" = "$line" ] && [[ ${got%:*} == */etc/keepalived/$file ]]
}

FAILED=()
CASES=0
for dir in "$CORPUS"/${HAPREP_CORPUS_CASES:-*}/; do
    dir=${dir%/}
    name=$(basename "$dir")
    [ -f "$dir/expect" ] || fail "$name: no expect file"
    CASES=$((CASES + 1))
    problems=()

    # 1. keepalived -t. timeout gives it its own process group, so the 2.2.7 bug that
    # terminates its group cannot take this script with it.
    want_verdict=$(awk '$1 == "keepalived-t" { print $2 }' "$dir/expect")
    [ -n "$want_verdict" ] || problems+=("expect has no keepalived-t line")
    KRC=0
    KERR=$(in_ns "$NS" timeout 60 keepalived -t -f "$dir/etc/keepalived/keepalived.conf" -i "$CONFIG_ID" 2>&1) || KRC=$?
    got_verdict=$(verdict_of "$KRC")
    [ "$got_verdict" = "$want_verdict" ] ||
        problems+=("keepalived -t: expected $want_verdict, got $got_verdict (exit $KRC)")

    # 2. haprep's findings against expect.
    run_haprep "$NS" check --root "$dir" --config-id "$CONFIG_ID" --format json
    if ! jq -e '.findings' >/dev/null 2>&1 <<<"$OUT"; then
        problems+=("haprep printed no JSON report (exit $RC): $ERR")
        actual=""
    else
        actual=$(actual_findings)
    fi
    expected=$(awk '$1 != "keepalived-t" && NF > 0 && $1 !~ /^#/' "$dir/expect")
    while read -r check subject status where; do
        [ -n "$check" ] || continue
        found=no
        while read -r a_check a_subject a_status a_where; do
            [ "$a_check $a_subject $a_status" = "$check $subject $status" ] || continue
            if [ -n "$where" ] && ! location_matches "$where" "$a_where"; then
                found="at $a_where"
                continue
            fi
            found=yes
            break
        done <<<"$actual"
        case "$found" in
            yes) ;;
            no) problems+=("missing: $check $subject $status${where:+ $where}") ;;
            *) problems+=("wrong place: $check $subject $status: expected ${where}, got ${found#at }") ;;
        esac
    done <<<"$expected"
    while read -r a_check a_subject a_status a_where; do
        case "$a_status" in warn | fail) ;; *) continue ;; esac
        awk -v c="$a_check" -v s="$a_subject" -v t="$a_status" \
            '$1 == c && $2 == s && $3 == t { found = 1 } END { exit !found }' <<<"$expected" ||
            problems+=("unexpected: $a_check $a_subject $a_status $a_where")
    done <<<"$actual"

    # 3. Where keepalived rejects, haprep must object too.
    if [ "$got_verdict" = rejected ]; then
        fatal=""
        for message in "${FATAL_MESSAGES[@]}"; do
            grep -qF -- "$message" <<<"$KERR" && fatal=$message && break
        done
        if [ -n "$fatal" ] || [ "${HAPREP_CORPUS_REJECT_NEEDS_FAIL:-0}" = 1 ]; then
            grep -q '^keepalived\.[^ ]* [^ ]* fail ' <<<"$actual" ||
                problems+=("keepalived rejects (${fatal:-exit $KRC}) but haprep reports no keepalived.* fail")
        else
            grep -qE '^keepalived\.[^ ]* [^ ]* (warn|fail) ' <<<"$actual" ||
                problems+=("keepalived rejects (exit $KRC) but haprep reports no keepalived.* warn or fail")
        fi
    fi

    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok   $name"
        continue
    fi
    FAILED+=("$name")
    echo "FAIL $name"
    printf '       %s\n' "${problems[@]}"
    echo "     expected:"
    sed 's/^/       /' <<<"${expected:-(none)}"
    echo "     haprep (keepalived.*):"
    sed 's/^/       /' <<<"${actual:-(none)}"
    echo "     keepalived -t (exit $KRC):"
    grep -v '^$' <<<"${KERR:-}" | head -n 5 | sed 's/^/       /' || true
done

[ "$CASES" -gt 0 ] || fail "no corpus cases matched ${HAPREP_CORPUS_CASES:-*}"
if [ ${#FAILED[@]} -gt 0 ]; then
    fail "${#FAILED[@]} of $CASES cases disagree: ${FAILED[*]}"
fi
echo "PASS: $TEST_NAME ($CASES cases)"
