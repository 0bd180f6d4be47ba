#pragma once
// rtnetlink (libmnl): the links, addresses and routes of the current network
// namespace, and the one link change haprep makes (IFF_MULTICAST). A probe run opens
// one route_socket() and passes it to every request; every reply is decoded by
// host/rtnl_parse.h. Dumps the kernel reports as interrupted (NLM_F_DUMP_INTR) or
// that overran the socket (ENOBUFS) are asked again.

#include <cstddef>
#include <string>
#include <vector>

#include "host/netlink.h"
#include "model/fact.h"
#include "model/facts.h"

namespace haprep::host {

/// The rtnetlink socket a probe run opens once and passes to every request below.
NetlinkSocket route_socket();

/// RTM_GETLINK dump.
model::Fact<std::vector<model::Interface>> dump_links(NetlinkSocket& sock);

/// RTM_GETADDR dump of IPv4 and IPv6; `links` names the interfaces by index.
model::Fact<std::vector<model::Address>> dump_addresses(NetlinkSocket& sock, const std::vector<model::Interface>& links);

/// RTM_GETROUTE for IPv4 `peer`: the route a packet back to it would take, which is
/// the one strict rp_filter compares with the interface the packet came in on.
model::Fact<model::Route> route_back(NetlinkSocket& sock, const std::string& peer,
                                     const std::vector<model::Interface>& links);

/// Sets (on) or clears IFF_MULTICAST on `interface`, leaving every other flag alone.
/// Returns the error text, empty on success.
std::string set_multicast(const std::string& interface, bool on);

/// The reply buffers of a dump exactly as received (tests/tools/nl_capture).
model::Fact<std::vector<std::vector<std::byte>>> dump_raw(int message_type);

}  // namespace haprep::host
