#pragma once
// The nf_tables ruleset as data: what host/nft.cpp reads over netlink and what the
// VRRP evaluator (firewall/nft_eval.h) runs a packet through. Expressions are kept at
// the level the kernel runs them (registers, payload offsets, raw bytes), so a
// snapshot evaluates offline exactly as live; `text` is an nft-like rendering for
// people. Byte strings are lowercase hex.

#include <cstdint>
#include <string>
#include <vector>

namespace haprep::model {

/// One expression of a rule. Which fields mean something depends on `name`
/// ("payload", "meta", "cmp", "bitwise", "range", "lookup", "immediate", "ct", ...).
/// `limit`: data = rate and data2 = unit in seconds (decimal), len = burst, key = type
/// (0 packets, 1 bytes), flags = 1 when inverted (`over`).
struct NftExpr {
    std::string name;
    std::uint32_t dreg = 0, sreg = 0;
    std::uint32_t base = 0, offset = 0, len = 0;  ///< payload
    std::uint32_t key = 0;                          ///< meta / ct key
    std::uint32_t op = 0;                           ///< cmp / range operator
    std::uint32_t flags = 0;                        ///< lookup flags (1 = negated)
    std::int32_t verdict = 0;                       ///< immediate verdict (NF_DROP 0, NF_ACCEPT 1, NFT_JUMP -3, ...)
    std::string chain;                              ///< jump/goto target
    std::string set;                                ///< lookup set name
    std::string data, data2;                        ///< cmp data / range from+to / bitwise mask+xor; match/target: info blob
    /// Compat (x_tables) `match` / `target`: the extension's name and revision, and
    /// either its kernel info struct (`data`, hex: iptables-nft over netlink) or its
    /// iptables-save arguments (`args`: legacy rules read with iptables-legacy-save).
    std::string xt_name;
    std::uint32_t xt_rev = 0;
    std::string args;
    bool operator==(const NftExpr&) const = default;
};

/// Kernel constants the expressions use (linux/netfilter/nf_tables.h), named here
/// so model/, firewall/ and checks/ need no kernel headers.
namespace nft {
inline constexpr std::uint32_t kMetaProtocol = 1, kMetaMark = 3, kMetaIif = 4, kMetaOif = 5, kMetaIifname = 6, kMetaOifname = 7,
                               kMetaIiftype = 8, kMetaNfproto = 15, kMetaL4proto = 16, kMetaPkttype = 19;
inline constexpr std::uint32_t kCtState = 0, kCtStatus = 2;
inline constexpr std::uint32_t kPayloadNetwork = 1, kPayloadTransport = 2;
inline constexpr std::int32_t kDrop = 0, kAccept = 1, kContinue = -1, kBreak = -2, kJump = -3, kGoto = -4,
                              kReturn = -5;

/// Lowercase hex of raw bytes, and back: how Facts keep expression data.
std::string to_hex(const void* data, std::size_t len);
std::vector<unsigned char> from_hex(const std::string& hex);
}  // namespace nft

struct NftRule {
    std::string family;  ///< "ip", "ip6", "inet", "netdev", "arp", "bridge"
    std::string table, chain;
    bool legacy = false;  ///< an x_tables (iptables-legacy) rule; `text` is its iptables-save line
    std::uint64_t handle = 0;
    std::vector<NftExpr> exprs;
    std::string comment;
    std::string text;  ///< nft-like rendering, for evidence
    bool operator==(const NftRule&) const = default;
};

struct NftChain {
    std::string family, table, name;
    bool legacy = false;  ///< an x_tables (iptables-legacy) chain, not an nf_tables one
    int hook = -1;  ///< -1: a regular chain; else the hook number of its family
    int priority = 0;
    std::string policy;  ///< "accept" or "drop" (base chains)
    std::string type;    ///< "filter", "nat", "route"
    std::vector<std::string> devices;  ///< netdev / inet ingress
    bool operator==(const NftChain&) const = default;
};

struct NftElement {
    std::string key, key_end;  ///< key_end only for ranges given as start..end
    bool interval_end = false;  ///< NFT_SET_ELEM_INTERVAL_END: the first key after a range
    std::int32_t verdict = 0;   ///< verdict maps
    bool has_verdict = false;
    std::string chain;
    bool operator==(const NftElement&) const = default;
};

struct NftSet {
    std::string family, table, name;
    std::uint32_t flags = 0;  ///< ANONYMOUS 0x1, CONSTANT 0x2, INTERVAL 0x4, MAP 0x8, CONCAT 0x80
    std::uint32_t key_len = 0;
    std::vector<NftElement> elements;
    bool operator==(const NftSet&) const = default;
};

struct NftRuleset {
    std::uint32_t generation = 0;
    std::vector<NftChain> chains;
    std::vector<NftRule> rules;  ///< per chain in evaluation order
    std::vector<NftSet> sets;
    bool operator==(const NftRuleset&) const = default;
};

/// Legacy iptables (x_tables) in use: rules nftables cannot see.
struct LegacyTables {
    std::vector<std::string> ipv4;  ///< /proc/net/ip_tables_names
    std::vector<std::string> ipv6;  ///< /proc/net/ip6_tables_names
    /// What iptables-legacy-save / ip6tables-legacy-save printed (empty when no table
    /// of that family is loaded). The evaluator reads the rules from this text.
    std::string save_ipv4, save_ipv6;
    bool operator==(const LegacyTables&) const = default;
};

}  // namespace haprep::model
