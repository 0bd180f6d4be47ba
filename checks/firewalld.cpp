// firewalld.vrrp and firewalld.permanent.
//
// Both run the adverts nft.vrrp builds (one per peer, or a same-subnet stand-in)
// through firewalld's zone logic (firewall/firewalld_eval.h): firewalld.vrrp on the
// runtime settings, firewalld.permanent on the permanent settings of the same zone,
// which is what a reload or reboot brings back. Subjects are "eth0 (ipv4)", as for
// nft.vrrp, so a fix verified by either check is the same fix.

#include "checks/check.h"
#include "firewall/firewalld_eval.h"

namespace haprep::checks {

namespace {

using model::Status;

/// The finding every firewalld check returns when firewalld cannot be judged, or
/// nullopt when it can.
std::optional<std::vector<model::Finding>> cannot_judge(const model::Facts& facts) {
    if (!facts.firewalld.ok())
        return std::vector{not_known(model::host_subject(), facts.firewalld, {.unreadable = "cannot read firewalld over D-Bus: "})};
    const auto& fw = *facts.firewalld.value;
    if (fw.state != "RUNNING")
        return std::vector{finding(model::host_subject(), Status::unknown,
                                   "firewalld is in state " + fw.state +
                                       (fw.state == "FAILED" ? " (its configuration failed to load; see its log)"
                                                             : " (still starting)") +
                                       ": its zones cannot be judged")};
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);
    return std::nullopt;
}

/// The first advert the layer does not let in, else the verdict for the first advert.
struct LayerResult {
    firewall::FirewalldVerdict verdict;
    firewall::VrrpPacket packet;
};

LayerResult judge_layer(const model::Firewalld& fw, const model::FirewalldLayer& layer,
                        const std::vector<firewall::VrrpPacket>& packets) {
    std::optional<LayerResult> first;
    for (const auto& p : packets) {
        auto v = firewall::evaluate_firewalld(fw, layer, p);
        if (!v.accepts) return {std::move(v), p};
        if (!first) first = LayerResult{std::move(v), p};
    }
    return *first;
}

std::string describe(const firewall::VrrpPacket& p) {
    return "vrrp " + (p.saddr.empty() ? std::string("(unknown peer)") : p.saddr) + " > " + p.daddr + " on " + p.iifname;
}

/// The finding for one layer's result, passing until the caller says otherwise.
model::Finding layer_finding(const model::Subject& subject, const char* layer, const LayerResult& r) {
    model::Finding f = finding(subject, Status::pass, "");
    f.expected = "accept";
    f.observed = r.verdict.accepts ? "accept" : r.verdict.decided_by;
    f.evidence.emplace_back("packet", describe(r.packet));
    f.evidence.emplace_back(std::string("zone (") + layer + ")", r.verdict.zone + ": " + r.verdict.how);
    f.evidence.emplace_back(std::string("decided by (") + layer + ")", r.verdict.decided_by);
    for (const auto& note : r.verdict.notes) f.evidence.emplace_back("note", note);
    return f;
}

/// Calls `judge(subject, runtime, permanent)` for every VRRP instance (interface and family).
template <class Judge>
std::vector<model::Finding> per_instance(const model::Facts& facts, Judge&& judge) {
    if (auto none = cannot_judge(facts)) return *none;
    const auto& fw = *facts.firewalld.value;
    const model::FactsView view(facts);
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names) {
        for (const auto& instance : view.instances(name)) {
            const auto packets = firewall::vrrp_adverts(view, instance);
            findings.push_back(judge(model::adverts_subject(instance), judge_layer(fw, fw.runtime, packets),
                                     judge_layer(fw, fw.permanent, packets)));
        }
    }
    return findings;
}

}  // namespace

std::vector<model::Finding> evaluate_firewalld_vrrp(const model::Facts& facts) {
    return per_instance(facts, [](const model::Subject& subject, const LayerResult& runtime,
                                  const LayerResult& permanent) {
        const auto& v = runtime.verdict;
        const std::string interface = runtime.packet.iifname;
        model::Finding f = layer_finding(subject, "runtime", runtime);
        if (v.zone_unknown) {
            f.status = Status::unknown;
            f.message = "firewalld puts VRRP on " + interface + " in zone " + v.zone + ", whose settings were not read";
        } else if (!v.source_dependent.empty()) {
            f.status = Status::warn;
            f.message = "firewalld zone " + v.zone + " lets VRRP in on " + interface + " only from some sources (rich rule: " +
                        v.source_dependent + ") — is that your peer? haprep does not know the peers: name them with "
                        "--peer, --peer-conf or --peer-facts";
        } else if (v.accepts) {
            f.message = "firewalld zone " + v.zone + " lets VRRP in on " + interface + " (" + v.decided_by + ")";
        } else {
            f.status = Status::fail;
            f.message = "firewalld zone " + v.zone + " does not let VRRP in on " + interface + ": " + v.decided_by +
                        " (" + v.how + ")";
            if (permanent.verdict.accepts)
                f.message += "; the permanent configuration lets it in: `firewall-cmd --reload` would fix it";
            if (v.decided_by.rfind("rich rule", 0) == 0)
                f.message += "; a rich rule decides, which haprep will not remove: firewall-cmd --zone=" + v.zone +
                             " --remove-rich-rule='...' if it is not intended";
        }
        return f;
    });
}

std::vector<model::Finding> evaluate_firewalld_permanent(const model::Facts& facts) {
    return per_instance(facts, [](const model::Subject& subject, const LayerResult& runtime,
                                  const LayerResult& permanent) {
        const auto& v = permanent.verdict;
        const std::string interface = permanent.packet.iifname;
        model::Finding f = layer_finding(subject, "permanent", permanent);
        if (v.zone_unknown) {
            f.status = Status::unknown;
            f.message = "zone " + v.zone + " has no permanent configuration that was read";
        } else if (v.accepts && runtime.verdict.accepts) {
            f.message = "the permanent configuration of zone " + v.zone + " lets VRRP in on " + interface + " too (" +
                        v.decided_by + ")";
        } else if (v.accepts) {
            f.status = Status::warn;
            f.message = "the permanent configuration of zone " + v.zone + " lets VRRP in on " + interface +
                        " but runtime does not: `firewall-cmd --reload` would fix it";
        } else if (runtime.verdict.accepts) {
            f.status = Status::warn;
            f.message = "runtime lets VRRP in on " + interface + " but the permanent configuration of zone " + v.zone +
                        " does not (" + v.decided_by + "): lost at the next reload or reboot";
        } else {
            f.status = Status::warn;
            f.message = "the permanent configuration of zone " + v.zone + " does not let VRRP in on " + interface +
                        " either (" + v.decided_by + ")";
        }
        return f;
    });
}

}  // namespace haprep::checks
