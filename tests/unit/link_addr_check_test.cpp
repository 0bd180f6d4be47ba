// link.* and addr.* on Facts snapshots, and the discovery of VRRP instances from the
// command-line options.

#include <doctest/doctest.h>

#include "agent/discovery.h"
#include "checks/check.h"
#include "facts_fixture.h"

using namespace haprep;
using model::Family;
using model::Status;

namespace {
model::Finding run(const model::Facts& facts, const std::string& id) {
    auto findings = checks::evaluate_checks(facts, {id}, {});
    REQUIRE(findings.size() == 1);
    return findings[0];
}
model::Interface& eth0(model::Facts& facts) { return facts.interfaces.value->at(1); }
}  // namespace

TEST_CASE("link.present: fails naming what is there; the other link checks then skip") {
    auto facts = testing::rp_filter_facts(0, 0);
    CHECK(run(facts, "link.present").status == Status::pass);
    facts.vrrp.names = {"bond0"};
    facts.vrrp.instances = {testing::instance("bond0", Family::ipv4)};
    auto f = run(facts, "link.present");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("no interface bond0") != std::string::npos);
    CHECK(f.evidence.back() == model::Evidence{"interfaces here", "lo eth0"});
    CHECK(run(facts, "link.up").status == Status::skip);
    CHECK(run(facts, "link.multicast").status == Status::skip);
    CHECK(run(facts, "addr.ipv4_source").status == Status::skip);
    facts.interfaces = model::Fact<std::vector<model::Interface>>::unreadable("RTM_GETLINK: EPERM");
    CHECK(run(facts, "link.present").status == Status::unknown);
}

TEST_CASE("link.up: administratively down and no carrier both fail, with different reasons") {
    auto facts = testing::rp_filter_facts(0, 0);
    CHECK(run(facts, "link.up").status == Status::pass);
    eth0(facts).lower_up = false;
    eth0(facts).operstate = "lowerlayerdown";
    auto f = run(facts, "link.up");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("no carrier (operstate lowerlayerdown)") != std::string::npos);
    eth0(facts).up = false;
    f = run(facts, "link.up");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("administratively down") != std::string::npos);
    CHECK(f.observed == "<MULTICAST,RUNNING> operstate lowerlayerdown");
}

TEST_CASE("link.multicast: fails in multicast mode with keepalived's words, passes in unicast mode") {
    auto facts = testing::rp_filter_facts(0, 0);
    eth0(facts).multicast = false;
    auto f = run(facts, "link.multicast");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("does not support multicast, specify unicast peers - disabling") != std::string::npos);
    CHECK(f.fix == "link.multicast");
    facts.vrrp.instances = {testing::instance("eth0", Family::ipv4, model::VrrpMode::unicast, {"192.0.2.20"})};
    f = run(facts, "link.multicast");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "unicast mode does not need MULTICAST on eth0");
}

TEST_CASE("addr.ipv6_link_local: usable passes; dadfailed names the duplicate; tentative; none; IPv4-only skips") {
    auto facts = testing::rp_filter_facts(0, 0);
    CHECK(run(facts, "addr.ipv6_link_local").status == Status::skip);  // fixture runs IPv4 only
    facts.vrrp.instances.push_back(testing::instance("eth0", Family::ipv6));
    CHECK(run(facts, "addr.ipv6_link_local").status == Status::pass);

    auto& ll = facts.addresses.value->at(1);
    ll.dadfailed = ll.tentative = true;
    auto f = run(facts, "addr.ipv6_link_local");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("fe80::10 on eth0 failed duplicate address detection: another node on the link uses fe80::10") !=
          std::string::npos);
    CHECK(f.observed == "fe80::10/64 tentative dadfailed");

    ll.dadfailed = false;
    CHECK(run(facts, "addr.ipv6_link_local").message.find("still tentative") != std::string::npos);

    // A global IPv6 address is no substitute for the link-local one.
    ll.address = "2001:db8::10";
    ll.tentative = false;
    f = run(facts, "addr.ipv6_link_local");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("has no IPv6 link-local address") != std::string::npos);
}

TEST_CASE("addr.*: keepalived's VIPs are never the advert's source (a dadfailed address on the VIP holder fails)") {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.vrrp.instances.push_back(testing::instance("eth0", Family::ipv6));
    // The MASTER holds its link-local VIP fe80::100 (written FE80::0100 in the configuration)
    // and the IPv4 VIP; its own link-local address failed DAD.
    facts.addresses.value->push_back(testing::address("eth0", 2, Family::ipv6, "fe80::100", 64));
    facts.addresses.value->push_back(testing::address("eth0", 2, Family::ipv4, "192.0.2.100", 24));
    model::KeepalivedConf conf;
    conf.present = true;
    model::KeepalivedInstance in;
    in.name = "VI_6";
    in.interface = "eth0";
    for (const std::string a : {"FE80::0100", "192.0.2.100"}) {
        model::KeepalivedVip vip;
        vip.address = a;
        vip.valid = true;
        vip.family = a.find(':') == std::string::npos ? Family::ipv4 : Family::ipv6;
        in.vips.push_back(vip);
    }
    conf.instances.push_back(in);
    facts.keepalived = model::Fact<model::KeepalivedConf>::known(conf);
    facts.addresses.value->at(1).dadfailed = true;  // fe80::10
    auto f = run(facts, "addr.ipv6_link_local");
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("fe80::10 on eth0 failed duplicate address detection") != std::string::npos);
    CHECK(f.evidence.back() == model::Evidence{"keepalived VIPs (never the source)", "fe80::100/64"});

    // Only the VIP left on IPv4: no source address.
    facts.addresses.value->erase(facts.addresses.value->begin());  // 192.0.2.10
    f = run(facts, "addr.ipv4_source");
    CHECK(f.status == Status::fail);
    CHECK(f.message == "eth0 has no IPv4 address other than keepalived's VIPs: keepalived has no source address for IPv4 adverts");
}

TEST_CASE("addr.ipv4_source: an address passes, none fails, unreadable is unknown") {
    auto facts = testing::rp_filter_facts(0, 0);
    auto f = run(facts, "addr.ipv4_source");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "eth0 advertises IPv4 VRRP from 192.0.2.10");
    facts.addresses.value->erase(facts.addresses.value->begin());
    CHECK(run(facts, "addr.ipv4_source").status == Status::fail);
    facts.addresses = model::Fact<std::vector<model::Address>>::unreadable("RTM_GETADDR: ENOBUFS");
    f = run(facts, "addr.ipv4_source");
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("ENOBUFS") != std::string::npos);
}

TEST_CASE("discovery: --family, the interface's own addresses, and the peers' families") {
    auto probed = testing::rp_filter_facts(0, 0);
    agent::GlobalOptions options;
    options.interfaces = {"eth0"};
    auto vrrp = agent::discover_vrrp(options, probed);
    REQUIRE(vrrp.instances.size() == 2);  // eth0 has IPv4 and IPv6 addresses
    CHECK(vrrp.instances[0].family == Family::ipv4);
    CHECK(vrrp.instances[1].family == Family::ipv6);
    CHECK(vrrp.instances[0].mode == model::VrrpMode::multicast);

    options.family = "ipv6";
    options.mode = "unicast";
    options.peers = {"192.0.2.20", "fe80::20"};
    vrrp = agent::discover_vrrp(options, probed);
    REQUIRE(vrrp.instances.size() == 1);
    CHECK(vrrp.instances[0].family == Family::ipv6);
    CHECK(vrrp.instances[0].peers == std::vector<std::string>{"fe80::20"});
    CHECK(vrrp.instances[0].source == "--family ipv6, --mode unicast");

    // No addresses at all: IPv4 assumed; an IPv6 peer adds IPv6.
    probed.addresses.value->clear();
    options.family = "auto";
    options.peers = {"fe80::20"};
    vrrp = agent::discover_vrrp(options, probed);
    REQUIRE(vrrp.instances.size() == 1);
    CHECK(vrrp.instances[0].family == Family::ipv6);
    options.peers.clear();
    vrrp = agent::discover_vrrp(options, probed);
    REQUIRE(vrrp.instances.size() == 1);
    CHECK(vrrp.instances[0].source.find("IPv4 assumed") != std::string::npos);
}
