#include "host/rtnl.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "host/netlink.h"
#include "host/rtnl_parse.h"
#include "model/ip.h"

namespace haprep::host {

namespace {

const NetlinkHints kRouteHints{"needs CAP_NET_ADMIN", ""};

// A dump interrupted by concurrent changes is asked again this often before giving up.
constexpr int kDumpAttempts = 5;

std::string errno_text(const char* what, int error) { return netlink_error_text(what, error, kRouteHints); }

struct Exchange {
    std::string error;         ///< empty on success
    int kernel_error = 0;      ///< errno in the kernel's NLMSG_ERROR answer
    bool retry = false;        ///< interrupted dump or overrun: ask again
};

/// Sends `request` on `sock` and hands every data message of the reply to
/// `on_message` (NetlinkSocket::request); words what went wrong.
Exchange exchange(NetlinkSocket& sock, nlmsghdr* request, const std::function<void(const nlmsghdr&)>& on_message) {
    using Failure = NetlinkAnswer::Failure;
    const auto answer = sock.request(request, on_message);
    switch (answer.failure) {
        case Failure::socket: return {sock.open_error(), 0, false};
        case Failure::send: return {errno_text("netlink send", answer.error), 0, false};
        case Failure::timeout:
            return {"no answer from the kernel within " + std::to_string(NetlinkSocket::kReceiveTimeoutSeconds) + " s", 0,
                    false};
        // ENOBUFS: the socket overran (the dump outgrew its buffer): ask again.
        case Failure::receive: return {errno_text("netlink receive", answer.error), 0, answer.error == ENOBUFS};
        case Failure::malformed: return {answer.malformed, 0, false};
        case Failure::none: break;
    }
    Exchange result;
    result.kernel_error = answer.kernel_error;
    if (answer.kernel_error == EINTR || (answer.interrupted && answer.kernel_error == 0)) {
        result.retry = true;
        result.error = "the kernel interrupted the dump (its tables changed meanwhile)";
    } else if (answer.kernel_error != 0) {
        result.error = errno_text("netlink", answer.kernel_error);
    }
    return result;
}

/// A dump, asked again while the kernel says it was interrupted. `reset` clears
/// what a failed attempt collected.
std::string dump(NetlinkSocket& sock, nlmsghdr* request, const std::function<void(const nlmsghdr&)>& on_message,
                 const std::function<void()>& reset) {
    Exchange result;
    for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
        reset();
        result = exchange(sock, request, on_message);
        if (!result.retry) return result.error;
    }
    return result.error + " (" + std::to_string(kDumpAttempts) + " attempts)";
}

/// A request in its own buffer: the netlink header and the fixed header `Header`
/// (ifinfomsg, ifaddrmsg, rtmsg), zeroed; attributes follow with mnl_attr_put*.
template <class Header>
struct Request {
    std::vector<char> buffer = std::vector<char>(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh;
    Header* header;
    Request(std::uint16_t type, std::uint16_t flags) : nlh(mnl_nlmsg_put_header(buffer.data())) {
        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = flags;
        header = static_cast<Header*>(mnl_nlmsg_put_extra_header(nlh, sizeof(Header)));
    }
};

std::map<int, std::string> names_by_index(const std::vector<model::Interface>& links) {
    std::map<int, std::string> names;
    for (const auto& l : links) names[l.index] = l.name;
    return names;
}

}  // namespace

NetlinkSocket route_socket() { return NetlinkSocket(NETLINK_ROUTE, kRouteHints); }

model::Fact<std::vector<model::Interface>> dump_links(NetlinkSocket& sock) {
    using Result = model::Fact<std::vector<model::Interface>>;
    Request<ifinfomsg> request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    auto* nlh = request.nlh;
    auto* info = request.header;
    info->ifi_family = AF_UNSPEC;
    // Statistics are most of a link message and haprep needs none of them.
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);

    std::vector<model::Interface> links;
    std::string parse_error;
    const auto error = dump(
        sock, nlh,
        [&](const nlmsghdr& m) {
            auto parsed = rtnl::parse_link(m);
            if (parsed.value) links.push_back(std::move(*parsed.value));
            else if (parse_error.empty()) parse_error = parsed.error;
        },
        [&] { links.clear(); parse_error.clear(); });
    if (!error.empty()) return Result::unreadable("RTM_GETLINK: " + error);
    if (!parse_error.empty()) return Result::unreadable("RTM_GETLINK: " + parse_error);
    return Result::known(std::move(links));
}

model::Fact<std::vector<model::Address>> dump_addresses(NetlinkSocket& sock, const std::vector<model::Interface>& links) {
    using Result = model::Fact<std::vector<model::Address>>;
    Request<ifaddrmsg> request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
    auto* nlh = request.nlh;
    auto* info = request.header;
    info->ifa_family = AF_UNSPEC;  // IPv4 and IPv6 in one dump

    const auto names = names_by_index(links);
    std::vector<model::Address> addresses;
    std::string parse_error;
    const auto error = dump(
        sock, nlh,
        [&](const nlmsghdr& m) {
            auto parsed = rtnl::parse_address(m);
            if (!parsed.value) {
                if (parse_error.empty()) parse_error = parsed.error;
                return;
            }
            auto it = names.find(parsed.value->index);
            // An address of a link that appeared after the link dump: not one haprep judges.
            if (it == names.end()) return;
            parsed.value->interface = it->second;
            addresses.push_back(std::move(*parsed.value));
        },
        [&] { addresses.clear(); parse_error.clear(); });
    if (!error.empty()) return Result::unreadable("RTM_GETADDR: " + error);
    if (!parse_error.empty()) return Result::unreadable("RTM_GETADDR: " + parse_error);
    return Result::known(std::move(addresses));
}

model::Fact<model::Route> route_back(NetlinkSocket& sock, const std::string& peer,
                                     const std::vector<model::Interface>& links) {
    using Result = model::Fact<model::Route>;
    const auto address = model::IpAddress::parse(peer, model::Family::ipv4);
    if (!address) return Result::unreadable("not an IPv4 address: " + peer);
    in_addr destination{};
    std::memcpy(&destination, address->bytes().data(), sizeof destination);
    // The ACK after the answer is what ends the exchange.
    Request<rtmsg> request(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_ACK);
    auto* nlh = request.nlh;
    auto* info = request.header;
    info->rtm_family = AF_INET;
    info->rtm_dst_len = 32;
    mnl_attr_put(nlh, RTA_DST, sizeof destination, &destination);

    std::optional<model::Fact<rtnl::RouteAnswer>> answer;
    const auto result = exchange(sock, nlh, [&](const nlmsghdr& m) { answer = rtnl::parse_route(m); });
    model::Route route;
    if (result.kernel_error == ENETUNREACH || result.kernel_error == EHOSTUNREACH) {
        route.text = "no route to " + peer + " (" + std::strerror(result.kernel_error) + ")";
        return Result::known(route);
    }
    if (!result.error.empty()) return Result::unreadable("RTM_GETROUTE " + peer + ": " + result.error);
    if (!answer) return Result::unreadable("RTM_GETROUTE " + peer + ": no answer");
    if (!answer->value) return Result::unreadable("RTM_GETROUTE " + peer + ": " + answer->error);

    const auto& a = *answer->value;
    const auto names = names_by_index(links);
    auto it = names.find(a.oif);
    route.interface = it != names.end() ? it->second : (a.oif ? "index " + std::to_string(a.oif) : "");
    route.gateway = a.gateway;
    route.reachable = a.type == RTN_UNICAST || a.type == RTN_LOCAL;
    if (!route.reachable) {
        route.text = (a.type == RTN_BLACKHOLE ? "blackhole " : a.type == RTN_PROHIBIT ? "prohibit " : "unreachable ") + peer;
        return Result::known(route);
    }
    route.text = (a.type == RTN_LOCAL ? "local " : "") + peer;
    if (!a.gateway.empty()) route.text += " via " + a.gateway;
    if (!route.interface.empty()) route.text += " dev " + route.interface;
    if (!a.prefsrc.empty()) route.text += " src " + a.prefsrc;
    return Result::known(route);
}

std::string set_multicast(const std::string& interface, bool on) {
    const unsigned index = ::if_nametoindex(interface.c_str());
    if (index == 0) return "no interface " + interface + ": " + std::strerror(errno);
    Request<ifinfomsg> request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
    auto* nlh = request.nlh;
    auto* info = request.header;
    info->ifi_family = AF_UNSPEC;
    info->ifi_index = static_cast<int>(index);
    // The change mask names the one flag to touch: a mask of 0 would mean "all flags"
    // and rewrite IFF_UP with the rest.
    info->ifi_change = IFF_MULTICAST;
    info->ifi_flags = on ? IFF_MULTICAST : 0;
    auto sock = route_socket();
    return exchange(sock, nlh, [](const nlmsghdr&) {}).error;
}

model::Fact<std::vector<std::vector<std::byte>>> dump_raw(int message_type) {
    using Result = model::Fact<std::vector<std::vector<std::byte>>>;
    auto sock = route_socket();
    if (!sock.open_error().empty()) return Result::unreadable(sock.open_error());
    // ifinfomsg is the larger of the two fixed headers; the kernel reads the family.
    Request<ifinfomsg> request(static_cast<std::uint16_t>(message_type), NLM_F_REQUEST | NLM_F_DUMP);
    auto* nlh = request.nlh;
    auto* info = request.header;
    nlh->nlmsg_seq = 1;
    info->ifi_family = AF_UNSPEC;
    if (message_type == RTM_GETLINK) mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    if (const int error = sock.send({reinterpret_cast<const std::byte*>(nlh), nlh->nlmsg_len}); error != 0)
        return Result::unreadable(errno_text("netlink send", error));
    std::vector<std::vector<std::byte>> replies;
    std::vector<std::byte> buffer(64 * 1024);
    for (;;) {
        std::size_t n = 0;
        if (const int error = sock.receive(buffer, n); error != 0)
            return Result::unreadable(errno_text("netlink receive", error));
        replies.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
        const auto outcome = rtnl::walk_messages(replies.back(), 1, [](const nlmsghdr&) {});
        if (outcome.done || !outcome.malformed.empty()) return Result::known(std::move(replies));
    }
}

}  // namespace haprep::host
