// addr.ipv6_link_local and addr.ipv4_source: the addresses keepalived advertises from.
//
// VRRPv3 for IPv6 sends its adverts from the interface's link-local address (RFC 5798
// 5.1.2.1); without a usable one (still tentative, or failed duplicate address
// detection) the instance cannot run. IPv4 adverts carry the interface's primary
// IPv4 address as source; without one there is nothing to send from.

#include <fmt/format.h>
#include <ranges>
#include <set>

#include "checks/check.h"
#include "model/ip.h"

namespace haprep::checks {

namespace {

using model::Family;
using model::Status;

/// inet_ntop's form, so "FE80::0100" in keepalived.conf equals the kernel's "fe80::100".
std::string canonical(const std::string& address) {
    const auto ip = model::IpAddress::parse(address);
    return ip ? ip->text() : address;
}

/// The addresses keepalived.conf adds as VIPs: keepalived never advertises from them,
/// so a VIP on the interface (say fe80::100 on the MASTER) is no source address.
std::set<std::string> vip_addresses(const model::Facts& facts) {
    std::set<std::string> vips;
    if (!facts.keepalived.ok()) return vips;
    for (const auto& in : facts.keepalived.value->instances)
        for (const auto& vip : in.vips)
            if (vip.valid) vips.insert(canonical(vip.address));
    return vips;
}

std::string describe(const model::Address& a) {
    std::string text = a.address + "/" + std::to_string(a.prefix);
    if (a.tentative) text += " tentative";
    if (a.dadfailed) text += " dadfailed";
    if (a.deprecated) text += " deprecated";
    if (a.optimistic) text += " optimistic";
    return text;
}

std::string join(const std::vector<const model::Address*>& addresses) {
    if (addresses.empty()) return "none";
    return fmt::format(
        "{}",
        fmt::join(addresses | std::views::transform([](const auto* a) { return describe(*a); }),
                  ", "));
}

/// The finding when `name` cannot be judged for `family`, or nothing.
std::optional<model::Finding> not_judgeable(const model::FactsView& view, const std::string& name,
                                            Family family) {
    const auto& facts = view.facts();
    const char* label = family == Family::ipv4 ? "IPv4" : "IPv6";
    if (!view.runs_family(name, family))
        return finding(model::interface_subject(name), Status::skip, std::string("no ") + label + " VRRP on " + name);
    if (!facts.addresses.ok())
        return not_known(model::interface_subject(name), facts.addresses, {.unreadable = "cannot list addresses: "});
    if (facts.interfaces.ok() && view.interface(name) == nullptr)
        return finding(model::interface_subject(name), Status::skip, "no interface " + name + " (see link.present)");
    return std::nullopt;
}

}  // namespace

std::vector<model::Finding> evaluate_ipv6_link_local(const model::Facts& facts) {
    const model::FactsView view(facts);
    return per_vrrp_interface(facts, [&](const std::string& name) {
        if (auto f = not_judgeable(view, name, Family::ipv6)) return *f;
        const auto vips = vip_addresses(facts);
        std::vector<const model::Address*> link_local, vip_link_local;
        for (const auto* a : view.addresses(name, Family::ipv6))
            if (model::is_link_local(a->address, Family::ipv6))
                (vips.count(canonical(a->address)) ? vip_link_local : link_local).push_back(a);
        model::Finding f = finding(model::interface_subject(name), Status::fail, "");
        f.expected = "a fe80::/10 address, neither tentative nor dadfailed";
        f.observed = join(link_local);
        f.evidence = {{"IPv6 link-local addresses", join(link_local)}};
        if (!vip_link_local.empty())
            f.evidence.emplace_back("keepalived VIPs (never the source)", join(vip_link_local));
        const model::Address *usable = nullptr, *duplicate = nullptr, *tentative = nullptr;
        for (const auto* a : link_local) {
            auto& slot = a->dadfailed ? duplicate : a->tentative ? tentative : usable;
            if (slot == nullptr) slot = a;
        }
        if (usable != nullptr) {
            f.status = Status::pass;
            f.message = name + " advertises IPv6 VRRP from " + usable->address;
        } else if (duplicate != nullptr) {
            f.message = duplicate->address + " on " + name +
                        " failed duplicate address detection: another node on the link uses " +
                        duplicate->address + "; give this node a unique link-local address";
        } else if (tentative != nullptr) {
            f.message = tentative->address + " on " + name +
                        " is still tentative (duplicate address detection running): IPv6 "
                        "adverts cannot be sent from it yet";
        } else {
            f.message = name + " has no IPv6 link-local address: keepalived sends IPv6 adverts "
                        "from one (check net.ipv6.conf." + name + ".addr_gen_mode and disable_ipv6)";
        }
        return f;
    });
}

std::vector<model::Finding> evaluate_ipv4_source(const model::Facts& facts) {
    const model::FactsView view(facts);
    return per_vrrp_interface(facts, [&](const std::string& name) {
        if (auto f = not_judgeable(view, name, Family::ipv4)) return *f;
        const auto vips = vip_addresses(facts);
        std::vector<const model::Address*> addresses, vip_addresses_here;
        for (const auto* a : view.addresses(name, Family::ipv4))
            (vips.count(canonical(a->address)) ? vip_addresses_here : addresses).push_back(a);
        model::Finding f = finding(model::interface_subject(name), Status::pass, "");
        f.expected = "an IPv4 address on " + name;
        f.observed = join(addresses);
        f.evidence = {{"IPv4 addresses", join(addresses)}};
        if (!vip_addresses_here.empty())
            f.evidence.emplace_back("keepalived VIPs (never the source)", join(vip_addresses_here));
        if (addresses.empty()) {
            f.status = Status::fail;
            f.message = name + " has no IPv4 address" + (vip_addresses_here.empty() ? "" : " other than keepalived's VIPs") +
                        ": keepalived has no source address for IPv4 adverts";
        } else {
            f.message = name + " advertises IPv4 VRRP from " + addresses.front()->address;
        }
        return f;
    });
}

}  // namespace haprep::checks
