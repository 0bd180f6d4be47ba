// Fix firewalld.vrrp (and firewalld.permanent, and nft.vrrp drops decided in
// firewalld's table): add protocol vrrp to the zone that takes the adverts, at
// runtime and in the permanent configuration, or only in the layer that lacks it.
//
// Adding the protocol is planned only where it lets the adverts in: a rich rule that
// rejects or drops VRRP comes before what a zone allows, and removing it is the
// admin's decision (the finding says so). A zone target is never changed: ACCEPT
// would open the zone to everything.

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "checks/firewalld_eval.h"
#include "fixes/fix.h"

namespace haprep::fixes {

namespace {

constexpr const char* kProtocol = "vrrp";

/// "eth0 (ipv4)" -> "eth0".
std::string interface_of(const std::string& subject) { return subject.substr(0, subject.find(' ')); }

/// The layer with protocol vrrp added to `zone`.
model::FirewalldLayer with_vrrp(model::FirewalldLayer layer, const std::string& zone) {
    auto it = layer.zones.find(zone);
    if (it != layer.zones.end()) it->second.protocols.push_back(kProtocol);
    return layer;
}

model::Change add_change(const std::string& zone, bool permanent, const std::set<std::string>& subjects) {
    const std::string layer = permanent ? "permanent" : "runtime";
    model::Change c;
    c.kind = model::ChangeKind::firewalld_add_protocol;
    for (const auto& s : subjects) c.subject += (c.subject.empty() ? "" : ",") + s;
    c.target = "zone " + zone + " (" + layer + ")";
    c.action = "add";
    c.after = nlohmann::json{{"zone", zone}, {"permanent", permanent}, {"protocol", kProtocol}}.dump();
    c.diff = c.target + ": + protocol " + kProtocol + "\n";
    return c;
}

}  // namespace

std::vector<model::Change> plan_firewalld_vrrp(const model::Facts& facts, std::span<const model::Finding> findings,
                                               const policy::Policy&) {
    if (!facts.firewalld.ok() || !facts.firewalld.value->running) return {};
    const auto& fw = *facts.firewalld.value;
    std::set<std::string> interfaces;
    for (const auto& f : findings) interfaces.insert(interface_of(f.subject));

    // zone -> subjects, for each layer that does not let the adverts in but would with vrrp.
    std::map<std::string, std::set<std::string>> needs[2];  // [0] runtime, [1] permanent
    std::set<std::string> refuses[2];  // zones whose layer does not let some advert in
    const model::FactsView view(facts);
    for (const auto& name : facts.vrrp.names) {
        if (!interfaces.count(name)) continue;
        for (const auto& instance : view.instances(name)) {
            const std::string subject = name + " (" + model::to_string(instance.family) + ")";
            for (const auto& packet : checks::vrrp_adverts(view, instance)) {
                for (int permanent = 0; permanent < 2; ++permanent) {
                    const auto& layer = permanent ? fw.permanent : fw.runtime;
                    const auto verdict = checks::evaluate_firewalld(fw, layer, packet);
                    // Never wider than the rules that are there: a zone that takes VRRP
                    // from some sources gets nothing while the peers are unknown.
                    if (verdict.accepts || verdict.zone_unknown || !verdict.source_dependent.empty()) continue;
                    refuses[permanent].insert(verdict.zone);
                    if (!checks::evaluate_firewalld(fw, with_vrrp(layer, verdict.zone), packet).accepts) continue;
                    needs[permanent][verdict.zone].insert(subject);
                }
            }
        }
    }
    std::vector<model::Change> changes;
    for (int permanent = 0; permanent < 2; ++permanent) {
        for (const auto& [zone, subjects] : needs[permanent]) {
            auto c = add_change(zone, permanent, subjects);
            if (!refuses[1 - permanent].count(zone))
                c.note = permanent ? "runtime already lets VRRP in; this keeps it after a reload or reboot"
                                   : "the permanent configuration already lets VRRP in; this applies it now, without a reload";
            changes.push_back(std::move(c));
        }
    }
    return changes;
}

}  // namespace haprep::fixes
