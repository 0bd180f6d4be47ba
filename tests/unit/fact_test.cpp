// model::Fact's three states (known, absent, unreadable), their JSON (a snapshot of
// the current release loads with the same meaning; a new one only adds "absent"),
// and checks::not_known, which turns a fact that is not known into the finding.

#include <doctest/doctest.h>

#include <fstream>

#include "checks/check.h"
#include "model/json.h"

using namespace haprep;
using nlohmann::json;

namespace {

json old_snapshot(const std::string& name) {
    std::ifstream in(std::string(HAPREP_TEST_DATA) + "/nft/" + name);
    REQUIRE(in);
    return json::parse(in);
}

/// `j` without the "absent" keys a new snapshot adds beside the older form.
json without_absent(json j) {
    if (j.is_object()) {
        j.erase("absent");
        for (auto& [key, value] : j.items()) value = without_absent(value);
    }
    return j;
}

}  // namespace

TEST_CASE("a Fact is known, absent or unreadable, and says why when it is not known") {
    const auto known = model::Fact<int>::known(7);
    CHECK(known.state() == model::FactState::known);
    CHECK(known.ok());
    CHECK(*known.value == 7);
    CHECK(known.why().empty());

    const auto absent = model::Fact<int>::absent("no such thing here");
    CHECK(absent.state() == model::FactState::absent);
    CHECK(absent.is_absent());
    CHECK_FALSE(absent.ok());
    CHECK_FALSE(absent.is_unreadable());
    CHECK(absent.why() == "no such thing here");

    const auto unreadable = model::Fact<int>::unreadable("permission denied");
    CHECK(unreadable.state() == model::FactState::unreadable);
    CHECK(unreadable.is_unreadable());
    CHECK_FALSE(unreadable.is_absent());
    CHECK(unreadable.why() == "permission denied");

    CHECK(absent != model::Fact<int>::unreadable("no such thing here"));
    CHECK(model::Fact<int>{}.is_unreadable());  // never silently known
}

TEST_CASE("Fact JSON: each state round-trips; absent is written as \"absent\" beside the older form") {
    for (const auto& fact : {model::Fact<int>::known(3), model::Fact<int>::absent("gone"),
                             model::Fact<int>::unreadable("EPERM")}) {
        CHECK(json(fact).get<model::Fact<int>>() == fact);
        CHECK(json::parse(json(fact).dump()).get<model::Fact<int>>() == fact);
    }
    CHECK(json(model::Fact<int>::known(3)) == json{{"value", 3}});
    CHECK(json(model::Fact<int>::unreadable("EPERM")) == json{{"error", "EPERM"}});
    // An older haprep reads an absent fact it did not know as unreadable: unknown, never pass.
    CHECK(json(model::Fact<int>::absent("gone")) == json{{"absent", "gone"}, {"error", "gone"}});

    const auto no_nft = model::Fact<model::NftRuleset>::absent("netlink socket: Protocol not supported (is nf_tables available?)");
    CHECK(json(no_nft) == json{{"absent", no_nft.why()}, {"error", no_nft.why()}});
    CHECK(json(no_nft).get<model::Fact<model::NftRuleset>>() == no_nft);

    // firewalld and keepalived.conf keep "running"/"present" and "absent_reason".
    model::Firewalld fw;
    fw.state = "RUNNING";
    const auto running = json(model::Fact<model::Firewalld>::known(fw));
    CHECK(running["value"]["running"] == true);
    CHECK(running["value"]["absent_reason"] == "");
    CHECK(running.get<model::Fact<model::Firewalld>>() == model::Fact<model::Firewalld>::known(fw));
    const auto stopped = model::Fact<model::Firewalld>::absent("firewalld is not running (...)");
    CHECK(json(stopped)["absent"] == "firewalld is not running (...)");
    CHECK(json(stopped)["value"]["running"] == false);
    CHECK(json(stopped)["value"]["absent_reason"] == "firewalld is not running (...)");
    CHECK(json(stopped).get<model::Fact<model::Firewalld>>() == stopped);

    const auto no_conf = model::Fact<model::KeepalivedConf>::absent("/etc/keepalived/keepalived.conf: no such file");
    CHECK(json(no_conf)["value"]["present"] == false);
    CHECK(json(no_conf)["value"]["path"] == "/etc/keepalived/keepalived.conf");
    CHECK(json(no_conf).get<model::Fact<model::KeepalivedConf>>() == no_conf);
    CHECK(json(model::Fact<model::KeepalivedConf>::known({}))["value"]["present"] == true);
}

TEST_CASE("a snapshot of the current release loads with the same meaning and is written again the same") {
    // Taken on a host without firewalld, keepalived.conf or DMI.
    const auto old = old_snapshot("iptables_nft.json");
    const auto facts = model::parse_facts(old.dump());
    CHECK(facts.firewalld.is_absent());
    CHECK(facts.firewalld.why().find("no system bus, so firewalld is not running") == 0);
    CHECK(facts.keepalived.is_absent());
    CHECK(facts.keepalived.why() == "/etc/keepalived/keepalived.conf: no such file (default path)");
    CHECK(facts.platform.is_absent());
    CHECK(facts.nft.ok());
    const json again = facts;
    CHECK(again["firewalld"]["absent"] == facts.firewalld.why());
    CHECK(without_absent(again) == old);

    // firewalld running, no keepalived or platform in the snapshot at all.
    const auto running = model::parse_facts(old_snapshot("firewalld_default.json").dump());
    CHECK(running.firewalld.ok());
    CHECK(running.keepalived.is_unreadable());
    CHECK(running.platform.is_unreadable());

    // nf_tables missing and no DMI were unreadable facts whose error said so.
    auto j = old;
    j["nft"] = json{{"error", "netlink socket: Protocol not supported (is nf_tables available?)"}};
    j["platform"] = json{{"error", "/sys/class/dmi/id does not exist (no DMI: a container or a board without it)"}};
    auto loaded = model::parse_facts(j.dump());
    CHECK(loaded.nft.is_absent());
    CHECK(loaded.platform.is_absent());
    CHECK(without_absent(json(loaded)) == j);
    j["nft"] = json{{"error", "NFT_MSG_GETGEN: Operation not permitted (reading the ruleset needs CAP_NET_ADMIN)"}};
    j["platform"] = json{{"error", "/sys/class/dmi/id/sys_vendor: Permission denied"}};
    loaded = model::parse_facts(j.dump());
    CHECK(loaded.nft.is_unreadable());
    CHECK(loaded.platform.is_unreadable());

    // A /proc/sys file that did not exist (nf_conntrack not loaded) was unreadable too.
    const std::string no_count = "/proc/sys/net/netfilter/nf_conntrack_count: no such key (interface missing?)";
    j["sysctl"]["net.netfilter.nf_conntrack_count"] = json{{"error", no_count}};
    j["sysctl"]["net.netfilter.nf_conntrack_max"] = json{{"error", "Permission denied"}};
    loaded = model::parse_facts(j.dump());
    CHECK(loaded.sysctl.at("net.netfilter.nf_conntrack_count") == model::Fact<int>::absent(no_count));
    CHECK(loaded.sysctl.at("net.netfilter.nf_conntrack_max").is_unreadable());
    CHECK(without_absent(json(loaded)) == j);
}

TEST_CASE("a peer always has a configuration: one a snapshot says is missing is refused") {
    auto j = old_snapshot("iptables_nft.json");
    model::PeerNode peer;
    peer.origin = "--peer-conf node2.conf";
    j["peers"] = json::array({json(peer)});
    CHECK(j["peers"][0]["conf"]["present"] == true);
    CHECK(model::parse_facts(j.dump()).peers.at(0) == peer);
    j["peers"][0]["conf"]["present"] = false;
    j["peers"][0]["conf"]["absent_reason"] = "node2.conf: no such file";
    CHECK_THROWS_AS(model::parse_facts(j.dump()), model::SnapshotFieldError);
}

TEST_CASE("not_known: absent is skip, unreadable is unknown, worded by the check") {
    const checks::NotKnownWords words{.unreadable = "cannot read X: ", .absent = "no X: ", .after = " (so what)"};
    auto f = checks::not_known(model::host_subject(), model::Fact<int>::absent("not installed"), words);
    CHECK(f.subject.text() == "-");
    CHECK(f.status == model::Status::skip);
    CHECK(f.message == "no X: not installed (so what)");
    f = checks::not_known(model::interface_subject("eth0"), model::Fact<int>::unreadable("EPERM"), words);
    CHECK(f.subject.text() == "eth0");
    CHECK(f.status == model::Status::unknown);
    CHECK(f.message == "cannot read X: EPERM (so what)");
    CHECK(checks::not_known(model::host_subject(), model::Fact<int>::absent("gone"), {}).message == "gone");
}
