#include <doctest/doctest.h>

#include "checks/check.h"
#include "fixtures.h"

using namespace haprep;
using model::Status;

/// Every finding of one check (fixtures.h: run_all); this file has always called it run.
constexpr auto run = testing::run_all;

TEST_CASE("effective rp_filter is max(all, IF): strict without known peers warns, 0 and 2 pass") {
    struct Case {
        int all, eth0;
        Status expected;
    };
    for (auto c : {Case{0, 0, Status::pass}, Case{0, 1, Status::warn}, Case{1, 0, Status::warn},
                   Case{1, 2, Status::pass}, Case{2, 1, Status::pass}, Case{0, 2, Status::pass}}) {
        CAPTURE(c.all);
        CAPTURE(c.eth0);
        auto findings = run(testing::rp_filter_facts(c.all, c.eth0), "sysctl.rp_filter");
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].status == c.expected);
        CHECK(findings[0].subject.text() == "eth0");
        CHECK(findings[0].observed == std::to_string(std::max(c.all, c.eth0)));
        CHECK(findings[0].fix == (c.expected == Status::warn ? "sysctl.rp_filter" : ""));
    }
}

TEST_CASE("the rp_filter evidence names all, default, the interface and the effective value") {
    auto f = run(testing::rp_filter_facts(1, 0), "sysctl.rp_filter").at(0);
    REQUIRE(f.evidence.size() == 4);
    CHECK(f.evidence[0] == std::pair<std::string, std::string>{"net.ipv4.conf.all.rp_filter", "1"});
    CHECK(f.evidence[2].first == "net.ipv4.conf.eth0.rp_filter");
    CHECK(f.evidence[3].second == "1");
    CHECK(f.severity == model::Severity::fail);
}

TEST_CASE("an unreadable value is unknown, never pass") {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.sysctl["net.ipv4.conf.eth0.rp_filter"] = model::Fact<int>::unreadable("no such key");
    auto f = run(facts, "sysctl.rp_filter").at(0);
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("no such key") != std::string::npos);
}

TEST_CASE("no VRRP interface: skip with the reason; interfaces unreadable: unknown") {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.vrrp = {{}, "every non-loopback interface that is UP", {}};
    CHECK(run(facts, "sysctl.rp_filter").at(0).status == Status::skip);
    facts.interfaces = model::Fact<std::vector<model::Interface>>::unreadable("EPERM");
    CHECK(run(facts, "sysctl.rp_filter").at(0).status == Status::unknown);
}

TEST_CASE("boot drift warns naming file:line; no assignment means no drift") {
    auto facts = testing::rp_filter_facts(0, 2);
    auto& boot = *facts.boot_sysctl.value;
    CHECK(run(facts, "sysctl.rp_filter_boot").at(0).status == Status::pass);

    boot.keys["net.ipv4.conf.eth0.rp_filter"].winner =
        testing::assignment("net.ipv4.conf.eth0.rp_filter", "1", "/etc/sysctl.d/60-x.conf", 7);
    auto f = run(facts, "sysctl.rp_filter_boot").at(0);
    CHECK(f.status == Status::warn);
    CHECK(f.severity == model::Severity::warn);
    REQUIRE(f.source);
    CHECK(f.source->file == "/etc/sysctl.d/60-x.conf");
    CHECK(f.source->line == 7);
    CHECK(f.message.find("/etc/sysctl.d/60-x.conf:7") != std::string::npos);
    CHECK(f.fix == "sysctl.rp_filter");

    boot.keys["net.ipv4.conf.eth0.rp_filter"].winner->value = "2";
    CHECK(run(facts, "sysctl.rp_filter_boot").at(0).status == Status::pass);
}

TEST_CASE("boot configuration unreadable: unknown with the reason") {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.boot_sysctl = model::Fact<model::BootSysctl>::unreadable("/etc/sysctl.d: Permission denied");
    auto f = run(facts, "sysctl.rp_filter_boot").at(0);
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("Permission denied") != std::string::npos);
}

TEST_CASE("worst status and exit codes follow the Nagios convention") {
    using model::exit_code_for;
    auto with = [](std::initializer_list<Status> statuses) {
        std::vector<model::Finding> findings;
        for (auto s : statuses) findings.push_back(checks::finding(model::interface_subject("x"), s, ""));
        return model::worst_status(findings);
    };
    CHECK(exit_code_for(with({Status::pass, Status::skip, Status::waived})) == 0);
    CHECK(exit_code_for(with({Status::pass, Status::warn})) == 1);
    CHECK(exit_code_for(with({Status::warn, Status::fail, Status::unknown})) == 2);
    CHECK(exit_code_for(with({Status::warn, Status::unknown})) == 3);
    CHECK(exit_code_for(with({})) == 0);
}

namespace {
model::Facts strict_with_peer(const std::string& route_interface, bool reachable = true) {
    auto facts = testing::rp_filter_facts(0, 1);
    facts.vrrp.instances[0].peers = {"192.0.2.20"};
    model::Route route;
    route.reachable = reachable;
    route.interface = route_interface;
    route.gateway = route_interface == "eth0" ? "" : "198.51.100.1";
    route.text = reachable ? "192.0.2.20" + std::string(route.gateway.empty() ? "" : " via " + route.gateway) +
                                 " dev " + route_interface
                           : "no route to 192.0.2.20 (Network is unreachable)";
    facts.reverse_paths = {{"eth0", "192.0.2.20", model::Fact<model::Route>::known(route)}};
    return facts;
}
}  // namespace

TEST_CASE("strict rp_filter with a peer whose route back is another interface fails naming peer and route") {
    auto f = run(strict_with_peer("eth1"), "sysctl.rp_filter").at(0);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("drops VRRP adverts from 192.0.2.20") != std::string::npos);
    CHECK(f.message.find("leaves via eth1: 192.0.2.20 via 198.51.100.1 dev eth1") != std::string::npos);
    CHECK(f.evidence.back() == model::Evidence{"route back to 192.0.2.20", "192.0.2.20 via 198.51.100.1 dev eth1"});
    CHECK(f.fix == "sysctl.rp_filter");
}

TEST_CASE("strict rp_filter with a symmetric route warns; no route back at all fails") {
    auto symmetric = run(strict_with_peer("eth0"), "sysctl.rp_filter").at(0);
    CHECK(symmetric.status == Status::warn);
    CHECK(symmetric.message.find("adverts from 192.0.2.20 pass") != std::string::npos);
    auto unreachable = run(strict_with_peer("", false), "sysctl.rp_filter").at(0);
    CHECK(unreachable.status == Status::fail);
    CHECK(unreachable.message.find("no route to 192.0.2.20") != std::string::npos);
}

TEST_CASE("a route lookup that failed makes strict rp_filter unknown; loose mode ignores routes") {
    auto facts = strict_with_peer("eth1");
    facts.reverse_paths[0].route = model::Fact<model::Route>::unreadable("RTM_GETROUTE: EPERM");
    auto f = run(facts, "sysctl.rp_filter").at(0);
    CHECK(f.status == Status::unknown);
    CHECK(f.evidence.back().second.find("EPERM") != std::string::npos);
    auto loose = strict_with_peer("eth1");
    loose.sysctl["net.ipv4.conf.eth0.rp_filter"] = model::Fact<int>::known(2);
    CHECK(run(loose, "sysctl.rp_filter").at(0).status == Status::pass);
}

TEST_CASE("rp_filter skips IPv6-only VRRP and missing interfaces") {
    auto facts = testing::rp_filter_facts(1, 1);
    facts.vrrp.instances = {testing::instance("eth0", model::Family::ipv6)};
    auto f = run(facts, "sysctl.rp_filter").at(0);
    CHECK(f.status == Status::skip);
    CHECK(f.message.find("IPv4 only") != std::string::npos);
    facts = testing::rp_filter_facts(1, 1);
    facts.vrrp.names = {"eth9"};
    facts.vrrp.instances = {testing::instance("eth9", model::Family::ipv4)};
    CHECK(run(facts, "sysctl.rp_filter").at(0).message == "no interface eth9 (see link.present)");
}
