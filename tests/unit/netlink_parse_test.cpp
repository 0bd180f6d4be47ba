// The rtnetlink parsers on replies captured from a real namespace
// (tests/data/netlink/*.hex, made with tests/tools/nl_capture: eth0 up with IPv4,
// a global IPv6 address and a link-local that failed DAD against its peer; eth1 down;
// nomc0 up without MULTICAST), and on deliberately broken ones.

#include <doctest/doctest.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include <map>

#include "fixtures.h"
#include "host/rtnl_parse.h"
#include "model/text.h"

using namespace haprep;
using host::rtnl::walk_messages;

namespace {

std::vector<std::vector<std::byte>> load_hex(const std::string& name) {
    std::vector<std::vector<std::byte>> buffers;
    for (const auto& line : model::split_lines(testing::test_data("netlink/" + name))) {
        std::vector<std::byte> bytes;
        for (size_t i = 0; i + 1 < line.size(); i += 2)
            bytes.push_back(static_cast<std::byte>(std::stoi(line.substr(i, 2), nullptr, 16)));
        buffers.push_back(std::move(bytes));
    }
    return buffers;
}

std::map<std::string, model::Interface> parse_links(const std::vector<std::vector<std::byte>>& buffers,
                                                    bool& done) {
    std::map<std::string, model::Interface> links;
    for (const auto& buffer : buffers) {
        auto outcome = walk_messages(buffer, 0, [&](const nlmsghdr& m) {
            auto parsed = host::rtnl::parse_link(m);
            REQUIRE_MESSAGE(parsed.value, parsed.error);
            links[parsed.value->name] = *parsed.value;
        });
        CHECK(outcome.malformed.empty());
        CHECK(outcome.error == 0);
        done = outcome.done;
    }
    return links;
}

}  // namespace

TEST_CASE("a captured RTM_GETLINK dump: names, flags, operstate, MTU and kind") {
    bool done = false;
    auto links = parse_links(load_hex("link_dump.hex"), done);
    CHECK(done);
    REQUIRE(links.size() == 4);
    const auto& lo = links.at("lo");
    CHECK(lo.loopback);
    CHECK(lo.mtu == 65536);
    CHECK(lo.operstate == "unknown");
    const auto& eth0 = links.at("eth0");
    CHECK(eth0.up);
    CHECK(eth0.lower_up);
    CHECK(eth0.running);
    CHECK(eth0.multicast);
    CHECK(eth0.operstate == "up");
    CHECK(eth0.kind == "veth");
    CHECK(eth0.mtu == 1500);
    const auto& eth1 = links.at("eth1");
    CHECK_FALSE(eth1.up);
    CHECK(eth1.operstate == "down");
    const auto& nomc0 = links.at("nomc0");
    CHECK(nomc0.up);
    CHECK_FALSE(nomc0.multicast);
}

TEST_CASE("a captured RTM_GETADDR dump: IPv4 local, IPv6 scope and the 32-bit DAD flags") {
    std::vector<model::Address> addresses;
    bool done = false;
    for (const auto& buffer : load_hex("addr_dump.hex")) {
        auto outcome = walk_messages(buffer, 0, [&](const nlmsghdr& m) {
            auto parsed = host::rtnl::parse_address(m);
            REQUIRE_MESSAGE(parsed.value, parsed.error);
            addresses.push_back(*parsed.value);
        });
        CHECK(outcome.malformed.empty());
        done = outcome.done;
    }
    CHECK(done);
    auto find = [&](const std::string& text) -> const model::Address& {
        for (const auto& a : addresses)
            if (a.address == text) return a;
        FAIL("no address " << text);
        throw;
    };
    const auto& v4 = find("192.0.2.1");
    CHECK(v4.family == model::Family::ipv4);
    CHECK(v4.prefix == 24);
    CHECK(v4.scope == 0);
    const auto& duplicate = find("fe80::99");
    CHECK(duplicate.family == model::Family::ipv6);
    CHECK(duplicate.scope == 253);
    CHECK(duplicate.dadfailed);
    CHECK(duplicate.tentative);
    const auto& global = find("2001:db8::1");
    CHECK_FALSE(global.tentative);
    CHECK_FALSE(global.dadfailed);
    CHECK(find("10.1.0.1").prefix == 24);
}

TEST_CASE("a truncated dump buffer is reported, not read past") {
    auto buffers = load_hex("link_dump.hex");
    auto& first = buffers.front();
    first.resize(first.size() - 7);  // cut into the last message of the buffer
    int messages = 0;
    auto outcome = walk_messages(first, 0, [&](const nlmsghdr&) { ++messages; });
    CHECK(outcome.malformed.find("truncated netlink message") != std::string::npos);
    CHECK(messages >= 1);
}

TEST_CASE("a truncated attribute makes parse_link fail with the reason") {
    auto buffers = load_hex("link_dump.hex");
    auto* nlh = reinterpret_cast<nlmsghdr*>(buffers.front().data());
    std::vector<std::byte> copy(reinterpret_cast<std::byte*>(nlh), reinterpret_cast<std::byte*>(nlh) + nlh->nlmsg_len);
    auto* message = reinterpret_cast<nlmsghdr*>(copy.data());
    // Claim a last attribute longer than the message holds.
    auto* attr = static_cast<nlattr*>(mnl_nlmsg_get_payload_offset(message, sizeof(ifinfomsg)));
    attr->nla_len = static_cast<std::uint16_t>(message->nlmsg_len);
    auto parsed = host::rtnl::parse_link(*message);
    CHECK_FALSE(parsed.value);
    CHECK(parsed.error.find("truncated attribute") != std::string::npos);
}

TEST_CASE("an unknown attribute is skipped; the known ones still parse") {
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    auto* nlh = mnl_nlmsg_put_header(buffer.data());
    nlh->nlmsg_type = RTM_NEWLINK;
    auto* info = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    info->ifi_index = 7;
    info->ifi_flags = 0x1 | 0x1000;  // UP, MULTICAST
    mnl_attr_put_u32(nlh, 0x7ff0, 42);  // from a kernel newer than this code
    mnl_attr_put_strz(nlh, IFLA_IFNAME, "bond0");
    mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
    auto parsed = host::rtnl::parse_link(*nlh);
    REQUIRE_MESSAGE(parsed.value, parsed.error);
    CHECK(parsed.value->name == "bond0");
    CHECK(parsed.value->mtu == 9000);
    CHECK(parsed.value->multicast);
    CHECK_FALSE(parsed.value->lower_up);
}

TEST_CASE("control messages: DONE with an error, NLMSG_ERROR, interrupted dumps, foreign sequence numbers") {
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    auto* done = mnl_nlmsg_put_header(buffer.data());
    done->nlmsg_type = NLMSG_DONE;
    done->nlmsg_seq = 5;
    done->nlmsg_flags = NLM_F_MULTI | NLM_F_DUMP_INTR;
    *static_cast<int*>(mnl_nlmsg_put_extra_header(done, sizeof(int))) = -EINTR;
    auto bytes = std::span<const std::byte>(reinterpret_cast<std::byte*>(buffer.data()), done->nlmsg_len);
    auto outcome = walk_messages(bytes, 5, [](const nlmsghdr&) { FAIL("no data message"); });
    CHECK(outcome.done);
    CHECK(outcome.interrupted);
    CHECK(outcome.error == EINTR);
    // The same DONE with another sequence number belongs to someone else.
    CHECK_FALSE(walk_messages(bytes, 6, [](const nlmsghdr&) {}).done);

    auto* error = mnl_nlmsg_put_header(buffer.data());
    error->nlmsg_type = NLMSG_ERROR;
    auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(error, sizeof(nlmsgerr)));
    err->error = -EPERM;
    outcome = walk_messages(std::span<const std::byte>(reinterpret_cast<std::byte*>(buffer.data()), error->nlmsg_len),
                            0, [](const nlmsghdr&) {});
    CHECK(outcome.done);
    CHECK(outcome.error == EPERM);
}

TEST_CASE("a route answer: output interface, gateway, preferred source; a truncated header") {
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    auto* nlh = mnl_nlmsg_put_header(buffer.data());
    nlh->nlmsg_type = RTM_NEWROUTE;
    auto* rt = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
    rt->rtm_family = AF_INET;
    rt->rtm_type = RTN_UNICAST;
    const unsigned char gateway[4] = {198, 51, 100, 1}, source[4] = {192, 0, 2, 1};
    mnl_attr_put_u32(nlh, RTA_OIF, 3);
    mnl_attr_put(nlh, RTA_GATEWAY, 4, gateway);
    mnl_attr_put(nlh, RTA_PREFSRC, 4, source);
    auto parsed = host::rtnl::parse_route(*nlh);
    REQUIRE(parsed.value);
    CHECK(parsed.value->oif == 3);
    CHECK(parsed.value->gateway == "198.51.100.1");
    CHECK(parsed.value->prefsrc == "192.0.2.1");
    CHECK(parsed.value->type == RTN_UNICAST);

    nlh->nlmsg_len = NLMSG_HDRLEN + 4;  // shorter than struct rtmsg
    CHECK(host::rtnl::parse_route(*nlh).error == "truncated RTM_NEWROUTE header");
}
