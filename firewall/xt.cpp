// Reading compat (x_tables) matches and targets from the kernel's info structs
// (iptables-nft rules read over netlink), and rendering them in iptables-save
// syntax. The structs are the kernel's UAPI (linux/netfilter/xt_*.h): their layout is
// part of the kernel ABI, so a snapshot decodes alike on any host of the same
// architecture. A blob shorter than its struct is never read past: it becomes
// XtOther, which the evaluator treats as undecidable.

#include "firewall/xt.h"

#include "model/nft_text.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/xt_CT.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_connmark.h>
#include <linux/netfilter/xt_iprange.h>
#include <linux/netfilter/xt_limit.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_pkttype.h>
#include <linux/netfilter/xt_state.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <fmt/format.h>

namespace haprep::firewall {

namespace {

using Bytes = std::vector<unsigned char>;

/// A copy of the info struct when the blob holds all of it.
template <class T>
std::optional<T> info_as(const Bytes& blob) {
    if (blob.size() < sizeof(T)) return std::nullopt;
    T value;
    std::memcpy(&value, blob.data(), sizeof(T));
    return value;
}

// Conntrack bits of -m state / -m conntrack (XT_STATE_BIT(ctinfo) = 1 << (ctinfo + 1)
// for ESTABLISHED 0, RELATED 1, NEW 2; INVALID 1 << 0) coincide with nft's for those
// four; only the "untracked" (and SNAT/DNAT) bits differ.
constexpr std::uint32_t kInvalid = 0x01, kEstablished = 0x02, kRelated = 0x04, kNew = 0x08, kUntracked = 0x40;
constexpr std::uint32_t kXtStateUntracked = 1U << 6;  // XT_STATE_UNTRACKED (IP_CT_NUMBER = 5)
constexpr std::uint32_t kXtCtSnat = 1U << 6, kXtCtDnat = 1U << 7, kXtCtUntracked = 1U << 8;

std::string address_text(const nf_inet_addr& address, model::Family family) {
    char text[INET6_ADDRSTRLEN] = {};
    if (family == model::Family::ipv4) ::inet_ntop(AF_INET, &address.in, text, sizeof text);
    else ::inet_ntop(AF_INET6, &address.in6, text, sizeof text);
    return text;
}

XtMatch conntrack_from(std::uint16_t match_flags, std::uint16_t invert_flags, std::uint16_t state_mask) {
    XtConntrack c;
    c.state_match = (match_flags & XT_CONNTRACK_STATE_ALIAS) != 0;
    if (match_flags & XT_CONNTRACK_STATE) {
        c.states = state_mask & (kInvalid | kEstablished | kRelated | kNew);
        if (state_mask & kXtCtUntracked) c.states |= kUntracked;
        if (state_mask & kXtCtSnat) c.undecided.push_back("--ctstate SNAT");
        if (state_mask & kXtCtDnat) c.undecided.push_back("--ctstate DNAT");
        c.invert = (invert_flags & XT_CONNTRACK_STATE) != 0;
    }
    static constexpr std::pair<std::uint16_t, const char*> kOthers[] = {
        {XT_CONNTRACK_PROTO, "--ctproto"},         {XT_CONNTRACK_ORIGSRC, "--ctorigsrc"},
        {XT_CONNTRACK_ORIGDST, "--ctorigdst"},     {XT_CONNTRACK_REPLSRC, "--ctreplsrc"},
        {XT_CONNTRACK_REPLDST, "--ctrepldst"},     {XT_CONNTRACK_STATUS, "--ctstatus"},
        {XT_CONNTRACK_EXPIRES, "--ctexpire"},      {XT_CONNTRACK_ORIGSRC_PORT, "--ctorigsrcport"},
        {XT_CONNTRACK_ORIGDST_PORT, "--ctorigdstport"}, {XT_CONNTRACK_REPLSRC_PORT, "--ctreplsrcport"},
        {XT_CONNTRACK_REPLDST_PORT, "--ctrepldstport"}, {XT_CONNTRACK_DIRECTION, "--ctdir"}};
    for (const auto& [bit, option] : kOthers)
        if (match_flags & bit) c.undecided.emplace_back(option);
    return c;
}

XtMatch decode_conntrack(const Bytes& blob, std::uint32_t rev) {
    // Revisions 1..3 share the layout up to the flags; 1 has 8-bit state masks.
    if (rev == 1) {
        if (auto i = info_as<xt_conntrack_mtinfo1>(blob)) return conntrack_from(i->match_flags, i->invert_flags, i->state_mask);
    } else if (rev == 2) {
        if (auto i = info_as<xt_conntrack_mtinfo2>(blob)) return conntrack_from(i->match_flags, i->invert_flags, i->state_mask);
    } else if (rev == 3) {
        if (auto i = info_as<xt_conntrack_mtinfo3>(blob)) return conntrack_from(i->match_flags, i->invert_flags, i->state_mask);
    }
    return XtOther{"conntrack", ""};
}

XtMatch decode_state(const Bytes& blob) {
    auto i = info_as<xt_state_info>(blob);
    if (!i) return XtOther{"state", ""};
    XtConntrack c;
    c.state_match = true;
    c.states = i->statemask & (kInvalid | kEstablished | kRelated | kNew);
    if (i->statemask & kXtStateUntracked) c.states |= kUntracked;
    return c;
}

XtMatch decode(const std::string& name, std::uint32_t rev, const Bytes& blob, model::Family family) {
    if (name == "conntrack") return decode_conntrack(blob, rev);
    if (name == "state") return decode_state(blob);
    if (name == "comment") {
        if (auto i = info_as<xt_comment_info>(blob)) return XtComment{std::string(i->comment, strnlen(i->comment, sizeof i->comment))};
    } else if (name == "multiport" || name == "tcp" || name == "udp" || name == "sctp" || name == "dccp" ||
               name == "udplite" || name == "icmp" || name == "icmp6") {
        return XtPorts{name, ""};
    } else if (name == "addrtype") {
        if (rev == 1) {
            if (auto i = info_as<xt_addrtype_info_v1>(blob))
                return XtAddrtype{i->source, i->dest, (i->flags & XT_ADDRTYPE_INVERT_SOURCE) != 0,
                                  (i->flags & XT_ADDRTYPE_INVERT_DEST) != 0, (i->flags & XT_ADDRTYPE_LIMIT_IFACE_IN) != 0,
                                  (i->flags & XT_ADDRTYPE_LIMIT_IFACE_OUT) != 0};
        } else if (auto i = info_as<xt_addrtype_info>(blob)) {
            return XtAddrtype{i->source, i->dest, i->invert_source != 0, i->invert_dest != 0, false, false};
        }
    } else if (name == "mark" && rev == 1) {
        if (auto i = info_as<xt_mark_mtinfo1>(blob)) return XtMark{i->mark, i->mask, i->invert != 0, false};
    } else if (name == "connmark" && rev == 1) {
        if (auto i = info_as<xt_connmark_mtinfo1>(blob)) return XtMark{i->mark, i->mask, i->invert != 0, true};
    } else if (name == "limit") {
        // Only avg and burst are read: the rest of xt_rateinfo is kernel-private state.
        if (blob.size() >= 8) {
            XtLimit l;
            std::memcpy(&l.avg, blob.data(), 4);
            std::memcpy(&l.burst, blob.data() + 4, 4);
            return l;
        }
    } else if (name == "pkttype") {
        if (auto i = info_as<xt_pkttype_info>(blob)) return XtPkttype{i->pkttype, i->invert != 0};
    } else if (name == "iprange" && rev == 1) {
        if (auto i = info_as<xt_iprange_mtinfo>(blob)) {
            XtIprange r;
            if (i->flags & IPRANGE_SRC) r.src_from = address_text(i->src_min, family), r.src_to = address_text(i->src_max, family);
            if (i->flags & IPRANGE_DST) r.dst_from = address_text(i->dst_min, family), r.dst_to = address_text(i->dst_max, family);
            r.invert_src = (i->flags & IPRANGE_SRC_INV) != 0;
            r.invert_dst = (i->flags & IPRANGE_DST_INV) != 0;
            return r;
        }
    }
    return XtOther{name, ""};
}

/// Targets by what they do to the advert's fate.
XtTarget::Effect target_effect(const std::string& name) {
    static constexpr const char* kDrop[] = {"REJECT"};
    static constexpr const char* kAccept[] = {"DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP"};
    static constexpr const char* kProceed[] = {"LOG",     "NFLOG", "ULOG",  "MARK",     "CONNMARK", "CT",
                                               "NOTRACK", "TCPMSS", "CLASSIFY", "DSCP", "TOS",     "CHECKSUM",
                                               "TTL",     "HL",    "SET",   "AUDIT",    "TRACE",    "CONNSECMARK",
                                               "SECMARK", "IDLETIMER", "LED", "RATEEST"};
    for (const char* n : kDrop)
        if (name == n) return XtTarget::Effect::drop;
    for (const char* n : kAccept)
        if (name == n) return XtTarget::Effect::accept;
    for (const char* n : kProceed)
        if (name == n) return XtTarget::Effect::proceed;
    return XtTarget::Effect::unknown;
}

std::string states_text(std::uint32_t states, const std::vector<std::string>& undecided) {
    static constexpr std::pair<std::uint32_t, const char*> kNames[] = {
        {kInvalid, "INVALID"}, {kNew, "NEW"}, {kRelated, "RELATED"}, {kEstablished, "ESTABLISHED"}, {kUntracked, "UNTRACKED"}};
    std::string text;
    for (const auto& [bit, name] : kNames)
        if (states & bit) text += (text.empty() ? "" : ",") + std::string(name);
    for (const auto& u : undecided)
        if (u.rfind("--ctstate ", 0) == 0) text += (text.empty() ? "" : ",") + u.substr(10);
    return text;
}

std::string addrtypes_text(std::uint16_t types) {
    static constexpr const char* kNames[] = {"UNSPEC", "UNICAST", "LOCAL",       "BROADCAST", "ANYCAST", "MULTICAST",
                                             "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"};
    std::string text;
    for (unsigned bit = 0; bit < std::size(kNames); ++bit)
        if (types & (1U << bit)) text += (text.empty() ? "" : ",") + std::string(kNames[bit]);
    return text;
}

std::string rate_text(std::uint32_t avg) {
    // avg is seconds per packet x 10000 (XT_LIMIT_SCALE); iptables prints the largest
    // unit that gives a whole rate.
    if (avg == 0) return "0/sec";
    static constexpr std::pair<std::uint64_t, const char*> kUnits[] = {
        {86400ULL * XT_LIMIT_SCALE, "day"}, {3600ULL * XT_LIMIT_SCALE, "hour"}, {60ULL * XT_LIMIT_SCALE, "min"}, {XT_LIMIT_SCALE, "sec"}};
    for (const auto& [scale, unit] : kUnits)
        if (avg <= scale && scale % avg == 0) return fmt::format("{}/{}", scale / avg, unit);
    return fmt::format("{:.4g}/sec", static_cast<double>(XT_LIMIT_SCALE) / avg);
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct TextOf {
    std::string operator()(const XtConntrack& c) const {
        std::string text = c.state_match ? "-m state" : "-m conntrack";
        if (c.states != 0 || !c.undecided.empty()) {
            const std::string states = states_text(c.states, c.undecided);
            if (!states.empty()) text += std::string(c.invert ? " !" : "") + (c.state_match ? " --state " : " --ctstate ") + states;
        }
        for (const auto& u : c.undecided)
            if (u.rfind("--ctstate ", 0) != 0) text += " " + u + " ...";
        return text;
    }
    std::string operator()(const XtComment& c) const { return "-m comment --comment " + quoted(c.text); }
    std::string operator()(const XtPorts& p) const { return "-m " + p.name + (p.args.empty() ? "" : " " + p.args); }
    std::string operator()(const XtAddrtype& a) const {
        std::string text = "-m addrtype";
        if (a.source) text += std::string(a.invert_source ? " !" : "") + " --src-type " + addrtypes_text(a.source);
        if (a.dest) text += std::string(a.invert_dest ? " !" : "") + " --dst-type " + addrtypes_text(a.dest);
        if (a.limit_iface_in) text += " --limit-iface-in";
        if (a.limit_iface_out) text += " --limit-iface-out";
        return text;
    }
    std::string operator()(const XtMark& m) const {
        std::string text = std::string(m.connmark ? "-m connmark" : "-m mark") + (m.invert ? " !" : "") +
                           fmt::format(" --mark 0x{:x}", m.mark);
        if (m.mask != 0xffffffff) text += fmt::format("/0x{:x}", m.mask);
        return text;
    }
    std::string operator()(const XtLimit& l) const {
        return "-m limit --limit " + rate_text(l.avg) + fmt::format(" --limit-burst {}", l.burst);
    }
    std::string operator()(const XtPkttype& p) const {
        static constexpr const char* kNames[] = {"unicast", "broadcast", "multicast"};
        const std::string type = p.type >= 0 && p.type < 3 ? kNames[p.type] : std::to_string(p.type);
        return std::string("-m pkttype") + (p.invert ? " !" : "") + " --pkt-type " + type;
    }
    std::string operator()(const XtIprange& r) const {
        std::string text = "-m iprange";
        if (!r.src_from.empty()) text += std::string(r.invert_src ? " !" : "") + " --src-range " + r.src_from + "-" + r.src_to;
        if (!r.dst_from.empty()) text += std::string(r.invert_dst ? " !" : "") + " --dst-range " + r.dst_from + "-" + r.dst_to;
        return text;
    }
    std::string operator()(const XtOther& o) const { return "-m " + o.name + (o.args.empty() ? "" : " " + o.args); }
};

}  // namespace

XtMatch read_xt_match(const model::NftExpr& match, model::Family family) {
    if (!match.args.empty() || match.data.empty()) return parse_xt_match_args(match.xt_name, match.args);
    return decode(match.xt_name, match.xt_rev, model::nft::from_hex(match.data), family);
}

XtTarget read_xt_target(const model::NftExpr& target) {
    if (!target.args.empty() || target.data.empty()) return parse_xt_target_args(target.xt_name, target.args);
    XtTarget t;
    t.name = target.xt_name;
    t.effect = target_effect(t.name);
    const Bytes blob = model::nft::from_hex(target.data);
    if (t.name == "NOTRACK") t.notrack = true;
    if (t.name == "CT" && blob.size() >= 2) {
        std::uint16_t flags = 0;
        std::memcpy(&flags, blob.data(), 2);
        t.notrack = (flags & XT_CT_NOTRACK) != 0;
        if (t.notrack) t.args = "--notrack";
    }
    return t;
}

std::string xt_match_text(const XtMatch& match) { return std::visit(TextOf{}, match); }

std::string xt_target_text(const XtTarget& target) {
    return "-j " + target.name + (target.args.empty() ? "" : " " + target.args);
}

XtTarget::Effect xt_target_effect(const std::string& name) { return target_effect(name); }

namespace {

std::string protocol_name(unsigned number) {
    switch (number) {
        case 1: return "icmp";
        case 6: return "tcp";
        case 17: return "udp";
        case 58: return "ipv6-icmp";
        case 112: return "vrrp";
    }
    return std::to_string(number);
}

int prefix_of(const Bytes& mask) {
    int bits = 0;
    bool ended = false;
    for (unsigned char b : mask)
        for (int i = 7; i >= 0; --i) {
            const bool set = (b >> i) & 1;
            if (set && ended) return -1;
            if (set) ++bits;
            else ended = true;
        }
    return bits;
}

/// `-j ACCEPT` ... `-g CHAIN` for a verdict iptables has; nullopt for any other.
std::optional<std::string> verdict_option(const model::NftExpr& e) {
    using namespace model::nft;
    switch (e.verdict) {
        case kAccept: return " -j ACCEPT";
        case kDrop: return " -j DROP";
        case kReturn: return " -j RETURN";
        case kJump: return " -j " + e.chain;
        case kGoto: return " -g " + e.chain;
    }
    return std::nullopt;
}

/// nft's packet `limit rate` as iptables' limit match; nullopt for a unit it lacks.
std::optional<std::string> limit_option(const model::NftExpr& e) {
    std::uint64_t rate = 0, unit = 0;
    std::from_chars(e.data.data(), e.data.data() + e.data.size(), rate);
    std::from_chars(e.data2.data(), e.data2.data() + e.data2.size(), unit);
    static constexpr std::pair<std::uint64_t, const char*> kUnits[] = {{1, "sec"}, {60, "min"}, {3600, "hour"}, {86400, "day"}};
    const auto u = std::find_if(std::begin(kUnits), std::end(kUnits), [&](const auto& k) { return k.first == unit; });
    if (u == std::end(kUnits)) return std::nullopt;
    return fmt::format(" -m limit --limit {}/{} --limit-burst {}", rate, u->second, e.len);
}

/// `-s ADDR/PREFIX` (or -d) from a compared address and the mask on its register;
/// nullopt for a mask that is no prefix.
std::optional<std::string> address_option(bool source, const Bytes& data, const Bytes* mask, model::Family family) {
    Bytes address(family == model::Family::ipv4 ? 4 : 16, 0);
    std::copy_n(data.begin(), std::min(data.size(), address.size()), address.begin());
    char buffer[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(family == model::Family::ipv4 ? AF_INET : AF_INET6, address.data(), buffer, sizeof buffer);
    const int prefix = mask ? prefix_of(*mask) : static_cast<int>(data.size() * 8);
    if (prefix < 0) return std::nullopt;
    return std::string(source ? " -s " : " -d ") + buffer + "/" + std::to_string(prefix);
}

/// `-i eth0` (or -o); a name compared without its NUL is a prefix: `eth+`.
std::string interface_option(bool in, const Bytes& data) {
    const auto nul = std::find(data.begin(), data.end(), 0);
    std::string name(data.begin(), nul);
    if (nul == data.end()) name += "+";
    return (in ? " -i " : " -o ") + name;
}

}  // namespace

std::optional<std::string> iptables_rule_text(const model::NftRule& rule) {
    using namespace model::nft;
    const model::Family family = rule.family == "ip6" ? model::Family::ipv6 : model::Family::ipv4;
    enum class Field { none, l4proto, saddr, daddr, iifname, oifname };
    std::map<int, Field> fields;
    std::map<int, Bytes> masks;
    // iptables-save's order: -s, -d, -i, -o, -p, then the matches, then the target.
    enum Part { kSource, kDest, kIn, kOut, kProto, kMatches, kTarget, kParts };
    std::string parts[kParts];
    for (const auto& e : rule.exprs) {
        const int dreg = model::nft_register_slot(e.dreg), sreg = model::nft_register_slot(e.sreg);
        if (e.name == "meta" && e.dreg != 0) {
            fields[dreg] = e.key == kMetaL4proto ? Field::l4proto : e.key == kMetaIifname ? Field::iifname
                           : e.key == kMetaOifname ? Field::oifname : Field::none;
            masks.erase(dreg);
        } else if (e.name == "payload" && e.dreg != 0 && e.base == kPayloadNetwork) {
            const bool v4 = family == model::Family::ipv4;
            fields[dreg] = e.offset == (v4 ? 12U : 8U) ? Field::saddr : e.offset == (v4 ? 16U : 24U) ? Field::daddr : Field::none;
            masks.erase(dreg);
        } else if (e.name == "bitwise") {
            fields[dreg] = fields.count(sreg) ? fields[sreg] : Field::none;
            masks[dreg] = from_hex(e.data);
        } else if (e.name == "cmp") {
            const Field field = fields.count(sreg) ? fields[sreg] : Field::none;
            const Bytes data = from_hex(e.data);
            const std::string bang = e.op == 1 ? " !" : "";
            if (field == Field::none || data.empty() || (e.op != 0 && e.op != 1)) return std::nullopt;
            if (field == Field::l4proto) {
                parts[kProto] += bang + " -p " + protocol_name(data[0]);
            } else if (field == Field::iifname || field == Field::oifname) {
                parts[field == Field::iifname ? kIn : kOut] += bang + interface_option(field == Field::iifname, data);
            } else {
                const auto address = address_option(field == Field::saddr, data, masks.count(sreg) ? &masks[sreg] : nullptr, family);
                if (!address) return std::nullopt;
                parts[field == Field::saddr ? kSource : kDest] += bang + *address;
            }
        } else if (e.name == "match") {
            parts[kMatches] += " " + xt_match_text(read_xt_match(e, family));
        } else if (e.name == "target") {
            parts[kTarget] += " " + xt_target_text(read_xt_target(e));
        } else if (e.name == "immediate" && e.dreg == 0) {
            const auto verdict = verdict_option(e);
            if (!verdict) return std::nullopt;
            parts[kTarget] += *verdict;
        } else if (e.name == "limit" && e.key == 0 && e.flags == 0) {  // packets, not `over`
            const auto limit = limit_option(e);
            if (!limit) return std::nullopt;
            parts[kMatches] += *limit;
        } else if (e.name != "counter") {
            return std::nullopt;
        }
    }
    std::string text = "-A " + rule.chain;
    for (const auto& part : parts) text += part;
    return text;
}

}  // namespace haprep::firewall
