#pragma once
// The nf_tables ruleset over netlink (libmnl + libnftnl): chains, rules with their
// expressions, sets with their elements. Dumps are not atomic, so the generation id
// is read before and after and the read is repeated when the ruleset changed
// meanwhile. No nf_tables (module absent) or no privilege is a recorded reason.

#include "model/fact.h"
#include "model/nft.h"

namespace haprep::host {

model::Fact<model::NftRuleset> read_nft_ruleset();

/// /proc/net/ip_tables_names and ip6_tables_names: legacy iptables tables in use.
model::Fact<model::LegacyTables> read_legacy_iptables();

}  // namespace haprep::host
