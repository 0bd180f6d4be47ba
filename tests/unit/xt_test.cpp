// Compat (x_tables) expressions as iptables-nft stores them, read from a snapshot of
// a real ruleset (tests/data/nft/iptables_nft.json: the rules below loaded with
// iptables-nft 1.8.9 in a namespace, read over netlink): the info structs decode to
// what iptables-save prints, and the evaluator decides the VRRP advert through them.

#include <doctest/doctest.h>

#include <fstream>

#include "firewall/nft_eval.h"
#include "firewall/xt.h"
#include "fixtures.h"
#include "model/json.h"

using namespace haprep;
using firewall::NftVerdict;

namespace {

model::NftRuleset captured() {
    return *nlohmann::json::parse(testing::test_data("nft/iptables_nft.json"))
                .get<model::Facts>()
                .nft.value;
}

firewall::VrrpPacket advert() {
    firewall::VrrpPacket p;
    p.iifname = "eth0";
    p.iif = 2;
    p.saddr = "192.0.2.2";
    p.daddr = "224.0.0.18";
    p.own_addresses = {"192.0.2.1"};
    return p;
}

}  // namespace

TEST_CASE("iptables-nft rules render as iptables-save prints them, from the kernel's info structs") {
    std::vector<std::string> texts;
    for (const auto& rule : captured().rules) texts.push_back(firewall::iptables_rule_text(rule).value_or("(none)"));
    // iptables-save prints `-m recent --rcheck --name scanners ...` and `--reject-with`:
    // haprep names those by extension only (it does not decide them, or they do not
    // change the verdict).
    const std::vector<std::string> expected = {
        "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A INPUT -m state --state INVALID -j DROP",
        "-A INPUT -p tcp -m multiport -j ACCEPT",
        "-A INPUT -m addrtype --dst-type BROADCAST -j DROP",
        "-A INPUT -m connmark --mark 0x1/0xff -j ACCEPT",
        "-A INPUT -m pkttype --pkt-type broadcast -j DROP",
        "-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j DROP",
        "-A INPUT -m recent -j LOG",
        "-A INPUT -p vrrp -m comment --comment \"keepalived\" -m limit --limit 30/min --limit-burst 10 -j ACCEPT",
        "-A INPUT -j REJECT",
        "-A PREROUTING -p vrrp -j CT --notrack"};
    CHECK(texts == expected);
}

TEST_CASE("the captured iptables-nft ruleset: every match decided, -m recent assumed both ways, the limit recorded") {
    const auto ruleset = captured();
    const auto v = firewall::evaluate_packet(ruleset, advert());
    CHECK(v.outcome == NftVerdict::Outcome::accept);
    CHECK(v.untracked);  // CT --notrack in raw PREROUTING (priority -300)
    REQUIRE(v.assumed.size() == 1);
    CHECK(v.assumed[0].find("-A INPUT -m recent -j LOG") != std::string::npos);
    CHECK(v.assumed[0].find("accept either way") != std::string::npos);
    REQUIRE(v.limits.size() == 1);
    CHECK(v.limits[0].per_second == doctest::Approx(0.5));
    CHECK(v.limits[0].burst == 10);

    // From inside 10.0.0.1-10.0.0.9 the iprange rule drops it.
    auto from_range = advert();
    from_range.saddr = "10.0.0.5";
    const auto d = firewall::evaluate_packet(ruleset, from_range);
    CHECK(d.outcome == NftVerdict::Outcome::drop);
    CHECK(d.decided_by.find("-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j DROP") != std::string::npos);

    // With the peer unknown, that range makes the verdict depend on the source.
    auto unknown = advert();
    unknown.saddr.clear();
    CHECK(firewall::evaluate_packet(ruleset, unknown).outcome == NftVerdict::Outcome::source_dependent);
}

TEST_CASE("compat info structs shorter than the kernel's are never read past: undecidable, not a crash") {
    auto ruleset = captured();
    for (auto& rule : ruleset.rules)
        for (auto& e : rule.exprs)
            if (e.name == "match") e.data = e.data.substr(0, 6);
    const auto v = firewall::evaluate_packet(ruleset, advert());
    // Every match undecidable: the verdict depends on them and is unknown, naming one.
    CHECK(v.outcome == NftVerdict::Outcome::indeterminate);
    CHECK(v.decided_by.find("is not modelled") != std::string::npos);
}
