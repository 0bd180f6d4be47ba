// link.present, link.up and link.multicast: the VRRP interface as the kernel reports
// it over rtnetlink.
//
// keepalived in multicast mode refuses an interface without IFF_MULTICAST ("interface
// X does not support multicast, specify unicast peers - disabling"): the instance
// never runs and the node gives no HA at all. An interface that is down or has no
// carrier sends and hears nothing, so the peer promotes itself.

#include <fmt/format.h>
#include <ranges>

#include "checks/check.h"

namespace haprep::checks {

namespace {

using model::Status;

std::string flags_text(const model::Interface& iface) {
    std::vector<const char*> flags;
    auto add = [&](bool on, const char* name) {
        if (on) flags.push_back(name);
    };
    add(iface.up, "UP");
    add(iface.loopback, "LOOPBACK");
    add(iface.multicast, "MULTICAST");
    add(iface.running, "RUNNING");
    add(iface.lower_up, "LOWER_UP");
    return fmt::format("<{}>", fmt::join(flags, ","));
}

std::vector<model::Evidence> link_evidence(const model::Interface& iface) {
    std::vector<model::Evidence> evidence = {{"flags", flags_text(iface)},
                                             {"operstate", iface.operstate},
                                             {"mtu", std::to_string(iface.mtu)}};
    if (!iface.kind.empty()) evidence.emplace_back("kind", iface.kind);
    return evidence;
}

/// The finding for an interface the other link checks cannot judge, or nothing.
std::optional<model::Finding> not_judgeable(const model::FactsView& view, const std::string& name) {
    const auto& facts = view.facts();
    if (!facts.interfaces.ok())
        return not_known(model::interface_subject(name), facts.interfaces, {.unreadable = "cannot list interfaces: "});
    if (view.interface(name) == nullptr)
        return finding(model::interface_subject(name), Status::skip, "no interface " + name + " (see link.present)");
    return std::nullopt;
}

}  // namespace

std::vector<model::Finding> evaluate_link_present(const model::Facts& facts) {
    const model::FactsView view(facts);
    return per_vrrp_interface(facts, [&](const std::string& name) {
        if (!facts.interfaces.ok())
            return not_known(model::interface_subject(name), facts.interfaces, {.unreadable = "cannot list interfaces: "});
        if (const auto* iface = view.interface(name)) {
            auto f = finding(model::interface_subject(name), Status::pass,
                             name + " exists (index " + std::to_string(iface->index) + ")");
            f.evidence = {{"named by", facts.vrrp.source}};
            return f;
        }
        auto f = finding(model::interface_subject(name), Status::fail,
                         "no interface " + name + " in this network namespace: keepalived cannot run VRRP on it");
        const std::string present = fmt::format(
            "{}",
            fmt::join(*facts.interfaces.value | std::views::transform(&model::Interface::name),
                      " "));
        f.expected = "interface " + name;
        f.observed = "absent";
        f.evidence = {{"named by", facts.vrrp.source}, {"interfaces here", present}};
        return f;
    });
}

std::vector<model::Finding> evaluate_link_up(const model::Facts& facts) {
    const model::FactsView view(facts);
    return per_vrrp_interface(facts, [&](const std::string& name) {
        if (auto f = not_judgeable(view, name)) return *f;
        const auto& iface = *view.interface(name);
        model::Finding f = finding(model::interface_subject(name), Status::pass, name + " is up with carrier");
        f.expected = "UP, LOWER_UP";
        f.observed = flags_text(iface) + " operstate " + iface.operstate;
        f.evidence = link_evidence(iface);
        if (!iface.up) {
            f.status = Status::fail;
            f.message = name + " is administratively down: it neither sends nor hears adverts "
                        "(ip link set " + name + " up)";
        } else if (!iface.lower_up) {
            f.status = Status::fail;
            f.message = name + " is up but has no carrier (operstate " + iface.operstate +
                        "): cable, switch port or the veth peer is down";
        }
        return f;
    });
}

std::vector<model::Finding> evaluate_link_multicast(const model::Facts& facts) {
    const model::FactsView view(facts);
    return per_vrrp_interface(facts, [&](const std::string& name) {
        if (auto f = not_judgeable(view, name)) return *f;
        const auto& iface = *view.interface(name);
        std::string multicast_by;
        for (const auto& instance : view.instances(name))
            if (instance.mode == model::VrrpMode::multicast && multicast_by.empty())
                multicast_by = instance.name.empty() ? instance.source : "vrrp_instance " + instance.name;
        model::Finding f = finding(model::interface_subject(name), Status::pass, "");
        f.expected = "MULTICAST";
        f.observed = iface.multicast ? "MULTICAST" : "no MULTICAST";
        f.evidence = link_evidence(iface);
        if (multicast_by.empty()) {
            f.message = "unicast mode does not need MULTICAST on " + name;
        } else if (iface.multicast) {
            f.message = name + " has MULTICAST for multicast VRRP";
        } else {
            f.status = Status::fail;
            f.message = name + " has no MULTICAST flag: keepalived logs \"interface " + name +
                        " does not support multicast, specify unicast peers - disabling\" and "
                        "the instance never runs";
            f.evidence.emplace_back("multicast mode from", multicast_by);
        }
        return f;
    });
}

}  // namespace haprep::checks
