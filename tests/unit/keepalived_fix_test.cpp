// The keepalived.conf planner: golden diffs for each edit, edits in included files,
// layout and comments kept, idempotence, what it refuses to edit, and the keepalived -t
// validator against the real keepalived.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "fixes/fix.h"
#include "fixtures.h"
#include "host/keepalived_check.h"
#include "host/program.h"
#include "keepalived/config.h"
#include "keepalived/flatten.h"

using namespace haprep;

namespace {

constexpr const char* kMain = "/etc/keepalived/keepalived.conf";
constexpr const char* kGroups = "/etc/keepalived/conf.d/groups.conf";

std::string read_data(const std::string& name) {
    return testing::test_data("keepalived/fix/" + name);
}

model::Facts facts_with(const std::vector<model::ConfigFile>& files) {
    auto facts = testing::rp_filter_facts(0, 0);
    facts.keepalived = model::Fact<model::KeepalivedConf>::known(
        keepalived::parse_config(kMain, keepalived::memory_loader(files), "node1"));
    return facts;
}

std::vector<model::ConfigFile> golden_files() {
    return {{kMain, read_data("keepalived.conf")}, {kGroups, read_data("conf.d/groups.conf")}};
}

model::Finding finding(const std::string& check, const std::string& subject) {
    model::Finding f;
    f.check = check;
    f.subject = check == "keepalived.sync_group_single" ? model::sync_group_subject(subject)
                                                        : model::vrrp_instance_subject(subject);
    f.status = model::Status::fail;
    f.fix = "keepalived.conf";
    return f;
}

std::vector<model::Change> plan(const model::Facts& facts, const std::vector<model::Finding>& findings) {
    return fixes::plan_fixes(facts, findings, policy::defaults()).changes;
}

const model::Change* change_for(const std::vector<model::Change>& changes, const std::string& target) {
    for (const auto& c : changes)
        if (c.target == target) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("keepalived.ipv6_first_vip: the link-local VIP line moves to the front, comments kept") {
    const auto files = golden_files();
    const auto changes = plan(facts_with(files), {finding("keepalived.ipv6_first_vip", "VI_6")});
    REQUIRE(changes.size() == 1);
    const auto& c = changes[0];
    CHECK(c.fix == "keepalived.conf");
    CHECK(c.target == kMain);
    REQUIRE(std::holds_alternative<model::FileWrite>(c.effect));
    CHECK(model::subjects_text(c.subjects) == "VI_6");
    CHECK(std::holds_alternative<model::KeepalivedTest>(std::get<model::FileWrite>(c.effect).validation));
    CHECK(c.diff == read_data("ipv6_first_vip.diff"));
    CHECK(c.note.find("fe80::61 (/etc/keepalived/keepalived.conf:14) moved to the front") != std::string::npos);
}

TEST_CASE("keepalived.sync_group_single: the group is removed from the included file that holds it") {
    const auto files = golden_files();
    const auto changes = plan(facts_with(files), {finding("keepalived.sync_group_single", "G_ONE")});
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].target == kGroups);
    CHECK(changes[0].diff == read_data("sync_group_single.diff"));
}

TEST_CASE("a group with its own notify script is left to the admin") {
    auto files = golden_files();
    files[1].content.erase(files[1].content.find("        VI_7\n"), 13);  // G_NOTIFY: one member
    CHECK(plan(facts_with(files), {finding("keepalived.sync_group_single", "G_NOTIFY")}).empty());
}

TEST_CASE("env.multicast: unicast_src_ip and unicast_peer before the instance's brace, peers from --peer-conf") {
    const auto files = golden_files();
    auto facts = facts_with(files);
    const std::vector<model::ConfigFile> peer_files = {
        {kMain, "vrrp_instance VI_4 {\n  interface ens3\n  virtual_router_id 41\n  unicast_src_ip 192.0.2.11\n"
                "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n"}};
    facts.peers.push_back({"--peer-conf peer.conf", "", keepalived::parse_config(kMain, keepalived::memory_loader(peer_files), ""), {}});
    const auto changes = plan(facts, {finding("env.multicast", "VI_4")});
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].diff == read_data("unicast.diff"));
    CHECK(changes[0].note.find("unicast from 192.0.2.10 to 192.0.2.11") != std::string::npos);
}

TEST_CASE("env.multicast: nothing planned when the peers are unknown or vrrp_strict forbids unicast") {
    const auto files = golden_files();
    CHECK(plan(facts_with(files), {finding("env.multicast", "VI_4")}).empty());
    auto strict = golden_files();
    strict[0].content.replace(strict[0].content.find("router_id node1"), 15, "vrrp_strict");
    auto facts = facts_with(strict);
    facts.vrrp.instances = {testing::instance("eth0", model::Family::ipv4, model::VrrpMode::multicast)};
    facts.vrrp.instances[0].name = "VI_4";
    facts.vrrp.instances[0].peers = {"192.0.2.11"};
    CHECK(plan(facts, {finding("env.multicast", "VI_4")}).empty());
}

TEST_CASE("all edits to one file are one change; applying it and planning again changes nothing") {
    auto files = golden_files();
    auto facts = facts_with(files);
    facts.vrrp.instances = {testing::instance("eth0", model::Family::ipv4, model::VrrpMode::multicast)};
    facts.vrrp.instances[0].name = "VI_4";
    facts.vrrp.instances[0].peers = {"192.0.2.11"};
    const std::vector<model::Finding> findings = {finding("keepalived.ipv6_first_vip", "VI_6"),
                                                  finding("keepalived.sync_group_single", "G_ONE"),
                                                  finding("env.multicast", "VI_4")};
    const auto changes = plan(facts, findings);
    REQUIRE(changes.size() == 2);
    const auto* main = change_for(changes, kMain);
    REQUIRE(main != nullptr);
    CHECK(model::subjects_text(main->subjects) == "VI_4,VI_6");
    const auto& write = std::get<model::FileWrite>(main->effect);
    CHECK(write.new_content.find("        fe80::61/64          # link-local, must come first\n        2001:db8::100/64") !=
          std::string::npos);
    CHECK(write.new_content.find("    unicast_peer {\n        192.0.2.11\n    }\n}\n") != std::string::npos);

    // What keepalived -t is given: the whole configuration with every edit, includes inlined.
    const auto& input = std::get<model::KeepalivedTest>(write.validation);
    CHECK(input.main == kMain);
    const std::string& edited = input.edited;
    CHECK(edited.find("# include conf.d/*.conf") != std::string::npos);
    CHECK(edited.find("G_ONE") == std::string::npos);
    CHECK(edited.find("vrrp_instance VI_7 {") != std::string::npos);  // inlined below the inserted lines
    CHECK(edited.find("G_NOTIFY") != std::string::npos);
    CHECK(input.baseline.find("G_ONE") != std::string::npos);
    CHECK(input.config_id == "node1");

    for (auto& f : files) f.content = std::get<model::FileWrite>(change_for(changes, f.path)->effect).new_content;
    auto fixed = facts_with(files);
    fixed.vrrp.instances = facts.vrrp.instances;
    CHECK(plan(fixed, findings).empty());
}

namespace {
/// The files parsed as the reader does, then flattened from what it recorded.
std::string flat(const std::vector<model::ConfigFile>& files, const std::string& config_id) {
    const auto conf = keepalived::parse_config("/k/main.conf", keepalived::memory_loader(files), config_id);
    return keepalived::flatten(conf.path, conf.files, conf.includes);
}
}  // namespace

TEST_CASE("flatten inlines exactly what each include line read, and comments the line out") {
    // In glob order; the include back to main.conf (a cycle) read nothing.
    CHECK(flat({{"/k/main.conf", "a\ninclude sub/*.conf # c\nz\n"},
                {"/k/sub/2.conf", "two\n"},
                {"/k/sub/1.conf", "one\ninclude ../main.conf\n"}},
               "") == "a\n# include sub/*.conf # c\none\n# include ../main.conf\ntwo\nz\n");
    // Paths the reader normalised, definitions it expanded, @ID lines it took or dropped.
    CHECK(flat({{"/k/main.conf", "include sub//2.conf\n$D=sub\ninclude ${D}/2.conf\n"}, {"/k/sub/2.conf", "two\n"}}, "") ==
          "# include sub//2.conf\ntwo\n$D=sub\n# include ${D}/2.conf\ntwo\n");
    // An include line continued by a backslash is commented out whole (found by the fuzzer).
    CHECK(flat({{"/k/main.conf", "include \\\n  sub.conf\ny\n"}, {"/k/sub.conf", "s\n"}}, "") ==
          "# include \\\n#   sub.conf\ns\ny\n");
    CHECK(flat({{"/k/main.conf", "@n1 include sub.conf\n@^n1 include sub.conf\n"}, {"/k/sub.conf", "s\n"}}, "n1") ==
          "# @n1 include sub.conf\ns\n@^n1 include sub.conf\n");
}

TEST_CASE("keepalived -t: an edit that adds an error is rejected; one that keepalived cannot judge is not") {
    if (host::find_program({"/usr/sbin/keepalived"}).empty()) {
        MESSAGE("keepalived is not installed: validator not exercised");
        return;
    }
    // A loopback instance: keepalived -t refuses it on any host ("cannot use a loopback
    // interface"), the same before and after an edit that adds nothing of its own.
    const std::string base =
        "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 51\n unicast_src_ip 127.0.0.1\n"
        " unicast_peer {\n  127.0.0.2\n }\n virtual_ipaddress {\n  127.0.0.100/8\n }\n}\n";
    std::string broken = base;
    broken.replace(broken.find("51"), 2, "300");
    const auto dir = std::filesystem::temp_directory_path() / ("haprep-kt-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "etc/keepalived");
    const host::Root root(dir);
    const auto rejected = host::check_keepalived_edit(root, kMain, broken, base, "");
    CHECK(rejected.verdict == host::KeepalivedVerdict::rejected);
    CHECK(rejected.detail.find("VRID '300' not valid") != std::string::npos);
    const auto same = host::check_keepalived_edit(root, kMain, base + "! a comment\n", base, "");
    CHECK(same.verdict == host::KeepalivedVerdict::inconclusive);
    // Its temporary files are gone.
    CHECK(std::filesystem::is_empty(dir / "etc/keepalived"));
    std::filesystem::remove_all(dir);
}
