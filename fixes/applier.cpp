#include "fixes/applier.h"

#include <nlohmann/json.hpp>

#include "model/json.h"
#include <set>

namespace haprep::fixes {

namespace {

/// What a firewalld change adds to a zone: `after`'s "protocol" or "rule" (`key`).
struct ZoneItem {
    std::string zone, value;
    bool permanent = false;
};

ZoneItem zone_item(const model::Change& c, const char* key) {
    const auto j = nlohmann::json::parse(c.after);
    return {j.at("zone").get<std::string>(), j.at(key).get<std::string>(), j.at("permanent").get<bool>()};
}

/// Runs `c`. `changed` is false when the host already was as planned (firewalld's
/// ALREADY_ENABLED): such a change is not `applied`, so it is neither reported as
/// changed nor taken back by a rollback.
std::string execute(Writer& writer, model::Change& c, bool& changed) {
    changed = true;
    switch (c.kind) {
        case model::ChangeKind::sysctl_runtime: return writer.set_sysctl(c.target, c.after);
        case model::ChangeKind::file_write:
            if (c.validate == "nft")
                if (auto err = writer.check_nft_file(c.target, c.after); !err.empty()) return err;
            if (c.validate == "iptables" || c.validate == "ip6tables")
                if (auto err = writer.check_iptables_file(c.target, c.after, c.validate == "ip6tables"); !err.empty())
                    return err;
            if (c.validate == "keepalived") {
                const auto j = nlohmann::json::parse(c.validate_input);
                std::string note;
                if (auto err = writer.check_keepalived_config(j.at("main").get<std::string>(),
                                                              j.at("edited").get<std::string>(),
                                                              j.at("baseline").get<std::string>(),
                                                              j.at("config_id").get<std::string>(), note);
                    !err.empty())
                    return err;
                c.note += (c.note.empty() ? "" : "; ") + note;
            }
            return writer.write_file(c.target, c.after);
        case model::ChangeKind::link_multicast: return writer.set_multicast(c.target, c.after == "on");
        case model::ChangeKind::nft_insert_rule: return "nft inserts run as one batch (insert_batch)";
        case model::ChangeKind::firewalld_add_protocol: {
            const auto z = zone_item(c, "protocol");
            return writer.add_firewalld_protocol(z.zone, z.permanent, z.value, changed);
        }
        case model::ChangeKind::firewalld_add_rich_rule: {
            const auto z = zone_item(c, "rule");
            return writer.add_firewalld_rich_rule(z.zone, z.permanent, z.value, changed);
        }
        case model::ChangeKind::ufw_rule: return writer.run_ufw(nlohmann::json::parse(c.after).get<std::vector<std::string>>());
    }
    return "unknown change kind";
}

/// Every nft insert of the plan from `first` on, in one atomic batch: all of them are
/// in the ruleset afterwards or none. The new handles go into each change's `after`,
/// so the journal and the rollback can delete exactly these rules.
std::string insert_batch(Writer& writer, std::vector<model::Change>& changes, size_t first, size_t& end) {
    std::vector<host::NftInsert> inserts;
    for (end = first; end < changes.size() && changes[end].kind == model::ChangeKind::nft_insert_rule; ++end) {
        const auto j = nlohmann::json::parse(changes[end].after);
        inserts.push_back({j.at("rule").get<model::NftRule>(), j.at("before").get<std::uint64_t>()});
    }
    std::vector<std::uint64_t> handles;
    if (auto err = writer.insert_nft_rules(inserts, handles); !err.empty()) return err;
    for (size_t i = first; i < end; ++i) {
        auto j = nlohmann::json::parse(changes[i].after);
        j["rule"]["handle"] = handles[i - first];
        changes[i].after = j.dump();
    }
    return {};
}

std::string undo(Writer& writer, const model::Change& c) {
    switch (c.kind) {
        case model::ChangeKind::sysctl_runtime: return writer.set_sysctl(c.target, c.before);
        case model::ChangeKind::file_write:
            return c.existed ? writer.write_file(c.target, c.before) : writer.remove_file(c.target);
        case model::ChangeKind::link_multicast: return writer.set_multicast(c.target, c.before == "on");
        case model::ChangeKind::nft_insert_rule:
            return writer.delete_nft_rules({nlohmann::json::parse(c.after).at("rule").get<model::NftRule>()});
        case model::ChangeKind::firewalld_add_protocol: {
            const auto z = zone_item(c, "protocol");
            return writer.remove_firewalld_protocol(z.zone, z.permanent, z.value);
        }
        case model::ChangeKind::firewalld_add_rich_rule: {
            const auto z = zone_item(c, "rule");
            return writer.remove_firewalld_rich_rule(z.zone, z.permanent, z.value);
        }
        case model::ChangeKind::ufw_rule: {
            auto args = nlohmann::json::parse(c.after).get<std::vector<std::string>>();
            args.insert(args.begin(), "delete");
            return writer.run_ufw(args);
        }
    }
    return "unknown change kind";
}

/// The journal holds enough to put every change back by hand or by a later `undo`.
std::string journal_text(const model::Plan& plan, const std::string& state) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& c : plan.changes) {
        entries.push_back({{"fix", c.fix},
                           {"subject", model::subjects_text(c.subjects)},
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
        if (c.kind == model::ChangeKind::nft_insert_rule) {
            size_t end = done;
            if (auto err = insert_batch(writer, plan.changes, done, end); !err.empty()) {
                outcome.ok = false;
                outcome.error = c.target + ": " + err;
                for (size_t i = done; i < end; ++i) plan.changes[i].result = "failed: " + err;
                break;
            }
            for (; done < end; ++done) {
                plan.changes[done].applied = true;
                plan.changes[done].result = "applied";
            }
            --done;  // the loop's ++done moves past the batch
            continue;
        }
        bool changed = true;
        if (auto err = execute(writer, c, changed); !err.empty()) {
            outcome.ok = false;
            outcome.error = c.target + ": " + err;
            c.result = "failed: " + err;
            break;
        }
        c.applied = changed;
        c.result = changed ? "applied" : "already enabled (no change)";
    }
    if (!outcome.ok) {
        for (size_t i = done; i-- > 0;) {
            auto& c = plan.changes[i];
            if (!c.applied) continue;  // nothing to take back (already enabled)
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

void verify_plan(model::Plan& plan, const std::vector<model::Finding>& after) {
    for (auto& c : plan.changes) {
        if (!c.applied) continue;
        const std::set<model::Subject> subjects(c.subjects.begin(), c.subjects.end());
        std::string still;
        for (const auto& f : after) {
            if (f.check_fix != c.fix && f.fix != c.fix) continue;
            // A change to an instance's configuration is about it in every family.
            if (!subjects.count(f.subject) && !subjects.count(f.subject.any_family())) continue;
            if (f.status == model::Status::pass || f.status == model::Status::skip) continue;
            still += (still.empty() ? "" : ", ") + f.check + " on " + f.subject.text() + " is " +
                     model::to_string(f.status);
        }
        c.result = still.empty() ? "fixed" : "not fixed: " + still;
    }
}

}  // namespace haprep::fixes
