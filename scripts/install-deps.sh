#!/usr/bin/env bash
# Installs the Debian 12 packages haprep needs to build and test. Idempotent: it
# runs `apt-get update` at most once and installs only what is missing.
set -euo pipefail

build_packages=(
    build-essential cmake pkg-config
    libcli11-dev libfmt-dev nlohmann-json3-dev doctest-dev libmnl-dev libnftnl-dev
    libsdbus-c++-dev
    scdoc man-db
)
# What the tests drive for real: namespaces and veth (iproute2), sysctl (procps),
# setpriv/unshare (util-linux), GNU time for the benchmark's peak RSS, keepalived
# for the end-to-end pairs (started by the tests themselves, never as a service),
# nft to load the rulesets the nftables tests evaluate, firewalld and dbus-daemon
# for the firewalld tests (each test starts its own bus and firewalld inside its
# own mount + network namespace; dbus-monitor from dbus-bin sees when a call is in flight),
# clang with libFuzzer (libclang-rt) for the keepalived.conf parser's fuzzer.
test_packages=(iproute2 procps util-linux time jq keepalived nftables dbus-daemon dbus-bin firewalld iptables ufw
    clang-14 libclang-rt-14-dev)

want=("${build_packages[@]}")
if [ "${1:-}" = "--with-tests" ]; then
    want+=("${test_packages[@]}")
fi

missing=()
for pkg in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Installing a test package must not change this machine: Debian starts and
# enables the services it installs (firewalld would firewall the host, keepalived
# would send adverts). A policy-rc.d that says 101 ("action forbidden") stops the
# start; the units that got enabled are disabled again afterwards.
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$guard"
    chmod 755 "$guard"
    trap 'rm -f "$guard"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ -d /run/systemd/system ]; then
    for unit in firewalld keepalived ufw; do
        case " ${missing[*]} " in
            *" $unit "*) systemctl disable --now "$unit" >/dev/null 2>&1 || true ;;
        esac
    done
fi
