// The link.multicast planner: the runtime change with its diff, and where the change
// is made to last (systemd-networkd drop-in, ifupdown post-up line, or runtime only).

#include <doctest/doctest.h>

#include "checks/check.h"
#include "facts_fixture.h"
#include "fixes/fix.h"

using namespace haprep;

namespace {

model::Facts without_multicast() {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.interfaces.value->at(1).multicast = false;
    return facts;
}

model::Plan plan(const model::Facts& facts) {
    const auto findings = checks::evaluate_checks(facts, {"link.multicast"}, {});
    return fixes::plan_fixes(facts, findings, policy::defaults());
}

}  // namespace

TEST_CASE("runtime change in the tool's syntax; runtime only when nothing configures the link") {
    auto p = plan(without_multicast());
    REQUIRE(p.changes.size() == 1);
    const auto& c = p.changes[0];
    CHECK(c.fix == "link.multicast");
    CHECK(c.effect == model::ChangeEffect{model::LinkMulticast{.interface = "eth0", .was_on = false, .on = true}});
    CHECK(c.target == "eth0");
    CHECK(c.diff == "- eth0: MULTICAST off\n+ eth0: MULTICAST on\n");
    CHECK(c.note.rfind("runtime only: no systemd-networkd .network file matches eth0", 0) == 0);
}

TEST_CASE("nothing is planned when MULTICAST is already on") {
    CHECK(plan(testing::rp_filter_facts(0, 0)).changes.empty());
}

TEST_CASE("systemd-networkd: a drop-in for the first matching .network file") {
    auto facts = without_multicast();
    facts.network_config.value->networkd = {
        {"/etc/systemd/network/10-other.network", "[Match]\nName=!eth*\n[Network]\nDHCP=yes\n"},
        {"/usr/lib/systemd/network/20-ha.network", "[Match]\nName=bond0 eth[0-9]\n\n[Network]\nAddress=192.0.2.10/24\n"},
        {"/usr/lib/systemd/network/99-default.network", "[Match]\n[Network]\nDHCP=yes\n"}};
    auto p = plan(facts);
    REQUIRE(p.changes.size() == 2);
    CHECK(p.changes[0].note.find("systemd-networkd configures eth0 from /usr/lib/systemd/network/20-ha.network") !=
          std::string::npos);
    const auto& drop_in = p.changes[1];
    REQUIRE(std::holds_alternative<model::FileWrite>(drop_in.effect));
    const auto& write = std::get<model::FileWrite>(drop_in.effect);
    CHECK(write.path == drop_in.target);
    CHECK(drop_in.target == "/etc/systemd/network/20-ha.network.d/90-haprep-multicast.conf");
    CHECK(drop_in.action == "create");
    CHECK_FALSE(write.existed);
    CHECK(write.new_content.find("[Link]\nMulticast=true\n") != std::string::npos);
    CHECK(drop_in.diff.find("--- /dev/null") != std::string::npos);
    CHECK(drop_in.diff.find("+Multicast=true") != std::string::npos);

    // The drop-in already there (someone cleared the flag by hand): runtime only again.
    facts.network_config.value->networkd.push_back({drop_in.target, write.new_content});
    p = plan(facts);
    REQUIRE(p.changes.size() == 1);
    CHECK(std::holds_alternative<model::LinkMulticast>(p.changes[0].effect));
}

TEST_CASE("ifupdown: a post-up line in the interface's stanza, indented like it; present means no edit") {
    auto facts = without_multicast();
    const std::string interfaces =
        "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n\taddress 192.0.2.10/24\n"
        "\tgateway 192.0.2.1\n\nsource /etc/network/interfaces.d/*\n";
    facts.network_config.value->ifupdown = {{"/etc/network/interfaces", interfaces}};
    auto p = plan(facts);
    REQUIRE(p.changes.size() == 2);
    const auto& edit = p.changes[1];
    const auto& edited = std::get<model::FileWrite>(edit.effect).new_content;
    CHECK(edit.target == "/etc/network/interfaces");
    CHECK(edited.find("iface eth0 inet static\n\tpost-up ip link set dev eth0 multicast on\n\taddress") !=
          std::string::npos);
    CHECK(edit.diff.find("+\tpost-up ip link set dev eth0 multicast on") != std::string::npos);
    CHECK(edit.diff.find("--- a/etc/network/interfaces") != std::string::npos);

    facts.network_config.value->ifupdown[0].content = edited;
    p = plan(facts);
    REQUIRE(p.changes.size() == 1);
    CHECK(p.changes[0].note.find("ifupdown configures eth0 in /etc/network/interfaces") != std::string::npos);
}

TEST_CASE("an unreadable network configuration: runtime only, saying why") {
    auto facts = without_multicast();
    facts.network_config = model::Fact<model::NetworkConfig>::unreadable("/etc/network/interfaces: Permission denied");
    auto p = plan(facts);
    REQUIRE(p.changes.size() == 1);
    CHECK(p.changes[0].note == "runtime only: cannot read the network configuration (/etc/network/interfaces: "
                               "Permission denied)");
}

TEST_CASE("keepalived runs a multicast instance on the link: the change says restart keepalived") {
    auto facts = without_multicast();
    // What discovery makes of keepalived.conf's `vrrp_instance VI_1 { interface eth0 }`.
    facts.vrrp.instances[0].name = "VI_1";
    facts.vrrp.instances[0].source = "keepalived.conf:1";
    auto p = plan(facts);
    REQUIRE(p.changes.size() == 1);
    CHECK(p.changes[0].restart == "keepalived");
    CHECK(p.changes[0].note.find("keepalived disabled vrrp_instance VI_1 when it started without MULTICAST and "
                                 "keeps it disabled until it is restarted (a reload is not enough)") !=
          std::string::npos);
    CHECK(model::restarts_needed(p.changes) == std::vector<std::string>{"keepalived"});

    // The persistent file change carries no restart of its own: the runtime one does.
    facts.network_config.value->networkd = {{"/etc/systemd/network/20-ha.network", "[Match]\nName=eth0\n"}};
    p = plan(facts);
    REQUIRE(p.changes.size() == 2);
    CHECK(p.changes[0].restart == "keepalived");
    CHECK(p.changes[1].restart.empty());
    CHECK(model::restarts_needed(p.changes) == std::vector<std::string>{"keepalived"});
}

TEST_CASE("no keepalived instance on the link (--interface, --mode): no restart") {
    auto p = plan(without_multicast());  // the fixture's instance comes from options: no name
    REQUIRE(p.changes.size() == 1);
    CHECK(p.changes[0].restart.empty());
    CHECK(p.changes[0].note.find("keepalived") == std::string::npos);
    CHECK(model::restarts_needed(p.changes).empty());
}

TEST_CASE("restarts_needed: each name once, only for changes made or planned") {
    model::Change planned, applied, failed, other;
    planned.restart = applied.restart = failed.restart = "keepalived";
    planned.result = "planned";
    applied.applied = true;
    applied.result = "fixed";
    failed.result = "failed: EPERM";
    other.applied = true;
    other.restart = "systemd-networkd";
    CHECK(model::restarts_needed({planned, applied}) == std::vector<std::string>{"keepalived"});
    CHECK(model::restarts_needed({failed}).empty());
    CHECK(model::restarts_needed({other, failed, applied}) ==
          std::vector<std::string>{"systemd-networkd", "keepalived"});
}
