#include "fixes/applier.h"

#include "fixes/journal.h"
#include <fmt/format.h>
#include <variant>
#include <functional>
#include <nlohmann/json.hpp>

#include "model/json.h"
#include <set>

namespace haprep::fixes {

namespace {

/// Checks a file's new content with the tool that will read it: "" when it accepts it.
struct Validate {
    Writer& writer;
    const model::FileWrite& file;
    std::string& note;  ///< gains keepalived -t's word when it accepts or cannot tell

    std::string operator()(const model::NoValidation&) const { return {}; }
    std::string operator()(const model::NftCheck&) const { return writer.check_nft_file(file.path, file.new_content); }
    std::string operator()(const model::IptablesRestoreTest& test) const {
        return writer.check_iptables_file(file.path, file.new_content, test.ipv6);
    }
    std::string operator()(const model::KeepalivedTest& test) const {
        std::string verdict;
        if (auto err = writer.check_keepalived_config(test.main, test.edited, test.baseline, test.config_id, verdict);
            !err.empty())
            return err;
        note += (note.empty() ? "" : "; ") + verdict;
        return {};
    }
};

/// Makes one change. `changed` is false when the host already was as planned
/// (firewalld's ALREADY_ENABLED): such a change is not `applied`, so it is neither
/// reported as changed nor taken back by a rollback.
struct Execute {
    Writer& writer;
    std::string& note;
    bool& changed;

    std::string operator()(const model::SysctlSet& e) const { return writer.set_sysctl(e.key, e.new_value); }
    std::string operator()(const model::FileWrite& e) const {
        if (auto err = std::visit(Validate{writer, e, note}, e.validation); !err.empty()) return err;
        return writer.write_file(e.path, e.new_content);
    }
    std::string operator()(const model::LinkMulticast& e) const { return writer.set_multicast(e.interface, e.on); }
    std::string operator()(const model::NftRuleInsert&) const { return "nft inserts run as one batch (insert_batch)"; }
    std::string operator()(const model::FirewalldProtocol& e) const {
        return writer.add_firewalld_protocol(e.zone, e.permanent, e.protocol, changed);
    }
    std::string operator()(const model::FirewalldRichRule& e) const {
        return writer.add_firewalld_rich_rule(e.zone, e.permanent, e.rule, changed);
    }
    std::string operator()(const model::UfwRule& e) const { return writer.run_ufw(e.args); }
};

std::string execute(Writer& writer, model::Change& c, bool& changed) {
    changed = true;
    return std::visit(Execute{writer, c.note, changed}, c.effect);
}

bool is_nft_insert(const model::Change& c) { return std::holds_alternative<model::NftRuleInsert>(c.effect); }

/// Every nft insert of the plan from `first` on, in one atomic batch: all of them are
/// in the ruleset afterwards or none. Each rule gets the kernel's handle, so the
/// journal and the rollback can delete exactly these rules.
std::string insert_batch(Writer& writer, std::vector<model::Change>& changes, size_t first, size_t& end) {
    std::vector<host::NftInsert> inserts;
    for (end = first; end < changes.size() && is_nft_insert(changes[end]); ++end) {
        const auto& insert = std::get<model::NftRuleInsert>(changes[end].effect);
        inserts.push_back({insert.rule, insert.before});
    }
    std::vector<std::uint64_t> handles;
    if (auto err = writer.insert_nft_rules(inserts, handles); !err.empty()) return err;
    for (size_t i = first; i < end; ++i)
        std::get<model::NftRuleInsert>(changes[i].effect).rule.handle = handles[i - first];
    return {};
}

/// Takes one made change back.
struct Undo {
    Writer& writer;

    std::string operator()(const model::SysctlSet& e) const { return writer.set_sysctl(e.key, e.old_value); }
    std::string operator()(const model::FileWrite& e) const {
        return e.existed ? writer.write_file(e.path, e.old_content) : writer.remove_file(e.path);
    }
    std::string operator()(const model::LinkMulticast& e) const { return writer.set_multicast(e.interface, e.was_on); }
    std::string operator()(const model::NftRuleInsert& e) const { return writer.delete_nft_rules({e.rule}); }
    std::string operator()(const model::FirewalldProtocol& e) const {
        return writer.remove_firewalld_protocol(e.zone, e.permanent, e.protocol);
    }
    std::string operator()(const model::FirewalldRichRule& e) const {
        return writer.remove_firewalld_rich_rule(e.zone, e.permanent, e.rule);
    }
    std::string operator()(const model::UfwRule& e) const {
        auto args = e.args;
        args.insert(args.begin(), "delete");
        return writer.run_ufw(args);
    }
};

std::string undo(Writer& writer, const model::Change& c) { return std::visit(Undo{writer}, c.effect); }

/// The journal holds enough to put every change back by hand or by a later `undo`.
std::string journal_text(const model::Plan& plan, const std::string& state) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& c : plan.changes) {
        entries.push_back(journal_entry(c));
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
        if (is_nft_insert(c)) {
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
        std::vector<std::string> still;
        for (const auto& f : after) {
            if (f.check_fix != c.fix && f.fix != c.fix) continue;
            // A change to an instance's configuration is about it in every family.
            if (!subjects.count(f.subject) && !subjects.count(f.subject.any_family())) continue;
            if (f.status == model::Status::pass || f.status == model::Status::skip) continue;
            still.push_back(f.check + " on " + f.subject.text() + " is " + model::to_string(f.status));
        }
        c.result = still.empty() ? "fixed" : fmt::format("not fixed: {}", fmt::join(still, ", "));
    }
}

}  // namespace haprep::fixes
