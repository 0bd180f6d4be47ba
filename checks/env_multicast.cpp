// env.multicast: multicast VRRP on a platform whose network does not carry it.
//
// The public clouds' virtual networks do not forward multicast (nor IP protocol 112
// by default): each node hears no adverts, and both become MASTER while every local
// check passes. OpenStack can carry it when the security group lets protocol 112 in
// and port security lets the VIP out, so it warns. The platform comes from the DMI
// strings; a container has none (the fact is absent), which says nothing about the
// network: skip, not unknown, so a container is not a monitoring "unknown" forever.
// DMI that is there but cannot be read (unreadable) may name a cloud: unknown.

#include <fmt/format.h>

#include "checks/keepalived.h"

namespace haprep::checks {

namespace {

using model::Status;

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

/// The platform's name when it drops multicast (or needs care, for OpenStack), else empty.
std::string platform_name(const model::Platform& p) {
    if (has(p.sys_vendor, "Amazon") || has(p.bios_vendor, "Amazon")) return "AWS";
    if (p.sys_vendor == "Google" || p.product_name == "Google Compute Engine") return "GCP";
    // Plain Hyper-V reports the same vendor; Azure's hosts carry this asset tag.
    if (p.sys_vendor == "Microsoft Corporation" && p.chassis_asset_tag == "7783-7084-3265-9085-8269-3286-77")
        return "Azure";
    if (has(p.product_name, "OpenStack") || has(p.sys_vendor, "OpenStack")) return "OpenStack";
    return {};
}

std::string seen(const model::Platform& p) {
    std::string text = p.sys_vendor;
    if (!p.product_name.empty()) text += (text.empty() ? "" : " ") + p.product_name;
    return text.empty() ? "an unnamed platform" : text;
}

/// The configuration's instance of that name: its block is what the fix edits.
std::optional<model::SourceLocation> block_of(const model::Facts& facts, const std::string& name) {
    if (name.empty() || !facts.keepalived.ok()) return std::nullopt;
    for (const auto& in : facts.keepalived.value->instances)
        if (in.name == name) return in.block.at;
    return std::nullopt;
}

}  // namespace

std::vector<model::Finding> evaluate_env_multicast(const model::Facts& facts) {
    if (facts.vrrp.instances.empty()) return {nothing_to_judge("no VRRP instance")};
    if (!facts.platform.ok())
        return {not_known(model::host_subject(), facts.platform,
                          {.unreadable = "platform unknown (", .absent = "platform unknown (",
                           .after = "): cannot tell whether it forwards multicast"})};
    const auto& p = *facts.platform.value;
    const std::string platform = platform_name(p);
    std::vector<model::Finding> findings;
    for (const auto& instance : facts.vrrp.instances) {
        auto f = finding(model::instance_subject(instance), Status::pass, "");
        f.evidence = {{"sys_vendor", p.sys_vendor},
                      {"product_name", p.product_name},
                      {"bios_vendor", p.bios_vendor},
                      {"chassis_asset_tag", p.chassis_asset_tag}};
        f.expected = platform.empty() ? "" : "unicast_peer";
        f.observed = model::to_string(instance.mode);
        if (instance.mode == model::VrrpMode::unicast) {
            f.message = "unicast: does not depend on multicast";
        } else if (platform.empty()) {
            f.message = "multicast on " + seen(p) + ": not a platform known to drop it";
        } else {
            const std::string peers = fmt::format("{}", fmt::join(instance.peers, " "));
            // The planner converts to unicast only when it knows whom to send to.
            f.evidence.emplace_back("peers", peers);
            f.evidence.emplace_back("mode from", instance.source);
            if (auto at = block_of(facts, instance.name)) f.source = *at;
            if (platform == "OpenStack") {
                f.status = Status::warn;
                f.message = "multicast VRRP on OpenStack: the security group must allow IP protocol 112, port "
                            "security / allowed-address-pairs must allow the VIP; prefer unicast_peer";
            } else {
                f.status = Status::fail;
                f.message = platform +
                            " does not forward multicast: VRRP adverts never reach the peer, both nodes become "
                            "MASTER; use unicast_peer";
            }
        }
        findings.push_back(std::move(f));
    }
    return findings;
}

}  // namespace haprep::checks
