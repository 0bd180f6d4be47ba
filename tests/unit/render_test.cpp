#include <doctest/doctest.h>

#include "agent/output.h"
#include "agent/report/render.h"
#include "model/json.h"
#include "facts_fixture.h"

using namespace haprep;
namespace report = haprep::agent::report;

namespace {
model::Report sample() {
    model::Report r;
    r.host = "node1";
    r.command = "check";
    auto add = [&](model::Status s, const std::string& subject) {
        model::Finding f;
        f.check = "sysctl.rp_filter";
        f.subject = model::interface_subject(subject);
        f.status = s;
        f.message = "message for " + subject;
        f.evidence = {{"net.ipv4.conf.all.rp_filter", "1"}};
        f.expected = "0 or 2";
        f.observed = "1";
        if (s == model::Status::fail) f.fix = "sysctl.rp_filter";
        r.findings.push_back(f);
    };
    add(model::Status::pass, "eth1");
    add(model::Status::fail, "eth0");
    add(model::Status::warn, "eth2");
    return r;
}
}  // namespace

TEST_CASE("text: problems first, evidence and fix hint for problems, a summary line") {
    const auto text = report::render_text(sample(), {});
    const auto fail = text.find("FAIL    sysctl.rp_filter [eth0]");
    const auto warn = text.find("WARN    sysctl.rp_filter [eth2]");
    const auto pass = text.find("PASS    sysctl.rp_filter [eth1]");
    REQUIRE(fail != std::string::npos);
    REQUIRE(warn != std::string::npos);
    REQUIRE(pass != std::string::npos);
    CHECK(fail < warn);
    CHECK(warn < pass);
    CHECK(text.find("fix: haprep fix --only sysctl.rp_filter --interface eth0") != std::string::npos);
    CHECK(text.find("expected 0 or 2, observed 1") != std::string::npos);
    // Passing findings stay one line unless verbose.
    CHECK(text.find("net.ipv4.conf.all.rp_filter: 1", pass) == std::string::npos);
    CHECK(report::render_text(sample(), {false, true}).find("net.ipv4.conf.all.rp_filter: 1", pass) !=
          std::string::npos);
    CHECK(text.find("node1: FAIL — 1 fail, 0 unknown, 1 warn, 1 pass, 0 skip, 0 waived") !=
          std::string::npos);
    CHECK(text.find("\033[") == std::string::npos);
}

TEST_CASE("text: colour only when asked") {
    CHECK(report::render_text(sample(), {true, false}).find("\033[1;31mFAIL") != std::string::npos);
}

TEST_CASE("colour: only on a terminal, never with --no-color or a non-empty NO_COLOR") {
    // Every combination of the three inputs, so the test fails whichever part of the
    // rule breaks (stdout is no terminal under ctest: the real one cannot be the test).
    for (const bool option : {false, true})
        for (const char* environment : {static_cast<const char*>(nullptr), "", "1", "0"})
            for (const bool tty : {false, true}) {
                const bool unset = environment == nullptr || environment[0] == '\0';
                CAPTURE(option);
                CAPTURE(environment ? environment : "(unset)");
                CAPTURE(tty);
                CHECK(agent::want_color(option, environment, tty) == (!option && unset && tty));
            }
    CHECK(agent::want_color(false, nullptr, true));  // the one case that colours
}

TEST_CASE("text: a dry run lists the planned changes with their diffs") {
    auto r = sample();
    r.command = "fix";
    model::Change c;
    c.fix = "sysctl.rp_filter";
    c.subjects = {model::interface_subject("eth0")};
    c.target = "net.ipv4.conf.eth0.rp_filter";
    c.action = "set";
    c.diff = "- net.ipv4.conf.eth0.rp_filter = 1\n+ net.ipv4.conf.eth0.rp_filter = 2\n";
    c.result = "planned";
    r.changes = {c};
    const auto text = report::render_text(r, {});
    CHECK(text.find("Planned changes (dry run; nothing was changed):") == 0);
    CHECK(text.find("    - net.ipv4.conf.eth0.rp_filter = 1\n    + net.ipv4.conf.eth0.rp_filter = 2\n") !=
          std::string::npos);
}

TEST_CASE("json renderer emits the report object") {
    const auto j = nlohmann::json::parse(report::render_json(sample()));
    CHECK(j["schema"] == "haprep/1");
    CHECK(j["findings"].size() == 3);
    CHECK(j["status"] == "fail");
}

TEST_CASE("text: the fix hint names just the interface of a subject like \"eth3 (ipv6)\"") {
    model::Report r;
    model::Finding f;
    f.check = "nft.vrrp";
    f.subject = model::adverts_subject(testing::instance("eth3", model::Family::ipv6));
    f.status = model::Status::fail;
    f.fix = "nft.vrrp";
    r.findings = {f};
    const auto text = report::render_text(r, {});
    CHECK(text.find("fix: haprep fix --only nft.vrrp --interface eth3   (dry run") != std::string::npos);
}

TEST_CASE("text: a keepalived finding's fix hint does not pass the instance as --interface") {
    model::Report r;
    model::Finding f;
    f.check = "keepalived.ipv6_first_vip";
    f.subject = model::vrrp_instance_subject("VI_6");
    f.status = model::Status::fail;
    f.fix = "keepalived.conf";
    r.findings = {f};
    const auto text = report::render_text(r, {});
    CHECK(text.find("fix: haprep fix --only keepalived.ipv6_first_vip   (dry run") != std::string::npos);
    CHECK(text.find("--interface VI_6") == std::string::npos);
}

namespace {
/// The link.multicast change for eth0 where keepalived runs a multicast instance.
model::Change multicast_change(const std::string& result, bool applied) {
    model::Change c;
    c.fix = "link.multicast";
    c.subjects = {model::interface_subject("eth0")};
    c.target = "eth0";
    c.action = "set";
    c.diff = "- eth0: MULTICAST off\n+ eth0: MULTICAST on\n";
    c.note = "runtime only";
    c.restart = "keepalived";
    c.result = result;
    c.applied = applied;
    return c;
}
}  // namespace

TEST_CASE("text: a change that needs a restart says so, in the plan and in the result") {
    auto r = sample();
    r.command = "fix";
    r.changes = {multicast_change("planned", false)};
    auto text = report::render_text(r, {});
    CHECK(text.find("* link.multicast: set eth0 (eth0) — planned; then restart keepalived\n") != std::string::npos);
    CHECK(text.find("    restart keepalived: the change takes effect only when keepalived is restarted (a reload "
                    "is not enough)\n") != std::string::npos);
    CHECK(text.find("restart after applying: keepalived\n") != std::string::npos);

    r.command = "fix --apply";
    r.changes = {multicast_change("fixed", true), multicast_change("fixed", true)};
    text = report::render_text(r, {});
    CHECK(text.find("* link.multicast: set eth0 (eth0) — fixed; then restart keepalived\n") != std::string::npos);
    CHECK(text.find("changed: yes\nrestart now: keepalived\n") != std::string::npos);

    // Rolled back: nothing changed, nothing to restart.
    r.changes = {multicast_change("rolled back", false)};
    text = report::render_text(r, {});
    CHECK(text.find("restart") == std::string::npos);
}

TEST_CASE("json: a change's restart field, and the report's deduplicated restart list (empty when none)") {
    auto r = sample();
    r.command = "fix --apply";
    auto j = nlohmann::json::parse(report::render_json(r));
    REQUIRE(j.contains("restart"));
    CHECK(j["restart"] == nlohmann::json::array());

    model::Change plain;
    plain.fix = "sysctl.rp_filter";
    plain.applied = true;
    plain.result = "fixed";
    r.changes = {multicast_change("fixed", true), plain, multicast_change("fixed", true)};
    j = nlohmann::json::parse(report::render_json(r));
    CHECK(j["restart"] == nlohmann::json::array({"keepalived"}));
    CHECK(j["changes"][0]["restart"] == "keepalived");
    CHECK_FALSE(j["changes"][1].contains("restart"));  // like note: only when there is one
    CHECK(j["changes"][1].size() == 8);                 // the existing fields (and subjects), unchanged
    CHECK(j["changed"] == true);
}
