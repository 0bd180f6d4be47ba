// nft.conntrack on hand-made Facts: nf_conntrack not loaded, unreadable, the table
// below, near and at its limit, and a `notrack` rule that keeps VRRP out of it. The
// full table is only tested here: nf_conntrack_max is read-only inside a network
// namespace, and filling the table would affect the whole machine.

#include <doctest/doctest.h>

#include <algorithm>

#include "checks/check.h"
#include "fixtures.h"
#include "host/sysctl.h"

using namespace haprep;
using model::Status;
using testing::evidence;
using testing::expr;

namespace {

constexpr const char* kCount = "net.netfilter.nf_conntrack_count";
constexpr const char* kMax = "net.netfilter.nf_conntrack_max";

model::Facts conntrack_facts(int count, int max) {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.nft = model::Fact<model::NftRuleset>::known({});
    facts.legacy_iptables = model::Fact<model::LegacyTables>::known({});
    facts.sysctl[kCount] = model::Fact<int>::known(count);
    facts.sysctl[kMax] = model::Fact<int>::known(max);
    return facts;
}

std::vector<model::Finding> run(const model::Facts& facts) {
    return testing::run_all(facts, "nft.conntrack");
}

/// table inet raw { chain prerouting { type filter hook prerouting priority raw;
///                                     meta l4proto vrrp notrack } }
model::NftRuleset notrack_ruleset() {
    model::NftRuleset ruleset;
    model::NftChain chain;
    chain.family = "inet";
    chain.table = "raw";
    chain.name = "prerouting";
    chain.hook = 0;  // prerouting
    chain.priority = -300;
    chain.policy = "accept";
    chain.type = "filter";
    ruleset.chains.push_back(chain);

    model::NftRule rule;
    rule.family = "inet";
    rule.table = "raw";
    rule.chain = "prerouting";
    rule.handle = 2;
    rule.text = "meta l4proto vrrp notrack";
    auto meta = expr("meta");
    meta.key = model::nft::kMetaL4proto;
    meta.dreg = 1;
    auto cmp = expr("cmp");
    cmp.sreg = 1;
    cmp.op = 0;  // NFT_CMP_EQ
    cmp.data = "70";  // 112: vrrp
    rule.exprs = {meta, cmp, expr("notrack")};
    ruleset.rules.push_back(rule);
    return ruleset;
}

}  // namespace

TEST_CASE("nft.conntrack: registered after nft.legacy, severity warn, no fix") {
    const auto* spec = checks::find_check("nft.conntrack");
    REQUIRE(spec != nullptr);
    CHECK(spec->severity == model::Severity::warn);
    CHECK(spec->fix.empty());
    const auto all = checks::all_checks();
    const auto at = std::find_if(all.begin(), all.end(), [](const auto& s) { return s.id == "nft.conntrack"; });
    REQUIRE(at != all.begin());
    CHECK((at - 1)->id == "nft.legacy");
}

TEST_CASE("nft.conntrack: no nf_conntrack_count (the probe's ENOENT) is not loaded: pass") {
    auto facts = conntrack_facts(0, 0);
    // What the probe records for a /proc/sys file that does not exist.
    facts.sysctl[kCount] = host::read_sysctl_int("net.netfilter.haprep_test_no_such_key");
    REQUIRE(facts.sysctl[kCount].is_absent());
    facts.sysctl[kMax] = host::read_sysctl_int("net.netfilter.haprep_test_no_such_key_either");
    const auto f = run(facts);
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == Status::pass);
    CHECK(f[0].subject.text() == "-");
    CHECK(f[0].message == "conntrack is not loaded: VRRP adverts are not tracked");
    CHECK(f[0].fix.empty());
}

TEST_CASE("nft.conntrack: a file that exists but cannot be read is unknown, with the reason") {
    auto facts = conntrack_facts(0, 0);
    facts.sysctl[kCount] = model::Fact<int>::unreadable("/proc/sys/net/netfilter/nf_conntrack_count: Permission denied");
    auto f = run(facts);
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == Status::unknown);
    CHECK(f[0].message.find("Permission denied") != std::string::npos);

    facts = conntrack_facts(10, 0);
    facts.sysctl[kMax] = model::Fact<int>::unreadable("/proc/sys/net/netfilter/nf_conntrack_max: Permission denied");
    f = run(facts);
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == Status::unknown);
    CHECK(f[0].message.find("nf_conntrack_max: Permission denied") != std::string::npos);
    CHECK(evidence(f[0], kCount) == "10");
}

TEST_CASE("nft.conntrack: a snapshot without the conntrack keys is not judged") {
    auto facts = conntrack_facts(0, 0);
    facts.sysctl.erase(kCount);
    facts.sysctl.erase(kMax);
    const auto f = run(facts);
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == Status::skip);
}

TEST_CASE("nft.conntrack: below, near and at the limit") {
    SUBCASE("below: pass with the numbers in evidence") {
        const auto f = run(conntrack_facts(120, 262144));
        REQUIRE(f.size() == 1);
        CHECK(f[0].subject.text() == "eth0 (ipv4)");
        CHECK(f[0].status == Status::pass);
        CHECK(f[0].message.find("120/262144") != std::string::npos);
        CHECK(evidence(f[0], kCount) == "120");
        CHECK(evidence(f[0], kMax) == "262144");
        CHECK(evidence(f[0], "conntrack").find("tracked") != std::string::npos);
    }
    SUBCASE("just below 90%: pass") {
        CHECK(run(conntrack_facts(899, 1000))[0].status == Status::pass);
    }
    SUBCASE("90% and above: warn") {
        const auto f = run(conntrack_facts(900, 1000));
        REQUIRE(f.size() == 1);
        CHECK(f[0].status == Status::warn);
        CHECK(f[0].message.find("900/1000") != std::string::npos);
        CHECK(f[0].fix.empty());
        CHECK(run(conntrack_facts(999, 1000))[0].status == Status::warn);
    }
    SUBCASE("at the limit: fail, naming both remedies") {
        const auto f = run(conntrack_facts(262144, 262144));
        REQUIRE(f.size() == 1);
        CHECK(f[0].status == Status::fail);
        CHECK(f[0].severity == model::Severity::warn);
        CHECK(f[0].message ==
              "the conntrack table is full (262144/262144): new VRRP packets are dropped; raise "
              "net.netfilter.nf_conntrack_max or add `notrack` for VRRP in a raw/prerouting chain");
        CHECK(f[0].fix.empty());
        CHECK(run(conntrack_facts(262150, 262144))[0].status == Status::fail);
    }
    SUBCASE("no limit (nf_conntrack_max = 0): pass") {
        CHECK(run(conntrack_facts(5000, 0))[0].status == Status::pass);
    }
}

TEST_CASE("nft.conntrack: one finding per VRRP interface and family") {
    auto facts = conntrack_facts(950, 1000);
    facts.vrrp.instances.push_back(testing::instance("eth0", model::Family::ipv6));
    const auto f = run(facts);
    REQUIRE(f.size() == 2);
    CHECK(f[0].subject.text() == "eth0 (ipv4)");
    CHECK(f[1].subject.text() == "eth0 (ipv6)");
    CHECK(f[0].status == Status::warn);
    CHECK(f[1].status == Status::warn);

    facts.vrrp.names.clear();
    facts.vrrp.instances.clear();
    const auto none = run(facts);
    REQUIRE(none.size() == 1);
    CHECK(none[0].status == Status::skip);
}

TEST_CASE("nft.conntrack: notrack for VRRP in raw prerouting passes even when the table is full") {
    auto facts = conntrack_facts(262144, 262144);
    facts.nft = model::Fact<model::NftRuleset>::known(notrack_ruleset());
    // Both families and a unicast instance with two peers: every advert is untracked.
    facts.vrrp.instances.push_back(testing::instance("eth0", model::Family::ipv6));
    facts.vrrp.instances.push_back(
        testing::instance("eth0", model::Family::ipv4, model::VrrpMode::unicast, {"192.0.2.2", "192.0.2.3"}));
    const auto f = run(facts);
    REQUIRE(f.size() == 3);
    for (const auto& finding : f) {
        CAPTURE(finding.subject.text());
        CHECK(finding.status == Status::pass);
        CHECK(finding.message.rfind("VRRP is not tracked (notrack)", 0) == 0);
        CHECK(evidence(finding, "conntrack").find("notrack") != std::string::npos);
        CHECK(evidence(finding, kCount) == "262144");
    }

    SUBCASE("a notrack for another protocol does not count") {
        facts.nft.value->rules[0].exprs[1].data = "06";  // tcp
        const auto g = run(facts);
        REQUIRE(g.size() == 3);
        for (const auto& finding : g) CHECK(finding.status == Status::fail);
    }
    SUBCASE("a notrack only for one source does not cover the other peer") {
        facts.vrrp.instances.resize(1);
        facts.vrrp.instances[0] =
            testing::instance("eth0", model::Family::ipv4, model::VrrpMode::unicast, {"192.0.2.2", "192.0.2.3"});
        auto& rule = facts.nft.value->rules[0];
        // ip saddr 192.0.2.2 (network header offset 12, 4 bytes) before the notrack.
        auto payload = expr("payload");
        payload.base = model::nft::kPayloadNetwork;
        payload.offset = 12;
        payload.len = 4;
        payload.dreg = 1;
        auto cmp = expr("cmp");
        cmp.sreg = 1;
        cmp.data = "c0000202";
        rule.family = facts.nft.value->chains[0].family = "ip";
        rule.exprs.insert(rule.exprs.begin() + 2, {payload, cmp});
        const auto g = run(facts);
        REQUIRE(g.size() == 1);
        CHECK(g[0].status == Status::fail);
        facts.vrrp.instances[0].peers = {"192.0.2.2"};  // the one source it covers
        CHECK(run(facts)[0].status == Status::pass);
    }
}

TEST_CASE("nft.conntrack: an unreadable ruleset still judges the table, VRRP assumed tracked") {
    auto facts = conntrack_facts(262144, 262144);
    facts.nft = model::Fact<model::NftRuleset>::unreadable("netlink: Operation not permitted");
    auto f = run(facts);
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == Status::fail);
    CHECK(evidence(f[0], "conntrack").find("assumed tracked") != std::string::npos);
    CHECK(evidence(f[0], "conntrack").find("Operation not permitted") != std::string::npos);

    facts = conntrack_facts(10, 262144);
    facts.nft = model::Fact<model::NftRuleset>::unreadable("netlink: Operation not permitted");
    f = run(facts);
    REQUIRE(f.size() == 1);
    CHECK(f[0].status == Status::pass);
    CHECK(evidence(f[0], "conntrack").find("assumed tracked") != std::string::npos);
}
