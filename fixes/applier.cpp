#include "fixes/applier.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace haprep::fixes {

namespace {

std::string execute(Writer& writer, const model::Change& c) {
    switch (c.kind) {
        case model::ChangeKind::sysctl_runtime: return writer.set_sysctl(c.target, c.after);
        case model::ChangeKind::file_write: return writer.write_file(c.target, c.after);
        case model::ChangeKind::link_multicast: return writer.set_multicast(c.target, c.after == "on");
    }
    return "unknown change kind";
}

std::string undo(Writer& writer, const model::Change& c) {
    switch (c.kind) {
        case model::ChangeKind::sysctl_runtime: return writer.set_sysctl(c.target, c.before);
        case model::ChangeKind::file_write:
            return c.existed ? writer.write_file(c.target, c.before) : writer.remove_file(c.target);
        case model::ChangeKind::link_multicast: return writer.set_multicast(c.target, c.before == "on");
    }
    return "unknown change kind";
}

/// The journal holds enough to put every change back by hand or by a later `undo`.
std::string journal_text(const model::Plan& plan, const std::string& state) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& c : plan.changes) {
        entries.push_back({{"fix", c.fix},
                           {"subject", c.subject},
                           {"kind", model::to_string(c.kind)},
                           {"target", c.target},
                           {"existed", c.existed},
                           {"before", c.before},
                           {"after", c.after},
                           {"applied", c.applied}});
    }
    return nlohmann::json{{"schema", "haprep-journal/1"}, {"state", state}, {"changes", entries}}
               .dump(2) +
           "\n";
}

std::set<std::string> split_subjects(const std::string& subject) {
    std::set<std::string> out;
    std::istringstream in(subject);
    std::string part;
    while (std::getline(in, part, ',')) out.insert(part);
    return out;
}

}  // namespace

ApplyOutcome apply_plan(model::Plan& plan, Writer& writer, const std::string& journal_name) {
    ApplyOutcome outcome;
    if (plan.changes.empty()) return outcome;
    outcome.journal_path = std::string(kJournalDir) + "/" + journal_name;
    // Write-ahead: if haprep dies mid-way, the journal still says what was there.
    if (auto err = writer.write_file(outcome.journal_path, journal_text(plan, "applying"));
        !err.empty()) {
        outcome.ok = false;
        outcome.error = "cannot write the journal " + outcome.journal_path + ": " + err;
        for (auto& c : plan.changes) c.result = "not applied: no journal";
        return outcome;
    }
    size_t done = 0;
    for (; done < plan.changes.size(); ++done) {
        auto& c = plan.changes[done];
        if (auto err = execute(writer, c); !err.empty()) {
            outcome.ok = false;
            outcome.error = c.target + ": " + err;
            c.result = "failed: " + err;
            break;
        }
        c.applied = true;
        c.result = "applied";
    }
    if (!outcome.ok) {
        for (size_t i = done; i-- > 0;) {
            auto& c = plan.changes[i];
            const auto err = undo(writer, c);
            c.applied = !err.empty();
            c.result = err.empty() ? "rolled back" : "rollback failed: " + err;
            if (!err.empty()) outcome.error += "; rollback of " + c.target + " failed: " + err;
        }
        for (size_t i = done + 1; i < plan.changes.size(); ++i)
            plan.changes[i].result = "not applied";
    }
    writer.write_file(outcome.journal_path,
                      journal_text(plan, outcome.ok ? "applied" : "rolled back"));
    return outcome;
}

void verify_plan(model::Plan& plan, const std::vector<model::Finding>& after,
                 const std::function<std::string(const std::string&)>& fix_of_check) {
    for (auto& c : plan.changes) {
        if (!c.applied) continue;
        const auto subjects = split_subjects(c.subject);
        std::string still;
        for (const auto& f : after) {
            if (!subjects.count(f.subject) || fix_of_check(f.check) != c.fix) continue;
            if (f.status == model::Status::pass || f.status == model::Status::skip) continue;
            still += (still.empty() ? "" : ", ") + f.check + " on " + f.subject + " is " +
                     model::to_string(f.status);
        }
        c.result = still.empty() ? "fixed" : "not fixed: " + still;
    }
}

}  // namespace haprep::fixes
