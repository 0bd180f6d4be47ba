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
            {"subject", model::subjects_text(change.subjects)},
            {"kind", model::kind_name(change.effect)},
            {"target", change.target},
            {"existed", file == nullptr || file->existed},
            {"before", before},
            {"after", after},
            {"applied", change.applied}};
}

model::ChangeEffect journal_effect(const nlohmann::json& entry) {
    const std::string kind = entry.at("kind");
    const std::string target = entry.at("target"), before = entry.at("before"), after = entry.at("after");
    if (kind == model::SysctlSet::kKind) return model::SysctlSet{target, before, after};
    if (kind == model::FileWrite::kKind)
        return model::FileWrite{
            .path = target, .old_content = before, .existed = entry.at("existed").get<bool>(), .new_content = after};
    if (kind == model::LinkMulticast::kKind)
        return model::LinkMulticast{.interface = target, .was_on = before == "on", .on = after == "on"};
    const auto value = nlohmann::json::parse(after);
    if (kind == model::NftRuleInsert::kKind)
        return model::NftRuleInsert{value.at("rule").get<model::NftRule>(), value.at("before").get<std::uint64_t>()};
    if (kind == model::FirewalldProtocol::kKind)
        return model::FirewalldProtocol{value.at("zone"), value.at("permanent"), value.at("protocol")};
    if (kind == model::FirewalldRichRule::kKind)
        return model::FirewalldRichRule{value.at("zone"), value.at("permanent"), value.at("rule")};
    if (kind == model::UfwRule::kKind) return model::UfwRule{value.get<std::vector<std::string>>()};
    throw nlohmann::json::other_error::create(501, "unknown change kind " + kind, &entry);
}

}  // namespace haprep::fixes
