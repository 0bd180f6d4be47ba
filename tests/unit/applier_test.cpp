// The applier's contract with a recording writer: journal first, all or nothing,
// rollback in reverse order, and "fixed" only when the re-check passes.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "fixes/applier.h"
#include "fixes/journal.h"
#include "model/json.h"
#include "model/report.h"
#include "facts_fixture.h"

using namespace haprep;

namespace {

/// Records every effect; fails the call whose target is `fail_on`.
class RecordingWriter final : public fixes::Writer {
public:
    std::vector<std::string> log;
    std::map<std::string, std::string> state;
    std::string fail_on;

    std::string set_sysctl(const std::string& key, const std::string& value) override {
        return record("sysctl " + key + "=" + value, key, value);
    }
    /// Every journal text written, in order ("applying" first).
    std::vector<std::string> journals;
    std::string write_file(const std::string& path, const std::string& content) override {
        if (path.rfind(fixes::kJournalDir, 0) == 0) journals.push_back(content);
        return record("write " + path, path, content);
    }
    std::string remove_file(const std::string& path) override {
        log.push_back("remove " + path);
        state.erase(path);
        return {};
    }
    std::string insert_nft_rules(const std::vector<host::NftInsert>& inserts, std::vector<std::uint64_t>& handles) override {
        for (const auto& insert : inserts) {
            log.push_back("nft insert " + insert.rule.chain);
            handles.push_back(100 + handles.size());
        }
        if (fail_on == "nft") return "injected failure";
        nft_handles.insert(handles.begin(), handles.end());
        return {};
    }
    std::string check_keepalived_config(const std::string& main, const std::string&, const std::string&,
                                        const std::string&, std::string& note) override {
        log.push_back("keepalived -t " + main);
        note = "keepalived -t accepts it";
        return fail_on == "keepalived -t" ? "keepalived -t rejects it" : "";
    }
    std::string check_nft_file(const std::string& path, const std::string&) override {
        log.push_back("nft -c " + path);
        return fail_on == "nft -c" ? "nft -c -f rejects it" : "";
    }
    std::string check_iptables_file(const std::string& path, const std::string&, bool ipv6) override {
        log.push_back(std::string(ipv6 ? "ip6tables-restore --test " : "iptables-restore --test ") + path);
        return fail_on == "iptables-restore --test" ? "iptables-restore --test rejects it" : "";
    }
    std::string delete_nft_rules(const std::vector<model::NftRule>& rules) override {
        for (const auto& rule : rules) {
            log.push_back("nft delete " + std::to_string(rule.handle));
            nft_handles.erase(rule.handle);
        }
        return {};
    }
    /// The rules inserted and not deleted, by handle; ufw's rules as their command line.
    std::set<std::uint64_t> nft_handles;
    std::set<std::string> ufw_rules;

    /// Everything the writer changes but the journal: what a rollback must restore.
    auto host() const {
        auto files_and_values = state;
        files_and_values.erase(std::string(fixes::kJournalDir) + "/j.json");
        return std::tuple{files_and_values, nft_handles, ufw_rules, firewalld_has, firewalld_rules};
    }

    /// Zones that already have a protocol: "public (permanent)".
    std::set<std::string> firewalld_has;
    std::string add_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol,
                                       bool& added) override {
        const std::string key = zone + (permanent ? " (permanent)" : " (runtime)");
        log.push_back("firewalld add " + protocol + " " + key);
        if (fail_on == key) return "org.freedesktop.DBus.Error.AccessDenied: injected";
        added = firewalld_has.insert(key).second;
        return {};
    }
    std::string remove_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol) override {
        const std::string key = zone + (permanent ? " (permanent)" : " (runtime)");
        log.push_back("firewalld remove " + protocol + " " + key);
        firewalld_has.erase(key);
        return {};
    }
    /// Rich rules a zone already has: "public (permanent): RULE".
    std::set<std::string> firewalld_rules;
    std::string add_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule,
                                        bool& added) override {
        const std::string key = zone + (permanent ? " (permanent)" : " (runtime)");
        log.push_back("firewalld add rule " + key + ": " + rule);
        if (fail_on == key) return "org.freedesktop.DBus.Error.AccessDenied: injected";
        added = firewalld_rules.insert(key + ": " + rule).second;
        return {};
    }
    std::string remove_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule) override {
        const std::string key = zone + (permanent ? " (permanent)" : " (runtime)");
        log.push_back("firewalld remove rule " + key + ": " + rule);
        firewalld_rules.erase(key + ": " + rule);
        return {};
    }
    std::string run_ufw(const std::vector<std::string>& args) override {
        std::string line = "ufw";
        for (const auto& a : args) line += " " + a;
        log.push_back(line);
        if (fail_on == "ufw") return "injected failure";
        if (args.empty() || args[0] != "delete") ufw_rules.insert(line);
        else ufw_rules.erase("ufw" + line.substr(std::string("ufw delete").size()));
        return {};
    }
    std::string set_multicast(const std::string& interface, bool on) override {
        return record(std::string("multicast ") + interface + "=" + (on ? "on" : "off"), interface,
                      on ? "on" : "off");
    }

private:
    std::string record(const std::string& what, const std::string& target, const std::string& v) {
        log.push_back(what);
        if (target == fail_on) return "injected failure";
        state[target] = v;
        return {};
    }
};

model::Plan two_changes() {
    model::Plan plan;
    model::Change runtime;
    runtime.fix = "sysctl.rp_filter";
    runtime.subjects = {model::interface_subject("eth0")};
    runtime.effect = model::SysctlSet{"net.ipv4.conf.eth0.rp_filter", "1", "2"};
    runtime.target = "net.ipv4.conf.eth0.rp_filter";
    model::Change file;
    file.fix = "sysctl.rp_filter";
    file.subjects = {model::interface_subject("eth0")};
    file.effect = model::FileWrite{
        .path = "/etc/sysctl.d/90-haprep-rp-filter.conf", .existed = false, .new_content = "x = 2\n"};
    file.target = "/etc/sysctl.d/90-haprep-rp-filter.conf";
    plan.changes = {runtime, file};
    return plan;
}

}  // namespace

TEST_CASE("apply: journal first, then every change in order, journal updated last") {
    RecordingWriter writer;
    auto plan = two_changes();
    auto outcome = fixes::apply_plan(plan, writer, "j.json");
    CHECK(outcome.ok);
    CHECK(outcome.journal_path == "/var/lib/haprep/journal/j.json");
    REQUIRE(writer.log.size() == 4);
    CHECK(writer.log[0] == "write /var/lib/haprep/journal/j.json");
    CHECK(writer.log[1] == "sysctl net.ipv4.conf.eth0.rp_filter=2");
    CHECK(writer.log[2] == "write /etc/sysctl.d/90-haprep-rp-filter.conf");
    CHECK(writer.state["/var/lib/haprep/journal/j.json"].find("\"state\": \"applied\"") !=
          std::string::npos);
    CHECK(writer.state["/var/lib/haprep/journal/j.json"].find("\"before\": \"1\"") != std::string::npos);
    CHECK(plan.changes[0].applied);
    CHECK(plan.changes[1].applied);
}

TEST_CASE("apply: a failing step rolls back the steps before it, nothing half-applied") {
    RecordingWriter writer;
    writer.fail_on = "/etc/sysctl.d/90-haprep-rp-filter.conf";
    auto plan = two_changes();
    auto outcome = fixes::apply_plan(plan, writer, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error.find("injected failure") != std::string::npos);
    CHECK(writer.state["net.ipv4.conf.eth0.rp_filter"] == "1");
    CHECK(writer.log.back() == "write /var/lib/haprep/journal/j.json");
    CHECK(plan.changes[0].result == "rolled back");
    CHECK_FALSE(plan.changes[0].applied);
    CHECK(plan.changes[1].result == "failed: injected failure");
    CHECK(writer.state["/var/lib/haprep/journal/j.json"].find("rolled back") != std::string::npos);
}

TEST_CASE("apply: no journal, no changes") {
    RecordingWriter writer;
    writer.fail_on = "/var/lib/haprep/journal/j.json";
    auto plan = two_changes();
    auto outcome = fixes::apply_plan(plan, writer, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(writer.log.size() == 1);
    CHECK_FALSE(plan.changes[0].applied);
}

TEST_CASE("apply: undo of a created file removes it") {
    RecordingWriter writer;
    model::Plan plan = two_changes();
    std::swap(plan.changes[0], plan.changes[1]);
    writer.fail_on = "net.ipv4.conf.eth0.rp_filter";
    fixes::apply_plan(plan, writer, "j.json");
    CHECK(writer.state.count("/etc/sysctl.d/90-haprep-rp-filter.conf") == 0);
    CHECK(std::find(writer.log.begin(), writer.log.end(),
                    "remove /etc/sysctl.d/90-haprep-rp-filter.conf") != writer.log.end());
}

TEST_CASE("verify: fixed only when every finding of the fix for the subject passes") {
    auto plan = two_changes();
    for (auto& c : plan.changes) c.applied = true;
    model::Finding pass;
    pass.check = "sysctl.rp_filter";
    pass.check_fix = "sysctl.rp_filter";
    pass.subject = model::interface_subject("eth0");
    pass.status = model::Status::pass;
    model::Finding boot = pass;
    boot.check = "sysctl.rp_filter_boot";
    boot.status = model::Status::warn;
    model::Finding other = pass;
    other.check = "link.up";
    other.check_fix.clear();
    other.status = model::Status::fail;

    fixes::verify_plan(plan, {pass, other});
    CHECK(plan.changes[0].result == "fixed");
    fixes::verify_plan(plan, {pass, boot});
    CHECK(plan.changes[0].result == "not fixed: sysctl.rp_filter_boot on eth0 is warn");
}

namespace {
model::Change nft_insert(const std::string& chain) {
    model::Change c;
    c.fix = "nft.vrrp";
    c.subjects = {model::adverts_subject(testing::instance("eth0", model::Family::ipv4))};
    c.target = "inet filter " + chain;
    model::NftRule rule;
    rule.family = "inet";
    rule.table = "filter";
    rule.chain = chain;
    c.effect = model::NftRuleInsert{rule, 0};
    return c;
}
}  // namespace

TEST_CASE("apply: nft inserts go as one batch; their handles are kept; a later failure deletes exactly them") {
    model::Plan plan;
    plan.changes = {nft_insert("input"), nft_insert("prerouting")};
    model::Change file;
    file.effect = model::FileWrite{
        .path = "/etc/nftables.conf", .old_content = "old", .new_content = "new", .validation = model::NftCheck{}};
    file.target = "/etc/nftables.conf";
    plan.changes.push_back(file);

    RecordingWriter ok;
    auto outcome = fixes::apply_plan(plan, ok, "j.json");
    REQUIRE(outcome.ok);
    // One batch for both rules, then the file checked by nft -c before it is written.
    CHECK(ok.log == std::vector<std::string>{"write /var/lib/haprep/journal/j.json", "nft insert input",
                                             "nft insert prerouting", "nft -c /etc/nftables.conf",
                                             "write /etc/nftables.conf", "write /var/lib/haprep/journal/j.json"});
    CHECK(std::get<model::NftRuleInsert>(plan.changes[1].effect).rule.handle == 101);

    model::Plan again;
    again.changes = {nft_insert("input"), nft_insert("prerouting"), file};
    RecordingWriter rejecting;
    rejecting.fail_on = "nft -c";
    outcome = fixes::apply_plan(again, rejecting, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error.find("nft -c -f rejects it") != std::string::npos);
    CHECK(rejecting.state.count("/etc/nftables.conf") == 0);  // never written
    CHECK(rejecting.log[4] == "nft delete 101");  // newest first
    CHECK(rejecting.log[5] == "nft delete 100");
    CHECK(again.changes[0].result == "rolled back");
}

TEST_CASE("apply: rules.v4 / rules.v6 are checked by iptables-restore / ip6tables-restore --test first") {
    auto file_write = [](const std::string& path, const model::FileValidation& validation) {
        model::Change c;
        c.effect = model::FileWrite{.path = path, .old_content = "old", .new_content = "new", .validation = validation};
        c.target = path;
        return c;
    };
    model::Plan plan;
    plan.changes = {nft_insert("INPUT"), file_write("/etc/iptables/rules.v4", model::IptablesRestoreTest{.ipv6 = false}),
                    file_write("/etc/iptables/rules.v6", model::IptablesRestoreTest{.ipv6 = true})};
    RecordingWriter ok;
    REQUIRE(fixes::apply_plan(plan, ok, "j.json").ok);
    CHECK(ok.log == std::vector<std::string>{"write /var/lib/haprep/journal/j.json", "nft insert INPUT",
                                             "iptables-restore --test /etc/iptables/rules.v4",
                                             "write /etc/iptables/rules.v4",
                                             "ip6tables-restore --test /etc/iptables/rules.v6",
                                             "write /etc/iptables/rules.v6", "write /var/lib/haprep/journal/j.json"});

    model::Plan again;
    again.changes = {nft_insert("INPUT"), file_write("/etc/iptables/rules.v4", model::IptablesRestoreTest{.ipv6 = false})};
    RecordingWriter rejecting;
    rejecting.fail_on = "iptables-restore --test";
    const auto outcome = fixes::apply_plan(again, rejecting, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error.find("iptables-restore --test rejects it") != std::string::npos);
    CHECK(rejecting.state.count("/etc/iptables/rules.v4") == 0);  // never written
    CHECK(rejecting.log[3] == "nft delete 100");
    CHECK(again.changes[0].result == "rolled back");
}

namespace {
model::Change firewalld_add(const std::string& zone, bool permanent) {
    model::Change c;
    c.fix = "firewalld.vrrp";
    c.subjects = {model::adverts_subject(testing::instance("eth0", model::Family::ipv4))};
    c.effect = model::FirewalldProtocol{zone, permanent, "vrrp"};
    c.target = "zone " + zone + (permanent ? " (permanent)" : " (runtime)");
    return c;
}
}  // namespace

TEST_CASE("apply: a firewalld protocol already enabled is no change and is not taken back by a rollback") {
    model::Plan plan;
    plan.changes = {firewalld_add("public", false), firewalld_add("public", true)};
    RecordingWriter writer;
    writer.firewalld_has = {"public (runtime)"};  // ALREADY_ENABLED at runtime
    auto outcome = fixes::apply_plan(plan, writer, "j.json");
    REQUIRE(outcome.ok);
    CHECK_FALSE(plan.changes[0].applied);
    CHECK(plan.changes[0].result == "already enabled (no change)");
    CHECK(plan.changes[1].applied);
    model::Report report;
    report.changes = plan.changes;
    CHECK(report.changed());

    // The permanent call fails: the runtime protocol that haprep added is removed
    // again, one that was there before is left alone.
    model::Plan added_now;
    added_now.changes = {firewalld_add("public", false), firewalld_add("public", true)};
    RecordingWriter failing;
    failing.fail_on = "public (permanent)";
    outcome = fixes::apply_plan(added_now, failing, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error.find("zone public (permanent): org.freedesktop.DBus.Error.AccessDenied") != std::string::npos);
    CHECK(failing.firewalld_has.empty());
    CHECK(added_now.changes[0].result == "rolled back");
    CHECK(failing.log[3] == "firewalld remove vrrp public (runtime)");

    model::Plan was_there;
    was_there.changes = {firewalld_add("public", false), firewalld_add("public", true)};
    RecordingWriter keeps;
    keeps.firewalld_has = {"public (runtime)"};
    keeps.fail_on = "public (permanent)";
    outcome = fixes::apply_plan(was_there, keeps, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(keeps.firewalld_has.count("public (runtime)") == 1);
    CHECK(std::find(keeps.log.begin(), keeps.log.end(), "firewalld remove vrrp public (runtime)") == keeps.log.end());
}

namespace {
const char* kRule = R"(rule family="ipv4" source address="192.0.2.2" protocol value="vrrp" accept)";
model::Change firewalld_rule(const std::string& zone, bool permanent) {
    auto c = firewalld_add(zone, permanent);
    c.effect = model::FirewalldRichRule{zone, permanent, kRule};
    return c;
}
}  // namespace

TEST_CASE("apply: a firewalld rich rule, already there or added, and taken back by a rollback") {
    model::Plan plan;
    plan.changes = {firewalld_rule("public", false), firewalld_rule("public", true)};
    RecordingWriter writer;
    writer.firewalld_rules = {std::string("public (runtime): ") + kRule};  // ALREADY_ENABLED at runtime
    auto outcome = fixes::apply_plan(plan, writer, "j.json");
    REQUIRE(outcome.ok);
    CHECK_FALSE(plan.changes[0].applied);
    CHECK(plan.changes[0].result == "already enabled (no change)");
    CHECK(plan.changes[1].applied);
    CHECK(writer.firewalld_rules.count(std::string("public (permanent): ") + kRule) == 1);
    CHECK(writer.state["/var/lib/haprep/journal/j.json"].find("firewalld_add_rich_rule") != std::string::npos);

    // The permanent call fails: the runtime rule haprep added is removed again.
    model::Plan failing_plan;
    failing_plan.changes = {firewalld_rule("public", false), firewalld_rule("public", true)};
    RecordingWriter failing;
    failing.fail_on = "public (permanent)";
    outcome = fixes::apply_plan(failing_plan, failing, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(failing.firewalld_rules.empty());
    CHECK(failing_plan.changes[0].result == "rolled back");
    CHECK(std::find(failing.log.begin(), failing.log.end(),
                    std::string("firewalld remove rule public (runtime): ") + kRule) != failing.log.end());
}

TEST_CASE("verify: a finding that names the fix itself (nft.vrrp dropped by firewalld) counts for it") {
    model::Plan plan;
    plan.changes = {firewalld_add("public", false)};
    plan.changes[0].applied = true;
    model::Finding nft;
    nft.check = "nft.vrrp";
    nft.subject = model::adverts_subject(testing::instance("eth0", model::Family::ipv4));
    nft.status = model::Status::fail;
    nft.fix = "firewalld.vrrp";
    nft.check_fix = "nft.vrrp";
    fixes::verify_plan(plan, {nft});
    CHECK(plan.changes[0].result == "not fixed: nft.vrrp on eth0 (ipv4) is fail");
    nft.status = model::Status::pass;
    nft.fix.clear();
    fixes::verify_plan(plan, {nft});
    CHECK(plan.changes[0].result == "fixed");
}

TEST_CASE("apply: keepalived -t rejecting an edited keepalived.conf leaves every file unwritten") {
    auto edit = [](const std::string& path) {
        model::Change c;
        c.fix = "keepalived.conf";
        c.effect = model::FileWrite{
            .path = path,
            .old_content = "old " + path,
            .new_content = "new " + path,
            .validation = model::KeepalivedTest{"/etc/keepalived/keepalived.conf", "E", "B", "node1"}};
        c.target = path;
        return c;
    };
    model::Plan plan;
    plan.changes = {edit("/etc/keepalived/conf.d/a.conf"), edit("/etc/keepalived/keepalived.conf")};
    RecordingWriter ok;
    REQUIRE(fixes::apply_plan(plan, ok, "j.json").ok);
    CHECK(ok.state["/etc/keepalived/keepalived.conf"] == "new /etc/keepalived/keepalived.conf");
    CHECK(plan.changes[1].note == "keepalived -t accepts it");

    plan.changes = {edit("/etc/keepalived/conf.d/a.conf"), edit("/etc/keepalived/keepalived.conf")};
    RecordingWriter writer;
    writer.state["/etc/keepalived/conf.d/a.conf"] = "old /etc/keepalived/conf.d/a.conf";
    writer.state["/etc/keepalived/keepalived.conf"] = "old /etc/keepalived/keepalived.conf";
    writer.fail_on = "keepalived -t";
    const auto outcome = fixes::apply_plan(plan, writer, "j.json");
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error.find("keepalived -t rejects it") != std::string::npos);
    // The first file's validation was refused too: nothing was ever written.
    CHECK(writer.state["/etc/keepalived/conf.d/a.conf"] == "old /etc/keepalived/conf.d/a.conf");
    CHECK(writer.state["/etc/keepalived/keepalived.conf"] == "old /etc/keepalived/keepalived.conf");
    CHECK(plan.changes[0].result.rfind("failed: keepalived -t rejects it", 0) == 0);
    CHECK(plan.changes[1].result == "not applied");
}

namespace {
std::string journal_file(const std::string& name) {
    std::ifstream in(std::string(HAPREP_TEST_DATA) + "/journal/" + name);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// One change of every kind, as the planners build them.
model::Plan every_kind() {
    model::Plan plan = two_changes();
    model::Change link;
    link.fix = "link.multicast";
    link.subjects = {model::interface_subject("eth1")};
    link.effect = model::LinkMulticast{.interface = "eth1", .was_on = false, .on = true};
    link.target = "eth1";
    plan.changes.push_back(link);
    auto rule = nft_insert("input");
    model::NftRule with_position;
    with_position.family = "ip";
    with_position.table = "filter";
    with_position.chain = "INPUT";
    with_position.comment = "haprep: allow VRRP on eth0";
    model::NftExpr counter;
    counter.name = "counter";
    with_position.exprs.push_back(counter);
    auto positioned = nft_insert("INPUT");
    positioned.effect = model::NftRuleInsert{with_position, 7};
    plan.changes.push_back(rule);
    plan.changes.push_back(positioned);
    auto nft_conf = nft_insert("input");
    nft_conf.effect = model::FileWrite{
        .path = "/etc/nftables.conf", .old_content = "old\n", .new_content = "new\n", .validation = model::NftCheck{}};
    nft_conf.target = "/etc/nftables.conf";
    plan.changes.push_back(nft_conf);
    plan.changes.push_back(firewalld_add("public", true));
    plan.changes.push_back(firewalld_rule("public", false));
    model::Change ufw;
    ufw.fix = "nft.vrrp";
    ufw.subjects = {model::adverts_subject(testing::instance("eth0", model::Family::ipv4))};
    ufw.effect = model::UfwRule{{"allow", "in", "on", "eth0", "to", "224.0.0.18", "proto", "vrrp"}};
    ufw.target = "ufw";
    plan.changes.push_back(ufw);
    return plan;
}
}  // namespace

TEST_CASE("journal: every kind of change, applied and rolled back, byte for byte") {
    // The journal is what an operator or a later `haprep undo` reads: its text for the
    // same plan never changes (the files were written by haprep before effects were typed).
    auto plan = every_kind();
    RecordingWriter ok;
    REQUIRE(fixes::apply_plan(plan, ok, "j.json").ok);
    REQUIRE(ok.journals.size() == 2);
    CHECK(ok.journals[0] == journal_file("every_kind.applying.json"));
    CHECK(ok.journals[1] == journal_file("every_kind.applied.json"));

    auto failing_plan = every_kind();
    RecordingWriter failing;
    failing.fail_on = "ufw";
    REQUIRE_FALSE(fixes::apply_plan(failing_plan, failing, "j.json").ok);
    REQUIRE(failing.journals.size() == 2);
    CHECK(failing.journals[0] == journal_file("every_kind.applying.json"));
    CHECK(failing.journals[1] == journal_file("every_kind.rolled_back.json"));
}

TEST_CASE("undo: every effect carries what takes it back; a rollback leaves the host as it was") {
    const std::map<std::string, std::string> before = {
        {"net.ipv4.conf.eth0.rp_filter", "1"}, {"eth1", "off"}, {"/etc/nftables.conf", "old\n"}};
    const std::string ufw_line = "ufw allow in on eth0 to 224.0.0.18 proto vrrp";

    // Applied whole: every effect is on the host.
    auto plan = every_kind();
    RecordingWriter applied;
    applied.state = before;
    REQUIRE(fixes::apply_plan(plan, applied, "j.json").ok);
    CHECK(applied.host() ==
          std::tuple{std::map<std::string, std::string>{{"net.ipv4.conf.eth0.rp_filter", "2"},
                                                        {"/etc/sysctl.d/90-haprep-rp-filter.conf", "x = 2\n"},
                                                        {"eth1", "on"},
                                                        {"/etc/nftables.conf", "new\n"}},
                     std::set<std::uint64_t>{100, 101}, std::set<std::string>{ufw_line},
                     std::set<std::string>{"public (permanent)"},
                     std::set<std::string>{std::string("public (runtime): ") + kRule}});

    // The same plan with a last step that fails: each effect is taken back, newest
    // first, from what the effect itself carries, and the host is as it was.
    auto failing_plan = every_kind();
    model::Change last;
    last.effect = model::SysctlSet{"net.ipv4.conf.eth9.rp_filter", "1", "2"};
    last.target = "net.ipv4.conf.eth9.rp_filter";
    failing_plan.changes.push_back(last);
    RecordingWriter rolled_back;
    rolled_back.state = before;
    const auto host_before = rolled_back.host();
    rolled_back.fail_on = "net.ipv4.conf.eth9.rp_filter";
    REQUIRE_FALSE(fixes::apply_plan(failing_plan, rolled_back, "j.json").ok);
    CHECK(rolled_back.host() == host_before);
    for (size_t i = 0; i + 1 < failing_plan.changes.size(); ++i) {
        CHECK(failing_plan.changes[i].result == "rolled back");
        CHECK_FALSE(failing_plan.changes[i].applied);
    }
    const auto undo_start = std::find(rolled_back.log.begin(), rolled_back.log.end(), "sysctl net.ipv4.conf.eth9.rp_filter=2");
    REQUIRE(undo_start != rolled_back.log.end());
    CHECK(std::vector<std::string>(undo_start + 1, rolled_back.log.end()) ==
          std::vector<std::string>{"ufw delete allow in on eth0 to 224.0.0.18 proto vrrp",
                                   std::string("firewalld remove rule public (runtime): ") + kRule,
                                   "firewalld remove vrrp public (permanent)", "write /etc/nftables.conf",
                                   "nft delete 101", "nft delete 100", "multicast eth1=off",
                                   "remove /etc/sysctl.d/90-haprep-rp-filter.conf",
                                   "sysctl net.ipv4.conf.eth0.rp_filter=1", "write /var/lib/haprep/journal/j.json"});
}

TEST_CASE("journal: each entry reads back as the effect it recorded, all that undo needs") {
    auto plan = every_kind();
    RecordingWriter writer;
    REQUIRE(fixes::apply_plan(plan, writer, "j.json").ok);  // the nft rules now have their handles
    const auto journal = nlohmann::json::parse(journal_file("every_kind.applied.json")).at("changes");
    REQUIRE(journal.size() == plan.changes.size());
    for (size_t i = 0; i < plan.changes.size(); ++i) {
        auto effect = plan.changes[i].effect;
        // A file's validation is for applying only: the journal does not keep it.
        if (auto* file = std::get_if<model::FileWrite>(&effect)) file->validation = model::NoValidation{};
        CHECK(fixes::journal_effect(fixes::journal_entry(plan.changes[i])) == effect);
        CHECK(fixes::journal_effect(journal[i]) == effect);
    }
    CHECK(std::get<model::NftRuleInsert>(fixes::journal_effect(journal[4])).rule.handle == 101);
    CHECK_THROWS_AS(fixes::journal_effect({{"kind", "reboot"}, {"target", ""}, {"before", ""}, {"after", ""}}),
                    nlohmann::json::exception);
}
