#include "firewall/firewalld_eval.h"

#include <algorithm>
#include <cstring>
#include <strings.h>

#include "model/ip.h"

namespace haprep::firewall {

namespace {

using Action = RichRule::Action;
using Element = RichRule::Element;

/// Splits on blanks outside double quotes; quotes are dropped (key="a b" -> key=a b).
std::vector<std::string> tokens_of(const std::string& text) {
    std::vector<std::string> tokens;
    std::string current;
    bool quoted = false, any = false;
    for (char c : text) {
        if (c == '"') {
            quoted = !quoted;
            any = true;
        } else if (!quoted && (c == ' ' || c == '\t')) {
            if (any) tokens.push_back(current);
            current.clear();
            any = false;
        } else {
            current += c;
            any = true;
        }
    }
    if (quoted) return {};
    if (any) tokens.push_back(current);
    return tokens;
}

bool of_family(const model::Family family, const std::string& rule_family) {
    return rule_family.empty() || rule_family == model::to_string(family);
}

/// Does the rule's match part (family, source, destination, element) take the packet?
/// nullopt: it depends on what cannot be known offline (an ipset or MAC source).
std::optional<bool> matches(const RichRule& rule, const model::FirewalldLayer& layer, const VrrpPacket& packet) {
    if (!of_family(packet.family, rule.family)) return false;
    if (!rule.source.empty() && address_in(packet.saddr, rule.source) == rule.source_inverted) return false;
    if (!rule.destination.empty() && address_in(packet.daddr, rule.destination) == rule.destination_inverted)
        return false;
    switch (rule.element) {
        case Element::none: break;  // a rule without an element takes every protocol
        case Element::protocol:
            if (!is_vrrp_protocol(rule.element_value)) return false;
            break;
        case Element::service: {
            const auto it = layer.services.find(rule.element_value);
            if (it == layer.services.end()) return false;
            if (std::none_of(it->second.protocols.begin(), it->second.protocols.end(), is_vrrp_protocol)) return false;
            break;
        }
        case Element::other: return false;  // ports, ICMP, masquerade, forward-port: never VRRP
    }
    if (rule.source_unknowable) return std::nullopt;
    return true;
}

const char* target_outcome(const std::string& target) {
    if (target == "ACCEPT") return "accept";
    if (target == "DROP") return "drop";
    return "reject";  // "default", "%%REJECT%%", "REJECT"
}

}  // namespace

bool is_vrrp_protocol(const std::string& name) {
    return ::strcasecmp(name.c_str(), "vrrp") == 0 || name == "112";
}

bool address_in(const std::string& address, const std::string& network) {
    const auto ip = model::IpAddress::parse(address);
    if (!ip) return false;
    if (const auto prefix = model::IpPrefix::parse(network)) return prefix->contains(*ip);
    // firewalld also takes an IPv4 netmask: 10.0.0.0/255.255.255.0
    const auto slash = network.find('/');
    if (slash == std::string::npos) return false;
    const auto base = model::IpAddress::parse(network.substr(0, slash), model::Family::ipv4);
    const auto mask = model::IpAddress::parse(network.substr(slash + 1), model::Family::ipv4);
    if (!base || !mask) return false;
    unsigned length = 0;
    for (unsigned char byte : mask->bytes())
        length += static_cast<unsigned>(__builtin_popcount(byte));
    return model::IpPrefix{*base, length}.contains(*ip);
}

std::optional<RichRule> parse_rich_rule(const std::string& text) {
    const auto tokens = tokens_of(text);
    if (tokens.empty() || tokens[0] != "rule") return std::nullopt;
    RichRule rule;
    rule.text = text;
    std::string keyword;  // the keyword the next key=value belongs to
    bool inverted = false;
    for (size_t i = 1; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        const auto eq = t.find('=');
        if (eq == std::string::npos) {
            if (t == "not") {
                inverted = true;
                continue;
            }
            keyword = t;
            if (t == "accept") rule.action = Action::accept;
            else if (t == "reject") rule.action = Action::reject;
            else if (t == "drop") rule.action = Action::drop;
            else if (t == "mark") rule.action = Action::other;
            else if (t == "port" || t == "source-port" || t == "icmp-block" || t == "icmp-type" ||
                     t == "masquerade" || t == "forward-port" || t == "tcp-mss-clamp")
                rule.element = Element::other;
            else if (t == "protocol") rule.element = Element::protocol;
            else if (t == "service") rule.element = Element::service;
            else if (t != "source" && t != "destination" && t != "log" && t != "nflog" && t != "audit" &&
                     t != "limit")
                return std::nullopt;
            if (t == "limit" && rule.action != Action::none) rule.limited = true;
            continue;
        }
        const std::string key = t.substr(0, eq), value = t.substr(eq + 1);
        if (keyword.empty() && key == "family") rule.family = value;
        else if (keyword.empty() && key == "priority") {
            try {
                rule.priority = std::stoi(value);
            } catch (...) {
                return std::nullopt;
            }
        } else if (keyword == "source" && key == "address") rule.source = value, rule.source_inverted = inverted;
        else if (keyword == "source" && (key == "ipset" || key == "mac")) rule.source_unknowable = true;
        else if (keyword == "destination" && key == "address")
            rule.destination = value, rule.destination_inverted = inverted;
        else if (keyword == "protocol" && key == "value") rule.element_value = value;
        else if (keyword == "service" && key == "name") rule.element_value = value;
        if (keyword == "source" || keyword == "destination") inverted = false;
    }
    return rule;  // without an action (log or audit only) it never decides
}

std::pair<std::string, std::string> zone_for(const model::Firewalld& firewalld, const VrrpPacket& packet) {
    for (const auto& [source, zone] : firewalld.source_zones)
        if (address_in(packet.saddr, source))
            return {zone, "source " + packet.saddr + " is bound to zone " + zone + " (" + source + ")"};
    const auto bound = firewalld.interface_zones.find(packet.iifname);
    if (bound != firewalld.interface_zones.end() && !bound->second.empty())
        return {bound->second, packet.iifname + " is bound to zone " + bound->second};
    return {firewalld.default_zone,
            packet.iifname + " is in no zone: the default zone " + firewalld.default_zone + " takes its traffic"};
}

namespace {

/// The zone's rich rules that parse, in priority order; the others are noted.
std::vector<RichRule> rich_rules_of(const model::FirewalldZone& zone, FirewalldVerdict& v) {
    std::vector<RichRule> rules;
    for (const auto& text : zone.rich_rules) {
        if (auto rule = parse_rich_rule(text)) rules.push_back(std::move(*rule));
        else v.notes.push_back("rich rule not understood, ignored: " + text);
    }
    std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
    return rules;
}

/// The stage of the zone's chain a rich rule sits in: 0 priority below zero, 1 deny
/// rules, 2 allow rules (after the zone's protocols and services), 3 priority above zero.
int stage_of(const RichRule& rule) {
    if (rule.priority < 0) return 0;
    if (rule.priority > 0) return 3;
    return rule.action == Action::accept ? 2 : 1;
}

/// The zone's protocols or one of its services let VRRP in: sets the verdict.
bool zone_allows_vrrp(const model::FirewalldZone& zone, const model::FirewalldLayer& layer, FirewalldVerdict& v) {
    const auto proto = std::find_if(zone.protocols.begin(), zone.protocols.end(), is_vrrp_protocol);
    if (proto != zone.protocols.end()) {
        v.accepts = true;
        v.decided_by = "protocol " + *proto;
        return true;
    }
    for (const auto& name : zone.services) {
        const auto s = layer.services.find(name);
        if (s == layer.services.end()) continue;
        if (std::any_of(s->second.protocols.begin(), s->second.protocols.end(), is_vrrp_protocol)) {
            v.accepts = true;
            v.decided_by = "service " + name + " (protocol vrrp)";
            return true;
        }
    }
    return false;
}

/// Rich rules against the advert. Those with a source, met while the peer is unknown,
/// decide for some sources only: the verdict is source-dependent when one of them
/// would decide otherwise than the rule or default that does.
struct RichRuleJudge {
    const model::FirewalldLayer& layer;
    const VrrpPacket& packet;
    FirewalldVerdict& v;
    std::vector<const RichRule*> by_source{};

    /// True when `rule` decides; sets the verdict.
    bool decides(const RichRule& rule) {
        if (rule.action != Action::accept && rule.action != Action::reject && rule.action != Action::drop) return false;
        if (packet.saddr.empty() && !rule.source.empty()) {
            RichRule any_source = rule;  // does it take VRRP, whatever the source?
            any_source.source.clear();
            if (matches(any_source, layer, packet).value_or(false)) by_source.push_back(&rule);
            return false;
        }
        const auto m = matches(rule, layer, packet);
        if (!m) {
            v.notes.push_back("depends on an ipset or MAC source, not judged: " + rule.text);
            return false;
        }
        if (!*m) return false;
        if (rule.limited) v.notes.push_back("rate-limited, adverts above the limit fall through: " + rule.text);
        v.accepts = rule.action == Action::accept;
        v.decided_by = "rich rule: " + rule.text;
        return true;
    }

    /// Marks the verdict source-dependent once it is decided.
    void settle() {
        for (const auto* rule : by_source)
            if ((rule->action == Action::accept) != v.accepts) {
                v.source_dependent = rule->text;
                break;
            }
    }
};

/// The zone's chain in firewalld's order (the stages of stage_of, the zone's
/// protocols and services before its allow rules) until something decides, else
/// the zone's target: sets the verdict.
void walk_zone(const model::FirewalldZone& zone, const std::vector<RichRule>& rules, RichRuleJudge& judge) {
    for (int stage = 0; stage < 4; ++stage) {
        if (stage == 2 && zone_allows_vrrp(zone, judge.layer, judge.v)) return;
        for (const auto& rule : rules)
            if (stage_of(rule) == stage && judge.decides(rule)) return;
    }
    const std::string outcome = target_outcome(zone.target);
    judge.v.accepts = outcome == "accept";
    judge.v.decided_by = "target " + (zone.target.empty() ? std::string("default") : zone.target) + " (" + outcome + ")";
}

}  // namespace

FirewalldVerdict evaluate_firewalld(const model::Firewalld& firewalld, const model::FirewalldLayer& layer,
                                    const VrrpPacket& packet) {
    FirewalldVerdict v;
    std::tie(v.zone, v.how) = zone_for(firewalld, packet);
    const auto found = layer.zones.find(v.zone);
    if (found == layer.zones.end()) {
        v.zone_unknown = true;
        v.decided_by = "zone " + v.zone + " is not in this configuration";
        return v;
    }
    const std::vector<RichRule> rules = rich_rules_of(found->second, v);
    RichRuleJudge judge{layer, packet, v};
    walk_zone(found->second, rules, judge);
    judge.settle();
    return v;
}

}  // namespace haprep::firewall
