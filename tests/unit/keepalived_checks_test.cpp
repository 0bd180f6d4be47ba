// The keepalived.* checks and env.multicast on Facts built from keepalived.conf text:
// status, subject and the file:line each finding points at.

#include <doctest/doctest.h>

#include <algorithm>

#include "checks/check.h"
#include "fixtures.h"
#include "keepalived/config.h"

using namespace haprep;
using model::Family;
using model::Status;
using testing::evidence;
using testing::run;
using testing::run_all;

namespace {

const std::string kPath = "/etc/keepalived/keepalived.conf";

model::KeepalivedConf parse(const std::string& text, const std::string& path = kPath) {
    const std::vector<model::ConfigFile> files = {{path, text}};
    return keepalived::parse_config(path, keepalived::memory_loader(files), "host");
}

/// node1 of the fixture (eth0: 192.0.2.10/24, fe80::10) running `text`.
model::Facts facts_with(const std::string& text) {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.keepalived = model::Fact<model::KeepalivedConf>::known(parse(text));
    facts.platform = model::Fact<model::Platform>::known({});
    return facts;
}

void add_peer(model::Facts& facts, const std::string& text) {
    const std::string path = "/tmp/node2/keepalived.conf";
    facts.peers.push_back({"--peer-conf " + path, "", parse(text, path), {}});
}

const model::Finding& subject(const std::vector<model::Finding>& findings, const std::string& name) {
    auto it = std::find_if(findings.begin(), findings.end(), [&](const auto& f) { return f.subject.text() == name; });
    REQUIRE(it != findings.end());
    return *it;
}

int line_of(const model::Finding& f) {
    REQUIRE(f.source.has_value());
    CHECK(f.source->file == kPath);
    return f.source->line;
}

bool says(const model::Finding& f, const std::string& text) { return f.message.find(text) != std::string::npos; }

/// One instance; its body starts on line 2.
std::string instance(const std::string& body, const std::string& name = "VI_1") {
    return "vrrp_instance " + name + " {\n" + body + "}\n";
}

const std::string kBody =
    "    state MASTER\n"                  // 2
    "    interface eth0\n"                // 3
    "    virtual_router_id 51\n"          // 4
    "    priority 101\n"                  // 5
    "    advert_int 1\n"                  // 6
    "    virtual_ipaddress {\n"           // 7
    "        192.0.2.100/24\n"            // 8
    "    }\n";                            // 9

const std::vector<std::string> kKeepaliveChecks = {
    "keepalived.parse",     "keepalived.interface",      "keepalived.vrid",
    "keepalived.priority",  "keepalived.advert_int",     "keepalived.auth",
    "keepalived.unicast",   "keepalived.nopreempt",      "keepalived.ipv6_first_vip",
    "keepalived.sync_group_single", "keepalived.track_script", "keepalived.peers"};

}  // namespace

TEST_CASE("keepalived checks: unreadable → one '-' unknown, absent → one '-' skip with the reason") {
    auto facts = facts_with("");
    facts.keepalived = model::Fact<model::KeepalivedConf>::unreadable("/etc/keepalived/keepalived.conf: permission denied");
    for (const auto& id : kKeepaliveChecks) {
        CAPTURE(id);
        auto f = run(facts, id);
        CHECK(f.subject.text() == "-");
        CHECK(f.status == Status::unknown);
        CHECK(says(f, "permission denied"));
    }
    facts.keepalived = model::Fact<model::KeepalivedConf>::absent("/etc/keepalived/keepalived.conf: no such file");
    for (const auto& id : kKeepaliveChecks) {
        CAPTURE(id);
        auto f = run(facts, id);
        CHECK(f.subject.text() == "-");
        CHECK(f.status == Status::skip);
        CHECK(f.message == "/etc/keepalived/keepalived.conf: no such file");
    }
}

TEST_CASE("keepalived checks: a configuration without instances, groups or scripts skips") {
    auto facts = facts_with("global_defs {\n    router_id n1\n}\n");
    for (const auto& id : kKeepaliveChecks) {
        if (id == "keepalived.parse") continue;
        CAPTURE(id);
        if (id == "keepalived.peers") add_peer(facts, "");
        auto f = run(facts, id);
        CHECK(f.subject.text() == "-");
        CHECK(f.status == Status::skip);
    }
    CHECK(run(facts, "keepalived.parse").status == Status::pass);
}

TEST_CASE("keepalived.parse: the first syntax error fails with file:line; unknown keywords warn") {
    auto f = run(facts_with(instance(kBody) + "}\n" + instance(kBody, "VI_2").substr(0, 30)), "keepalived.parse");
    CHECK(f.subject.text() == kPath);
    CHECK(f.status == Status::fail);
    CHECK(line_of(f) == 11);
    CHECK(f.message == kPath + ":11: '}' without a block to close");
    CHECK(f.evidence.size() >= 3);  // origin, then every error
    CHECK(f.evidence[1].first == kPath + ":11");

    f = run(facts_with(instance(kBody + "    advert_intt 2\n")), "keepalived.parse");
    CHECK(f.status == Status::warn);
    CHECK(line_of(f) == 10);
    CHECK(f.evidence.back().first == kPath + ":10");
    CHECK(f.evidence.back().second.find("advert_intt") != std::string::npos);

    f = run(facts_with(instance(kBody)), "keepalived.parse");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "1 files, 1 vrrp_instances");
}

TEST_CASE("keepalived.interface: missing keyword, missing on this host, dynamic_interfaces, track_interface") {
    auto f = run(facts_with(instance("    virtual_router_id 51\n")), "keepalived.interface");
    CHECK(f.subject.text() == "VI_1");
    CHECK(f.status == Status::fail);
    CHECK(line_of(f) == 1);

    f = run(facts_with(instance("    virtual_router_id 51\n    unicast_src_ip 192.0.2.10\n"
                                "    unicast_peer {\n        192.0.2.11\n    }\n")),
            "keepalived.interface");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "no interface: unicast from 192.0.2.10");

    const std::string bond = "    interface bond0\n    virtual_router_id 51\n";
    f = run(facts_with(instance(bond)), "keepalived.interface");
    CHECK(f.status == Status::fail);
    CHECK(line_of(f) == 2);
    CHECK(says(f, "interface bond0 for vrrp_instance VI_1 doesn't exist"));
    CHECK(evidence(f, "interfaces here") == "lo eth0");

    f = run(facts_with("global_defs {\n    dynamic_interfaces\n}\n" + instance(bond)), "keepalived.interface");
    CHECK(f.status == Status::warn);
    CHECK(line_of(f) == 5);

    auto facts = facts_with(instance(bond));
    facts.interfaces = model::Fact<std::vector<model::Interface>>::unreadable("RTM_GETLINK: EPERM");
    f = run(facts, "keepalived.interface");
    CHECK(f.status == Status::unknown);
    CHECK(says(f, "EPERM"));

    f = run(facts_with(instance(kBody + "    track_interface {\n        eth0\n        eth9 weight 10\n    }\n")),
            "keepalived.interface");
    CHECK(f.status == Status::fail);  // keepalived 2.2.7 stops on it
    CHECK(line_of(f) == 12);
    CHECK(says(f, "track_interface eth9"));

    f = run(facts_with(instance(kBody)), "keepalived.interface");
    CHECK(f.status == Status::pass);
    CHECK(!f.source);
}

TEST_CASE("keepalived.vrid: unset, out of range, not a number, duplicates per interface and family") {
    auto f = run(facts_with(instance("    interface eth0\n")), "keepalived.vrid");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "the virtual router id must be set"));
    CHECK(line_of(f) == 1);
    for (const char* bad : {"256", "0", "5x"}) {
        CAPTURE(bad);
        f = run(facts_with(instance("    interface eth0\n    virtual_router_id " + std::string(bad) + "\n")),
                "keepalived.vrid");
        CHECK(f.status == Status::fail);
        CHECK(line_of(f) == 3);
        CHECK(says(f, "must be between 1 & 255"));
    }
    // VI_2 starts on line 11, its virtual_router_id on line 14.
    auto findings = run_all(facts_with(instance(kBody) + instance(kBody, "VI_2")), "keepalived.vrid");
    REQUIRE(findings.size() == 2);
    CHECK(subject(findings, "VI_1").status == Status::fail);
    CHECK(subject(findings, "VI_1").message ==
          "VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0: keepalived refuses to start");
    CHECK(line_of(subject(findings, "VI_1")) == 4);
    CHECK(subject(findings, "VI_2").status == Status::fail);
    CHECK(says(subject(findings, "VI_2"), "VI_2 and VI_1 both use VRID 51"));
    CHECK(line_of(subject(findings, "VI_2")) == 14);

    // The same VRID for IPv6 on the same interface is another virtual router.
    std::string v6 = kBody;
    v6.replace(v6.find("192.0.2.100/24"), 14, "fe80::1/64");
    findings = run_all(facts_with(instance(kBody) + instance(v6, "VI_6")), "keepalived.vrid");
    CHECK(subject(findings, "VI_1").status == Status::pass);
    CHECK(subject(findings, "VI_6").status == Status::pass);
}

TEST_CASE("keepalived.priority: range, keepalived's default, equal and owner priorities on the peers") {
    auto body = [](const std::string& state, const std::string& priority) {
        std::string b = "    state " + state + "\n    interface eth0\n    virtual_router_id 51\n";
        if (!priority.empty()) b += "    priority " + priority + "\n";
        return instance(b + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n");
    };
    auto f = run(facts_with(body("MASTER", "300")), "keepalived.priority");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "keepalived uses 100 instead"));
    CHECK(line_of(f) == 5);
    CHECK(run(facts_with(body("MASTER", "high")), "keepalived.priority").status == Status::warn);

    f = run(facts_with(body("MASTER", "")), "keepalived.priority");
    CHECK(f.status == Status::pass);
    CHECK(says(f, "keepalived uses 255"));
    f = run(facts_with(body("BACKUP", "")), "keepalived.priority");
    CHECK(f.status == Status::pass);
    CHECK(says(f, "keepalived uses 100"));

    auto facts = facts_with(body("MASTER", "100"));
    add_peer(facts, body("BACKUP", ""));
    f = run(facts, "keepalived.priority");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "equal priorities: the higher primary IP address wins"));
    CHECK(line_of(f) == 5);
    CHECK(evidence(f, "priority on --peer-conf /tmp/node2/keepalived.conf").find("100 (VI_1") == 0);

    facts = facts_with(body("MASTER", ""));
    add_peer(facts, body("MASTER", "255"));
    f = run(facts, "keepalived.priority");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "both configured as address owner"));
    CHECK(line_of(f) == 1);  // unset here: the instance block

    facts = facts_with(body("MASTER", "101"));
    add_peer(facts, body("BACKUP", "100"));
    CHECK(run(facts, "keepalived.priority").status == Status::pass);
}

TEST_CASE("keepalived.advert_int: VRRPv2 whole seconds, VRRPv3 10 ms steps, peers must agree under VRRPv2") {
    auto body = [](const std::string& advert, const std::string& version = "") {
        std::string b = "    interface eth0\n    virtual_router_id 51\n";
        if (!version.empty()) b += "    version " + version + "\n";
        if (!advert.empty()) b += "    advert_int " + advert + "\n";
        return instance(b + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n");
    };
    struct Case {
        std::string advert, version;
        Status status;
        int line;
    };
    for (const auto& c : std::vector<Case>{{"1.5", "", Status::warn, 4},
                                           {"0", "", Status::warn, 4},
                                           {"256", "2", Status::warn, 5},
                                           {"3", "", Status::pass, 0},
                                           {"", "", Status::pass, 0},
                                           {"0.015", "3", Status::warn, 5},
                                           {"41", "3", Status::warn, 5},
                                           {"0.005", "3", Status::warn, 5},
                                           {"0.5", "3", Status::pass, 0},
                                           {"40.95", "3", Status::pass, 0}}) {
        CAPTURE(c.advert);
        CAPTURE(c.version);
        auto f = run(facts_with(body(c.advert, c.version)), "keepalived.advert_int");
        CHECK(f.subject.text() == "VI_1");
        CHECK(f.status == c.status);
        if (c.line) CHECK(line_of(f) == c.line);
    }
    CHECK(says(run(facts_with(body("1.5")), "keepalived.advert_int"), "must be an integer for VRRPv2"));
    CHECK(says(run(facts_with(body("")), "keepalived.advert_int"), "default 1 s"));
    // global_defs vrrp_version applies when the instance has none.
    CHECK(run(facts_with("global_defs {\n    vrrp_version 3\n}\n" + body("0.5")), "keepalived.advert_int").status ==
          Status::pass);

    auto facts = facts_with(body("1"));
    add_peer(facts, body("2"));
    auto f = run(facts, "keepalived.advert_int");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "VRRPv2 drops adverts with a different interval: both nodes become MASTER"));
    CHECK(line_of(f) == 4);
    CHECK(evidence(f, "advert_int on --peer-conf /tmp/node2/keepalived.conf").find("2 s (VI_1") == 0);

    facts = facts_with(body("", ""));  // unset is 1 s: the same as the peer's explicit 1
    add_peer(facts, body("1"));
    CHECK(run(facts, "keepalived.advert_int").status == Status::pass);

    facts = facts_with(body("1", "3"));
    add_peer(facts, body("0.5", "3"));
    f = run(facts, "keepalived.advert_int");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "1 s here, 0.5 s on"));
}

TEST_CASE("keepalived.auth: ignored under VRRPv3 and strict, AH with IPv6, truncation, peer mismatch") {
    auto body = [](const std::string& type, const std::string& pass, const std::string& vip = "192.0.2.100/24") {
        return instance("    interface eth0\n    virtual_router_id 51\n    authentication {\n        auth_type " + type +
                        "\n        auth_pass " + pass + "\n    }\n    virtual_ipaddress {\n        " + vip +
                        "\n    }\n");
    };
    auto f = run(facts_with(instance(kBody)), "keepalived.auth");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "no authentication");

    f = run(facts_with("global_defs {\n    vrrp_version 3\n}\n" + body("PASS", "secret")), "keepalived.auth");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "VRRP version 3 does not support authentication. Ignoring."));
    CHECK(line_of(f) == 7);

    f = run(facts_with("global_defs {\n    vrrp_strict\n}\n" + body("PASS", "secret")), "keepalived.auth");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "Strict mode does not support authentication"));
    CHECK(line_of(f) == 7);

    f = run(facts_with(body("AH", "secret", "fe80::1/64")), "keepalived.auth");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "Cannot use AH authentication with IPv6"));

    f = run(facts_with(body("PASS", "0123456789")), "keepalived.auth");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "keepalived truncates it to its first 8"));
    CHECK_FALSE(says(f, "01234567"));  // no password in a report
    CHECK(line_of(f) == 6);

    f = run(facts_with(body("PASS", "secret")), "keepalived.auth");
    CHECK(f.status == Status::pass);

    auto facts = facts_with(body("PASS", "secret"));
    add_peer(facts, body("PASS", "Secret"));
    f = run(facts, "keepalived.auth");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "adverts are rejected: both nodes become MASTER"));
    CHECK(line_of(f) == 6);
    CHECK(f.message.find("Secret") == std::string::npos);  // no password in the report

    facts = facts_with(body("PASS", "secret"));
    add_peer(facts, body("AH", "secret"));
    f = run(facts, "keepalived.auth");
    CHECK(f.status == Status::fail);
    CHECK(line_of(f) == 5);

    // Equal in the first 8 characters: the same password to keepalived.
    facts = facts_with(body("PASS", "01234567xx"));
    add_peer(facts, body("PASS", "01234567yy"));
    f = run(facts, "keepalived.auth");
    CHECK(f.status == Status::warn);
    CHECK(!says(f, "rejected"));

    // Under strict mode the authentication is ignored on both sides: nothing to compare.
    facts = facts_with("global_defs {\n    vrrp_strict\n}\n" + body("PASS", "secret"));
    add_peer(facts, "global_defs {\n    vrrp_strict\n}\n" + body("PASS", "other"));
    CHECK(run(facts, "keepalived.auth").status == Status::warn);
}

TEST_CASE("keepalived.unicast: multicast skips; strict, self, family, duplicates and the source address") {
    auto body = [](const std::string& src, const std::vector<std::string>& peers) {
        std::string b = "    interface eth0\n    virtual_router_id 51\n";  // 2, 3
        if (!src.empty()) b += "    unicast_src_ip " + src + "\n";       // 4
        b += "    unicast_peer {\n";                                      // 4 or 5
        for (const auto& p : peers) b += "        " + p + "\n";
        return instance(b + "    }\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n");
    };
    auto f = run(facts_with(instance(kBody)), "keepalived.unicast");
    CHECK(f.status == Status::skip);
    CHECK(f.message == "multicast");

    f = run(facts_with(body("192.0.2.10", {"192.0.2.11"})), "keepalived.unicast");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "unicast to 1 peer(s) from 192.0.2.10");

    f = run(facts_with("global_defs {\n    vrrp_strict\n}\n" + body("192.0.2.10", {"192.0.2.11"})), "keepalived.unicast");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "Unicast peers are not supported in strict mode"));
    CHECK(line_of(f) == 8);

    f = run(facts_with(body("192.0.2.10", {"192.0.2.11", "192.0.2.10"})), "keepalived.unicast");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "is this node's own unicast_src_ip"));
    CHECK(line_of(f) == 7);

    f = run(facts_with(body("", {"192.0.2.11", "192.0.2.10"})), "keepalived.unicast");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "is an address of this host (eth0)"));
    CHECK(line_of(f) == 6);

    f = run(facts_with(body("192.0.2.10", {"192.0.2.11", "2001:db8::11"})), "keepalived.unicast");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "keepalived skips it"));
    CHECK(line_of(f) == 7);

    f = run(facts_with(body("192.0.2.10", {"192.0.2.11", "192.0.2.11"})), "keepalived.unicast");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "listed twice"));
    CHECK(line_of(f) == 7);

    f = run(facts_with(body("192.0.2.99", {"192.0.2.11"})), "keepalived.unicast");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "unicast_src_ip 192.0.2.99 is not an address of this host"));
    CHECK(line_of(f) == 4);

    auto facts = facts_with(body("192.0.2.10", {"192.0.2.11"}));
    facts.addresses = model::Fact<std::vector<model::Address>>::unreadable("RTM_GETADDR: EPERM");
    f = run(facts, "keepalived.unicast");
    CHECK(f.status == Status::unknown);
    CHECK(says(f, "EPERM"));
}

TEST_CASE("keepalived.nopreempt: with state MASTER or priority 255 it warns") {
    auto body = [](const std::string& state, const std::string& priority) {
        return instance("    state " + state + "\n    interface eth0\n    virtual_router_id 51\n    priority " +
                        priority + "\n    nopreempt\n");
    };
    auto f = run(facts_with(body("MASTER", "101")), "keepalived.nopreempt");
    CHECK(f.status == Status::warn);
    CHECK(f.message == "nopreempt will not work with initial state MASTER - clearing");
    CHECK(line_of(f) == 6);
    f = run(facts_with(body("BACKUP", "255")), "keepalived.nopreempt");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "nopreempt is incompatible with priority 255"));
    CHECK(line_of(f) == 6);
    CHECK(run(facts_with(body("BACKUP", "100")), "keepalived.nopreempt").status == Status::pass);
    f = run(facts_with(instance(kBody)), "keepalived.nopreempt");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "no nopreempt");
}

TEST_CASE("keepalived.ipv6_first_vip: a link-local VIP first; move a later one, or suggest fe80::VRID") {
    auto body = [](const std::vector<std::string>& vips) {
        std::string b = "    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n";  // 2..4
        for (const auto& v : vips) b += "        " + v + "\n";                                     // 5..
        return instance(b + "    }\n");
    };
    auto f = run(facts_with(instance(kBody)), "keepalived.ipv6_first_vip");
    CHECK(f.subject.text() == "-");
    CHECK(f.status == Status::skip);

    auto findings = run_all(facts_with(instance(kBody) + body({"2001:db8::100/64", "fe80::1/64"}).replace(14, 4, "VI_6")),
                            "keepalived.ipv6_first_vip");
    REQUIRE(findings.size() == 1);  // the IPv4 instance says nothing
    f = findings[0];
    CHECK(f.subject.text() == "VI_6");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "move fe80::1/64 (" + kPath + ":16) to the front"));
    CHECK(line_of(f) == 15);
    CHECK(f.fix == "keepalived.conf");

    f = run(facts_with(body({"2001:db8::100/64"})), "keepalived.ipv6_first_vip");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "fe80::33/64"));
    CHECK(evidence(f, "fix") == "no link-local VIP to move");
    CHECK(line_of(f) == 5);

    f = run(facts_with(body({"fe80::33/64", "2001:db8::100/64"})), "keepalived.ipv6_first_vip");
    CHECK(f.status == Status::pass);
}

TEST_CASE("keepalived.sync_group_single: one member, unknown members, an instance in two groups") {
    const std::string two = instance(kBody) + instance(kBody, "VI_2");  // lines 1..20
    auto f = run(facts_with(two + "vrrp_sync_group G1 {\n    group {\n        VI_1\n    }\n}\n"), "keepalived.sync_group_single");
    CHECK(f.subject.text() == "G1");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "Sync group G1 has only 1 virtual router(s)"));
    CHECK(line_of(f) == 21);
    CHECK(f.fix == "keepalived.conf");

    f = run(facts_with(two + "vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_9\n        VI_2\n    }\n}\n"),
            "keepalived.sync_group_single");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "member VI_9 names no vrrp_instance: unknown member ignored"));
    CHECK(line_of(f) == 24);

    auto findings = run_all(facts_with(two + "vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n}\n" +
                                       "vrrp_sync_group G2 {\n    group {\n        VI_1\n        VI_2\n    }\n}\n"),
                            "keepalived.sync_group_single");
    REQUIRE(findings.size() == 2);
    CHECK(subject(findings, "G1").status == Status::pass);
    CHECK(subject(findings, "G2").status == Status::warn);
    CHECK(says(subject(findings, "G2"), "VI_1 is already in sync group G1"));
    CHECK(line_of(subject(findings, "G2")) == 29);
}

TEST_CASE("keepalived.track_script: an undefined tracked script, an unused script") {
    const std::string script = "vrrp_script chk_haproxy {\n    script \"/usr/bin/killall -0 haproxy\"\n}\n";  // 1..3
    auto track = [](const std::string& name) {
        return instance(kBody + "    track_script {\n        " + name + "\n    }\n");  // at 4; entry line 14
    };
    auto findings = run_all(facts_with(script + track("chk_haproxy")), "keepalived.track_script");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].status == Status::pass);
    CHECK(findings[0].message == "tracks chk_haproxy");

    findings = run_all(facts_with(script + track("chk_nginx")), "keepalived.track_script");
    REQUIRE(findings.size() == 2);
    const auto& missing = subject(findings, "VI_1");
    CHECK(missing.status == Status::warn);
    CHECK(says(missing, "track script chk_nginx not found, ignoring"));
    CHECK(line_of(missing) == 14);
    const auto& unused = subject(findings, "chk_haproxy");
    CHECK(unused.status == Status::warn);
    CHECK(says(unused, "script chk_haproxy is not used"));
    CHECK(line_of(unused) == 1);

    // A sync group's track_script uses the script too.
    findings = run_all(facts_with(script + instance(kBody) +
                                  "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n"
                                  "    track_script {\n        chk_haproxy\n    }\n}\n"),
                       "keepalived.track_script");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].subject.text() == "VI_1");
    CHECK(findings[0].status == Status::pass);
    // ... and one it names must exist. The word in a comment is no tracking.
    findings = run_all(facts_with(script + instance(kBody) +
                                  "vrrp_sync_group G {  # chk_haproxy\n    group {\n        VI_1\n    }\n"
                                  "    track_script {\n        chk_nope\n    }\n}\n"),
                       "keepalived.track_script");
    REQUIRE(findings.size() == 3);
    CHECK(subject(findings, "G").status == Status::warn);
    CHECK(says(subject(findings, "G"), "track script chk_nope of sync group G not found"));
    CHECK(subject(findings, "chk_haproxy").status == Status::warn);

    auto f = run(facts_with(instance(kBody)), "keepalived.track_script");
    CHECK(f.subject.text() == "-");
    CHECK(f.status == Status::skip);
}

TEST_CASE("keepalived.peers: the matching instance, its VIPs and version") {
    auto body = [](const std::string& iface, const std::string& vip, const std::string& version = "") {
        return instance("    interface " + iface + "\n    virtual_router_id 51\n" +
                        (version.empty() ? "" : "    version " + version + "\n") + "    virtual_ipaddress {\n        " +
                        vip + "\n    }\n");
    };
    auto f = run(facts_with(body("eth0", "192.0.2.100/24")), "keepalived.peers");
    CHECK(f.subject.text() == "-");
    CHECK(f.status == Status::skip);
    CHECK(says(f, "no --peer-conf or --peer-facts"));

    // Another interface name on the peer: the only instance with VRID 51 matches.
    auto facts = facts_with(body("eth0", "192.0.2.100/24"));
    add_peer(facts, body("ens3", "192.0.2.100/24"));
    f = run(facts, "keepalived.peers");
    CHECK(f.subject.text() == "VI_1");
    CHECK(f.status == Status::pass);

    facts = facts_with(body("eth0", "192.0.2.100/24"));
    add_peer(facts, body("eth0", "192.0.2.101/24"));
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "the VIPs differ"));
    CHECK(line_of(f) == 4);
    CHECK(evidence(f, "VIPs only here") == "192.0.2.100/24");

    facts = facts_with(body("eth0", "192.0.2.100/24"));
    add_peer(facts, body("eth0", "192.0.2.100/24", "3"));
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "VRRP version 2 here, 3 on --peer-conf /tmp/node2/keepalived.conf"));
    CHECK(line_of(f) == 1);

    facts = facts_with(body("eth0", "192.0.2.100/24"));
    add_peer(facts, body("eth0", "2001:db8::100/64"));  // VRID 51 for IPv6: another router
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "has no instance with VRID 51"));
    CHECK(line_of(f) == 3);

    // With two candidates on other interfaces, neither is guessed.
    facts = facts_with(body("eth0", "192.0.2.100/24"));
    add_peer(facts, body("ens3", "192.0.2.100/24") + body("ens4", "192.0.2.100/24").replace(14, 4, "VI_2"));
    CHECK(says(run(facts, "keepalived.peers"), "has no instance with VRID 51"));
}

TEST_CASE("env.multicast: clouds fail, OpenStack warns, unicast and other platforms pass, containers skip, "
          "unreadable DMI is unknown") {
    auto facts = facts_with(instance(kBody));
    facts.vrrp.instances = {testing::instance("eth0", Family::ipv4, model::VrrpMode::multicast, {"192.0.2.11"})};
    facts.vrrp.instances[0].name = "VI_1";
    auto on = [&](model::Platform p) {
        facts.platform = model::Fact<model::Platform>::known(p);
        return run(facts, "env.multicast");
    };
    auto f = on({"Amazon EC2", "m5.large", "Amazon EC2", ""});
    CHECK(f.subject.text() == "VI_1");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "AWS does not forward multicast"));
    CHECK(evidence(f, "peers") == "192.0.2.11");
    CHECK(line_of(f) == 1);
    CHECK(f.fix == "keepalived.conf");
    CHECK(says(on({"Xen", "HVM domU", "Amazon", ""}), "AWS"));
    CHECK(says(on({"Google", "Google Compute Engine", "Google", ""}), "GCP does not forward multicast"));
    CHECK(says(on({"Microsoft Corporation", "Virtual Machine", "", "7783-7084-3265-9085-8269-3286-77"}), "Azure"));
    CHECK(on({"Microsoft Corporation", "Virtual Machine", "", "0000-0000"}).status == Status::pass);  // Hyper-V
    f = on({"OpenStack Foundation", "OpenStack Nova", "SeaBIOS", ""});
    CHECK(f.status == Status::warn);
    CHECK(says(f, "IP protocol 112"));
    f = on({"QEMU", "Standard PC (Q35 + ICH9, 2009)", "SeaBIOS", ""});
    CHECK(f.status == Status::pass);
    CHECK(says(f, "QEMU"));

    facts.vrrp.instances[0].mode = model::VrrpMode::unicast;
    CHECK(on({"Amazon EC2", "m5.large", "Amazon EC2", ""}).status == Status::pass);

    facts.vrrp.instances[0] = testing::instance("eth0", Family::ipv4);
    f = on({"Amazon EC2", "m5.large", "Amazon EC2", ""});
    CHECK(f.subject.text() == "eth0");
    CHECK(evidence(f, "peers") == "");

    facts.platform = model::Fact<model::Platform>::absent("/sys/class/dmi/id: no such directory");
    f = run(facts, "env.multicast");
    CHECK(f.subject.text() == "-");
    CHECK(f.status == Status::skip);
    CHECK(says(f, "no such directory"));

    // DMI that is there may name a cloud: not being able to read it decides nothing.
    facts.platform = model::Fact<model::Platform>::unreadable("/sys/class/dmi/id/sys_vendor: Permission denied");
    f = run(facts, "env.multicast");
    CHECK(f.subject.text() == "-");
    CHECK(f.status == Status::unknown);
    CHECK(f.message == "platform unknown (/sys/class/dmi/id/sys_vendor: Permission denied): cannot tell whether it "
                       "forwards multicast");

    facts.vrrp.instances.clear();
    CHECK(run(facts, "env.multicast").status == Status::skip);
}

namespace {

/// A unicast instance with VRID 51 on eth0; `src` empty: no unicast_src_ip line.
/// Lines: 1 vrrp_instance, 2 interface, 3 virtual_router_id, [4 unicast_src_ip],
/// then unicast_peer {, one line per peer, }, then the VIPs.
std::string unicast_instance(const std::string& src, const std::vector<std::string>& peers,
                             const std::string& extra = "") {
    std::string body = "    interface eth0\n    virtual_router_id 51\n";
    if (!src.empty()) body += "    unicast_src_ip " + src + "\n";
    body += extra + "    unicast_peer {\n";
    for (const auto& p : peers) body += "        " + p + "\n";
    body += "    }\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n";
    return instance(body);
}

/// node2 as `haprep snapshot` tells it (--peer-facts): its configuration and addresses.
void add_peer_facts(model::Facts& facts, const std::string& text, std::vector<model::Address> addresses) {
    const std::string path = "/etc/keepalived/keepalived.conf";
    facts.peers.push_back({"--peer-facts /tmp/node2.json", "node2", parse(text, path), std::move(addresses)});
}

const std::string kPeerPath = "/tmp/node2/keepalived.conf";

}  // namespace

TEST_CASE("keepalived.peers: the peer's unicast_peer does not list our source (typo there): fail naming both sides") {
    auto facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.11"}));
    add_peer(facts, unicast_instance("192.0.2.11", {"192.0.2.19"}));  // typo: .19 for .10
    auto f = run(facts, "keepalived.peers");
    CHECK(f.subject.text() == "VI_1");
    CHECK(f.status == Status::fail);
    CHECK(f.severity == model::Severity::warn);  // the check's default; this finding is a split brain
    CHECK(says(f, "VI_1 on --peer-conf " + kPeerPath + " (" + kPeerPath +
                      ":1) does not list 192.0.2.10 in its unicast_peer (" + kPeerPath + ":5)"));
    CHECK(says(f, "192.0.2.10 is the unicast source of VI_1 here (" + kPath + ":1) (its unicast_src_ip, " + kPath +
                      ":4)"));
    CHECK(says(f, "this node never hears it"));
    CHECK(line_of(f) == 4);  // our unicast_src_ip: the address that is missing there
    CHECK(evidence(f, "unicast source here") == "192.0.2.10 (its unicast_src_ip, " + kPath + ":4)");
}

TEST_CASE("keepalived.peers: our unicast_peer does not list the peer's unicast_src_ip (typo here): fail") {
    auto facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.19"}));  // typo: .19 for .11
    add_peer(facts, unicast_instance("192.0.2.11", {"192.0.2.10"}));
    auto f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "VI_1 here (" + kPath + ":1) does not list 192.0.2.11 in its unicast_peer (" + kPath + ":5)"));
    CHECK(says(f, "192.0.2.11 is the unicast source of VI_1 on --peer-conf " + kPeerPath + " (" + kPeerPath +
                      ":1) (its unicast_src_ip, " + kPeerPath + ":4)"));
    CHECK(says(f, "the peer never hears it"));
    CHECK(line_of(f) == 5);  // our unicast_peer block
    CHECK(evidence(f, "unicast source on --peer-conf " + kPeerPath) ==
          "192.0.2.11 (its unicast_src_ip, " + kPeerPath + ":4)");

    // Both typos: both directions named in one finding.
    facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.19"}));
    add_peer(facts, unicast_instance("192.0.2.11", {"192.0.2.18"}));
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "does not list 192.0.2.10"));
    CHECK(says(f, "does not list 192.0.2.11"));
}

TEST_CASE("keepalived.peers: unicast peers that list each other pass; a mode mismatch warns") {
    auto facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.11"}));
    add_peer(facts, unicast_instance("192.0.2.11", {"192.0.2.10"}));
    auto f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::pass);
    CHECK(f.message == "VIPs, VRRP version and unicast peers agree with 1 peer(s)");

    // Two peers, each listed: a third node's entries in the list are fine.
    facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.11", "192.0.2.12"}));
    add_peer(facts, unicast_instance("192.0.2.11", {"192.0.2.10", "192.0.2.12"}));
    CHECK(run(facts, "keepalived.peers").status == Status::pass);

    facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.11"}));
    add_peer(facts, instance("    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n"
                             "        192.0.2.100/24\n    }\n"));
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "unicast here, multicast in VI_1 on --peer-conf"));
}

TEST_CASE("keepalived.peers: no unicast_src_ip: our primary address, the peer's from --peer-facts") {
    using testing::address;
    const std::vector<model::Address> node2 = {address("eth0", 2, Family::ipv4, "192.0.2.11", 24),
                                               address("eth0", 2, Family::ipv4, "192.0.2.21", 24),
                                               address("eth0", 2, Family::ipv6, "fe80::11", 64)};
    auto facts = facts_with(unicast_instance("", {"192.0.2.11"}));
    add_peer_facts(facts, unicast_instance("", {"192.0.2.10"}), node2);
    auto f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::pass);
    CHECK(evidence(f, "unicast source here") == "192.0.2.10 (no unicast_src_ip: the primary IPv4 address of eth0)");
    CHECK(evidence(f, "unicast source on --peer-facts /tmp/node2.json (node2)") ==
          "192.0.2.11 (no unicast_src_ip: the primary IPv4 address of eth0)");

    // The peer lists a typo instead of our primary address.
    facts = facts_with(unicast_instance("", {"192.0.2.11"}));
    add_peer_facts(facts, unicast_instance("", {"192.0.2.19"}), node2);
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "does not list 192.0.2.10 in its unicast_peer (/etc/keepalived/keepalived.conf:4): 192.0.2.10 is "
                  "the unicast source of VI_1 here (" + kPath + ":1) (no unicast_src_ip: the primary IPv4 address of "
                  "eth0)"));
    CHECK(line_of(f) == 1);  // no unicast_src_ip to point at: the instance

    // We list a typo instead of the peer's primary address (its snapshot tells it).
    facts = facts_with(unicast_instance("", {"192.0.2.19"}));
    add_peer_facts(facts, unicast_instance("", {"192.0.2.10"}), node2);
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::fail);
    CHECK(says(f, "does not list 192.0.2.11 in its unicast_peer (" + kPath + ":4): 192.0.2.11 is the unicast source "
                  "of VI_1 on --peer-facts /tmp/node2.json (node2)"));
    CHECK(line_of(f) == 4);

    // We list the peer's other address on the segment: adverts arrive; only
    // check_unicast_src (ours) would drop the peer's, so warn, and fail with it.
    facts = facts_with(unicast_instance("", {"192.0.2.21"}));
    add_peer_facts(facts, unicast_instance("", {"192.0.2.10"}), node2);
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::warn);
    CHECK(says(f, "it lists 192.0.2.21"));
    facts = facts_with(unicast_instance("", {"192.0.2.21"}, "    check_unicast_src\n"));
    add_peer_facts(facts, unicast_instance("", {"192.0.2.10"}), node2);
    CHECK(run(facts, "keepalived.peers").status == Status::fail);

    // --peer-conf without unicast_src_ip: the peer's source cannot be known, only ours is judged.
    facts = facts_with(unicast_instance("", {"192.0.2.19"}));
    add_peer(facts, unicast_instance("", {"192.0.2.10"}));
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::pass);
    CHECK(evidence(f, "unicast source on --peer-conf " + kPeerPath) ==
          "unknown (no unicast_src_ip and no --peer-facts to tell its addresses)");
    // A unicast_src_ip that is no address (keepalived.unicast's business there) is not compared.
    facts = facts_with(unicast_instance("192.0.2.10", {"192.0.2.11"}));
    add_peer(facts, unicast_instance("192.0.2.1l", {"192.0.2.10"}));
    CHECK(run(facts, "keepalived.peers").status == Status::pass);

    // IPv6: keepalived sends from the link-local address.
    auto v6 = [](const std::string& peer) {
        return instance("    interface eth0\n    virtual_router_id 51\n    unicast_peer {\n        " + peer +
                        "\n    }\n    virtual_ipaddress {\n        2001:db8::100/64\n    }\n");
    };
    facts = facts_with(v6("fe80::11"));
    add_peer_facts(facts, v6("fe80::10"), node2);
    f = run(facts, "keepalived.peers");
    CHECK(f.status == Status::pass);
    CHECK(evidence(f, "unicast source here") == "fe80::10 (no unicast_src_ip: the link-local address of eth0)");
    facts = facts_with(v6("fe80::11"));
    add_peer_facts(facts, v6("2001:db8::10"), node2);
    CHECK(says(run(facts, "keepalived.peers"), "does not list fe80::10"));
}
