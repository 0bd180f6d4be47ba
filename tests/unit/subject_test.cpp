// Subjects: the display strings reports have always shown, and the promise that no two
// findings of one report share check and subject, on Facts with several instances per
// interface (unicast and multicast, both families), sync groups and scripts.

#include <doctest/doctest.h>

#include <map>
#include <set>

#include "agent/report/render.h"
#include "checks/check.h"
#include "facts_fixture.h"
#include "fixes/applier.h"
#include "keepalived/config.h"
#include "model/json.h"

using namespace haprep;
using model::Family;
using model::VrrpMode;

namespace {

const std::string kPath = "/etc/keepalived/keepalived.conf";

// VI_MC and VI_UC share eth0 and IPv4 (one multicast, one unicast); VI_6 is IPv6 on
// eth0; G1 tracks two scripts that do not exist, VI_MC one; chk_unused is tracked by none.
const char* kConf = R"(vrrp_script chk_used {
    script "/bin/true"
}
vrrp_script chk_unused {
    script "/bin/true"
}
vrrp_sync_group G1 {
    group {
        VI_MC
    }
    track_script {
        chk_missing_a
        chk_missing_b
    }
}
vrrp_instance VI_MC {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.100
    }
    track_script {
        chk_used
        chk_nope
    }
}
vrrp_instance VI_UC {
    interface eth0
    virtual_router_id 52
    priority 100
    unicast_peer {
        192.0.2.11
    }
    virtual_ipaddress {
        192.0.2.101
    }
}
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 53
    priority 100
    virtual_ipaddress {
        2001:db8::100
    }
}
vrrp_instance VI_E1 {
    interface eth1
    virtual_router_id 54
    priority 100
    virtual_ipaddress {
        198.51.100.100
    }
}
)";

model::VrrpInstance instance(const std::string& name, const std::string& interface, Family family, VrrpMode mode,
                             std::vector<std::string> peers = {}) {
    auto in = testing::instance(interface, family, mode, std::move(peers));
    in.name = name;
    return in;
}

/// Everything every check looks at, with more than one instance per interface.
model::Facts rich_facts() {
    auto facts = testing::rp_filter_facts(1, 1);
    auto& interfaces = *facts.interfaces.value;
    interfaces.push_back(testing::link("eth1", 3, false));
    auto& addresses = *facts.addresses.value;
    addresses.push_back(testing::address("eth0", 2, Family::ipv6, "2001:db8::10", 64));
    addresses.push_back(testing::address("eth1", 3, Family::ipv4, "198.51.100.10", 24));
    facts.sysctl["net.ipv4.conf.eth1.rp_filter"] = model::Fact<int>::known(1);
    facts.sysctl["net.netfilter.nf_conntrack_count"] = model::Fact<int>::known(10);
    facts.sysctl["net.netfilter.nf_conntrack_max"] = model::Fact<int>::known(100);
    facts.vrrp.names = {"eth0", "eth1"};
    facts.vrrp.source = kPath;
    facts.vrrp.instances = {instance("VI_MC", "eth0", Family::ipv4, VrrpMode::multicast),
                            instance("VI_MC", "eth0", Family::ipv6, VrrpMode::multicast),  // --family both
                            instance("VI_UC", "eth0", Family::ipv4, VrrpMode::unicast, {"192.0.2.11"}),
                            instance("VI_6", "eth0", Family::ipv6, VrrpMode::multicast),
                            instance("VI_E1", "eth1", Family::ipv4, VrrpMode::multicast)};
    const std::vector<model::ConfigFile> files = {{kPath, kConf}};
    facts.keepalived = model::Fact<model::KeepalivedConf>::known(
        keepalived::parse_config(kPath, keepalived::memory_loader(files), "host"));
    facts.nft = model::Fact<model::NftRuleset>::known({});
    facts.legacy_iptables = model::Fact<model::LegacyTables>::known({});
    model::Firewalld fw;
    fw.state = "RUNNING";
    fw.default_zone = "public";
    fw.runtime.zones["public"].name = "public";
    fw.permanent.zones["public"].name = "public";
    facts.firewalld = model::Fact<model::Firewalld>::known(fw);
    facts.platform = model::Fact<model::Platform>::known({"Amazon EC2", "t3.micro", "Amazon EC2", ""});
    return facts;
}

/// Every (check, subject) that more than one finding has.
std::vector<std::string> duplicate_keys(const std::vector<model::Finding>& findings) {
    std::map<std::pair<std::string, model::Subject>, int> count;
    std::vector<std::string> duplicates;
    for (const auto& f : findings)
        if (++count[{f.check, f.subject}] == 2) duplicates.push_back(f.check + " " + f.subject.text());
    return duplicates;
}

}  // namespace

TEST_CASE("subject: the display strings reports have always shown") {
    CHECK(model::host_subject().text() == "-");
    CHECK(model::interface_subject("eth0").text() == "eth0");
    const auto v4 = testing::instance("eth0", Family::ipv4);
    CHECK(model::adverts_subject(v4).text() == "eth0 (ipv4)");
    CHECK(model::adverts_subject(testing::instance("eth0", Family::ipv6), true).text() == "eth0 (ipv6, out)");
    CHECK(model::adverts_subject(instance("VI_1", "eth0", Family::ipv4, VrrpMode::unicast)).text() == "eth0 (ipv4)");
    CHECK(model::vrrp_instance_subject("VI_1").text() == "VI_1");
    CHECK(model::instance_subject(instance("VI_1", "eth0", Family::ipv6, VrrpMode::multicast)).text() == "VI_1");
    CHECK(model::instance_subject(v4).text() == "eth0");  // an instance from options has no name
    CHECK(model::sync_group_subject("G1").text() == "G1");
    CHECK(model::sync_group_script_subject("G1", "chk").text() == "G1");
    CHECK(model::script_subject("chk").text() == "chk");
    CHECK(model::config_file_subject(kPath).text() == kPath);
    // A change's subjects: each display string once, sorted.
    const auto unicast = instance("VI_UC", "eth0", Family::ipv4, VrrpMode::unicast);
    const auto multicast = instance("VI_MC", "eth0", Family::ipv4, VrrpMode::multicast);
    CHECK(model::subjects_text({model::adverts_subject(testing::instance("eth1", Family::ipv4)),
                                model::adverts_subject(unicast), model::adverts_subject(multicast)}) ==
          "eth0 (ipv4),eth1 (ipv4)");
}

TEST_CASE("subject: every finding of every registered check has a key of its own") {
    const auto facts = rich_facts();
    const auto findings = checks::evaluate_checks(facts, {}, {});
    std::set<std::string> checks_seen;
    for (const auto& f : findings) checks_seen.insert(f.check);
    CHECK(checks_seen.size() == checks::all_checks().size());
    CHECK(duplicate_keys(findings) == std::vector<std::string>{});
    // Several findings of one check do share a display string: the fields tell them apart.
    std::map<std::pair<std::string, std::string>, int> by_display;
    for (const auto& f : findings) ++by_display[{f.check, f.subject.text()}];
    CHECK(by_display[{"nft.vrrp", "eth0 (ipv4)"}] == 2);
    CHECK(by_display[{"firewalld.vrrp", "eth0 (ipv4)"}] == 2);
    CHECK(by_display[{"env.multicast", "VI_MC"}] == 2);
    CHECK(by_display[{"keepalived.track_script", "G1"}] == 2);
}

TEST_CASE("subject: the check table says what each check's findings judge") {
    using Kind = model::SubjectKind;
    // The kinds a check reports besides its table's (and "-" when nothing is judged).
    const std::map<std::string, std::set<Kind>> also = {
        {"keepalived.track_script", {Kind::sync_group, Kind::script}},
        {"env.multicast", {Kind::interface}},  // an instance without a name
    };
    for (const auto& f : checks::evaluate_checks(rich_facts(), {}, {})) {
        CAPTURE(f.check);
        CAPTURE(f.subject.text());
        const auto kind = f.subject.kind;
        const bool extra = also.count(f.check) && also.at(f.check).count(kind);
        CHECK((kind == checks::find_check(f.check)->subject || kind == Kind::host || extra));
    }
}

TEST_CASE("subject: the registry keeps each check's fix on every finding, the offered fix only on warn and fail") {
    for (const auto& f : checks::evaluate_checks(rich_facts(), {}, {})) {
        CAPTURE(f.check);
        CHECK(f.check_fix == checks::find_check(f.check)->fix);
        if (f.status != model::Status::warn && f.status != model::Status::fail) CHECK(f.fix.empty());
    }
}

TEST_CASE("subject: a unicast and a multicast instance on eca0 are two nft.vrrp findings with two keys") {
    model::Facts facts = testing::rp_filter_facts(0, 0);
    facts.interfaces = model::Fact<std::vector<model::Interface>>::known({testing::link("eca0", 2)});
    facts.addresses = model::Fact<std::vector<model::Address>>::known(
        {testing::address("eca0", 2, Family::ipv4, "10.0.0.1", 24)});
    facts.vrrp.names = {"eca0"};
    facts.vrrp.instances = {instance("VI_MC", "eca0", Family::ipv4, VrrpMode::multicast),
                            instance("VI_UC", "eca0", Family::ipv4, VrrpMode::unicast, {"10.0.0.2"})};
    facts.nft = model::Fact<model::NftRuleset>::known({});
    facts.legacy_iptables = model::Fact<model::LegacyTables>::known({});
    const auto findings = checks::evaluate_checks(facts, {"nft.vrrp"}, {});
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].subject.text() == "eca0 (ipv4)");
    CHECK(findings[1].subject.text() == "eca0 (ipv4)");
    CHECK(findings[0].subject != findings[1].subject);

    model::Report report;
    report.findings = findings;
    const auto j = nlohmann::json::parse(agent::report::render_json(report));
    CHECK(j["findings"][0]["subject"] == "eca0 (ipv4)");
    CHECK(j["findings"][0]["subject_fields"] ==
          nlohmann::json{{"interface", "eca0"}, {"family", "ipv4"}, {"instance", "VI_MC"}});
    CHECK(j["findings"][1]["subject_fields"] ==
          nlohmann::json{{"interface", "eca0"}, {"family", "ipv4"}, {"instance", "VI_UC"}});

    // Instances from options have no name: their mode tells them apart.
    facts.vrrp.instances = {testing::instance("eca0", Family::ipv4, VrrpMode::multicast),
                            testing::instance("eca0", Family::ipv4, VrrpMode::unicast, {"10.0.0.2"})};
    CHECK(duplicate_keys(checks::evaluate_checks(facts, {}, {})) == std::vector<std::string>{});
}

TEST_CASE("verify: a change to a vrrp_instance counts its findings in every family") {
    model::Plan plan;
    model::Change c;
    c.fix = "keepalived.conf";
    c.subjects = {model::vrrp_instance_subject("VI_MC")};
    c.applied = true;
    plan.changes = {c};
    model::Finding v6;
    v6.check = "env.multicast";
    v6.check_fix = "keepalived.conf";
    v6.subject = model::instance_subject(instance("VI_MC", "eth0", Family::ipv6, VrrpMode::multicast));
    v6.status = model::Status::fail;
    fixes::verify_plan(plan, {v6});
    CHECK(plan.changes[0].result == "not fixed: env.multicast on VI_MC is fail");
}
