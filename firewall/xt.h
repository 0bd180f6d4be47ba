#pragma once
// Compat (x_tables) matches and targets: what iptables-nft stores as `match` /
// `target` expressions (name, revision, the kernel's info struct) and what legacy
// iptables rules say in iptables-save syntax. Both are read into the same typed
// values, which the nftables evaluator runs a VRRP advert through and which render
// the way the admin wrote them (`-m conntrack --ctstate RELATED,ESTABLISHED`).
// Pure: no kernel access.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/family.h"
#include "model/nft.h"

namespace haprep::firewall {

/// Conntrack state bits as nft's `ct state` uses them (invalid 0x01, established
/// 0x02, related 0x04, new 0x08, untracked 0x40); `-m state` and `-m conntrack
/// --ctstate` are both read into these.
struct XtConntrack {
    std::uint32_t states = 0;  ///< 0: no --ctstate/--state given
    bool invert = false;       ///< ! --ctstate
    /// Other criteria (--ctstatus, --ctproto, --ctorigsrc, ...): haprep does not decide them.
    std::vector<std::string> undecided;
    bool state_match = false;  ///< written as `-m state --state` (rendering only)
};

struct XtComment {
    std::string text;
};

/// -m multiport / -m tcp / -m udp / ... : ports, which a VRRP advert does not have
/// (iptables allows them only after -p tcp|udp|sctp|dccp): never matches.
struct XtPorts {
    std::string name;  ///< extension name
    std::string args;  ///< for rendering
};

/// -m addrtype: types are XT_ADDRTYPE_* bits (UNICAST 0x2, LOCAL 0x4, BROADCAST 0x8,
/// ANYCAST 0x10, MULTICAST 0x20, ...), 0 = not given.
struct XtAddrtype {
    std::uint16_t source = 0, dest = 0;
    bool invert_source = false, invert_dest = false;
    bool limit_iface_in = false, limit_iface_out = false;
};

struct XtMark {
    std::uint32_t mark = 0, mask = 0xffffffff;
    bool invert = false;
    bool connmark = false;  ///< -m connmark (the connection's mark; 0 for a new connection)
};

/// -m limit: average rate in packets per second times XT_LIMIT_SCALE (10000), burst.
struct XtLimit {
    std::uint32_t avg = 0, burst = 0;
};

/// -m pkttype: PACKET_HOST 0, PACKET_BROADCAST 1, PACKET_MULTICAST 2.
struct XtPkttype {
    int type = 0;
    bool invert = false;
};

/// -m iprange: inclusive ranges, addresses in text form; empty when not given.
struct XtIprange {
    std::string src_from, src_to, dst_from, dst_to;
    bool invert_src = false, invert_dst = false;
};

/// Anything else (-m recent, -m set, -m string, ...): cannot be decided for a packet.
struct XtOther {
    std::string name;
    std::string args;  ///< iptables-save arguments when known (legacy), else empty
};

using XtMatch = std::variant<XtConntrack, XtComment, XtPorts, XtAddrtype, XtMark, XtLimit, XtPkttype, XtIprange,
                             XtOther>;

/// A compat target as it affects the advert's fate.
struct XtTarget {
    enum class Effect {
        drop,      ///< REJECT (ends the packet like drop)
        accept,    ///< DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP: a NAT binding ends the nat chain
        proceed,   ///< LOG, NFLOG, MARK, CONNMARK, CT, NOTRACK, TCPMSS, CLASSIFY, DSCP, ...: rule has no verdict
        unknown,   ///< a target haprep does not know
    } effect = Effect::unknown;
    std::string name;
    std::string args;  ///< rendering (`--reject-with icmp-port-unreachable`), may be empty
    bool notrack = false;  ///< NOTRACK or CT --notrack: the packet leaves conntrack
};

/// Reads a compat match from its kernel info struct (iptables-nft) or from its
/// iptables-save arguments (legacy). Never fails: what it cannot read is XtOther.
/// `family` is the rule's (addresses in the info struct are read as that family).
XtMatch read_xt_match(const model::NftExpr& match, model::Family family);
/// The same for a compat target.
XtTarget read_xt_target(const model::NftExpr& target);

/// What a target of this name does (REJECT drops, NAT targets accept, LOG/MARK/CT/...
/// proceed, the rest unknown); parse_xt_target_args uses the same table.
XtTarget::Effect xt_target_effect(const std::string& name);

/// iptables-save syntax of a match: `-m conntrack --ctstate RELATED,ESTABLISHED`.
std::string xt_match_text(const XtMatch& match);
/// `-j REJECT --reject-with icmp-port-unreachable`.
std::string xt_target_text(const XtTarget& target);

/// A rule of a table iptables-nft wrote, the way iptables-save prints it:
/// `-A INPUT -p vrrp -m comment --comment "keepalived" -j ACCEPT`. nullopt for a rule
/// with an expression the iptables syntax cannot show.
std::optional<std::string> iptables_rule_text(const model::NftRule& rule);

/// Parses iptables-save arguments of one match (everything after `-m NAME` up to the
/// next `-m`/`-j`/`-g`), e.g. name "conntrack", args "--ctstate RELATED,ESTABLISHED".
/// Used for legacy rules; unknown extensions and options give XtOther.
XtMatch parse_xt_match_args(const std::string& name, const std::string& args);
/// The same for a target's arguments (`-j REJECT --reject-with ...`).
XtTarget parse_xt_target_args(const std::string& name, const std::string& args);

}  // namespace haprep::firewall
