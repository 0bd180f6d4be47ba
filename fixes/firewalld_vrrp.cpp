// Fix firewalld.vrrp (and firewalld.permanent, and nft.vrrp drops decided in
// firewalld's table): let the adverts into the zone that takes them, at runtime and
// in the permanent configuration, or only in the layer that lacks it.
//
// Never wider than needed: when the peers are known (unicast_peer, --peer,
// --peer-conf, --peer-facts) each gets a rich rule that accepts VRRP from its
// address only; protocol vrrp, which admits VRRP from every source in the zone, is
// added only when no peer is known, and not even then when the zone already takes
// VRRP from some sources (the verdict is source-dependent: that restriction stays).
//
// A change is planned only where it lets the adverts in: a rich rule that rejects or
// drops VRRP comes before what a zone allows, and removing it is the admin's
// decision (the finding says so). A zone target is never changed: ACCEPT would open
// the zone to everything.

#include <algorithm>
#include <map>
#include <set>

#include "firewall/firewalld_eval.h"
#include "fixes/fix.h"

namespace haprep::fixes {

namespace {

constexpr const char* kProtocol = "vrrp";

/// What lets one advert in: the rich rule for its known source, in firewalld's
/// normalised form (so ALREADY_ENABLED recognises it), else "" for protocol vrrp.
std::string admission_for(const firewall::VrrpPacket& packet) {
    if (packet.saddr.empty()) return {};
    return std::string("rule family=\"") + model::to_string(packet.family) + "\" source address=\"" + packet.saddr +
           "\" protocol value=\"" + kProtocol + "\" accept";
}

/// The layer with `rule` (or protocol vrrp when empty) added to `zone`.
model::FirewalldLayer with_vrrp(model::FirewalldLayer layer, const std::string& zone, const std::string& rule) {
    auto it = layer.zones.find(zone);
    if (it == layer.zones.end()) return layer;
    if (rule.empty()) it->second.protocols.push_back(kProtocol);
    else it->second.rich_rules.push_back(rule);
    return layer;
}

model::Change add_change(const std::string& zone, const std::string& rule, bool permanent,
                         const std::set<model::Subject>& subjects) {
    const std::string layer = permanent ? "permanent" : "runtime";
    model::Change c;
    c.subjects.assign(subjects.begin(), subjects.end());
    c.target = "zone " + zone + " (" + layer + ")";
    c.action = "add";
    if (rule.empty()) {
        c.effect = model::FirewalldProtocol{zone, permanent, kProtocol};
        c.diff = c.target + ": + protocol " + kProtocol + "\n";
    } else {
        c.effect = model::FirewalldRichRule{zone, permanent, rule};
        c.diff = c.target + ": + rich rule '" + rule + "'\n";
    }
    return c;
}

}  // namespace

std::vector<model::Change> plan_firewalld_vrrp(const model::Facts& facts, std::span<const model::Finding> findings,
                                               const policy::Policy&) {
    if (!facts.firewalld.ok()) return {};
    const auto& fw = *facts.firewalld.value;
    std::set<std::string> interfaces;
    for (const auto& f : findings) interfaces.insert(f.subject.interface);

    // (zone, rule) -> subjects, for each layer that does not let the adverts in but
    // would with the peer's rich rule (rule) or protocol vrrp (rule "": no peer known).
    using Admission = std::pair<std::string, std::string>;
    std::map<Admission, std::set<model::Subject>> needs[2];  // [0] runtime, [1] permanent
    std::set<Admission> refuses[2];  // what each layer does not let in
    const model::FactsView view(facts);
    for (const auto& name : facts.vrrp.names) {
        if (!interfaces.count(name)) continue;
        for (const auto& instance : view.instances(name)) {
            const auto subject = model::adverts_subject(instance);
            for (const auto& packet : firewall::vrrp_adverts(view, instance)) {
                for (int permanent = 0; permanent < 2; ++permanent) {
                    const auto& layer = permanent ? fw.permanent : fw.runtime;
                    const auto verdict = firewall::evaluate_firewalld(fw, layer, packet);
                    // Never wider than the rules that are there: a zone that takes VRRP
                    // from some sources gets nothing while the peers are unknown.
                    if (verdict.accepts || verdict.zone_unknown || !verdict.source_dependent.empty()) continue;
                    const Admission admission{verdict.zone, admission_for(packet)};
                    refuses[permanent].insert(admission);
                    if (!firewall::evaluate_firewalld(fw, with_vrrp(layer, verdict.zone, admission.second), packet)
                             .accepts)
                        continue;
                    needs[permanent][admission].insert(subject);
                }
            }
        }
    }
    std::vector<model::Change> changes;
    for (int permanent = 0; permanent < 2; ++permanent) {
        for (const auto& [admission, subjects] : needs[permanent]) {
            auto c = add_change(admission.first, admission.second, permanent, subjects);
            if (!refuses[1 - permanent].count(admission))
                c.note = permanent ? "runtime already lets VRRP in; this keeps it after a reload or reboot"
                                   : "the permanent configuration already lets VRRP in; this applies it now, without a reload";
            changes.push_back(std::move(c));
        }
    }
    return changes;
}

}  // namespace haprep::fixes
