// The rp_filter planner on hand-made Facts: which keys, which files, which names.

#include <doctest/doctest.h>

#include "checks/check.h"
#include "facts_fixture.h"
#include "fixes/fix.h"

using namespace haprep;

namespace {

const std::string kKey = "net.ipv4.conf.eth0.rp_filter";

model::Plan plan(const model::Facts& facts) {
    const auto policy = policy::defaults();
    return fixes::plan_fixes(facts, checks::evaluate_checks(facts, {}, {}), policy);
}

const model::Change* find(const model::Plan& p, const std::string& target) {
    for (const auto& c : p.changes)
        if (c.target == target) return &c;
    return nullptr;
}

void add_boot(model::Facts& facts, const std::string& key, model::SysctlAssignment a) {
    auto& boot = *facts.boot_sysctl.value;
    boot.files.push_back(a.file);
    boot.keys[key].assignments.push_back(a);
    boot.keys[key].winner = a;
}

/// What a planned change writes: the sysctl's new value or the file's new content.
std::string written(const model::Change* c) {
    if (const auto* sysctl = std::get_if<model::SysctlSet>(&c->effect)) return sysctl->new_value;
    return std::get<model::FileWrite>(c->effect).new_content;
}

}  // namespace

TEST_CASE("strict on the interface: set it to 2 at runtime and persist it in a drop-in") {
    auto p = plan(testing::rp_filter_facts(0, 1));
    REQUIRE(p.changes.size() == 2);
    const auto& runtime = p.changes[0];
    CHECK(runtime.effect == model::ChangeEffect{model::SysctlSet{kKey, "1", "2"}});
    CHECK(runtime.target == kKey);
    CHECK(runtime.diff == "- " + kKey + " = 1\n+ " + kKey + " = 2\n");
    CHECK(runtime.fix == "sysctl.rp_filter");
    CHECK(runtime.result == "planned");

    const auto* drop_in = find(p, "/etc/sysctl.d/90-haprep-rp-filter.conf");
    REQUIRE(drop_in);
    CHECK(drop_in->action == "create");
    const auto& write = std::get<model::FileWrite>(drop_in->effect);
    CHECK_FALSE(write.existed);
    CHECK(write.path == "/etc/sysctl.d/90-haprep-rp-filter.conf");
    CHECK(write.new_content.find(kKey + " = 2\n") != std::string::npos);
    CHECK(drop_in->diff.find("--- /dev/null\n+++ b/etc/sysctl.d/90-haprep-rp-filter.conf\n") == 0);
}

TEST_CASE("strict forced by `all`: only the interface key changes (max(1, 2) is loose)") {
    auto p = plan(testing::rp_filter_facts(1, 0));
    REQUIRE(find(p, kKey));
    CHECK(written(find(p, kKey)) == "2");
    CHECK_FALSE(find(p, "net.ipv4.conf.all.rp_filter"));
}

TEST_CASE("nothing to do on a loose host: empty plan") {
    CHECK(plan(testing::rp_filter_facts(0, 2)).changes.empty());
    CHECK(plan(testing::rp_filter_facts(0, 0)).changes.empty());
}

TEST_CASE("a conflicting line in /etc/sysctl.conf is commented out, the rest kept") {
    auto facts = testing::rp_filter_facts(0, 1);
    const std::string conf = "# site\n" + kKey + " = 1\nvm.swappiness = 10\n";
    facts.boot_sysctl.value->contents["/etc/sysctl.conf"] = conf;
    add_boot(facts, kKey, testing::assignment(kKey, "1", "/etc/sysctl.conf", 2));
    auto p = plan(facts);
    const auto* edit = find(p, "/etc/sysctl.conf");
    REQUIRE(edit);
    CHECK(edit->action == "modify");
    CHECK(written(edit) == "# site\n# " + kKey +
                             " = 1  # disabled by haprep: strict rp_filter drops VRRP adverts\n"
                             "vm.swappiness = 10\n");
    CHECK(edit->diff.find("-" + kKey + " = 1\n") != std::string::npos);
    CHECK(find(p, "/etc/sysctl.d/90-haprep-rp-filter.conf"));
}

TEST_CASE("the drop-in sorts after every sysctl.d file that sets a conflicting value") {
    auto facts = testing::rp_filter_facts(0, 1);
    add_boot(facts, kKey, testing::assignment(kKey, "1", "/usr/lib/sysctl.d/95-vendor.conf", 1));
    auto p = plan(facts);
    CHECK(find(p, "/etc/sysctl.d/99-zz-haprep-rp-filter.conf"));

    auto late = testing::rp_filter_facts(0, 1);
    add_boot(late, kKey, testing::assignment(kKey, "1", "/etc/sysctl.d/zzz-local.conf", 1));
    auto q = plan(late);
    REQUIRE(q.changes.size() == 2);
    CHECK(q.changes[1].target == "/etc/sysctl.d/zzz-local.zz-haprep-rp-filter.conf");
    CHECK(q.changes[1].target.substr(14) > std::string("zzz-local.conf"));
}

TEST_CASE("runtime loose but boot strict: persist only, no runtime change") {
    auto facts = testing::rp_filter_facts(0, 2);
    add_boot(facts, kKey, testing::assignment(kKey, "1", "/etc/sysctl.d/60-x.conf", 3));
    auto p = plan(facts);
    REQUIRE(p.changes.size() == 1);
    CHECK(std::holds_alternative<model::FileWrite>(p.changes[0].effect));
    CHECK(p.changes[0].target == "/etc/sysctl.d/90-haprep-rp-filter.conf");
}

TEST_CASE("haprep's own drop-in is reused and merged; unchanged content plans nothing") {
    auto facts = testing::rp_filter_facts(0, 1);
    auto first = plan(facts);
    const auto* drop_in = find(first, "/etc/sysctl.d/90-haprep-rp-filter.conf");
    REQUIRE(drop_in);

    // The host after the first apply, with a second VRRP interface now strict.
    auto after = testing::rp_filter_facts(0, 2);
    after.vrrp.names.push_back("eth1");
    after.vrrp.instances.push_back(testing::instance("eth1", model::Family::ipv4));
    after.interfaces.value->push_back(testing::link("eth1", 3));
    after.sysctl["net.ipv4.conf.eth1.rp_filter"] = model::Fact<int>::known(1);
    after.boot_sysctl.value->contents[drop_in->target] = written(drop_in);
    add_boot(after, kKey, testing::assignment(kKey, "2", drop_in->target, 4));
    auto second = plan(after);
    const auto* merged = find(second, drop_in->target);
    REQUIRE(merged);
    CHECK(merged->action == "modify");
    CHECK(written(merged).find(kKey + " = 2\n") != std::string::npos);
    CHECK(written(merged).find("net.ipv4.conf.eth1.rp_filter = 2\n") != std::string::npos);

    auto settled = testing::rp_filter_facts(0, 2);
    settled.boot_sysctl.value->contents[drop_in->target] = written(drop_in);
    add_boot(settled, kKey, testing::assignment(kKey, "2", drop_in->target, 4));
    CHECK(plan(settled).changes.empty());
}

TEST_CASE("unknown runtime values plan nothing for that interface") {
    auto facts = testing::rp_filter_facts(0, 1);
    facts.sysctl["net.ipv4.conf.all.rp_filter"] = model::Fact<int>::unreadable("EACCES");
    CHECK(plan(facts).changes.empty());
}

TEST_CASE("a VLAN interface key keeps its dot as '/'") {
    CHECK(model::ipv4_conf_key("eth0.100", "rp_filter") == "net.ipv4.conf.eth0/100.rp_filter");
}
