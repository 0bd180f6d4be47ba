// A snapshot is input from elsewhere: a number out of its field's type or domain is an
// error naming the field, never a value that wrapped.

#include <doctest/doctest.h>

#include "facts_fixture.h"
#include "model/json.h"

using namespace haprep;
using nlohmann::json;

namespace {

json snapshot() { return json(testing::rp_filter_facts(1, 0)); }

/// The error parse_facts gives for `j` written as text with `raw` replacing the
/// placeholder string "@NUMBER@" (numbers no JSON library can hold as written).
std::string error_of(const json& j, const std::string& raw = "") {
    std::string text = j.dump();
    if (!raw.empty()) {
        const auto at = text.find("\"@NUMBER@\"");
        REQUIRE(at != std::string::npos);
        text.replace(at, 10, raw);
    }
    try {
        (void)model::parse_facts(text);
    } catch (const model::SnapshotFieldError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a snapshot haprep wrote loads unchanged") {
    const auto facts = testing::rp_filter_facts(1, 2);
    CHECK(model::parse_facts(json(facts).dump()) == facts);
}

TEST_CASE("a sysctl value beyond int is named as written, not wrapped") {
    auto j = snapshot();
    j["sysctl"]["net.ipv4.conf.all.rp_filter"]["value"] = "@NUMBER@";
    CHECK(error_of(j, "99999999999999999999") ==
          "sysctl net.ipv4.conf.all.rp_filter: 99999999999999999999 is out of range");
    j["sysctl"]["net.ipv4.conf.all.rp_filter"]["value"] = 4294967296ULL;  // wraps to 0 in an int
    CHECK(error_of(j) == "sysctl net.ipv4.conf.all.rp_filter: 4294967296 is out of range");
    j["sysctl"]["net.ipv4.conf.all.rp_filter"]["value"] = -2147483649LL;
    CHECK(error_of(j) == "sysctl net.ipv4.conf.all.rp_filter: -2147483649 is out of range");
    j["sysctl"]["net.ipv4.conf.all.rp_filter"]["value"] = 1.5;
    CHECK(error_of(j) == "sysctl net.ipv4.conf.all.rp_filter: 1.5 is not a whole number");
}

TEST_CASE("rp_filter is 0..2") {
    auto j = snapshot();
    j["sysctl"]["net.ipv4.conf.eth0.rp_filter"]["value"] = 3;
    CHECK(error_of(j) == "sysctl net.ipv4.conf.eth0.rp_filter: 3 is out of range (0..2)");
    j["sysctl"]["net.ipv4.conf.eth0.rp_filter"]["value"] = -1;
    CHECK(error_of(j) == "sysctl net.ipv4.conf.eth0.rp_filter: -1 is out of range (0..2)");
    j["sysctl"]["net.ipv4.conf.eth0.rp_filter"]["value"] = 2;
    CHECK(error_of(j) == "(no error)");
}

TEST_CASE("interface indexes, prefixes and scopes have their domains") {
    auto j = snapshot();
    j["interfaces"]["value"][1]["index"] = 0;
    CHECK(error_of(j) == "interfaces[1].index: 0 is out of range (1..2147483647)");
    j = snapshot();
    j["interfaces"]["value"][1]["index"] = 3000000000ULL;
    CHECK(error_of(j) == "interfaces[1].index: 3000000000 is out of range");
    j = snapshot();
    j["addresses"]["value"][0]["prefix"] = 33;  // IPv4
    CHECK(error_of(j) == "addresses[0].prefix: 33 is out of range (0..32)");
    j = snapshot();
    j["addresses"]["value"][1]["prefix"] = 129;  // IPv6
    CHECK(error_of(j) == "addresses[1].prefix: 129 is out of range (0..128)");
    j["addresses"]["value"][1]["prefix"] = 128;
    CHECK(error_of(j) == "(no error)");
    j["addresses"]["value"][1]["scope"] = 256;
    CHECK(error_of(j) == "addresses[1].scope: 256 is out of range (0..255)");
}

TEST_CASE("nft registers and unsigned fields") {
    auto facts = testing::rp_filter_facts(1, 0);
    model::NftRuleset ruleset;
    model::NftRule rule;
    rule.family = "inet";
    rule.table = "filter";
    rule.chain = "input";
    model::NftExpr expr;
    expr.name = "cmp";
    expr.sreg = 1;
    rule.exprs = {expr};
    ruleset.rules = {rule};
    facts.nft = model::Fact<model::NftRuleset>::known(ruleset);
    auto j = json(facts);
    CHECK(error_of(j) == "(no error)");
    j["nft"]["value"]["rules"][0]["exprs"][0]["sreg"] = 24;
    CHECK(error_of(j) == "nft.rules[0].exprs[0].sreg: 24 is out of range (0..23)");
    j["nft"]["value"]["rules"][0]["exprs"][0]["sreg"] = -1;  // a uint32
    CHECK(error_of(j) == "nft.rules[0].exprs[0].sreg: -1 is out of range");
    j["nft"]["value"]["rules"][0]["exprs"][0]["sreg"] = 1;
    j["nft"]["value"]["rules"][0]["handle"] = -5;  // a uint64
    CHECK(error_of(j) == "nft.rules[0].handle: -5 is out of range");
}

TEST_CASE("from_json validates too, and bad JSON is still a parse error") {
    auto j = snapshot();
    j["sysctl"]["net.ipv4.conf.all.rp_filter"]["value"] = 7;
    CHECK_THROWS_AS(j.get<model::Facts>(), model::SnapshotFieldError);
    CHECK_THROWS_AS(model::parse_facts(std::string("{\"schema\": ")), json::parse_error);
    CHECK_THROWS_AS(model::parse_facts(std::string("")), json::parse_error);
    CHECK_THROWS_AS(model::parse_facts(std::string("{} trailing")), json::parse_error);
}
