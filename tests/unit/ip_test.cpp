// model/ip: the one parser of addresses and prefixes, on good and hostile text.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/ip.h"

using haprep::model::Family;
using haprep::model::IpAddress;
using haprep::model::IpPrefix;

TEST_CASE("addresses parse in either family and print canonical") {
    const auto v4 = IpAddress::parse("192.0.2.1");
    REQUIRE(v4);
    CHECK(v4->family() == Family::ipv4);
    CHECK(v4->bytes().size() == 4);
    CHECK(v4->bytes()[0] == 192);
    CHECK(v4->text() == "192.0.2.1");
    const auto v6 = IpAddress::parse("FE80::0100");
    REQUIRE(v6);
    CHECK(v6->family() == Family::ipv6);
    CHECK(v6->bytes().size() == 16);
    CHECK(v6->text() == "fe80::100");
    CHECK(IpAddress::parse("::ffff:192.0.2.1")->family() == Family::ipv6);
    CHECK(IpAddress::parse("192.0.2.1", Family::ipv4));
    CHECK(!IpAddress::parse("192.0.2.1", Family::ipv6));
    CHECK(!IpAddress::parse("fe80::1", Family::ipv4));
}

TEST_CASE("hostile text is no address") {
    for (const std::string& text : std::vector<std::string>{
             "", " ", " 192.0.2.1", "192.0.2.1 ", "192.0.2.1/24", "1.2.3.4/33", "fe80::1%eth0",
             "256.0.0.1", "1.2.3", "01.2.3.4", "fe80:::1", "::1::", "eth0", "192.0.2.1\n",
             std::string("192.0.2.1\0junk", 14), std::string(4096, '1'),
             "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255.1"})
        CHECK_MESSAGE(!IpAddress::parse(text), text);
    // The longest text inet_pton takes still parses.
    CHECK(IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"));
}

TEST_CASE("bytes make an address of their length's family") {
    const unsigned char v4[4] = {10, 0, 0, 1};
    CHECK(IpAddress::from_bytes(v4)->text() == "10.0.0.1");
    const unsigned char v6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    CHECK(IpAddress::from_bytes(v6)->text() == "fe80::1");
    const unsigned char five[5] = {};
    CHECK(!IpAddress::from_bytes(five));
    CHECK(IpAddress::unspecified(Family::ipv4).text() == "0.0.0.0");
    CHECK(IpAddress::unspecified(Family::ipv6).text() == "::");
}

TEST_CASE("link-local: fe80::/10 and 169.254.0.0/16, nothing else") {
    for (const char* text :
         {"fe80::1", "FE80::1", "febf:ffff::1", "fe80:1::1", "169.254.0.1", "169.254.255.255"})
        CHECK_MESSAGE(IpAddress::parse(text)->is_link_local(), text);
    for (const char* text : {"fec0::1", "fe7f::1", "ff02::12", "::1", "2001:db8::1", "169.253.0.1",
                             "169.255.0.1", "192.0.2.1", "::ffff:169.254.0.1"})
        CHECK_MESSAGE(!IpAddress::parse(text)->is_link_local(), text);
    CHECK(haprep::model::is_link_local("fe80::1", Family::ipv6));
    CHECK(!haprep::model::is_link_local("169.254.0.1", Family::ipv6));
    CHECK(haprep::model::is_link_local("169.254.0.1", Family::ipv4));
    CHECK(!haprep::model::is_link_local("fe80::1%eth0", Family::ipv6));
    CHECK(!haprep::model::is_link_local("", Family::ipv6));
}

TEST_CASE("addresses compare by value: IPv4 first, then numerically") {
    CHECK(*IpAddress::parse("FE80::1") == *IpAddress::parse("fe80:0::0001"));
    CHECK(*IpAddress::parse("10.0.0.2") != *IpAddress::parse("10.0.0.1"));
    CHECK(*IpAddress::parse("10.0.0.9") < *IpAddress::parse("10.0.0.10"));
    CHECK(*IpAddress::parse("255.255.255.255") < *IpAddress::parse("::"));
    CHECK(*IpAddress::parse("0.0.0.0") != *IpAddress::parse("::"));
    CHECK(haprep::model::address_family("fe80::1") == Family::ipv6);
    CHECK(haprep::model::address_family("192.0.2.1") == Family::ipv4);
    CHECK(!haprep::model::address_family("eth0"));
}

TEST_CASE("prefixes parse ADDRESS/LENGTH or a bare address and contain their addresses") {
    const auto net = IpPrefix::parse("10.1.0.0/16");
    REQUIRE(net);
    CHECK(net->length == 16);
    CHECK(net->text() == "10.1.0.0/16");
    CHECK(net->contains(*IpAddress::parse("10.1.255.3")));
    CHECK(!net->contains(*IpAddress::parse("10.2.0.1")));
    CHECK(!net->contains(*IpAddress::parse("::ffff:10.1.0.1")));  // another family
    const auto odd = IpPrefix::parse("192.0.2.128/25");
    CHECK(odd->contains(*IpAddress::parse("192.0.2.200")));
    CHECK(!odd->contains(*IpAddress::parse("192.0.2.127")));
    const auto host = IpPrefix::parse("192.0.2.1");
    REQUIRE(host);
    CHECK(host->length == 32);
    CHECK(host->contains(*IpAddress::parse("192.0.2.1")));
    CHECK(!host->contains(*IpAddress::parse("192.0.2.2")));
    CHECK(IpPrefix::parse("0.0.0.0/0")->contains(*IpAddress::parse("203.0.113.7")));
    CHECK(IpPrefix::parse("fe80::/10")->contains(*IpAddress::parse("febf::1")));
    CHECK(!IpPrefix::parse("fe80::/10")->contains(*IpAddress::parse("fec0::1")));
    CHECK(IpPrefix::parse("2001:DB8::/128")->text() == "2001:db8::/128");
}

TEST_CASE("hostile text is no prefix") {
    for (const std::string& text : std::vector<std::string>{
             "", "/", "/24", "10.0.0.0/", "1.2.3.4/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8",
             "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/8/8", "10.0.0.0/0x8", "fe80::1%eth0/64",
             "10.0.0.0/255.0.0.0", "10.0.0.0/99999999999999999999", std::string(4096, '/')})
        CHECK_MESSAGE(!IpPrefix::parse(text), text);
}
