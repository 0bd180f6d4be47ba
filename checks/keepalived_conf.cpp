// keepalived.parse, keepalived.sync_group_single and keepalived.track_script: the
// configuration as a whole, and how its parts refer to each other.
//
// A syntax error makes every other keepalived check guess, so parse fails on the
// first one. keepalived ignores unknown keywords with a log line nobody reads: a typo
// (`advert_intt`) silently leaves the default in place. A sync group of one syncs
// nothing; a tracked script that does not exist means the instance never fails over
// when the service it should watch dies; an untracked script watches for nobody.
//
// A configuration over one of the parser's budgets (keepalived/reader.h, limits::) was
// not read completely: the parser lists that error first, so it is the finding's
// message, and parse fails, never passes. fail rather than unknown: the cause is in
// the files (nested or included far beyond any real configuration, or a definition
// that expands to gigabytes), for the admin to fix, and the snapshot of the facts
// carries it as an ordinary error.

#include <fmt/format.h>
#include <map>
#include <set>

#include "checks/keepalived.h"

namespace haprep::checks {

namespace {

using model::Status;

}  // namespace

std::vector<model::Finding> evaluate_keepalived_parse(const model::Facts& facts) {
    if (auto f = without_keepalived_conf(facts)) return {*f};
    const auto& conf = *facts.keepalived.value;
    auto f = finding(model::config_file_subject(conf.path), Status::pass, "");
    f.evidence.emplace_back("origin", conf.origin);
    if (!conf.errors.empty()) {
        const auto& first = conf.errors.front();
        f.status = Status::fail;
        f.message = where(first.at) + ": " + first.message;
        f.source = first.at;
        for (const auto& e : conf.errors) f.evidence.emplace_back(where(e.at), e.message);
        f.expected = "no syntax error";
        f.observed = std::to_string(conf.errors.size()) + " error(s)";
        return {f};
    }
    if (!conf.unknown.empty() || !conf.unsupported.empty()) {
        f.status = Status::warn;
        f.message = std::to_string(conf.unknown.size()) + " keyword(s) keepalived ignores, " +
                    std::to_string(conf.unsupported.size()) + " construct(s) haprep does not judge";
        for (const auto* list : {&conf.unknown, &conf.unsupported})
            for (const auto& m : *list) f.evidence.emplace_back(where(m.at), m.message);
        f.source = !conf.unknown.empty() ? conf.unknown.front().at : conf.unsupported.front().at;
        return {f};
    }
    f.message = std::to_string(conf.files.size()) + " files, " + std::to_string(conf.instances.size()) +
                " vrrp_instances";
    return {f};
}

std::vector<model::Finding> evaluate_keepalived_sync_group_single(const model::Facts& facts) {
    if (auto f = without_keepalived_conf(facts)) return {*f};
    const auto& conf = *facts.keepalived.value;
    if (conf.sync_groups.empty()) return {nothing_to_judge("no vrrp_sync_group in " + conf.path)};
    std::set<std::string> instances;
    for (const auto& in : conf.instances) instances.insert(in.name);
    std::map<std::string, std::string> group_of;  // instance → the first group that has it
    std::vector<model::Finding> findings;
    for (const auto& group : conf.sync_groups) {
        auto f = finding(model::sync_group_subject(group.name), Status::pass, "");
        int valid = 0;
        for (const auto& m : group.members) {
            f.evidence.emplace_back("member " + m.text, where(m.at));
            if (!instances.count(m.text)) {
                raise(f, Status::warn, "member " + m.text + " names no vrrp_instance: unknown member ignored", m.at);
                continue;
            }
            // keepalived keeps an instance in its first group and drops it from the others.
            if (auto [it, first] = group_of.emplace(m.text, group.name); !first) {
                raise(f, Status::warn, m.text + " is already in sync group " + it->second + ": ignored here", m.at);
                continue;
            }
            ++valid;
        }
        if (valid < 2)
            raise(f, Status::warn,
                  "Sync group " + group.name + " has only " + std::to_string(valid) +
                      " virtual router(s): keepalived keeps it, but a group of one syncs nothing",
                  group.block.at);
        if (f.status == Status::pass) f.message = "sync group of " + std::to_string(valid) + " instances";
        findings.push_back(std::move(f));
    }
    return findings;
}

std::vector<model::Finding> evaluate_keepalived_track_script(const model::Facts& facts) {
    if (auto f = without_keepalived_conf(facts)) return {*f};
    const auto& conf = *facts.keepalived.value;
    std::set<std::string> defined, tracked;
    for (const auto& s : conf.scripts) defined.insert(s.name);
    for (const auto& in : conf.instances)
        for (const auto& t : in.track_scripts) tracked.insert(first_word(t.text));
    for (const auto& g : conf.sync_groups)
        for (const auto& t : g.track_scripts) tracked.insert(first_word(t.text));
    if (defined.empty() && tracked.empty())
        return {nothing_to_judge("no vrrp_script and no track_script in " + conf.path)};

    std::vector<model::Finding> findings;
    for (const auto& in : conf.instances) {
        auto f = finding(model::vrrp_instance_subject(in.name), Status::pass, "");
        std::vector<std::string> names;
        for (const auto& t : in.track_scripts) {
            const std::string name = first_word(t.text);
            names.push_back(name);
            if (defined.count(name)) continue;
            f.evidence.emplace_back("track_script " + name, where(t.at) + ": no vrrp_script " + name);
            raise(f, Status::warn,
                  "track script " + name +
                      " not found, ignoring: the instance does not fail over when the service dies",
                  t.at);
        }
        if (f.status == Status::pass) f.message = names.empty() ? "no track_script" : fmt::format("tracks {}", fmt::join(names, ", "));
        findings.push_back(std::move(f));
    }
    for (const auto& g : conf.sync_groups) {
        for (const auto& t : g.track_scripts) {
            const std::string name = first_word(t.text);
            if (defined.count(name)) continue;
            auto f = finding(model::sync_group_script_subject(g.name, name), Status::warn,
                             "track script " + name + " of sync group " + g.name + " not found, ignoring");
            f.source = t.at;
            findings.push_back(std::move(f));
        }
    }
    for (const auto& s : conf.scripts) {
        if (tracked.count(s.name)) continue;
        auto f = finding(model::script_subject(s.name), Status::warn,
                         "script " + s.name + " is not used: no vrrp_instance or sync group tracks it");
        f.source = s.block.at;
        f.evidence.emplace_back("script", s.script);
        findings.push_back(std::move(f));
    }
    return findings;
}

}  // namespace haprep::checks
