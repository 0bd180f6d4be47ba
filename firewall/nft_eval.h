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

#include "firewall/vrrp_packet.h"
#include "model/nft.h"

namespace haprep::firewall {

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

/// Runs `packet` through `ruleset`, which may also hold legacy (x_tables) chains and
/// rules (see legacy_iptables.h). A rule that cannot be decided (an unknown match,
/// an unknown source) is evaluated both ways; the verdict stands when both agree.
NftVerdict evaluate_packet(const model::NftRuleset& ruleset, const VrrpPacket& packet);

const char* to_string(NftVerdict::Outcome outcome);

/// The manager that owns a chain, whose rules haprep never edits directly: "ufw"
/// (ufw-* chains and the base chains of a table that has them), "docker" (DOCKER*),
/// "kube-proxy" (KUBE-*), "firewalld" (inet firewalld); empty when none.
std::string chain_owner(const model::NftRuleset& ruleset, const std::string& family, const std::string& table,
                        const std::string& chain);

}  // namespace haprep::firewall
