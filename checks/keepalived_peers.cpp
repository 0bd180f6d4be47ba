// keepalived.peers and the cross-node comparisons of keepalived.priority, .advert_int
// and .auth: the other nodes' configurations (--peer-conf, --peer-facts) against ours.
//
// One node's file can look fine while the pair cannot work: keepalived on each node
// only sees its own file, and the adverts themselves decide. VRRPv2 drops an advert
// whose interval differs from its own and rejects one whose authentication differs,
// so each node hears nobody and becomes MASTER. Equal priorities work, but then the
// higher primary IP address decides who is MASTER, rarely what the admin meant. A VIP
// set or VRRP version that differs is only logged by keepalived, but after a failover
// the other node serves different addresses (or speaks a version nobody hears).

#include <arpa/inet.h>

#include <algorithm>
#include <set>

#include "checks/keepalived.h"

namespace haprep::checks {

namespace {

using model::Family;
using model::Status;

std::string seconds_text(long cs) {
    std::string text = std::to_string(cs / 100);
    if (cs % 100) text += (cs % 100 < 10 ? ".0" : ".") + std::to_string(cs % 100);
    if (text.back() == '0' && text.find('.') != std::string::npos) text.pop_back();
    return text + " s";
}

/// address/prefix in canonical form; an unwritten prefix is the host prefix
/// keepalived assumes.
std::set<std::string> vip_set(const model::KeepalivedInstance& in) {
    std::set<std::string> set;
    for (const auto& vip : in.vips) {
        std::string address = vip.address;
        unsigned char bytes[16];
        char text[INET6_ADDRSTRLEN];
        const int af = vip.family == Family::ipv4 ? AF_INET : AF_INET6;
        if (vip.valid && ::inet_pton(af, vip.address.c_str(), bytes) == 1 && ::inet_ntop(af, bytes, text, sizeof text))
            address = text;
        const int prefix = vip.prefix >= 0 ? vip.prefix : vip.family == Family::ipv4 ? 32 : 128;
        set.insert(address + "/" + std::to_string(prefix));
    }
    return set;
}

std::string only_in(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::string text;
    for (const auto& x : a)
        if (!b.count(x)) text += (text.empty() ? "" : " ") + x;
    return text.empty() ? "none" : text;
}

/// VRRPv2 authentication keepalived will really use: not under VRRPv3 or vrrp_strict,
/// where it is ignored (keepalived.auth reports that).
bool honours_auth(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
    return uses_auth(in) && vrrp_version(conf, in) == 2 && !conf.global.vrrp_strict;
}

std::string upper(std::string text) {
    for (auto& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return text;
}

/// Calls `compare(peer, theirs)` for every peer that has our instance.
template <class Compare>
void for_each_match(const PeerInstances& peers, const model::KeepalivedInstance& in, Compare&& compare) {
    for (size_t i = 0; i < peers.peers().size(); ++i)
        if (const auto* theirs = peers.match(in, i)) compare(peers.peers()[i], *theirs);
}

}  // namespace

void compare_priority_with_peers(const PeerInstances& peers, const model::KeepalivedInstance& in, model::Finding& f) {
    const int ours = effective_priority(in);
    for_each_match(peers, in, [&](const model::PeerNode& peer, const model::KeepalivedInstance& theirs) {
        const int other = effective_priority(theirs);
        f.evidence.emplace_back("priority on " + peer_name(peer),
                                std::to_string(other) + " (" + theirs.name + ", " +
                                    where(keyword_at(theirs, "priority")) + ")");
        const std::string pair = in.name + " here and " + theirs.name + " on " + peer_name(peer);
        if (ours == 255 && other == 255)
            raise(f, Status::fail,
                  pair + " both have priority 255: both configured as address owner, both take the VIP",
                  keyword_at(in, "priority"));
        else if (ours == other)
            raise(f, Status::warn,
                  pair + " have priority " + std::to_string(ours) +
                      ": equal priorities: the higher primary IP address wins; give the intended MASTER a "
                      "higher priority, e.g. 101/100",
                  keyword_at(in, "priority"));
    });
}

void compare_advert_int_with_peers(const PeerInstances& peers, const model::KeepalivedInstance& in, model::Finding& f) {
    const auto& conf = *peers.facts().keepalived.value;
    const auto ours = effective_advert_cs(conf, in);
    if (!ours) return;
    const bool v2 = vrrp_version(conf, in) == 2;
    for_each_match(peers, in, [&](const model::PeerNode& peer, const model::KeepalivedInstance& theirs) {
        const auto other = effective_advert_cs(peer.conf, theirs);
        if (!other) return;
        f.evidence.emplace_back("advert_int on " + peer_name(peer),
                                seconds_text(*other) + " (" + theirs.name + ", " +
                                    where(keyword_at(theirs, "advert_int")) + ")");
        if (*other == *ours) return;
        const std::string text = "advert_int " + seconds_text(*ours) + " here, " + seconds_text(*other) + " on " +
                                 peer_name(peer) + " (" + theirs.name + ")";
        if (v2)
            raise(f, Status::fail, text + ": VRRPv2 drops adverts with a different interval: both nodes become MASTER",
                  keyword_at(in, "advert_int"));
        else
            raise(f, Status::warn, text + ": VRRPv3 accepts them but the nodes disagree on the master-down timer",
                  keyword_at(in, "advert_int"));
    });
}

void compare_auth_with_peers(const PeerInstances& peers, const model::KeepalivedInstance& in, model::Finding& f) {
    const auto& conf = *peers.facts().keepalived.value;
    if (!honours_auth(conf, in)) return;
    for_each_match(peers, in, [&](const model::PeerNode& peer, const model::KeepalivedInstance& theirs) {
        if (!honours_auth(peer.conf, theirs)) return;
        // The password itself stays out of the report: the evidence says which part differs.
        std::string differs;
        if (upper(theirs.auth_type) != upper(in.auth_type))
            differs = "auth_type " + in.auth_type + " here, " + theirs.auth_type + " on " + peer_name(peer);
        else if (theirs.auth_pass.substr(0, 8) != in.auth_pass.substr(0, 8))
            differs = "auth_pass differs from " + peer_name(peer) + " in its first 8 characters (the ones keepalived uses)";
        f.evidence.emplace_back("authentication on " + peer_name(peer),
                                theirs.auth_type + " (" + theirs.name + ", " + where(keyword_at(theirs, "auth_type")) +
                                    ")" + (differs.empty() ? ", same" : ", differs"));
        if (!differs.empty())
            raise(f, Status::fail, differs + ": adverts are rejected: both nodes become MASTER",
                  keyword_at(in, differs.rfind("auth_type", 0) == 0 ? "auth_type" : "auth_pass"));
    });
}

std::vector<model::Finding> evaluate_keepalived_peers(const model::Facts& facts, const policy::Policy&) {
    if (auto f = without_keepalived_conf(facts)) return {*f};
    if (facts.peers.empty()) return {nothing_to_judge("no --peer-conf or --peer-facts: nothing to compare with")};
    const PeerInstances peers(facts);
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
        auto f = finding(in.name, Status::pass, "");
        const auto vrid = parse_integer(in.virtual_router_id);
        if (!vrid) {
            f.status = Status::skip;
            f.message = "no valid virtual_router_id to match on the peers (see keepalived.vrid)";
            return f;
        }
        const auto ours = vip_set(in);
        const int version = vrrp_version(conf, in);
        const auto vip_at = in.vip_block.at.line > 0 ? in.vip_block.at : in.block.at;
        for (size_t i = 0; i < facts.peers.size(); ++i) {
            const auto& peer = facts.peers[i];
            const std::string name = peer_name(peer);
            if (!peer.conf.present) {
                f.evidence.emplace_back(name, "no configuration: " + peer.conf.absent_reason);
                raise(f, Status::warn, name + " has no keepalived configuration to compare", in.block.at);
                continue;
            }
            const auto* theirs = peers.match(in, i);
            if (!theirs) {
                f.evidence.emplace_back(name, "no instance with VRID " + std::to_string(*vrid) + " and " +
                                                  model::to_string(instance_family(in)));
                raise(f, Status::warn, "peer " + name + " has no instance with VRID " + std::to_string(*vrid),
                      keyword_at(in, "virtual_router_id"));
                continue;
            }
            f.evidence.emplace_back(name, theirs->name + " at " + where(theirs->block.at));
            const auto other = vip_set(*theirs);
            if (other != ours) {
                f.evidence.emplace_back("VIPs only here", only_in(ours, other));
                f.evidence.emplace_back("VIPs only on " + name, only_in(other, ours));
                raise(f, Status::warn,
                      "the VIPs differ from " + theirs->name + " on " + name +
                          ": after a failover the other node serves other addresses",
                      vip_at);
            }
            const int other_version = vrrp_version(peer.conf, *theirs);
            if (other_version != version)
                raise(f, Status::warn,
                      "VRRP version " + std::to_string(version) + " here, " + std::to_string(other_version) + " on " +
                          name + ": the nodes do not understand each other's adverts",
                      keyword_at(in, "version"));
        }
        if (f.status == Status::pass)
            f.message = "VIPs and VRRP version agree with " + std::to_string(facts.peers.size()) + " peer(s)";
        return f;
    });
}

}  // namespace haprep::checks
