#pragma once
// The VRRP evaluator: runs one VRRP advert through every nf_tables base chain that
// would see it, the way the kernel does (netdev ingress on the device, then every
// prerouting, then every input base chain, each hook's chains in priority order
// across all tables and families). `accept` ends only the current base chain; a drop
// or reject anywhere drops the packet. Pure: it reads a NftRuleset from Facts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/facts.h"

namespace haprep::checks {

struct VrrpPacket {
    model::Family family = model::Family::ipv4;
    std::string iifname;
    int iif = 0;
    /// Text form. An empty saddr means the peer is not known: every rule that depends
    /// on the source is evaluated both ways (it is never one of `own_addresses`).
    std::string saddr, daddr;
    bool multicast = true;     ///< pkttype multicast (224.0.0.18 / ff02::12) or host (unicast)
    std::uint32_t ct_state = 0x08;  ///< conntrack state bit: new 0x08, established 0x02
    std::vector<std::string> own_addresses;  ///< this node's addresses (addrtype LOCAL; never the source)
    /// The reverse-path answer for saddr (fib saddr . iif): true when the route back
    /// leaves through iif, false when through another device, nullopt when not known.
    std::optional<bool> reverse_path_via_iif;
    /// This node's own advert on its way out (output, postrouting, netdev egress):
    /// iifname is then the interface it leaves through, saddr ours, daddr the group
    /// or the unicast peer.
    bool outbound = false;
};

/// A rate limit on the path that let the advert in (`limit rate 10/minute accept`).
struct RateLimit {
    double per_second = 0;  ///< packets per second the rule lets through on average
    std::uint32_t burst = 0;
    std::string rule;       ///< the rule, as evidence names it
    std::string family, table, chain;  ///< where that rule is
    std::uint64_t handle = 0;
};

struct NftStep {
    std::string chain;    ///< "inet filter input" (a base chain)
    std::string outcome;  ///< "accept", "drop", "indeterminate"
    std::string by;       ///< "rule 7: ip protocol vrrp drop" or "policy accept"
    std::string family, table, chain_name;
    std::uint64_t handle = 0;  ///< the deciding rule, 0 for the policy
    std::string deciding_chain;  ///< the chain holding that rule (may be a jumped-to chain)
    bool legacy = false;         ///< an iptables-legacy chain (nft cannot insert into it)
};

struct NftVerdict {
    /// source_dependent: the peer is not known and some sources are let in, others not.
    enum class Outcome { accept, drop, indeterminate, source_dependent } outcome = Outcome::accept;
    std::string decided_by;        ///< human text: the rule or policy that decided
    std::vector<NftStep> path;     ///< every base chain the packet went through
    std::vector<std::string> notes;  ///< "verdict depends on rate (limit)", ...
    /// Rules that could not be decided but lead to the same verdict either way.
    std::vector<std::string> assumed;
    std::vector<RateLimit> limits;  ///< rate limits of the rules that accepted it
    bool untracked = false;         ///< a notrack statement took it out of conntrack
};

/// The adverts this node must receive for `instance`: multicast to 224.0.0.18 /
/// ff02::12 from each peer, unicast to our address from each peer. The peers are the
/// instance's own (unicast_peer, --peer), else the matching instance of each
/// --peer-conf / --peer-facts node (its unicast_src_ip or its addresses on the
/// segment). Never this node's own address: without a known peer the one advert has
/// an unknown source (empty saddr).
std::vector<VrrpPacket> vrrp_adverts(const model::FactsView& view, const model::VrrpInstance& instance);

/// The adverts this node sends for `instance`: from its own address (IPv4: the first
/// that is not a keepalived VIP, or unicast_src_ip; IPv6: its link-local address) to
/// the group, or to each unicast peer.
std::vector<VrrpPacket> vrrp_adverts_out(const model::FactsView& view, const model::VrrpInstance& instance);

/// Runs `packet` through `ruleset`, which may also hold legacy (x_tables) chains and
/// rules (see legacy_iptables.h). A rule that cannot be decided (an unknown match,
/// an unknown source) is evaluated both ways; the verdict stands when both agree.
NftVerdict evaluate_packet(const model::NftRuleset& ruleset, const VrrpPacket& packet);

const char* to_string(NftVerdict::Outcome outcome);

/// Adverts per second this node receives on the instance's interface and family:
/// every instance there (its advert_int), from each of its peers (one when none is known).
double advert_rate(const model::Facts& facts, const model::FactsView& view, const model::VrrpInstance& instance);

/// Facts::nft plus the legacy (x_tables) chains and rules of Facts::legacy_iptables,
/// which hook in beside nftables' and are evaluated with them.
model::NftRuleset with_legacy_rules(const model::Facts& facts);
bool has_legacy_rules(const model::Facts& facts);

/// The manager that owns a chain, whose rules haprep never edits directly: "ufw"
/// (ufw-* chains and the base chains of a table that has them), "docker" (DOCKER*),
/// "kube-proxy" (KUBE-*), "firewalld" (inet firewalld); empty when none.
std::string chain_owner(const model::NftRuleset& ruleset, const std::string& family, const std::string& table,
                        const std::string& chain);

}  // namespace haprep::checks
