// firewalld's zone logic, the two firewalld checks and the planner on Facts built
// here: rich-rule parsing, zone choice (source, interface, default), the order of
// deny / allow / priorities, services carrying protocol vrrp, runtime vs permanent.

#include <doctest/doctest.h>


#include "checks/check.h"
#include "firewall/firewalld_eval.h"
#include "fixes/fix.h"
#include "fixtures.h"

using namespace haprep;
using firewall::RichRule;

/// Every finding of one check (fixtures.h: run_all); this file has always called it run.
constexpr auto run = testing::run_all;

namespace {

model::FirewalldZone zone(const std::string& name, const std::string& target = "default") {
    model::FirewalldZone z;
    z.name = name;
    z.target = target;
    z.services = {"ssh", "dhcpv6-client"};
    return z;
}

/// eth0 (192.0.2.1/24) runs IPv4 VRRP with peer 192.0.2.2; firewalld runs with the
/// default zone public, eth0 in no zone, public without VRRP in both layers.
model::Facts facts_with(model::FirewalldZone runtime_public, model::FirewalldZone permanent_public) {
    model::Facts facts;
    model::Interface eth0;
    eth0.name = "eth0";
    eth0.index = 2;
    eth0.up = eth0.multicast = true;
    facts.interfaces = model::Fact<std::vector<model::Interface>>::known({eth0});
    model::Address a;
    a.index = 2;
    a.interface = "eth0";
    a.address = "192.0.2.1";
    a.prefix = 24;
    facts.addresses = model::Fact<std::vector<model::Address>>::known({a});
    facts.vrrp.names = {"eth0"};
    facts.vrrp.source = "--interface";
    facts.vrrp.instances = {{"", "eth0", model::Family::ipv4, model::VrrpMode::multicast, {"192.0.2.2"}, "--peer"}};
    model::Firewalld fw;
    fw.state = "RUNNING";
    fw.default_zone = "public";
    fw.interface_zones = {{"eth0", ""}};
    fw.runtime.zones["public"] = std::move(runtime_public);
    fw.permanent.zones["public"] = std::move(permanent_public);
    fw.runtime.services["ssh"] = fw.permanent.services["ssh"] = {"ssh", {}};
    facts.firewalld = model::Fact<model::Firewalld>::known(std::move(fw));
    return facts;
}

firewall::VrrpPacket advert(const std::string& saddr = "192.0.2.2") {
    firewall::VrrpPacket p;
    p.iifname = "eth0";
    p.saddr = saddr;
    p.daddr = "224.0.0.18";
    return p;
}

}  // namespace

TEST_CASE("rich rules: the parts that matter to VRRP") {
    auto r = firewall::parse_rich_rule(R"(rule family="ipv4" source address="10.0.0.0/8" protocol value="vrrp" accept)");
    REQUIRE(r);
    CHECK(r->family == "ipv4");
    CHECK(r->source == "10.0.0.0/8");
    CHECK(r->element == RichRule::Element::protocol);
    CHECK(r->element_value == "vrrp");
    CHECK(r->action == RichRule::Action::accept);

    r = firewall::parse_rich_rule(R"(rule priority="-10" source not address="192.0.2.2" protocol value="112" reject type="icmp-host-prohibited")");
    REQUIRE(r);
    CHECK(r->priority == -10);
    CHECK(r->source_inverted);
    CHECK(r->action == RichRule::Action::reject);

    r = firewall::parse_rich_rule(R"(rule service name="ssh" log prefix="ssh in" level="info" limit value="1/m" accept limit value="5/m")");
    REQUIRE(r);
    CHECK(r->element == RichRule::Element::service);
    CHECK(r->limited);  // the limit after the action, not the log's

    r = firewall::parse_rich_rule(R"(rule family="ipv6" port port="22" protocol="tcp" drop)");
    REQUIRE(r);
    CHECK(r->element == RichRule::Element::other);

    CHECK_FALSE(firewall::parse_rich_rule("not a rule"));
    CHECK_FALSE(firewall::parse_rich_rule(R"(rule protocol value="112 accept)"));  // open quote
    CHECK_FALSE(firewall::parse_rich_rule(R"(rule frobnicate accept)"));
}

TEST_CASE("address_in: networks, hosts, netmask form, families never mix") {
    CHECK(firewall::address_in("192.0.2.2", "192.0.2.0/24"));
    CHECK_FALSE(firewall::address_in("192.0.3.2", "192.0.2.0/24"));
    CHECK(firewall::address_in("192.0.2.2", "192.0.2.2"));
    CHECK(firewall::address_in("10.1.2.3", "10.0.0.0/255.0.0.0"));
    CHECK(firewall::address_in("fe80::2", "fe80::/64"));
    CHECK_FALSE(firewall::address_in("fe80::2", "192.0.2.0/24"));
    CHECK_FALSE(firewall::address_in("192.0.2.2", "192.0.2.0/33"));
    CHECK_FALSE(firewall::address_in("192.0.2.2", "ipset:peers"));
}

TEST_CASE("zone choice: a bound source beats the interface, the interface beats the default zone") {
    auto facts = facts_with(zone("public"), zone("public"));
    auto& fw = *facts.firewalld.value;
    CHECK(firewall::zone_for(fw, advert()).first == "public");
    CHECK(firewall::zone_for(fw, advert()).second == "eth0 is in no zone: the default zone public takes its traffic");
    fw.interface_zones["eth0"] = "internal";
    CHECK(firewall::zone_for(fw, advert()).second == "eth0 is bound to zone internal");
    fw.source_zones["192.0.2.0/24"] = "trusted";
    CHECK(firewall::zone_for(fw, advert()).first == "trusted");
    CHECK(firewall::zone_for(fw, advert("198.51.100.7")).first == "internal");
}

TEST_CASE("inside the zone: deny rich rules before protocols, negative priority first, target last") {
    auto z = zone("public");
    auto facts = facts_with(z, z);
    const auto& fw = *facts.firewalld.value;
    auto verdict = [&](const model::FirewalldZone& with) {
        model::FirewalldLayer layer = fw.runtime;
        layer.zones["public"] = with;
        return firewall::evaluate_firewalld(fw, layer, advert());
    };
    CHECK_FALSE(verdict(z).accepts);
    CHECK(verdict(z).decided_by == "target default (reject)");

    auto with_proto = z;
    with_proto.protocols = {"vrrp"};
    CHECK(verdict(with_proto).accepts);
    CHECK(verdict(with_proto).decided_by == "protocol vrrp");

    auto rejected = with_proto;
    rejected.rich_rules = {R"(rule protocol value="vrrp" reject)"};
    CHECK_FALSE(verdict(rejected).accepts);
    CHECK(verdict(rejected).decided_by == R"(rich rule: rule protocol value="vrrp" reject)");

    auto other_family = with_proto;
    other_family.rich_rules = {R"(rule family="ipv6" protocol value="vrrp" drop)"};
    CHECK(verdict(other_family).accepts);

    auto other_source = with_proto;
    other_source.rich_rules = {R"(rule family="ipv4" source address="198.51.100.0/24" drop)"};
    CHECK(verdict(other_source).accepts);

    auto peer_source = z;
    peer_source.rich_rules = {R"(rule family="ipv4" source address="192.0.2.2" accept)"};  // no element: all protocols
    CHECK(verdict(peer_source).accepts);

    auto early_accept = z;  // priority -1 accept comes before a priority-0 drop
    early_accept.rich_rules = {R"(rule protocol value="112" drop)", R"(rule priority="-1" protocol value="112" accept)"};
    CHECK(verdict(early_accept).accepts);

    auto late_drop = with_proto;  // priority 5 runs after the zone's protocols: too late
    late_drop.rich_rules = {R"(rule priority="5" protocol value="112" drop)"};
    CHECK(verdict(late_drop).accepts);

    CHECK(verdict(zone("trusted", "ACCEPT")).accepts);
    CHECK(verdict(zone("drop", "DROP")).decided_by == "target DROP (drop)");

    auto via_service = z;
    via_service.services = {"keepalived"};
    model::FirewalldLayer layer = fw.runtime;
    layer.zones["public"] = via_service;
    layer.services["keepalived"] = {"keepalived", {"vrrp"}};
    CHECK(firewall::evaluate_firewalld(fw, layer, advert()).decided_by == "service keepalived (protocol vrrp)");

    auto unknown = z;
    unknown.rich_rules = {R"(rule source ipset="peers" protocol value="vrrp" accept)", "rule gibberish"};
    const auto v = verdict(unknown);
    CHECK_FALSE(v.accepts);
    REQUIRE(v.notes.size() == 2);
    CHECK(v.notes[0] == "rich rule not understood, ignored: rule gibberish");
}

TEST_CASE("firewalld.vrrp and firewalld.permanent: each layer on its own, and what a reload would do") {
    auto with_vrrp = zone("public");
    with_vrrp.protocols = {"vrrp"};

    auto f = run(facts_with(zone("public"), zone("public")), "firewalld.vrrp");
    REQUIRE(f.size() == 1);
    CHECK(f[0].subject.text() == "eth0 (ipv4)");
    CHECK(f[0].status == model::Status::fail);
    CHECK(f[0].fix == "firewalld.vrrp");
    CHECK(f[0].message ==
          "firewalld zone public does not let VRRP in on eth0: target default (reject) (eth0 is in no zone: the "
          "default zone public takes its traffic)");

    f = run(facts_with(with_vrrp, zone("public")), "firewalld.permanent");
    CHECK(f[0].status == model::Status::warn);
    CHECK(f[0].message.find("lost at the next reload or reboot") != std::string::npos);

    const auto permanent_only = facts_with(zone("public"), with_vrrp);
    f = run(permanent_only, "firewalld.vrrp");
    CHECK(f[0].status == model::Status::fail);
    CHECK(f[0].message.find("`firewall-cmd --reload` would fix it") != std::string::npos);
    f = run(permanent_only, "firewalld.permanent");
    CHECK(f[0].status == model::Status::warn);
    CHECK(f[0].message.find("but runtime does not") != std::string::npos);

    f = run(facts_with(with_vrrp, with_vrrp), "firewalld.permanent");
    CHECK(f[0].status == model::Status::pass);
    CHECK(f[0].fix.empty());
}

TEST_CASE("firewalld checks: not running skips, unreadable or not RUNNING is unknown") {
    auto facts = facts_with(zone("public"), zone("public"));
    facts.firewalld = model::Fact<model::Firewalld>::absent("firewalld is not running (...)");
    auto f = run(facts, "firewalld.vrrp");
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == model::Status::skip);
    CHECK(f[0].message == "firewalld is not running (...)");

    facts.firewalld = model::Fact<model::Firewalld>::unreadable("firewalld: getZoneSettings2(public): org.freedesktop.DBus.Error.NoReply: gone");
    f = run(facts, "firewalld.permanent");
    CHECK(f[0].status == model::Status::unknown);
    CHECK(f[0].message.find("NoReply") != std::string::npos);

    auto starting = facts_with(zone("public"), zone("public"));
    starting.firewalld.value->state = "INIT";
    CHECK(run(starting, "firewalld.vrrp")[0].status == model::Status::unknown);
}

namespace {

std::vector<model::Change> plan_for(const model::Facts& facts) {
    auto findings = checks::evaluate_checks(facts, {"firewalld.vrrp", "firewalld.permanent"}, {});
    return fixes::plan_fixes(facts, findings, policy::defaults()).changes;
}

/// facts_with, but no peer is known: the one advert has an unknown source.
model::Facts facts_without_peer(model::FirewalldZone runtime_public, model::FirewalldZone permanent_public) {
    auto facts = facts_with(std::move(runtime_public), std::move(permanent_public));
    facts.vrrp.instances[0].peers.clear();
    facts.vrrp.instances[0].source = "--interface";
    return facts;
}

const char* kPeerRule = R"(rule family="ipv4" source address="192.0.2.2" protocol value="vrrp" accept)";
const char* kOtherPeerRule = R"(rule family="ipv4" source address="192.0.2.9" protocol value="vrrp" accept)";

/// The rich rule a planned change adds (the change must be one).
std::string rich_rule(const model::Change& c) { return std::get<model::FirewalldRichRule>(c.effect).rule; }

}  // namespace

TEST_CASE("the plan without known peers: protocol vrrp where it is missing, in the layer that lacks it, never over a rejecting rule") {
    auto with_vrrp = zone("public");
    with_vrrp.protocols = {"vrrp"};

    auto changes = plan_for(facts_without_peer(zone("public"), zone("public")));
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].diff == "zone public (runtime): + protocol vrrp\n");
    CHECK(changes[1].diff == "zone public (permanent): + protocol vrrp\n");
    CHECK(changes[0].effect == model::ChangeEffect{model::FirewalldProtocol{"public", false, "vrrp"}});
    CHECK(model::subjects_text(changes[0].subjects) == "eth0 (ipv4)");
    CHECK(changes[0].note.empty());

    changes = plan_for(facts_without_peer(with_vrrp, zone("public")));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].target == "zone public (permanent)");
    CHECK(changes[0].note == "runtime already lets VRRP in; this keeps it after a reload or reboot");

    CHECK(plan_for(facts_without_peer(with_vrrp, with_vrrp)).empty());

    auto rejecting = zone("public");
    rejecting.rich_rules = {R"(rule protocol value="112" reject)"};
    changes = plan_for(facts_without_peer(rejecting, zone("public")));
    REQUIRE(changes.size() == 1);  // the permanent layer has no such rule
    CHECK(changes[0].target == "zone public (permanent)");
}

TEST_CASE("the plan with a known peer: a rich rule for that peer, never protocol vrrp") {
    // No restriction in the zone: the peer's rule, not the whole protocol.
    auto changes = plan_for(facts_with(zone("public"), zone("public")));
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].target == "zone public (runtime)");
    CHECK(changes[0].diff == std::string("zone public (runtime): + rich rule '") + kPeerRule + "'\n");
    CHECK(changes[0].effect == model::ChangeEffect{model::FirewalldRichRule{"public", false, kPeerRule}});
    CHECK(model::subjects_text(changes[0].subjects) == "eth0 (ipv4)");
    CHECK(changes[0].note.empty());
    CHECK(changes[1].diff == std::string("zone public (permanent): + rich rule '") + kPeerRule + "'\n");
    CHECK(changes[1].effect == model::ChangeEffect{model::FirewalldRichRule{"public", true, kPeerRule}});
    CHECK(std::string(model::kind_name(changes[0].effect)) == "firewalld_add_rich_rule");

    // A zone that takes VRRP from another source only: the known peer gets its own
    // rule in both layers; the restriction is never widened to protocol vrrp.
    auto restricted = zone("public");
    restricted.rich_rules = {kOtherPeerRule};
    changes = plan_for(facts_with(restricted, restricted));
    REQUIRE(changes.size() == 2);
    for (const auto& c : changes) {
        REQUIRE(std::holds_alternative<model::FirewalldRichRule>(c.effect));
        CHECK(c.diff.find("+ protocol") == std::string::npos);
        CHECK(std::get<model::FirewalldRichRule>(c.effect).rule == kPeerRule);
    }
    CHECK(changes[0].target == "zone public (runtime)");
    CHECK(changes[1].target == "zone public (permanent)");

    // The same zone with the peer unknown: the verdict depends on the source, so
    // nothing at all is planned.
    const auto unknown = facts_without_peer(restricted, restricted);
    const auto f = run(unknown, "firewalld.vrrp");
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == model::Status::warn);
    CHECK(plan_for(unknown).empty());

    // The peer's rule already at runtime: only the permanent one, with the note.
    auto has_rule = zone("public");
    has_rule.rich_rules = {kPeerRule};
    changes = plan_for(facts_with(has_rule, zone("public")));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].target == "zone public (permanent)");
    CHECK(std::holds_alternative<model::FirewalldRichRule>(changes[0].effect));
    CHECK(changes[0].note == "runtime already lets VRRP in; this keeps it after a reload or reboot");
    CHECK(plan_for(facts_with(has_rule, has_rule)).empty());

    // A rejecting rule comes first: the peer's rule would not help, so it is not planned.
    auto rejecting = zone("public");
    rejecting.rich_rules = {R"(rule protocol value="112" reject)"};
    changes = plan_for(facts_with(rejecting, zone("public")));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].target == "zone public (permanent)");

    // Two peers: one rule each, in each layer.
    auto two = facts_with(zone("public"), zone("public"));
    two.vrrp.instances[0].peers = {"192.0.2.2", "192.0.2.3"};
    changes = plan_for(two);
    REQUIRE(changes.size() == 4);
    CHECK(rich_rule(changes[0]) == kPeerRule);
    CHECK(rich_rule(changes[1]) ==
          R"(rule family="ipv4" source address="192.0.2.3" protocol value="vrrp" accept)");
    CHECK(changes[2].target == "zone public (permanent)");
}

TEST_CASE("the plan with a known IPv6 peer: a family ipv6 rich rule") {
    auto facts = facts_with(zone("public"), zone("public"));
    model::Address ll;
    ll.index = 2;
    ll.interface = "eth0";
    ll.address = "fe80::1";
    ll.prefix = 64;
    ll.scope = 253;
    ll.family = model::Family::ipv6;
    facts.addresses.value->push_back(ll);
    facts.vrrp.instances = {{"", "eth0", model::Family::ipv6, model::VrrpMode::multicast, {"fe80::2"}, "--peer"}};
    const auto changes = plan_for(facts);
    REQUIRE(changes.size() == 2);
    CHECK(rich_rule(changes[0]) ==
          R"(rule family="ipv6" source address="fe80::2" protocol value="vrrp" accept)");
    CHECK(model::subjects_text(changes[0].subjects) == "eth0 (ipv6)");
}
