#include "host/rtnl_parse.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cstring>

namespace haprep::host::rtnl {

namespace {

// Not in glibc's <net/if.h>, and <linux/if.h> cannot be included beside it.
constexpr unsigned kIffLowerUp = 0x10000;
enum Operstate { kUnknown, kNotPresent, kDown, kLowerLayerDown, kTesting, kDormant, kUp };

/// Calls `fn` for each attribute of `message` after a fixed header of `header_size`
/// bytes. False when the attributes do not fill the message exactly (truncated).
template <class Fn>
bool for_each_attribute(const nlmsghdr& message, size_t header_size, Fn&& fn) {
    if (message.nlmsg_len < NLMSG_HDRLEN + header_size) return false;
    auto* nlh = const_cast<nlmsghdr*>(&message);
    const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
    auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, header_size));
    while (mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)))) {
        fn(*attr);
        attr = mnl_attr_next(attr);
    }
    // Attribute padding may leave fewer than 4 bytes at the end; anything more is a
    // cut-off attribute.
    return tail - reinterpret_cast<const char*>(attr) < static_cast<long>(sizeof(nlattr));
}

bool is_u8(const nlattr& a) { return mnl_attr_get_payload_len(&a) >= 1; }
bool is_u32(const nlattr& a) { return mnl_attr_get_payload_len(&a) >= 4; }

std::optional<std::string> string_attribute(const nlattr& a) {
    const auto len = mnl_attr_get_payload_len(&a);
    const char* text = mnl_attr_get_str(&a);
    if (len == 0 || std::memchr(text, '\0', len) == nullptr) return std::nullopt;
    return std::string(text);
}

std::optional<std::string> address_attribute(const nlattr& a, int family) {
    const auto len = mnl_attr_get_payload_len(&a);
    if ((family == AF_INET && len != 4) || (family == AF_INET6 && len != 16)) return std::nullopt;
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(family, mnl_attr_get_payload(&a), text, sizeof text) == nullptr)
        return std::nullopt;
    return std::string(text);
}

/// A message that is not what it should be: the parse result is unreadable, with why.
struct Malformed {
    std::string why;
    template <class T>
    operator model::Fact<T>() const {  // NOLINT(google-explicit-constructor): one for every parse result
        return model::Fact<T>::unreadable(why);
    }
};
Malformed malformed(std::string why) { return {std::move(why)}; }

}  // namespace

WalkOutcome walk_messages(std::span<const std::byte> bytes, std::uint32_t seq,
                          const std::function<void(const nlmsghdr&)>& on_message) {
    WalkOutcome outcome;
    int remaining = static_cast<int>(bytes.size());
    auto* nlh = reinterpret_cast<const nlmsghdr*>(bytes.data());
    for (; mnl_nlmsg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
        if (seq != 0 && nlh->nlmsg_seq != seq) continue;
        if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) outcome.interrupted = true;
        switch (nlh->nlmsg_type) {
            case NLMSG_NOOP: continue;
            case NLMSG_OVERRUN: outcome.malformed = "netlink overrun"; return outcome;
            case NLMSG_DONE: {
                outcome.done = true;
                // A dump may end with an error code in its DONE message.
                if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
                    int code = 0;
                    std::memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof code);
                    if (code < 0) outcome.error = -code;
                }
                return outcome;
            }
            case NLMSG_ERROR: {
                outcome.done = true;
                if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr)) {
                    outcome.malformed = "truncated NLMSG_ERROR";
                    return outcome;
                }
                nlmsgerr err{};
                std::memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof err);
                outcome.error = -err.error;
                return outcome;
            }
            default: on_message(*nlh);
        }
    }
    if (remaining > 0)
        outcome.malformed = "truncated netlink message (" + std::to_string(remaining) +
                            " bytes left over)";
    return outcome;
}

model::Fact<model::Interface> parse_link(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWLINK) return malformed("not an RTM_NEWLINK message");
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(ifinfomsg))
        return malformed("truncated RTM_NEWLINK header");
    ifinfomsg info{};
    std::memcpy(&info, mnl_nlmsg_get_payload(&message), sizeof info);
    model::Interface iface;
    iface.index = info.ifi_index;
    iface.up = (info.ifi_flags & IFF_UP) != 0;
    iface.loopback = (info.ifi_flags & IFF_LOOPBACK) != 0;
    iface.multicast = (info.ifi_flags & IFF_MULTICAST) != 0;
    iface.running = (info.ifi_flags & IFF_RUNNING) != 0;
    iface.lower_up = (info.ifi_flags & kIffLowerUp) != 0;
    iface.operstate = operstate_name(kUnknown);
    std::string bad;
    const bool whole = for_each_attribute(message, sizeof(ifinfomsg), [&](const nlattr& a) {
        switch (mnl_attr_get_type(&a)) {
            case IFLA_IFNAME:
                if (auto name = string_attribute(a)) iface.name = *name;
                else bad = "IFLA_IFNAME is not a string";
                break;
            case IFLA_MTU:
                if (is_u32(a)) iface.mtu = static_cast<int>(mnl_attr_get_u32(&a));
                break;
            case IFLA_OPERSTATE:
                if (is_u8(a)) iface.operstate = operstate_name(mnl_attr_get_u8(&a));
                break;
            case IFLA_LINKINFO: {
                auto* nested = static_cast<const nlattr*>(mnl_attr_get_payload(&a));
                const auto* end = static_cast<const char*>(mnl_attr_get_payload(&a)) + mnl_attr_get_payload_len(&a);
                for (; mnl_attr_ok(nested, static_cast<int>(end - reinterpret_cast<const char*>(nested)));
                     nested = mnl_attr_next(nested)) {
                    if (mnl_attr_get_type(nested) != IFLA_INFO_KIND) continue;
                    if (auto kind = string_attribute(*nested)) iface.kind = *kind;
                }
                break;
            }
            default: break;  // attributes haprep does not need
        }
    });
    if (!whole) return malformed("truncated attribute in RTM_NEWLINK for index " + std::to_string(iface.index));
    if (!bad.empty()) return malformed(bad);
    if (iface.name.empty()) return malformed("RTM_NEWLINK without IFLA_IFNAME for index " + std::to_string(iface.index));
    return model::Fact<model::Interface>::known(std::move(iface));
}

model::Fact<model::Address> parse_address(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWADDR) return malformed("not an RTM_NEWADDR message");
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(ifaddrmsg))
        return malformed("truncated RTM_NEWADDR header");
    ifaddrmsg info{};
    std::memcpy(&info, mnl_nlmsg_get_payload(&message), sizeof info);
    if (info.ifa_family != AF_INET && info.ifa_family != AF_INET6)
        return malformed("RTM_NEWADDR of family " + std::to_string(info.ifa_family));
    model::Address addr;
    addr.index = static_cast<int>(info.ifa_index);
    addr.family = info.ifa_family == AF_INET ? model::Family::ipv4 : model::Family::ipv6;
    addr.prefix = info.ifa_prefixlen;
    addr.scope = info.ifa_scope;
    std::uint32_t flags = info.ifa_flags;
    std::optional<std::string> local, address;
    const bool whole = for_each_attribute(message, sizeof(ifaddrmsg), [&](const nlattr& a) {
        switch (mnl_attr_get_type(&a)) {
            case IFA_LOCAL: local = address_attribute(a, info.ifa_family); break;
            case IFA_ADDRESS: address = address_attribute(a, info.ifa_family); break;
            case IFA_FLAGS:
                if (is_u32(a)) flags = mnl_attr_get_u32(&a);
                break;
            default: break;
        }
    });
    if (!whole) return malformed("truncated attribute in RTM_NEWADDR for index " + std::to_string(addr.index));
    // IPv4: IFA_LOCAL is this host's address (IFA_ADDRESS is the peer on point-to-point
    // links). IPv6 sends only IFA_ADDRESS, except on point-to-point links.
    const auto& own = local ? local : address;
    if (!own) return malformed("RTM_NEWADDR without an address for index " + std::to_string(addr.index));
    addr.address = *own;
    addr.tentative = (flags & IFA_F_TENTATIVE) != 0;
    addr.dadfailed = (flags & IFA_F_DADFAILED) != 0;
    addr.deprecated = (flags & IFA_F_DEPRECATED) != 0;
    addr.optimistic = (flags & IFA_F_OPTIMISTIC) != 0;
    addr.permanent = (flags & IFA_F_PERMANENT) != 0;
    return model::Fact<model::Address>::known(std::move(addr));
}

model::Fact<RouteAnswer> parse_route(const nlmsghdr& message) {
    if (message.nlmsg_type != RTM_NEWROUTE) return malformed("not an RTM_NEWROUTE message");
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(rtmsg))
        return malformed("truncated RTM_NEWROUTE header");
    rtmsg info{};
    std::memcpy(&info, mnl_nlmsg_get_payload(&message), sizeof info);
    RouteAnswer route;
    route.type = info.rtm_type;
    const bool whole = for_each_attribute(message, sizeof(rtmsg), [&](const nlattr& a) {
        switch (mnl_attr_get_type(&a)) {
            case RTA_OIF:
                if (is_u32(a)) route.oif = static_cast<int>(mnl_attr_get_u32(&a));
                break;
            case RTA_GATEWAY: route.gateway = address_attribute(a, info.rtm_family).value_or(""); break;
            case RTA_PREFSRC: route.prefsrc = address_attribute(a, info.rtm_family).value_or(""); break;
            default: break;
        }
    });
    if (!whole) return malformed("truncated attribute in RTM_NEWROUTE");
    return model::Fact<RouteAnswer>::known(route);
}

std::string operstate_name(int operstate) {
    switch (operstate) {
        case kUnknown: return "unknown";
        case kNotPresent: return "notpresent";
        case kDown: return "down";
        case kLowerLayerDown: return "lowerlayerdown";
        case kTesting: return "testing";
        case kDormant: return "dormant";
        case kUp: return "up";
    }
    return "operstate " + std::to_string(operstate);
}

}  // namespace haprep::host::rtnl
