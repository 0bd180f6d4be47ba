#include "fixes/journal.h"

#include "model/json.h"

namespace haprep::fixes {

namespace {

struct BeforeAfter {
    std::string before, after;
};

/// What the journal has always said an effect was before and is after.
struct JournalValues {
    BeforeAfter operator()(const model::SysctlSet& e) const { return {e.old_value, e.new_value}; }
    BeforeAfter operator()(const model::FileWrite& e) const { return {e.old_content, e.new_content}; }
    BeforeAfter operator()(const model::LinkMulticast& e) const { return {on_off(e.was_on), on_off(e.on)}; }
    BeforeAfter operator()(const model::NftRuleInsert& e) const {
        return {std::to_string(e.before), nlohmann::json{{"rule", e.rule}, {"before", e.before}}.dump()};
    }
    BeforeAfter operator()(const model::FirewalldProtocol& e) const {
        return {"", nlohmann::json{{"zone", e.zone}, {"permanent", e.permanent}, {"protocol", e.protocol}}.dump()};
    }
    BeforeAfter operator()(const model::FirewalldRichRule& e) const {
        return {"", nlohmann::json{{"zone", e.zone}, {"permanent", e.permanent}, {"rule", e.rule}}.dump()};
    }
    BeforeAfter operator()(const model::UfwRule& e) const { return {"", nlohmann::json(e.args).dump()}; }

    static std::string on_off(bool on) { return on ? "on" : "off"; }
};

}  // namespace

nlohmann::json journal_entry(const model::Change& change) {
    const auto [before, after] = std::visit(JournalValues{}, change.effect);
    // Only a file can be created (undo then removes it); every other effect acts on
    // something that exists.
    const auto* file = std::get_if<model::FileWrite>(&change.effect);
    return {{"fix", change.fix},
            {"subject", change.subject},
            {"kind", model::kind_name(change.effect)},
            {"target", change.target},
            {"existed", file == nullptr || file->existed},
            {"before", before},
            {"after", after},
            {"applied", change.applied}};
}

}  // namespace haprep::fixes
