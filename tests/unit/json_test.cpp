#include <doctest/doctest.h>

#include "agent/report/render.h"

#include "facts_fixture.h"
#include "model/json.h"

using namespace haprep;
using nlohmann::json;

TEST_CASE("Facts round-trip through JSON exactly, unreadable facts and reasons included") {
    auto facts = testing::rp_filter_facts(1, 0);
    facts.sysctl["net.ipv4.conf.eth1.rp_filter"] = model::Fact<int>::unreadable("no such key");
    auto& boot = *facts.boot_sysctl.value;
    boot.files = {"/etc/sysctl.d/10-a.conf", "/etc/sysctl.conf"};
    auto glob = testing::assignment("net.ipv4.conf.eth0.rp_filter", "2", "/usr/lib/sysctl.d/50-d.conf", 1);
    glob.pattern = "net.ipv4.conf.*.rp_filter";
    boot.keys["net.ipv4.conf.eth0.rp_filter"] = {{glob}, glob};
    boot.keys["net.ipv4.conf.all.rp_filter"] = {};
    boot.contents["/etc/sysctl.conf"] = "x = 1\n";

    const json j = facts;
    CHECK(j["schema"] == "haprep-facts/1");
    CHECK(j["sysctl"]["net.ipv4.conf.eth1.rp_filter"]["error"] == "no such key");
    CHECK(j.get<model::Facts>() == facts);
    CHECK(json::parse(j.dump()).get<model::Facts>() == facts);

    facts.boot_sysctl = model::Fact<model::BootSysctl>::unreadable("EACCES");
    facts.interfaces = model::Fact<std::vector<model::Interface>>::unreadable("EPERM");
    CHECK(json(facts).get<model::Facts>() == facts);
}

TEST_CASE("a document that is not a snapshot is rejected") {
    CHECK_THROWS(json{{"schema", "other"}}.get<model::Facts>());
    CHECK_THROWS(json{{"schema", "haprep-facts/1"}}.get<model::Facts>());
}

TEST_CASE("the report follows the haprep/1 contract") {
    model::Report report;
    report.tool_version = "0.1.0";
    report.host = "node1";
    report.time = "2026-12-02T08:00:00Z";
    report.command = "fix --apply";
    model::Finding f;
    f.check = "sysctl.rp_filter";
    f.subject = model::interface_subject("eth0");
    f.status = model::Status::fail;
    f.message = "strict";
    f.evidence = {{"effective", "1"}};
    f.source = model::SourceLocation{"/etc/sysctl.conf", 3};
    report.findings = {f, f};
    report.findings[1].status = model::Status::warn;
    model::Change c;
    c.fix = "sysctl.rp_filter";
    c.target = "net.ipv4.conf.eth0.rp_filter";
    c.applied = true;
    c.result = "fixed";
    report.changes = {c};

    const auto to_json = [](const model::Report& r) { return json::parse(agent::report::render_json(r)); };
    const json j = to_json(report);
    CHECK(j["schema"] == "haprep/1");
    CHECK(j["tool"] == json{{"name", "haprep"}, {"version", "0.1.0"}});
    CHECK(j["status"] == "fail");
    CHECK(j["changed"] == true);
    CHECK(j["summary"] == json{{"pass", 0}, {"warn", 1}, {"fail", 1}, {"unknown", 0}, {"skip", 0}, {"waived", 0}});
    const auto& jf = j["findings"][0];
    for (const char* field : {"check", "subject", "subject_fields", "status", "severity", "message", "expected",
                              "observed", "evidence", "fix", "source"})
        CHECK_MESSAGE(jf.contains(field), field);
    CHECK(jf["subject"] == "eth0");
    CHECK(jf["subject_fields"] == json{{"interface", "eth0"}});
    CHECK(jf["source"] == json{{"file", "/etc/sysctl.conf"}, {"line", 3}});
    CHECK(jf["evidence"]["effective"] == "1");
    CHECK(jf["check"] == "sysctl.rp_filter");
    CHECK(jf["status"] == "fail");
    CHECK(jf["severity"] == "fail");
    CHECK(jf["message"] == "strict");
    CHECK(j["changes"][0].size() == 8);
    for (const char* field : {"fix", "subject", "subjects", "target", "action", "diff", "applied", "result"})
        CHECK_MESSAGE(j["changes"][0].contains(field), field);
    report.findings[1].source.reset();
    CHECK_FALSE(to_json(report)["findings"][1].contains("source"));
    report.changes[0].applied = false;
    CHECK(to_json(report)["changed"] == false);
}

TEST_CASE("report JSON: escaping, invalid UTF-8 replaced, a note only when there is one, evidence names unique") {
    model::Report report;
    model::Finding f;
    f.message = "quote \" backslash \\ tab \t bell \x07 caf\xc3\xa9 latin1 \xe9!";
    f.evidence = {{"a", "1"}, {"a", "2"}};
    report.findings = {f};
    model::Change c;
    c.note = "runtime only";
    report.changes = {c, model::Change{}};
    const auto text = agent::report::render_json(report);
    const json j = json::parse(text);  // throws on invalid JSON
    CHECK(j["findings"][0]["message"] == "quote \" backslash \\ tab \t bell \x07 caf\xc3\xa9 latin1 \xef\xbf\xbd!");
    CHECK(j["findings"][0]["evidence"] == json{{"a", "1"}});
    CHECK(j["changes"][0]["note"] == "runtime only");
    CHECK_FALSE(j["changes"][1].contains("note"));
    CHECK(j["summary"]["unknown"] == 1);
    CHECK(text.rfind("{\n  \"schema\": \"haprep/1\",\n", 0) == 0);
}
