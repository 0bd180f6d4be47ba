#pragma once
// The nf_tables ruleset over netlink (libmnl + libnftnl): chains, rules with their
// expressions, sets with their elements. Dumps are not atomic, so the generation id
// is read before and after and the read is repeated when the ruleset changed
// meanwhile. No nf_tables (module absent) makes the fact absent; no privilege makes
// it unreadable; either way with the reason.

#include "host/netlink.h"
#include "host/root.h"
#include "model/fact.h"
#include "model/facts.h"
#include "model/nft.h"

namespace haprep::host {

/// The nf_tables socket a probe run opens once and passes to read_nft_ruleset.
NetlinkSocket netfilter_socket();

/// Every request of the read (generation, chains, rules, sets, elements, generation
/// again, repeated while the ruleset changes) goes over `sock`.
model::Fact<model::NftRuleset> read_nft_ruleset(NetlinkSocket& sock);

/// NFPROTO_* of a family name ("inet" -> 1); NFPROTO_UNSPEC for an unknown one.
int nft_family_number(const std::string& name);

/// The boot-time nftables configuration under `root`: /etc/nftables.conf (Debian) or
/// /etc/sysconfig/nftables.conf (RHEL family) and the files they `include`.
model::Fact<std::vector<model::ConfigFile>> read_nft_config(const Root& root);

/// /proc/net/ip_tables_names and ip6_tables_names: legacy iptables tables in use.
model::Fact<model::LegacyTables> read_legacy_iptables();

}  // namespace haprep::host
