#pragma once
// Parsers for rtnetlink replies, over the raw bytes the kernel sent. They never touch a
// socket, so the unit tests feed them captured replies (tests/data/netlink/) and
// deliberately broken ones. host/rtnl.cpp owns the socket and calls these.

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "model/facts.h"

namespace haprep::host::rtnl {

/// What one receive buffer of a netlink reply held, besides the messages themselves.
struct WalkOutcome {
    bool done = false;         ///< NLMSG_DONE or an NLMSG_ERROR (an ACK is error 0) was seen
    bool interrupted = false;  ///< NLM_F_DUMP_INTR: the table changed mid-dump; ask again
    int error = 0;             ///< errno the kernel answered with, 0 when none
    std::string malformed;     ///< why the bytes are not a well-formed reply, empty when they are
};

/// Calls `on_message` for every data message in `bytes` (a whole receive buffer) and
/// reports the control messages. Messages whose sequence number is not `seq` are
/// skipped (seq 0 accepts all).
WalkOutcome walk_messages(std::span<const std::byte> bytes, std::uint32_t seq,
                          const std::function<void(const nlmsghdr&)>& on_message);

// Each parser returns a model::Fact: known, or unreadable with why the message is
// malformed (the probe records that as its fact's reason). A parse is never absent:
// whether the thing exists is the probe's answer, not one message's.

/// RTM_NEWLINK → Interface. Unknown attributes are ignored; a truncated attribute or a
/// missing IFLA_IFNAME is an error.
model::Fact<model::Interface> parse_link(const nlmsghdr& message);

/// RTM_NEWADDR → Address, with `interface` left empty (the caller maps the index).
/// The 32-bit IFA_FLAGS attribute wins over the 8-bit ifa_flags when present.
model::Fact<model::Address> parse_address(const nlmsghdr& message);

/// The parts of an RTM_NEWROUTE answer that tell which way a packet leaves.
struct RouteAnswer {
    int type = 0;        ///< RTN_UNICAST, RTN_LOCAL, RTN_UNREACHABLE, ...
    int oif = 0;         ///< output interface index, 0 when none
    std::string gateway;  ///< RTA_GATEWAY, empty when directly connected
    std::string prefsrc;  ///< RTA_PREFSRC
};
model::Fact<RouteAnswer> parse_route(const nlmsghdr& message);

/// RFC 2863 operstate name as `ip link` prints it ("up", "down", "lowerlayerdown").
std::string operstate_name(int operstate);

}  // namespace haprep::host::rtnl
