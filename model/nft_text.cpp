#include "model/nft_text.h"

#include <charconv>

#include <algorithm>
#include <map>
#include <vector>

#include "model/ip.h"

namespace haprep::model {

namespace {

using namespace nft;

std::vector<unsigned char> bytes(const std::string& hex) { return from_hex(hex); }

enum class Kind { raw, address4, address6, protocol, ifname, number, port, nfproto, ethertype, ctstate, fib_oif };

struct Field {
    std::string label;
    Kind kind = Kind::raw;
};

std::string protocol_name(unsigned value) {
    static const std::map<unsigned, std::string> names = {{1, "icmp"}, {2, "igmp"}, {6, "tcp"}, {17, "udp"},
                                                          {50, "esp"}, {58, "ipv6-icmp"}, {112, "vrrp"}, {132, "sctp"}};
    auto it = names.find(value);
    return it == names.end() ? std::to_string(value) : it->second;
}

std::string ct_states(std::uint32_t bits) {
    static const std::pair<std::uint32_t, const char*> names[] = {
        {0x01, "invalid"}, {0x02, "established"}, {0x04, "related"}, {0x08, "new"}, {0x40, "untracked"}};
    std::string text;
    for (const auto& [bit, name] : names)
        if (bits & bit) text += (text.empty() ? "" : ",") + std::string(name);
    return text.empty() ? "0x0" : text;
}

std::uint32_t host_u32(const std::vector<unsigned char>& b) {
    std::uint32_t v = 0;
    for (size_t i = 0; i < b.size() && i < 4; ++i) v |= static_cast<std::uint32_t>(b[i]) << (8 * i);
    return v;
}

/// `fib saddr . mark . iif oif`: the lookup's keys (NFTA_FIB_F_*) and its result.
Field fib_field(const NftExpr& e) {
    static const std::pair<std::uint32_t, const char*> keys[] = {
        {1 << 0, "saddr"}, {1 << 1, "daddr"}, {1 << 2, "mark"}, {1 << 3, "iif"}, {1 << 4, "oif"}};
    std::string label = "fib";
    const char* separator = " ";
    for (const auto& [bit, name] : keys) {
        if (!(e.flags & bit)) continue;
        label += separator;
        label += name;
        separator = " . ";
    }
    switch (e.key) {
        case 1: return {label + " oif", Kind::fib_oif};
        case 2: return {label + " oifname", Kind::ifname};
        case 3: return {label + " type", Kind::number};
    }
    return {label + " result " + std::to_string(e.key), Kind::raw};
}

std::string value_text(const Field& field, const std::string& hex) {
    const auto b = bytes(hex);
    switch (field.kind) {
        case Kind::address4:
            if (b.size() == 4) return IpAddress::from_bytes(b)->text();
            break;
        case Kind::address6:
            if (b.size() == 16) return IpAddress::from_bytes(b)->text();
            break;
        case Kind::protocol:
            if (b.size() == 1) return protocol_name(b[0]);
            break;
        case Kind::ifname: {
            std::string name;
            for (auto c : b) {
                if (c == 0) return "\"" + name + "\"";
                name += static_cast<char>(c);
            }
            return "\"" + name + "*\"";  // compared as a prefix: a wildcard
        }
        case Kind::ethertype:
            if (b.size() == 2 && b[0] == 0x08 && b[1] == 0x00) return "ip";
            if (b.size() == 2 && b[0] == 0x86 && b[1] == 0xdd) return "ip6";
            break;
        case Kind::nfproto:
            if (b.size() == 1) return b[0] == 2 ? "ipv4" : b[0] == 10 ? "ipv6" : std::to_string(b[0]);
            break;
        case Kind::number: return std::to_string(host_u32(b));
        case Kind::port: return b.size() == 2 ? std::to_string(b[0] << 8 | b[1]) : "0x" + hex;
        case Kind::ctstate: return ct_states(host_u32(b));
        case Kind::fib_oif: return host_u32(b) == 0 ? "missing" : std::to_string(host_u32(b));
        case Kind::raw: break;
    }
    return "0x" + hex;
}

/// The big-endian hex number one below `hex` (the last key of a range).
std::string minus_one(std::string hex) {
    for (size_t i = hex.size(); i-- > 0;) {
        if (hex[i] != '0') {
            hex[i] = hex[i] == 'a' ? '9' : static_cast<char>(hex[i] - 1);
            break;
        }
        hex[i] = 'f';
    }
    return hex;
}

/// A mask of leading one bits: its prefix length, else -1.
int prefix_length(const std::vector<unsigned char>& mask) {
    int length = 0;
    bool ended = false;
    for (auto byte : mask)
        for (int bit = 7; bit >= 0; --bit) {
            const bool one = (byte >> bit) & 1;
            if (one && ended) return -1;
            if (one) ++length;
            else ended = true;
        }
    return length;
}

const char* cmp_op(std::uint32_t op) {
    static const char* ops[] = {"", "!= ", "< ", "<= ", "> ", ">= "};
    return op < 6 ? ops[op] : "?? ";
}

std::string verdict_text(std::int32_t verdict, const std::string& chain) {
    switch (verdict) {
        case 0: return "drop";
        case 1: return "accept";
        case -1: return "continue";
        case -2: return "break";
        case -3: return "jump " + chain;
        case -4: return "goto " + chain;
        case -5: return "return";
    }
    return "verdict " + std::to_string(verdict);
}

Field payload_field(const NftExpr& e, const std::string& l3, const std::string& l4) {
    if (e.base == kPayloadTransport && (l4 == "tcp" || l4 == "udp" || l4 == "sctp") && e.len == 2) {
        if (e.offset == 0) return {l4 + " sport", Kind::port};
        if (e.offset == 2) return {l4 + " dport", Kind::port};
    }
    if (e.base == kPayloadNetwork) {
        if (l3 == "ip") {
            if (e.offset == 9 && e.len == 1) return {"ip protocol", Kind::protocol};
            if (e.offset == 12 && e.len == 4) return {"ip saddr", Kind::address4};
            if (e.offset == 16 && e.len == 4) return {"ip daddr", Kind::address4};
            if (e.offset == 8 && e.len == 1) return {"ip ttl", Kind::number};
        } else if (l3 == "ip6") {
            if (e.offset == 6 && e.len == 1) return {"ip6 nexthdr", Kind::protocol};
            if (e.offset == 8 && e.len == 16) return {"ip6 saddr", Kind::address6};
            if (e.offset == 24 && e.len == 16) return {"ip6 daddr", Kind::address6};
            if (e.offset == 7 && e.len == 1) return {"ip6 hoplimit", Kind::number};
        }
    }
    static const char* bases[] = {"ll", "nh", "th", "ih"};
    return {"@" + std::string(e.base < 4 ? bases[e.base] : "?") + "," + std::to_string(e.offset * 8) + "," +
                std::to_string(e.len * 8),
            Kind::raw};
}

Field meta_field(std::uint32_t key) {
    switch (key) {
        case kMetaProtocol: return {"meta protocol", Kind::ethertype};
        case kMetaMark: return {"meta mark", Kind::number};
        case kMetaIif: return {"iif", Kind::number};
        case kMetaIifname: return {"iifname", Kind::ifname};
        case kMetaOif: return {"oif", Kind::number};
        case kMetaOifname: return {"oifname", Kind::ifname};
        case kMetaIiftype: return {"iiftype", Kind::number};
        case kMetaNfproto: return {"meta nfproto", Kind::nfproto};
        case kMetaL4proto: return {"meta l4proto", Kind::protocol};
        case kMetaPkttype: return {"meta pkttype", Kind::number};
    }
    return {"meta key " + std::to_string(key), Kind::raw};
}

/// `limit rate [over] 10/minute [burst 20 packets]`, as nft prints it (a packet burst
/// of 5 is its default and not shown).
std::string limit_text(const NftExpr& e) {
    std::uint64_t rate = 0, unit = 0;
    std::from_chars(e.data.data(), e.data.data() + e.data.size(), rate);
    std::from_chars(e.data2.data(), e.data2.data() + e.data2.size(), unit);
    static constexpr std::pair<std::uint64_t, const char*> kUnits[] = {
        {1, "second"}, {60, "minute"}, {3600, "hour"}, {86400, "day"}, {604800, "week"}};
    std::string unit_name = std::to_string(unit) + " seconds";
    for (const auto& [seconds, name] : kUnits)
        if (unit == seconds) unit_name = name;
    std::string text = std::string("limit rate ") + ((e.flags & 1) ? "over " : "") + std::to_string(rate) +
                       (e.key == 1 ? " bytes/" : "/") + unit_name;
    if (e.key == 1 ? e.len != 0 : e.len != 5) text += " burst " + std::to_string(e.len) + (e.key == 1 ? " bytes" : " packets");
    return text;
}

const NftSet* find_set(const NftRuleset& ruleset, const NftRule& rule, const std::string& name) {
    for (const auto& s : ruleset.sets)
        if (s.family == rule.family && s.table == rule.table && s.name == name) return &s;
    return nullptr;
}

}  // namespace

namespace nft {

std::string to_hex(const void* data, std::size_t len) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    const auto* b = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < len; ++i) {
        out += digits[b[i] >> 4];
        out += digits[b[i] & 0xf];
    }
    return out;
}

std::vector<unsigned char> from_hex(const std::string& hex) {
    auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::vector<unsigned char> out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<unsigned char>(digit(hex[i]) << 4 | digit(hex[i + 1])));
    return out;
}

}  // namespace nft

int nft_register_slot(std::uint32_t reg) {
    if (reg == 0) return -1;
    if (reg <= 4) return static_cast<int>((reg - 1) * 4);
    if (reg >= 8) return static_cast<int>(reg - 8);
    return -1;
}

std::string nft_chain_name(const std::string& family, const std::string& table, const std::string& chain) {
    return family + " " + table + " " + chain;
}

namespace {

/// An anonymous set's elements as nft lists them: `{ a, b-c, d : accept }`.
std::string anonymous_set_text(const Field& field, const NftSet& set) {
    std::string list;
    // Interval sets keep a range as its start plus an "interval end" element
    // holding the first key after it; sorted, each start is followed by its end.
    auto elements = set.elements;
    // Sorted by key also for hash sets, whose dump order varies: evidence is stable.
    std::sort(elements.begin(), elements.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    for (size_t i = 0; i < elements.size(); ++i) {
        const auto& el = elements[i];
        if (el.interval_end) continue;
        std::string item = value_text(field, el.key);
        if (!el.key_end.empty()) item += "-" + value_text(field, el.key_end);
        else if ((set.flags & 0x4) && i + 1 < elements.size() && elements[i + 1].interval_end)
            item += "-" + value_text(field, minus_one(elements[i + 1].key));
        else if (set.flags & 0x4) item += "-" + value_text(field, std::string(el.key.size(), 'f'));
        if (el.has_verdict) item += " : " + verdict_text(el.verdict, el.chain);
        list += (list.empty() ? "" : ", ") + item;
    }
    return "{ " + list + " }";
}

/// Walks a rule's expressions as nft does when it lists them: loads fill registers,
/// comparisons on a register become the words of the rule.
class RuleTextWriter {
public:
    RuleTextWriter(const NftRule& rule, const NftRuleset& ruleset)
        : rule_(rule), ruleset_(ruleset), l3_(rule.family == "ip" || rule.family == "ip6" ? rule.family : "") {}

    std::string text() {
        for (const auto& e : rule_.exprs) add(e);
        std::string text;
        for (const auto& p : parts_) text += (text.empty() ? "" : " ") + p;
        if (!rule_.comment.empty()) text += " comment \"" + rule_.comment + "\"";
        return text;
    }

private:
    const NftRule& rule_;
    const NftRuleset& ruleset_;
    std::map<int, Field> registers_;
    std::map<int, std::string> masks_;  // register -> bitwise mask applied to it
    std::string l3_;
    std::vector<std::string> parts_;
    // `tcp dport 22` compiles to `meta l4proto tcp` + a transport payload; nft shows
    // only the former's protocol in the latter.
    std::string l4_;
    size_t l4_part_ = 0;

    void add(const NftExpr& e) {
        const int dreg = nft_register_slot(e.dreg), sreg = nft_register_slot(e.sreg);
        if (e.name == "payload" && e.dreg != 0) {
            load(dreg, payload_field(e, l3_, l4_));
            if (registers_[dreg].kind == Kind::port && l4_part_ < parts_.size()) {
                parts_.erase(parts_.begin() + static_cast<long>(l4_part_));
                l4_.clear();
            }
        } else if (e.name == "meta" && e.dreg != 0) {
            load(dreg, meta_field(e.key));
        } else if (e.name == "ct" && e.dreg != 0) {
            load(dreg, e.key == kCtState    ? Field{"ct state", Kind::ctstate}
                       : e.key == kCtStatus ? Field{"ct status", Kind::raw}
                                            : Field{"ct key " + std::to_string(e.key), Kind::raw});
        } else if (e.name == "fib" && e.dreg != 0) {
            load(dreg, fib_field(e));
        } else if (e.name == "bitwise") {
            registers_[dreg] = registers_[sreg];
            masks_[dreg] = e.data;
        } else if (e.name == "cmp") {
            cmp(e, source(e));
        } else if (e.name == "range") {
            const Field field = source(e);
            parts_.push_back(field.label + (e.op == 1 ? " != " : " ") + value_text(field, e.data) + "-" +
                             value_text(field, e.data2));
        } else if (e.name == "lookup") {
            lookup(e, source(e));
        } else if (e.name == "immediate") {
            if (e.dreg == 0) parts_.push_back(verdict_text(e.verdict, e.chain));  // else: a data load, not shown
        } else {
            parts_.push_back(statement_text(e));
        }
    }

    /// A load replaces what the register held, and any mask on it.
    void load(int dreg, const Field& field) {
        registers_[dreg] = field;
        masks_.erase(dreg);
    }

    /// The field an expression reads from its source register.
    Field source(const NftExpr& e) {
        const int sreg = nft_register_slot(e.sreg);
        return registers_.count(sreg) ? registers_[sreg] : Field{"reg " + std::to_string(e.sreg)};
    }

    void cmp(const NftExpr& e, const Field& field) {
        // `meta nfproto ipv4` in an inet rule only selects how later payloads read.
        if (field.kind == Kind::ethertype && e.op == 0) {
            const auto b = bytes(e.data);
            if (b.size() == 2) l3_ = b[0] == 0x08 ? "ip" : b[0] == 0x86 ? "ip6" : l3_;
        }
        if (field.kind == Kind::nfproto && e.op == 0) {
            const auto b = bytes(e.data);
            if (!b.empty()) l3_ = b[0] == 2 ? "ip" : b[0] == 10 ? "ip6" : l3_;
            if (rule_.family == "inet") return;
        }
        auto mask = masks_.find(nft_register_slot(e.sreg));
        if (mask != masks_.end()) return parts_.push_back(masked_cmp_text(e, field, mask->second));
        if (field.label == "meta l4proto" && e.op == 0) {
            l4_ = value_text(field, e.data);
            l4_part_ = parts_.size();
        }
        parts_.push_back(field.label + " " + cmp_op(e.op) + value_text(field, e.data));
    }

    static std::string masked_cmp_text(const NftExpr& e, const Field& field, const std::string& mask) {
        const auto m = bytes(mask);
        const int prefix = prefix_length(m);
        if (field.kind == Kind::ctstate && e.op == 1 && bytes(e.data) == std::vector<unsigned char>(e.data.size() / 2, 0))
            return field.label + " " + ct_states(host_u32(m));
        if ((field.kind == Kind::address4 || field.kind == Kind::address6) && prefix >= 0)
            return field.label + " " + cmp_op(e.op) + value_text(field, e.data) + "/" + std::to_string(prefix);
        return field.label + " & 0x" + mask + " " + (e.op == 0 ? "== " : cmp_op(e.op)) + value_text(field, e.data);
    }

    void lookup(const NftExpr& e, const Field& field) {
        const NftSet* set = find_set(ruleset_, rule_, e.set);
        const std::string target = set && (set->flags & 0x1) ? anonymous_set_text(field, *set) : "@" + e.set;
        const bool vmap = e.dreg == 0 && set && (set->flags & 0x8);
        parts_.push_back(field.label + (vmap ? " vmap " : (e.flags & 1) ? " != " : " ") + target);
    }

    /// What is not a load, a comparison or a verdict: a `set` statement, a limit, an xt.
    static std::string statement_text(const NftExpr& e) {
        if (e.name == "payload" || e.name == "meta" || e.name == "ct") return e.name + " set";
        if (e.name == "limit") return limit_text(e);
        if (e.name == "match" || e.name == "target") return "xt " + e.name + (e.xt_name.empty() ? "" : " " + e.xt_name);
        return e.name;
    }
};

}  // namespace

std::string nft_rule_text(const NftRule& rule, const NftRuleset& ruleset) { return RuleTextWriter(rule, ruleset).text(); }

}  // namespace haprep::model
