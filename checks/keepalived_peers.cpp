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
//
// Unicast instances must list each other: keepalived sends a unicast instance's adverts
// to the addresses in its unicast_peer and nowhere else, so a typo there (the peer's
// unicast_src_ip is 10.0.0.2, ours lists 10.0.0.9) means the peer never hears this node
// and takes the VIP too (keepalived.peers fails, whatever the check's default severity:
// it is a split brain). With check_unicast_src (or vrrp_check_unicast_src, min_ttl,
// max_ttl) the receiver also drops adverts whose source it does not list. Without it,
// keepalived 2.2.7 accepts an advert from any source: then only the direction whose
// sender has the typo breaks, which is still a split brain whenever that node is MASTER.
// Seen with 2.2.7 in namespaces: a backup listing another address of the master on the
// link stayed BACKUP (the adverts arrive, from a source it does not list); with
// check_unicast_src it logged "unicast source address 192.0.2.1 not a unicast peer" and
// both held the VIP. tests/integration/keepalived_unicast_peers.sh runs the typo case.

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <ranges>
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
        if (const auto ip = model::IpAddress::parse(vip.address, vip.family); vip.valid && ip)
            address = ip->text();
        const int prefix = vip.prefix >= 0 ? vip.prefix : vip.family == Family::ipv4 ? 32 : 128;
        set.insert(address + "/" + std::to_string(prefix));
    }
    return set;
}

std::string only_in(const std::set<std::string>& a, const std::set<std::string>& b) {
    auto only = a | std::views::filter([&](const std::string& x) { return !b.count(x); });
    return only.empty() ? "none" : fmt::format("{}", fmt::join(only, " "));
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

/// The address keepalived sends a unicast instance's adverts from, and what says so.
struct UnicastSource {
    std::string address;  ///< empty: cannot be known (`how` says why)
    std::string how;
};

/// One node's addresses by interface and family, built once per check (thousands of
/// instances on a host with thousands of addresses stay linear). Not `known` for a
/// --peer-conf peer or an unreadable address list.
class NodeAddresses {
public:
    NodeAddresses() = default;
    explicit NodeAddresses(const std::vector<model::Address>& addresses) : known_(true) {
        for (const auto& a : addresses) by_[{a.interface, a.family}].push_back(&a);
    }
    bool known() const { return known_; }
    /// In the order the kernel lists them: the primary address first.
    const std::vector<const model::Address*>& on(const std::string& interface, Family family) const {
        static const std::vector<const model::Address*> none;
        const auto it = by_.find({interface, family});
        return it == by_.end() ? none : it->second;
    }

private:
    bool known_ = false;
    std::map<std::pair<std::string, Family>, std::vector<const model::Address*>> by_;
};

/// keepalived's default source is the interface's primary IPv4 address (the first one,
/// never a VIP), for IPv6 its link-local address.
UnicastSource unicast_source(const model::KeepalivedInstance& in, const NodeAddresses& addresses,
                             const std::string& unknown_why) {
    if (!in.unicast_src_ip.empty()) {
        const auto at = where(keyword_at(in, "unicast_src_ip"));
        if (!address_family(in.unicast_src_ip))
            return {"", "its unicast_src_ip " + in.unicast_src_ip + " is not an address, " + at};
        return {in.unicast_src_ip, "its unicast_src_ip, " + at};
    }
    if (!addresses.known()) return {"", "no unicast_src_ip and " + unknown_why};
    if (in.interface.empty()) return {"", "no unicast_src_ip and no interface"};
    const auto family = instance_family(in);
    for (const auto* address : addresses.on(in.interface, family)) {
        const auto& a = *address;
        if (a.dadfailed) continue;
        if (family == Family::ipv6 && !model::is_link_local(a.address, Family::ipv6)) continue;
        bool vip = false;
        for (const auto& v : in.vips) vip = vip || (v.valid && same_address(v.address, a.address));
        if (vip) continue;
        return {a.address, family == Family::ipv4 ? "no unicast_src_ip: the primary IPv4 address of " + in.interface
                                                  : "no unicast_src_ip: the link-local address of " + in.interface};
    }
    return {"", "no unicast_src_ip and no " + std::string(family == Family::ipv4 ? "IPv4" : "link-local") +
                    " address on " + in.interface};
}

/// The unicast_peer entry that names `address`, else nullptr.
const model::KeepalivedItem* lists(const model::KeepalivedInstance& in, const std::string& address) {
    for (const auto& peer : in.unicast_peers)
        if (same_address(first_word(peer.text), address)) return &peer;
    return nullptr;
}

/// The first unicast_peer entry that is one of `addresses` on the instance's interface
/// (adverts sent there still arrive), else nullptr.
const model::KeepalivedItem* lists_any(const model::KeepalivedInstance& listing, const NodeAddresses& addresses,
                                       const std::string& interface, Family family) {
    for (const auto* a : addresses.on(interface, family))
        if (const auto* item = lists(listing, a->address)) return item;
    return nullptr;
}

/// The receiver drops adverts from sources it does not list (keepalived's
/// check_unicast_src, turned on globally, per instance, or by min_ttl/max_ttl).
bool checks_unicast_src(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
    if (conf.global.keywords.count("vrrp_check_unicast_src") || in.keywords.count("check_unicast_src")) return true;
    for (const auto& peer : in.unicast_peers)
        if (peer.text.find(" min_ttl") != std::string::npos || peer.text.find(" max_ttl") != std::string::npos)
            return true;
    return false;
}

std::string unicast_peer_at(const model::KeepalivedInstance& in) {
    return where(in.unicast_peer_block.at.line > 0 ? in.unicast_peer_block.at : in.block.at);
}

/// Both directions between our unicast instance and the peer's: each node's
/// unicast_peer must name the other's source address. One method per check, in the
/// order they add evidence and findings.
class UnicastComparison {
public:
    UnicastComparison(const model::Facts& facts, const NodeAddresses& our_addresses, const model::PeerNode& peer,
                      const NodeAddresses& their_addresses, const model::KeepalivedInstance& in,
                      const model::KeepalivedInstance& theirs, model::Finding& f)
        : facts_(facts), our_addresses_(our_addresses), peer_(peer), their_addresses_(their_addresses), in_(in),
          theirs_(theirs), f_(f), name_(peer_name(peer)), ours_at_(in.name + " here (" + where(in.block.at) + ")"),
          theirs_at_(theirs.name + " on " + name_ + " (" + where(theirs.block.at) + ")") {}

    void run() {
        if (in_.unicast_peers.empty() != theirs_.unicast_peers.empty()) return one_side_multicast();
        if (in_.unicast_peers.empty()) return;
        they_list_our_source();
        we_list_their_source();
    }

private:
    const model::Facts& facts_;
    const NodeAddresses& our_addresses_;
    const model::PeerNode& peer_;
    const NodeAddresses& their_addresses_;
    const model::KeepalivedInstance& in_;
    const model::KeepalivedInstance& theirs_;
    model::Finding& f_;
    const std::string name_, ours_at_, theirs_at_;

    void one_side_multicast() {
        raise(f_, Status::warn,
              std::string(in_.unicast_peers.empty() ? "multicast" : "unicast") + " here, " +
                  (theirs_.unicast_peers.empty() ? "multicast" : "unicast") + " in " + theirs_at_ +
                  ": the nodes may not hear each other; configure unicast_peer on both or neither",
              in_.unicast_peer_block.at.line > 0 ? in_.unicast_peer_block.at : in_.block.at);
    }

    /// Their unicast_peer must name our source: they send their adverts only there.
    void they_list_our_source() {
        const auto mine = unicast_source(in_, our_addresses_, "the addresses of this host cannot be read");
        f_.evidence.emplace_back("unicast source here", mine.address.empty() ? "unknown (" + mine.how + ")"
                                                                             : mine.address + " (" + mine.how + ")");
        if (mine.address.empty() || lists(theirs_, mine.address)) return;
        const std::string text = theirs_at_ + " does not list " + mine.address + " in its unicast_peer (" +
                                 unicast_peer_at(theirs_) + "): " + mine.address + " is the unicast source of " +
                                 ours_at_ + " (" + mine.how + ")";
        const auto src_at = keyword_at(in_, "unicast_src_ip");
        if (const auto* other = lists_any(theirs_, our_addresses_, in_.interface, instance_family(in_)))
            return raise_lists_another(text, *other, "this node", in_.interface, checks_unicast_src(peer_.conf, theirs_),
                                       "it drops this node's adverts: it never hears this node", "there", src_at);
        raise(f_, Status::fail,
              text + ": it sends its adverts only to the addresses listed there, so this node never hears it "
                     "and takes the VIP too (split brain); add " + mine.address + " to that unicast_peer",
              src_at);
    }

    /// Ours must name their source.
    void we_list_their_source() {
        const auto source = unicast_source(theirs_, their_addresses_,
                                           peer_.addresses.empty() && peer_.origin.rfind("--peer-conf", 0) == 0
                                               ? "no --peer-facts to tell its addresses"
                                               : "its snapshot has no addresses");
        f_.evidence.emplace_back("unicast source on " + name_, source.address.empty()
                                                                   ? "unknown (" + source.how + ")"
                                                                   : source.address + " (" + source.how + ")");
        if (source.address.empty() || lists(in_, source.address)) return;
        const std::string text = ours_at_ + " does not list " + source.address + " in its unicast_peer (" +
                                 unicast_peer_at(in_) + "): " + source.address + " is the unicast source of " +
                                 theirs_at_ + " (" + source.how + ")";
        const auto& block_at = in_.unicast_peer_block.at.line > 0 ? in_.unicast_peer_block.at : in_.block.at;
        if (const auto* other = lists_any(in_, their_addresses_, theirs_.interface, instance_family(theirs_)))
            return raise_lists_another(text, *other, name_, theirs_.interface,
                                       checks_unicast_src(*facts_.keepalived.value, in_),
                                       "this node drops the peer's adverts: it never hears the peer", "here", block_at);
        raise(f_, Status::fail,
              text + ": this node sends its adverts only to the addresses listed there, so the peer never hears it "
                     "and takes the VIP too (split brain); add " + source.address + " to this unicast_peer",
              block_at);
    }
    /// The listing node names another address of the sender on the link instead of its
    /// source: the adverts arrive, unless the listing node checks unicast sources.
    /// `drops` says who then drops whose adverts, `there` where that check would be.
    void raise_lists_another(const std::string& text, const model::KeepalivedItem& other, const std::string& sender,
                             const std::string& interface, bool checks_src, const std::string& drops, const char* there,
                             const model::SourceLocation& at) {
        const std::string but = ": it lists " + other.text.substr(0, other.text.find(' ')) + " (" + where(other.at) +
                                "), another address of " + sender + " on " + interface;
        if (checks_src)
            raise(f_, Status::fail, text + but + ", and with check_unicast_src " + drops + " and takes the VIP too", at);
        else
            raise(f_, Status::warn, text + but + ": adverts arrive, but check_unicast_src " + there + " would drop them",
                  at);
    }
};

void compare_unicast_with_peer(const model::Facts& facts, const NodeAddresses& our_addresses,
                               const model::PeerNode& peer, const NodeAddresses& their_addresses,
                               const model::KeepalivedInstance& in, const model::KeepalivedInstance& theirs,
                               model::Finding& f) {
    UnicastComparison(facts, our_addresses, peer, their_addresses, in, theirs, f).run();
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

std::vector<model::Finding> evaluate_keepalived_peers(const model::Facts& facts) {
    if (auto f = without_keepalived_conf(facts)) return {*f};
    if (facts.peers.empty()) return {nothing_to_judge("no --peer-conf or --peer-facts: nothing to compare with")};
    const PeerInstances peers(facts);
    const NodeAddresses our_addresses = facts.addresses.ok() ? NodeAddresses(*facts.addresses.value) : NodeAddresses();
    std::vector<NodeAddresses> their_addresses;
    for (const auto& peer : facts.peers)
        their_addresses.push_back(peer.addresses.empty() ? NodeAddresses() : NodeAddresses(peer.addresses));
    return per_keepalived_instance(facts, [&](const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
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
            compare_unicast_with_peer(facts, our_addresses, peer, their_addresses[i], in, *theirs, f);
        }
        if (f.status == Status::pass)
            f.message = std::string(in.unicast_peers.empty() ? "VIPs and VRRP version agree with "
                                                             : "VIPs, VRRP version and unicast peers agree with ") +
                        std::to_string(facts.peers.size()) + " peer(s)";
        return f;
    });
}

}  // namespace haprep::checks
