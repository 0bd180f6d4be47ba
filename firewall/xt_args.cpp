// Compat matches and targets from their iptables-save arguments (legacy rules read
// with iptables-legacy-save): `-m conntrack --ctstate RELATED,ESTABLISHED` into the
// typed values of firewall/xt.h, parsed as the iptables extensions parse them. Anything
// haprep does not read exactly (an unknown option, a malformed value, a repeated
// option) gives XtOther, which the evaluator cannot decide: never a guess. Never
// throws: numbers go through std::from_chars, every index is checked.

#include <charconv>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "firewall/legacy_iptables.h"
#include "firewall/xt.h"
#include "model/ip.h"
#include "model/text.h"

namespace haprep::firewall {

namespace {

// nft's ct state bits (firewall/xt.h).
constexpr std::uint32_t kInvalid = 0x01, kEstablished = 0x02, kRelated = 0x04, kNew = 0x08, kUntracked = 0x40;
// XT_LIMIT_SCALE (linux/netfilter/xt_limit.h), and iptables' defaults and bound.
constexpr std::uint32_t kLimitScale = 10000, kDefaultBurst = 5, kMaxBurst = 10000;
constexpr std::uint32_t kDefaultAvg = kLimitScale * 3600 / 3;  // 3/hour

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

/// `text` is a non-empty prefix of `word`, ignoring case (iptables' strncasecmp).
bool iprefix(std::string_view text, std::string_view word) {
    return !text.empty() && text.size() <= word.size() && iequals(text, word.substr(0, text.size()));
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto at = text.find(sep, start);
        parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return parts;
        start = at + 1;
    }
}

/// An unsigned 32-bit number the way strtoul(..., 0) reads it (xtables_strtoui):
/// 0x... hex, 0... octal, else decimal; the whole text must be the number.
std::optional<std::uint32_t> parse_u32(std::string_view text) {
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    } else if (text.size() > 1 && text[0] == '0') {
        base = 8;
        text.remove_prefix(1);
    }
    if (text.empty()) return std::nullopt;
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::uint32_t> parse_decimal(std::string_view text) {
    std::uint32_t value = 0;
    if (text.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool is_address(const std::string& text) {
    return model::IpAddress::parse(text).has_value();
}

bool is_ipv4(const std::string& text) {
    return model::address_family(text) == model::Family::ipv4;
}

/// The options of one extension: `[!] --name [value]`, in order.
struct Option {
    std::string name;
    std::string value;
    bool has_value = false;
    bool invert = false;
};

/// Splits the arguments into options, each with at most one value (every option
/// of the extensions read here takes zero or one). nullopt when they do not have
/// that shape (a stray word, a dangling `!`, two values).
std::optional<std::vector<Option>> options_of(const std::string& args) {
    std::vector<Option> options;
    bool invert = false;
    for (const auto& word : split_save_line(args)) {
        if (!word.quoted && word.text == "!") {
            if (invert) return std::nullopt;
            invert = true;
            continue;
        }
        if (!word.quoted && word.text.size() > 2 && word.text.compare(0, 2, "--") == 0) {
            options.push_back({word.text, {}, false, invert});
            invert = false;
            continue;
        }
        // A value: belongs to the option just read, which has none yet.
        if (invert || options.empty() || options.back().has_value) return std::nullopt;
        options.back().value = word.text;
        options.back().has_value = true;
    }
    if (invert) return std::nullopt;
    return options;
}

/// Each option at most once (iptables refuses repeats).
bool unique(const std::vector<Option>& options) {
    std::set<std::string> seen;
    for (const auto& o : options)
        if (!seen.insert(o.name).second) return false;
    return true;
}

/// A --ctstate / --state list: nft bits, and the SNAT/DNAT virtual states (conntrack
/// only) that haprep does not decide. False for an unknown or empty name.
bool parse_states(const std::string& list, bool conntrack, XtConntrack& c) {
    if (list.empty()) return false;
    for (auto name : split(list, ',')) {
        if (iequals(name, "INVALID")) c.states |= kInvalid;
        else if (iequals(name, "ESTABLISHED")) c.states |= kEstablished;
        else if (iequals(name, "RELATED")) c.states |= kRelated;
        else if (iequals(name, "NEW")) c.states |= kNew;
        else if (iequals(name, "UNTRACKED")) c.states |= kUntracked;
        else if (conntrack && iequals(name, "SNAT")) c.undecided.emplace_back("--ctstate SNAT");
        else if (conntrack && iequals(name, "DNAT")) c.undecided.emplace_back("--ctstate DNAT");
        else return false;
    }
    return true;
}

std::optional<XtMatch> parse_conntrack(const std::vector<Option>& options, bool state_match) {
    XtConntrack c;
    c.state_match = state_match;
    for (const auto& o : options) {
        if (!o.has_value) return std::nullopt;
        if (o.name == (state_match ? "--state" : "--ctstate")) {
            if (!parse_states(o.value, !state_match, c)) return std::nullopt;
            c.invert = o.invert;
        } else if (!state_match && o.name.size() > 4 && o.name.compare(0, 4, "--ct") == 0) {
            // --ctproto, --ctorigsrc, --ctstatus, --ctexpire, --ctdir, ...: not decided.
            c.undecided.push_back(o.name);
        } else {
            return std::nullopt;
        }
    }
    if (state_match && c.states == 0) return std::nullopt;  // -m state needs --state
    return c;
}

std::optional<std::uint16_t> parse_addrtypes(const std::string& list) {
    static constexpr const char* kNames[] = {"UNSPEC",    "UNICAST",     "LOCAL",    "BROADCAST", "ANYCAST", "MULTICAST",
                                             "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW",     "NAT",     "XRESOLVE"};
    if (list.empty()) return std::nullopt;
    std::uint16_t types = 0;
    for (auto name : split(list, ',')) {
        bool known = false;
        for (unsigned bit = 0; bit < std::size(kNames); ++bit) {
            if (iequals(name, kNames[bit])) {
                types = static_cast<std::uint16_t>(types | (1U << bit));
                known = true;
            }
        }
        if (!known) return std::nullopt;
    }
    return types;
}

std::optional<XtMatch> parse_addrtype(const std::vector<Option>& options) {
    XtAddrtype a;
    for (const auto& o : options) {
        if (o.name == "--src-type" || o.name == "--dst-type") {
            if (!o.has_value) return std::nullopt;
            auto types = parse_addrtypes(o.value);
            if (!types) return std::nullopt;
            (o.name == "--src-type" ? a.source : a.dest) = *types;
            (o.name == "--src-type" ? a.invert_source : a.invert_dest) = o.invert;
        } else if (o.name == "--limit-iface-in" || o.name == "--limit-iface-out") {
            if (o.has_value || o.invert) return std::nullopt;
            (o.name == "--limit-iface-in" ? a.limit_iface_in : a.limit_iface_out) = true;
        } else {
            return std::nullopt;
        }
    }
    return a;
}

std::optional<XtMatch> parse_mark(const std::vector<Option>& options, bool connmark) {
    if (options.size() != 1 || options[0].name != "--mark" || !options[0].has_value) return std::nullopt;
    XtMark m;
    m.connmark = connmark;
    m.invert = options[0].invert;
    const std::string& value = options[0].value;
    const auto slash = value.find('/');
    auto mark = parse_u32(std::string_view(value).substr(0, slash));
    if (!mark) return std::nullopt;
    m.mark = *mark;
    if (slash != std::string::npos) {
        auto mask = parse_u32(std::string_view(value).substr(slash + 1));
        if (!mask) return std::nullopt;
        m.mask = *mask;
    }
    return m;
}

/// `10/min` as the kernel keeps it: seconds per packet x XT_LIMIT_SCALE. The unit is
/// any prefix of second, minute, hour, day (iptables' parse_rate); none: seconds.
std::optional<std::uint32_t> parse_rate(const std::string& text) {
    const auto slash = text.find('/');
    std::uint32_t seconds = 1;
    if (slash != std::string::npos) {
        const std::string_view unit = std::string_view(text).substr(slash + 1);
        if (iprefix(unit, "second")) seconds = 1;
        else if (iprefix(unit, "minute")) seconds = 60;
        else if (iprefix(unit, "hour")) seconds = 3600;
        else if (iprefix(unit, "day")) seconds = 86400;
        else return std::nullopt;
    }
    auto rate = parse_decimal(std::string_view(text).substr(0, slash));
    if (!rate || *rate == 0) return std::nullopt;
    const std::uint64_t avg = static_cast<std::uint64_t>(kLimitScale) * seconds / *rate;
    if (avg == 0) return std::nullopt;  // iptables: "Rate too fast"
    return static_cast<std::uint32_t>(avg);
}

std::optional<XtMatch> parse_limit(const std::vector<Option>& options) {
    XtLimit l{kDefaultAvg, kDefaultBurst};
    for (const auto& o : options) {
        if (!o.has_value || o.invert) return std::nullopt;  // limit cannot be inverted
        if (o.name == "--limit") {
            auto avg = parse_rate(o.value);
            if (!avg) return std::nullopt;
            l.avg = *avg;
        } else if (o.name == "--limit-burst") {
            auto burst = parse_u32(o.value);
            if (!burst || *burst > kMaxBurst) return std::nullopt;
            l.burst = *burst;
        } else {
            return std::nullopt;
        }
    }
    return l;
}

std::optional<XtMatch> parse_pkttype(const std::vector<Option>& options) {
    if (options.size() != 1 || options[0].name != "--pkt-type" || !options[0].has_value) return std::nullopt;
    // libxt_pkttype's names: PACKET_HOST 0, PACKET_BROADCAST 1, PACKET_MULTICAST 2, PACKET_OTHERHOST 3.
    static constexpr std::pair<const char*, int> kTypes[] = {
        {"unicast", 0}, {"host", 0}, {"broadcast", 1}, {"multicast", 2}, {"otherhost", 3}};
    for (const auto& [name, type] : kTypes)
        if (iequals(options[0].value, name)) return XtPkttype{type, options[0].invert};
    return std::nullopt;
}

/// `a-b` (or one address: a-a), both of one family.
bool parse_range(const std::string& text, std::string& from, std::string& to) {
    const auto dash = text.find('-');
    from = text.substr(0, dash);
    to = dash == std::string::npos ? from : text.substr(dash + 1);
    return is_address(from) && is_address(to) && is_ipv4(from) == is_ipv4(to);
}

std::optional<XtMatch> parse_iprange(const std::vector<Option>& options) {
    XtIprange r;
    for (const auto& o : options) {
        if (!o.has_value) return std::nullopt;
        if (o.name == "--src-range") {
            if (!parse_range(o.value, r.src_from, r.src_to)) return std::nullopt;
            r.invert_src = o.invert;
        } else if (o.name == "--dst-range") {
            if (!parse_range(o.value, r.dst_from, r.dst_to)) return std::nullopt;
            r.invert_dst = o.invert;
        } else {
            return std::nullopt;
        }
    }
    if (r.src_from.empty() && r.dst_from.empty()) return std::nullopt;
    return r;
}

}  // namespace

XtMatch parse_xt_match_args(const std::string& name, const std::string& args) {
    const std::string rest = model::trim(args);
    XtOther other{name, rest};
    // Ports of these protocols: a VRRP advert has none, whatever the arguments say.
    static constexpr const char* kPorts[] = {"multiport", "tcp", "udp", "sctp", "dccp", "udplite", "icmp", "icmp6"};
    for (const char* ports : kPorts)
        if (name == ports) return XtPorts{name, rest};
    if (name == "comment") {
        // iptables-save leaves a comment of letters, digits, '-' and '_' unquoted, so
        // `--comment --x` is a comment "--x", not an option.
        const auto words = split_save_line(rest);
        if (words.size() == 2 && !words[0].quoted && words[0].text == "--comment") return XtComment{words[1].text};
        return other;
    }
    const auto options = options_of(rest);
    if (!options || !unique(*options)) return other;
    std::optional<XtMatch> match;
    if (name == "conntrack") match = parse_conntrack(*options, false);
    else if (name == "state") match = parse_conntrack(*options, true);
    else if (name == "addrtype") match = parse_addrtype(*options);
    else if (name == "mark") match = parse_mark(*options, false);
    else if (name == "connmark") match = parse_mark(*options, true);
    else if (name == "limit") match = parse_limit(*options);
    else if (name == "pkttype") match = parse_pkttype(*options);
    else if (name == "iprange") match = parse_iprange(*options);
    return match ? std::move(*match) : XtMatch(std::move(other));
}

XtTarget parse_xt_target_args(const std::string& name, const std::string& args) {
    XtTarget t;
    t.name = name;
    t.args = model::trim(args);
    t.effect = xt_target_effect(name);
    if (name == "NOTRACK") t.notrack = true;
    if (name == "CT")
        for (const auto& word : split_save_line(t.args))
            if (!word.quoted && word.text == "--notrack") t.notrack = true;
    return t;
}

}  // namespace haprep::firewall
