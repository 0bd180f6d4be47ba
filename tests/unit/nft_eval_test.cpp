// The nftables evaluator and the rule renderer on a snapshot captured from a real
// namespace (tests/data/nft/firewalld_and_peers.json: firewalld's chain layout in
// `inet firewalld` plus a table `inet peers` that accepts VRRP from 192.0.2.2 only),
// and on edits of it for the cases a live ruleset does not easily show.

#include <doctest/doctest.h>

#include "checks/check.h"
#include "firewall/nft_eval.h"
#include "fixes/fix.h"
#include "fixtures.h"
#include "model/json.h"
#include "model/nft_text.h"

using namespace haprep;
using firewall::NftVerdict;
using testing::expr;

namespace {

model::Facts load(const std::string& name) {
    return nlohmann::json::parse(testing::test_data("nft/" + name)).get<model::Facts>();
}

firewall::VrrpPacket unicast_from(const std::string& peer) {
    firewall::VrrpPacket p;
    p.iifname = "eth0";
    p.iif = 2;
    p.saddr = peer;
    p.daddr = "192.0.2.1";
    p.multicast = false;
    return p;
}

model::NftRule& rule_with_text(model::NftRuleset& ruleset, const std::string& text) {
    for (auto& r : ruleset.rules)
        if (r.text == text) return r;
    FAIL("no rule " << text);
    throw;
}

}  // namespace

TEST_CASE("captured ruleset: the rules render as nft prints them") {
    const auto facts = load("firewalld_and_peers.json");
    const auto& ruleset = *facts.nft.value;
    std::vector<std::string> texts;
    for (const auto& r : ruleset.rules) texts.push_back(model::nft_rule_text(r, ruleset));
    const std::vector<std::string> expected = {"ct state established,related accept",
                                               "iifname \"lo\" accept",
                                               "ct state invalid drop",
                                               "jump filter_INPUT_ZONES",
                                               "reject",
                                               "iifname \"eth9\" goto filter_IN_internal",
                                               "goto filter_IN_public",
                                               "jump filter_IN_public_allow",
                                               "tcp dport 22 accept",
                                               "meta l4proto vrrp accept",
                                               "ip saddr 192.0.2.2 meta l4proto vrrp accept",
                                               "ip6 nexthdr vrrp accept"};
    CHECK(texts == expected);
}

TEST_CASE("an accept in one table does not override firewalld's final reject") {
    const auto facts = load("firewalld_and_peers.json");
    const auto v = firewall::evaluate_packet(*facts.nft.value, unicast_from("192.0.2.2"));
    CHECK(v.outcome == NftVerdict::Outcome::drop);
    REQUIRE(v.path.size() == 2);
    CHECK(v.path[0].chain == "inet peers input");  // priority -5 before firewalld's +10
    CHECK(v.path[0].outcome == "accept");
    CHECK(v.path[1].chain == "inet firewalld filter_INPUT");
    CHECK(v.path[1].outcome == "drop");
    CHECK(v.path[1].handle == 10);
    CHECK(v.decided_by.find("reject") != std::string::npos);

    const auto f = checks::evaluate_checks(facts, {"nft.vrrp"}, {});
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == model::Status::fail);
    CHECK(f[0].message.find("firewalld's table: firewalld decides") != std::string::npos);
    CHECK(f[0].fix == "firewalld.vrrp");  // never an nft rule in firewalld's table
}

TEST_CASE("the interface decides the zone: eth9 goes to a zone that accepts VRRP") {
    auto facts = load("firewalld_and_peers.json");
    auto packet = unicast_from("192.0.2.2");
    packet.iifname = "eth9";
    CHECK(firewall::evaluate_packet(*facts.nft.value, packet).outcome == NftVerdict::Outcome::accept);
    // Another source: the peers table's policy drop decides first.
    packet.saddr = "192.0.2.3";
    const auto v = firewall::evaluate_packet(*facts.nft.value, packet);
    CHECK(v.outcome == NftVerdict::Outcome::drop);
    CHECK(v.decided_by == "inet peers input: policy drop");
}

TEST_CASE("established traffic takes firewalld's first rule") {
    auto facts = load("firewalld_and_peers.json");
    auto packet = unicast_from("192.0.2.2");
    packet.ct_state = 0x02;
    CHECK(firewall::evaluate_packet(*facts.nft.value, packet).outcome == NftVerdict::Outcome::accept);
}

TEST_CASE("indeterminate: an iptables-nft compat match that could decide names the rule") {
    auto facts = load("firewalld_and_peers.json");
    auto& ruleset = *facts.nft.value;
    auto& invalid = rule_with_text(ruleset, "ct state invalid drop");
    invalid.exprs.insert(invalid.exprs.begin(), expr("match"));
    const auto v = firewall::evaluate_packet(ruleset, unicast_from("192.0.2.2"));
    // The compat match comes before a condition that fails for a new packet: known.
    CHECK(v.outcome == NftVerdict::Outcome::drop);

    invalid.exprs.resize(1);  // only the compat match left: it alone decides the drop here
    invalid.exprs.push_back(expr("immediate"));  // verdict 0: drop
    auto u = firewall::evaluate_packet(ruleset, unicast_from("192.0.2.2"));
    // ... but firewalld's final reject drops the advert either way: the verdict stands.
    CHECK(u.outcome == NftVerdict::Outcome::drop);
    REQUIRE(u.assumed.size() == 1);
    CHECK(u.assumed[0].find("rule handle " + std::to_string(invalid.handle)) != std::string::npos);
    CHECK(u.assumed[0].find("drop either way") != std::string::npos);

    // Where it decides: only the compat rule stands between the advert and an accept.
    model::NftRuleset alone;
    alone.chains.push_back({"ip", "filter", "INPUT", false, 1, 0, "accept", "filter", {}});
    model::NftRule only = invalid;
    only.family = "ip", only.table = "filter", only.chain = "INPUT";
    alone.rules.push_back(only);
    u = firewall::evaluate_packet(alone, unicast_from("192.0.2.2"));
    CHECK(u.outcome == NftVerdict::Outcome::indeterminate);
    CHECK(u.decided_by.find("rule handle " + std::to_string(invalid.handle)) != std::string::npos);
    CHECK(u.decided_by.find("is not modelled") != std::string::npos);
}

TEST_CASE("indeterminate: a lookup in a set that was not read; a jump loop") {
    auto facts = load("firewalld_and_peers.json");
    auto& ruleset = *facts.nft.value;
    auto& peers = rule_with_text(ruleset, "ip saddr 192.0.2.2 meta l4proto vrrp accept");
    for (auto& e : peers.exprs)
        if (e.name == "cmp" && e.data == "c0000202") {
            e = expr("lookup");
            e.sreg = 1;
            e.set = "gone";
        }
    auto v = firewall::evaluate_packet(ruleset, unicast_from("192.0.2.2"));
    REQUIRE(v.path.size() == 1);
    CHECK(v.path[0].outcome == "drop");  // the lookup assumed not to match: the policy drops
    REQUIRE(v.assumed.size() == 1);
    CHECK(v.assumed[0].find("set gone was not read") != std::string::npos);
    // firewalld's reject drops it whatever that rule decides: still a definite drop.
    CHECK(v.outcome == NftVerdict::Outcome::drop);

    facts = load("firewalld_and_peers.json");
    auto& loop = rule_with_text(*facts.nft.value, "jump filter_IN_public_allow");
    loop.exprs.back().chain = "filter_IN_public";  // jumps to itself
    v = firewall::evaluate_packet(*facts.nft.value, unicast_from("192.0.2.2"));
    CHECK(v.outcome == NftVerdict::Outcome::indeterminate);
    CHECK(v.decided_by.find("jumps nest deeper") != std::string::npos);
}

TEST_CASE("no ruleset: skip without nf_tables, unknown without privilege") {
    auto facts = load("firewalld_and_peers.json");
    facts.nft = model::Fact<model::NftRuleset>::absent("netlink socket: Protocol not supported (is nf_tables available?)");
    auto f = checks::evaluate_checks(facts, {"nft.vrrp"}, {});
    CHECK(f.at(0).status == model::Status::skip);
    CHECK(f.at(0).message == "no nftables ruleset: netlink socket: Protocol not supported (is nf_tables available?)");
    facts.nft = model::Fact<model::NftRuleset>::unreadable("NFT_MSG_GETGEN: Operation not permitted (reading the ruleset needs CAP_NET_ADMIN)");
    f = checks::evaluate_checks(facts, {"nft.vrrp"}, {});
    CHECK(f.at(0).status == model::Status::unknown);
}

TEST_CASE("nft.legacy: legacy tables whose rules were read pass (nft.vrrp judges them); unread rules warn") {
    auto facts = load("firewalld_and_peers.json");
    CHECK(checks::evaluate_checks(facts, {"nft.legacy"}, {}).at(0).status == model::Status::pass);
    model::LegacyTables legacy;
    legacy.ipv4 = {"filter", "nat"};
    facts.legacy_iptables = model::Fact<model::LegacyTables>::known(legacy);
    auto f = checks::evaluate_checks(facts, {"nft.legacy"}, {}).at(0);
    CHECK(f.status == model::Status::warn);
    CHECK(f.message.find("(filter nat)") != std::string::npos);
    CHECK(f.message.find("cannot judge them") != std::string::npos);

    legacy.save_ipv4 = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p vrrp -j DROP\nCOMMIT\n";
    facts.legacy_iptables = model::Fact<model::LegacyTables>::known(legacy);
    f = checks::evaluate_checks(facts, {"nft.legacy"}, {}).at(0);
    CHECK(f.status == model::Status::pass);
    CHECK(f.message.find("nft.vrrp judges them") != std::string::npos);
    // ... and nft.vrrp does: the legacy drop fails it, named as iptables-legacy-save prints it.
    const auto v = checks::evaluate_checks(facts, {"nft.vrrp"}, {}).at(0);
    CHECK(v.status == model::Status::fail);
    CHECK(v.message.find("legacy ip filter INPUT: rule 1: -A INPUT -p vrrp -j DROP") != std::string::npos);
    CHECK(v.message.find("iptables-legacy -I INPUT 1") != std::string::npos);
}

TEST_CASE("nft.vrrp plan: the rule goes into the chain's block of nftables.conf; no block, runtime only") {
    auto facts = load("firewalld_and_peers.json");
    // The peers table drops 192.0.2.3; firewalld's reject would too, but is never touched.
    facts.vrrp.instances[0].peers = {"192.0.2.3"};
    const std::string conf =
        "#!/usr/sbin/nft -f\n"
        "table inet peers { # site peers\n"
        "    set unused { type ipv4_addr; }\n"
        "    chain input {\n"
        "        type filter hook input priority -5; policy drop;\n"
        "\n"
        "        ip saddr 192.0.2.2 meta l4proto vrrp accept\n"
        "    }\n"
        "}\n";
    facts.nft_config = model::Fact<std::vector<model::ConfigFile>>::known({{"/etc/nftables.conf", conf}});
    const auto findings = checks::evaluate_checks(facts, {"nft.vrrp"}, {});
    const auto plan = fixes::plan_fixes(facts, findings, policy::defaults());
    REQUIRE(plan.changes.size() == 2);
    const auto& insert = plan.changes[0];
    CHECK(insert.target == "inet peers input");
    CHECK(insert.diff ==
          "+ nft insert rule inet peers input meta l4proto vrrp iifname \"eth0\" ip saddr 192.0.2.3 counter accept "
          "comment \"haprep: allow VRRP on eth0\"\n");
    CHECK(insert.note == "also added to /etc/nftables.conf, which loads it at boot");
    const auto& file = plan.changes[1];
    REQUIRE(std::holds_alternative<model::FileWrite>(file.effect));
    CHECK(std::get<model::FileWrite>(file.effect).validation == model::FileValidation{model::NftCheck{}});
    CHECK(std::get<model::FileWrite>(file.effect).new_content.find("        type filter hook input priority -5; policy drop;\n\n"
                          "        meta l4proto vrrp iifname \"eth0\" ip saddr 192.0.2.3 counter accept comment "
                          "\"haprep: allow VRRP on eth0\"\n        ip saddr 192.0.2.2") != std::string::npos);

    facts.nft_config = model::Fact<std::vector<model::ConfigFile>>::known({{"/etc/nftables.conf", "table ip other {\n}\n"}});
    const auto runtime_only = fixes::plan_fixes(facts, findings, policy::defaults());
    REQUIRE(runtime_only.changes.size() == 1);
    CHECK(runtime_only.changes[0].note.rfind("runtime only: no nftables configuration file", 0) == 0);
}

// tests/data/nft/firewalld_default.json: a snapshot of Debian's firewalld 1.3.3 with
// its defaults (zone public, IPv6_rpfilter=yes), eth0 running IPv6 VRRP.
TEST_CASE("firewalld's IPv6 rp filter (fib saddr . mark . iif oif missing drop) passes a link-local advert") {
    const auto facts = load("firewalld_default.json");
    const auto& ruleset = *facts.nft.value;
    CHECK(rule_with_text(const_cast<model::NftRuleset&>(ruleset), "fib saddr . mark . iif oif missing drop").chain ==
          "filter_PREROUTING");

    const auto f = checks::evaluate_checks(facts, {"nft.vrrp", "firewalld.vrrp"}, {});
    REQUIRE(f.size() == 2);
    CHECK(f[0].status == model::Status::fail);  // decided by the zone, past the fib rule
    CHECK(f[0].message.find("chain filter_IN_public rule") != std::string::npos);
    CHECK(f[0].fix == "firewalld.vrrp");
    CHECK(f[1].status == model::Status::fail);
    CHECK(f[1].message.find("firewalld zone public does not let VRRP in on eth0") != std::string::npos);

    // The link-local advert passes firewalld's rp filter; a global source's route back
    // is not known offline, so there the fib rule could decide (the zone drops both).
    firewall::VrrpPacket advert;
    advert.family = model::Family::ipv6;
    advert.iifname = "eth0";
    advert.iif = 2;
    advert.saddr = "fe80::2";
    advert.daddr = "ff02::12";
    auto prerouting = [&](const firewall::VrrpPacket& p) {
        for (const auto& step : firewall::evaluate_packet(ruleset, p).path)
            if (step.chain == "inet firewalld filter_PREROUTING") return step.outcome + " (" + step.by + ")";
        return std::string("not seen");
    };
    CHECK(prerouting(advert) == "accept (policy accept)");
    advert.saddr = "2001:db8::2";
    // Evaluated both ways, the zone drops it anyway; shown is the path where the fib
    // rule did not match.
    CHECK(prerouting(advert) == "accept (policy accept)");
    const auto both = firewall::evaluate_packet(ruleset, advert);
    CHECK(both.outcome == NftVerdict::Outcome::drop);
    REQUIRE(both.assumed.size() == 1);
    CHECK(both.assumed[0].find("rule handle 52: fib saddr . mark . iif oif missing drop") != std::string::npos);
    // With the reverse path known, the fib rule is decided: through another device, dropped there.
    advert.reverse_path_via_iif = false;
    CHECK(prerouting(advert) == "drop (rule handle 52: fib saddr . mark . iif oif missing drop)");
    advert.reverse_path_via_iif = true;
    CHECK(prerouting(advert) == "accept (policy accept)");
}
