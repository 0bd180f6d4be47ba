// The per-instance keepalived checks: what keepalived does with each vrrp_instance's
// values (refuses the instance, corrects the value, or ignores it) and whether the
// peers' instances agree (checks/keepalived_peers.cpp).
//
// A refused instance means no HA on this node. A corrected value means the node runs
// with something other than what the file says, which the admin did not intend and
// the peer does not know about. Messages quote keepalived's own log lines so that a
// user can find them in the journal.

#include <fmt/format.h>
#include <cstdio>
#include <map>
#include <ranges>
#include <tuple>

#include "checks/keepalived.h"

namespace haprep::checks {

namespace {

using model::Family;
using model::Status;

const char* family_name(Family family) { return family == Family::ipv4 ? "IPv4" : "IPv6"; }

bool is_link_local(const model::KeepalivedVip& vip) {
    return vip.valid && vip.family == Family::ipv6 &&
           model::is_link_local(vip.address, Family::ipv6);
}

bool on_this_host(const model::Facts& facts, const std::string& name) {
    for (const auto& iface : *facts.interfaces.value)
        if (iface.name == name) return true;
    return false;
}

const model::Address* local_address(const model::Facts& facts, const std::string& address) {
    for (const auto& a : *facts.addresses.value)
        if (same_address(a.address, address)) return &a;
    return nullptr;
}

}  // namespace

std::vector<model::Finding> evaluate_keepalived_interface(const model::Facts& facts) {
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        f.expected = "interface " + (in.interface.empty() ? std::string("set") : in.interface) + " on this host";
        const bool dynamic = conf.global.keywords.count("dynamic_interfaces") > 0;
        if (in.interface.empty()) {
            // Unicast can run without an interface: keepalived finds it from the source address.
            if (!in.unicast_peers.empty() && !in.unicast_src_ip.empty()) {
                f.message = "no interface: unicast from " + in.unicast_src_ip;
            } else {
                f.status = Status::fail;
                f.message = "vrrp_instance " + in.name +
                            " has no interface: keepalived refuses it (\"Unicast instances must have "
                            "unicast_src_ip or interface\")";
                f.source = in.block.at;
                f.observed = "no interface keyword";
            }
        } else if (!facts.interfaces.ok()) {
            f.status = Status::unknown;
            f.message = "cannot list interfaces: " + facts.interfaces.error;
        } else if (!on_this_host(facts, in.interface)) {
            const std::string present = fmt::format(
                "{}",
                fmt::join(*facts.interfaces.value | std::views::transform(&model::Interface::name),
                          " "));
            f.evidence.emplace_back("interfaces here", present);
            f.observed = "absent";
            f.source = keyword_at(in, "interface");
            f.status = dynamic ? Status::warn : Status::fail;
            f.message = "interface " + in.interface + " for vrrp_instance " + in.name + " doesn't exist: " +
                        (dynamic ? "with dynamic_interfaces keepalived waits for it (no VRRP until it appears)"
                                 : "keepalived refuses the configuration (\"Unknown interface!\")");
            if (dynamic) f.evidence.emplace_back("dynamic_interfaces", where(conf.global.keywords.at("dynamic_interfaces")));
        } else {
            f.message = in.interface + " exists";
            f.observed = in.interface;
        }
        if (!facts.interfaces.ok()) return f;
        for (const auto& t : in.track_interfaces) {
            const std::string name = first_word(t.text);
            if (on_this_host(facts, name)) continue;
            f.evidence.emplace_back("track_interface " + name, where(t.at) + ": absent");
            // keepalived 2.2.7 stops its VRRP process on it ("Non-existent interface
            // specified in configuration"), as for the instance's own interface.
            raise(f, dynamic ? Status::warn : Status::fail,
                  "track_interface " + name + " doesn't exist here: " +
                      (dynamic ? "with dynamic_interfaces keepalived waits for it"
                               : "keepalived refuses the configuration (\"Non-existent interface specified\")"),
                  t.at);
        }
        return f;
    });
}

std::vector<model::Finding> evaluate_keepalived_vrid(const model::Facts& facts) {
    // keepalived refuses two instances with one VRID on one interface and family: their
    // adverts and virtual MAC would be the same. Instances without an interface
    // (unicast by source address) are not compared: nothing says they share a link.
    std::map<std::tuple<long, std::string, Family>, std::vector<const model::KeepalivedInstance*>> users;
    if (facts.keepalived.ok())
        for (const auto& in : facts.keepalived.value->instances)
            if (auto vrid = parse_integer(in.virtual_router_id); vrid && !in.interface.empty())
                users[{*vrid, in.interface, instance_family(in)}].push_back(&in);

    return per_keepalived_instance(facts, [&](const model::KeepalivedConf&, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        f.expected = "virtual_router_id 1..255, unique per interface and family";
        f.observed = in.virtual_router_id.empty() ? "unset" : in.virtual_router_id;
        if (in.virtual_router_id.empty()) {
            f.status = Status::fail;
            f.message = "no virtual_router_id: keepalived refuses the instance (\"the virtual router id must be set\")";
            f.source = in.block.at;
            return f;
        }
        const auto vrid = parse_integer(in.virtual_router_id);
        if (!vrid || *vrid < 1 || *vrid > 255) {
            f.status = Status::fail;
            f.message = "VRID '" + in.virtual_router_id +
                        "' not valid - must be between 1 & 255: keepalived refuses the instance";
            f.source = keyword_at(in, "virtual_router_id");
            return f;
        }
        f.message = "VRID " + std::to_string(*vrid);
        if (in.interface.empty()) return f;
        const auto family = instance_family(in);
        for (const auto* other : users[{*vrid, in.interface, family}]) {
            if (other == &in) continue;
            f.evidence.emplace_back("also VRID " + std::to_string(*vrid), other->name + " at " + where(other->block.at));
            raise(f, Status::fail,
                  in.name + " and " + other->name + " both use VRID " + std::to_string(*vrid) + " with " +
                      family_name(family) + " on interface " + in.interface + ": keepalived refuses to start",
                  keyword_at(in, "virtual_router_id"));
        }
        return f;
    });
}

std::vector<model::Finding> evaluate_keepalived_priority(const model::Facts& facts) {
    const PeerInstances peers(facts);
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf&, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        const int effective = effective_priority(in);
        f.expected = "priority 1..255, different from the peers'";
        f.observed = in.priority.empty() ? "unset" : in.priority;
        if (in.priority.empty()) {
            f.message = std::string("priority unset: keepalived uses ") + std::to_string(effective) +
                        (effective == 255 ? " (state MASTER: the address owner)" : " (not state MASTER)");
        } else if (const auto p = parse_integer(in.priority); !p || *p < 1 || *p > 255) {
            f.status = Status::warn;
            f.message = "priority '" + in.priority + "' is not in 1..255: keepalived uses 100 instead";
            f.source = keyword_at(in, "priority");
        } else {
            f.message = "priority " + in.priority;
        }
        f.evidence.emplace_back("effective priority", std::to_string(effective));
        compare_priority_with_peers(peers, in, f);
        return f;
    });
}

std::vector<model::Finding> evaluate_keepalived_advert_int(const model::Facts& facts) {
    const PeerInstances peers(facts);
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        const int version = vrrp_version(conf, in);
        f.evidence.emplace_back("VRRP version", std::to_string(version));
        f.expected = version == 2 ? "whole seconds 1..255 (VRRPv2)" : "0.01..40.95 s in 10 ms steps (VRRPv3)";
        f.observed = in.advert_int.empty() ? "unset" : in.advert_int;
        const auto at = keyword_at(in, "advert_int");
        if (in.advert_int.empty()) {
            f.message = "advert_int unset: keepalived's default 1 s";
        } else if (const auto interval = parse_interval(in.advert_int); !interval) {
            f.status = Status::warn;
            f.message = "advert_int '" + in.advert_int + "' is not a number of seconds: keepalived does not use it";
            f.source = at;
        } else {
            // VRRPv2 carries whole seconds in 8 bits, VRRPv3 centiseconds in 12 bits.
            const long long unit = version == 2 ? 1'000'000 : 10'000;
            const long long max = version == 2 ? 255'000'000 : 40'950'000;
            if (interval->us % unit != 0 || !interval->exact)
                raise(f, Status::warn,
                      "advert_int " + in.advert_int +
                          (version == 2 ? " must be an integer for VRRPv2: keepalived rounds it"
                                        : " must be in units of 10ms for VRRPv3: keepalived rounds it"),
                      at);
            if (interval->us < unit || interval->us > max)
                raise(f, Status::warn,
                      "advert_int " + in.advert_int + " is outside " + (version == 2 ? "1..255 s" : "0.01..40.95 s") +
                          " for VRRPv" + std::to_string(version) + ": keepalived does not use it as written",
                      at);
            if (f.status == Status::pass) f.message = "advert_int " + in.advert_int + " s";
        }
        compare_advert_int_with_peers(peers, in, f);
        return f;
    });
}

std::vector<model::Finding> evaluate_keepalived_auth(const model::Facts& facts) {
    const PeerInstances peers(facts);
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        if (!uses_auth(in)) {
            f.message = "no authentication";
            return f;
        }
        const auto block = keyword_at(in, "authentication");
        f.evidence.emplace_back("auth_type", in.auth_type.empty() ? "unset" : in.auth_type);
        if (vrrp_version(conf, in) == 3)
            raise(f, Status::warn, "VRRP version 3 does not support authentication. Ignoring.", block);
        if (conf.global.vrrp_strict) {
            f.evidence.emplace_back("vrrp_strict", where(conf.global.keywords.at("vrrp_strict")));
            raise(f, Status::warn, "Strict mode does not support authentication: keepalived ignores it", block);
        }
        if (instance_family(in) == Family::ipv6 && (in.auth_type == "AH" || in.auth_type == "ah"))
            raise(f, Status::warn, "Cannot use AH authentication with IPv6", keyword_at(in, "auth_type"));
        if (in.auth_pass.size() > 8)
            raise(f, Status::warn,
                  // The password itself stays out of reports (they end up in logs and CI).
                  "auth_pass is " + std::to_string(in.auth_pass.size()) +
                      " characters: keepalived truncates it to its first 8 (passwords equal in those are the same)",
                  keyword_at(in, "auth_pass"));
        if (f.status == Status::pass) f.message = "authentication " + in.auth_type;
        compare_auth_with_peers(peers, in, f);
        return f;
    });
}

namespace {

/// Each unicast_peer: an address of the instance's family, not this node's own, listed
/// once. Returns how many addresses were listed.
std::size_t judge_unicast_peers(model::Finding& f, const model::Facts& facts, const model::KeepalivedInstance& in) {
    const auto family = instance_family(in);
    std::vector<std::string> seen;
    for (const auto& peer : in.unicast_peers) {
        const std::string address = first_word(peer.text);
        f.evidence.emplace_back("unicast_peer " + address, where(peer.at));
        const auto peer_family = address_family(address);
        if (!peer_family) {
            raise(f, Status::warn, "unicast_peer " + address + " is not an address: keepalived ignores it", peer.at);
            continue;
        }
        if (!in.unicast_src_ip.empty() && same_address(address, in.unicast_src_ip))
            raise(f, Status::fail, "unicast_peer " + address + " is this node's own unicast_src_ip", peer.at);
        else if (facts.addresses.ok())
            if (const auto* mine = local_address(facts, address))
                raise(f, Status::fail,
                      "unicast_peer " + address + " is an address of this host (" + mine->interface +
                          "): the node would advertise to itself",
                      peer.at);
        if (*peer_family != family)
            raise(f, Status::warn,
                  "unicast_peer " + address + " is " + family_name(*peer_family) + " in an " + family_name(family) +
                      " instance: keepalived skips it",
                  peer.at);
        bool duplicate = false;
        for (const auto& s : seen) duplicate = duplicate || same_address(s, address);
        if (duplicate) raise(f, Status::warn, "unicast_peer " + address + " is listed twice", peer.at);
        seen.push_back(address);
    }
    return seen.size();
}

/// unicast_src_ip must be an address of this host (unknown when they cannot be listed).
void judge_unicast_src_ip(model::Finding& f, const model::Facts& facts, const model::KeepalivedInstance& in,
                          const model::SourceLocation& block_at) {
    if (!in.unicast_src_ip.empty()) {
        f.evidence.emplace_back("unicast_src_ip", in.unicast_src_ip);
        if (!facts.addresses.ok())
            raise(f, Status::unknown, "cannot list addresses: " + facts.addresses.error, keyword_at(in, "unicast_src_ip"));
        else if (!local_address(facts, in.unicast_src_ip))
            raise(f, Status::fail,
                  "unicast_src_ip " + in.unicast_src_ip + " is not an address of this host: keepalived cannot send from it",
                  keyword_at(in, "unicast_src_ip"));
    } else if (!facts.addresses.ok()) {
        raise(f, Status::unknown, "cannot list addresses: " + facts.addresses.error, block_at);
    }
}

}  // namespace

std::vector<model::Finding> evaluate_keepalived_unicast(const model::Facts& facts) {
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        if (in.unicast_peers.empty()) {
            f.status = Status::skip;
            f.message = "multicast";
            return f;
        }
        const auto block_at = in.unicast_peer_block.at.line > 0 ? in.unicast_peer_block.at : in.block.at;
        if (conf.global.vrrp_strict) {
            f.evidence.emplace_back("vrrp_strict", where(conf.global.keywords.at("vrrp_strict")));
            // Current keepalived refuses the instance when the interface can multicast;
            // Debian 12's 2.2.7 still runs it (corpus case 23).
            raise(f, Status::fail,
                  "Unicast peers are not supported in strict mode: keepalived after 2.2.7 refuses the instance "
                  "(Debian 12's 2.2.7 still accepts it); drop vrrp_strict or the peers",
                  block_at);
        }
        const std::size_t peers = judge_unicast_peers(f, facts, in);
        judge_unicast_src_ip(f, facts, in, block_at);
        if (f.status == Status::pass)
            f.message = "unicast to " + std::to_string(peers) + " peer(s)" +
                        (in.unicast_src_ip.empty() ? "" : " from " + in.unicast_src_ip);
        return f;
    });
}

std::vector<model::Finding> evaluate_keepalived_nopreempt(const model::Facts& facts) {
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf&, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "no nopreempt");
        if (!in.nopreempt) return f;
        f.message = "nopreempt with state " + (in.state.empty() ? std::string("unset (BACKUP)") : in.state);
        const auto at = keyword_at(in, "nopreempt");
        if (in.state == "MASTER")
            raise(f, Status::warn, "nopreempt will not work with initial state MASTER - clearing", at);
        if (effective_priority(in) == 255)
            raise(f, Status::warn,
                  "nopreempt is incompatible with priority 255: the address owner always preempts", at);
        f.evidence.emplace_back("state", in.state.empty() ? "unset" : in.state);
        f.evidence.emplace_back("effective priority", std::to_string(effective_priority(in)));
        return f;
    });
}

std::vector<model::Finding> evaluate_keepalived_ipv6_first_vip(const model::Facts& facts) {
    // RFC 5798 5.2.9: an IPv6 advert's first address is the link-local one; peers that
    // follow it (and keepalived in strict mode) reject anything else.
    if (auto f = without_keepalived_conf(facts)) return {*f};
    const auto& conf = *facts.keepalived.value;
    std::vector<model::Finding> findings;
    for (const auto& in : conf.instances) {
        if (vip_family(in) != Family::ipv6) continue;
        const model::KeepalivedVip* first = nullptr;
        const model::KeepalivedVip* link_local = nullptr;
        for (const auto& vip : in.vips) {
            if (!vip.valid || vip.family != Family::ipv6) continue;
            if (!first) first = &vip;
            else if (!link_local && is_link_local(vip)) link_local = &vip;
        }
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass,
                         "first IPv6 VIP " + first->address + " is link-local");
        f.expected = "a fe80::/10 address first";
        f.observed = first->address;
        f.evidence.emplace_back("first IPv6 VIP", first->item.text + " (" + where(first->item.at) + ")");
        if (!is_link_local(*first)) {
            f.status = Status::fail;
            f.source = first->item.at;
            if (link_local) {
                f.message = "the first IPv6 VIP " + first->address + " is not link-local: move " + link_local->item.text +
                            " (" + where(link_local->item.at) + ") to the front";
                f.evidence.emplace_back("link-local VIP", link_local->item.text + " (" + where(link_local->item.at) + ")");
            } else {
                char suggestion[32] = "fe80::<VRID in hex>/64";
                if (auto vrid = parse_integer(in.virtual_router_id); vrid && *vrid >= 1 && *vrid <= 255)
                    std::snprintf(suggestion, sizeof suggestion, "fe80::%lx/64", static_cast<unsigned long>(*vrid));
                f.message = "the first IPv6 VIP " + first->address +
                            " is not link-local and there is no link-local VIP: add one first, e.g. " + suggestion;
                f.evidence.emplace_back("fix", "no link-local VIP to move");
            }
        }
        findings.push_back(std::move(f));
    }
    if (findings.empty()) findings.push_back(nothing_to_judge("no IPv6 vrrp_instance in " + conf.path));
    return findings;
}

}  // namespace haprep::checks
