// Compat matches and targets from iptables-save arguments (firewall/xt_args.cpp): every
// option haprep reads, to exact values, as iptables-legacy-save prints them (the
// argument strings are cut from tests/data/legacy/*.v4, captured from a namespace);
// anything else is XtOther, and no input makes the parser throw or crash.

#include <doctest/doctest.h>

#include <random>

#include "firewall/legacy_iptables.h"
#include "firewall/xt.h"

using namespace haprep;
using namespace haprep::firewall;

namespace {

template <class T>
T as(const XtMatch& m) {
    REQUIRE_MESSAGE(std::holds_alternative<T>(m), "got another alternative: index " << m.index());
    return std::get<T>(m);
}

bool other(const std::string& name, const std::string& args) {
    const auto m = parse_xt_match_args(name, args);
    return std::holds_alternative<XtOther>(m) && std::get<XtOther>(m).name == name;
}

}  // namespace

TEST_CASE("conntrack: --ctstate names to nft ct state bits") {
    auto c = as<XtConntrack>(parse_xt_match_args("conntrack", "--ctstate RELATED,ESTABLISHED"));
    CHECK(c.states == (0x04 | 0x02));
    CHECK_FALSE(c.invert);
    CHECK_FALSE(c.state_match);
    CHECK(c.undecided.empty());

    c = as<XtConntrack>(parse_xt_match_args("conntrack", "--ctstate INVALID"));
    CHECK(c.states == 0x01);
    c = as<XtConntrack>(parse_xt_match_args("conntrack", "--ctstate NEW,UNTRACKED"));
    CHECK(c.states == (0x08 | 0x40));
    c = as<XtConntrack>(parse_xt_match_args("conntrack", "--ctstate new,established"));  // iptables: case-insensitive
    CHECK(c.states == (0x08 | 0x02));
}

TEST_CASE("conntrack: ! --ctstate, SNAT/DNAT and the other --ct options are undecided") {
    const auto c = as<XtConntrack>(parse_xt_match_args("conntrack", "! --ctstate NEW,SNAT,DNAT --ctproto 17"));
    CHECK(c.states == 0x08);
    CHECK(c.invert);
    CHECK(c.undecided == std::vector<std::string>{"--ctstate SNAT", "--ctstate DNAT", "--ctproto"});

    const auto d = as<XtConntrack>(parse_xt_match_args("conntrack", "--ctstatus ASSURED --ctdir ORIGINAL"));
    CHECK(d.states == 0);
    CHECK(d.undecided == std::vector<std::string>{"--ctstatus", "--ctdir"});
    CHECK(as<XtConntrack>(parse_xt_match_args("conntrack", "! --ctorigsrc 192.0.2.1")).undecided ==
          std::vector<std::string>{"--ctorigsrc"});
}

TEST_CASE("conntrack: what is not conntrack's is XtOther") {
    CHECK(other("conntrack", "--ctstate BOGUS"));
    CHECK(other("conntrack", "--ctstate"));
    CHECK(other("conntrack", "--ctstate \"\""));
    CHECK(other("conntrack", "--ctstate NEW --ctstate ESTABLISHED"));  // repeated
    CHECK(other("conntrack", "--state NEW"));
    CHECK(other("conntrack", "NEW"));
    CHECK(other("conntrack", "--ctstate NEW !"));
    CHECK(other("conntrack", "! ! --ctstate NEW"));
}

TEST_CASE("state: --state, state_match set, SNAT is not a -m state name") {
    const auto s = as<XtConntrack>(parse_xt_match_args("state", "--state NEW,UNTRACKED"));
    CHECK(s.states == (0x08 | 0x40));
    CHECK(s.state_match);
    CHECK_FALSE(s.invert);
    const auto n = as<XtConntrack>(parse_xt_match_args("state", "! --state RELATED,ESTABLISHED"));
    CHECK(n.states == 0x06);
    CHECK(n.invert);
    CHECK(other("state", "--state SNAT"));
    CHECK(other("state", "--ctstate NEW"));
    CHECK(other("state", ""));
}

TEST_CASE("comment: iptables-save quoting") {
    CHECK(as<XtComment>(parse_xt_match_args("comment", "--comment vrrp")).text == "vrrp");
    CHECK(as<XtComment>(parse_xt_match_args("comment", R"(--comment "keepalived: \"VRRP\" peers")")).text ==
          R"(keepalived: "VRRP" peers)");
    CHECK(as<XtComment>(parse_xt_match_args("comment", R"(--comment "it\'s a \\ test")")).text == R"(it's a \ test)");
    CHECK(as<XtComment>(parse_xt_match_args("comment", R"(--comment "")")).text.empty());
    CHECK(as<XtComment>(parse_xt_match_args("comment", "--comment --looks-like-an-option")).text ==
          "--looks-like-an-option");
    CHECK(other("comment", "--comment a b"));
    CHECK(other("comment", ""));
    CHECK(other("comment", "! --comment x"));
}

TEST_CASE("ports of tcp, udp, multiport, sctp, dccp, icmp: XtPorts with the arguments") {
    auto p = as<XtPorts>(parse_xt_match_args("multiport", "--dports 22,443"));
    CHECK(p.name == "multiport");
    CHECK(p.args == "--dports 22,443");
    for (const char* name : {"tcp", "udp", "sctp", "dccp", "icmp", "udplite", "icmp6"})
        CHECK(as<XtPorts>(parse_xt_match_args(name, "--dport 1")).name == name);
    CHECK(as<XtPorts>(parse_xt_match_args("icmp", "--icmp-type 8")).args == "--icmp-type 8");
    CHECK(as<XtPorts>(parse_xt_match_args("tcp", "")).args.empty());
}

TEST_CASE("addrtype: XT_ADDRTYPE_* bits, comma lists, !, --limit-iface-*") {
    auto a = as<XtAddrtype>(parse_xt_match_args("addrtype", "--dst-type BROADCAST,MULTICAST --limit-iface-in"));
    CHECK(a.dest == (8 | 32));
    CHECK(a.source == 0);
    CHECK(a.limit_iface_in);
    CHECK_FALSE(a.limit_iface_out);
    CHECK_FALSE(a.invert_dest);

    a = as<XtAddrtype>(parse_xt_match_args("addrtype", "! --src-type LOCAL"));
    CHECK(a.source == 4);
    CHECK(a.invert_source);
    CHECK(a.dest == 0);

    a = as<XtAddrtype>(parse_xt_match_args(
        "addrtype", "--src-type UNSPEC,UNICAST,LOCAL,BROADCAST,ANYCAST,MULTICAST ! --dst-type "
                    "BLACKHOLE,UNREACHABLE,PROHIBIT,THROW,NAT,XRESOLVE --limit-iface-out"));
    CHECK(a.source == (1 | 2 | 4 | 8 | 16 | 32));
    CHECK(a.dest == (64 | 128 | 256 | 512 | 1024 | 2048));
    CHECK(a.invert_dest);
    CHECK(a.limit_iface_out);
    CHECK(as<XtAddrtype>(parse_xt_match_args("addrtype", "--dst-type local")).dest == 4);

    CHECK(other("addrtype", "--dst-type LOCAL,"));
    CHECK(other("addrtype", "--dst-type FOO"));
    CHECK(other("addrtype", "--dst-type"));
    CHECK(other("addrtype", "--limit-iface-in x"));
    CHECK(other("addrtype", "--type LOCAL"));
}

TEST_CASE("mark and connmark: value[/mask], hex or decimal, !") {
    auto m = as<XtMark>(parse_xt_match_args("mark", "--mark 0x10/0xff"));
    CHECK(m.mark == 0x10);
    CHECK(m.mask == 0xff);
    CHECK_FALSE(m.invert);
    CHECK_FALSE(m.connmark);

    m = as<XtMark>(parse_xt_match_args("connmark", "! --mark 0x7"));
    CHECK(m.mark == 7);
    CHECK(m.mask == 0xffffffff);
    CHECK(m.invert);
    CHECK(m.connmark);

    m = as<XtMark>(parse_xt_match_args("mark", "--mark 42/255"));
    CHECK(m.mark == 42);
    CHECK(m.mask == 255);
    CHECK(as<XtMark>(parse_xt_match_args("mark", "--mark 0xffffffff")).mark == 0xffffffff);
    CHECK(as<XtMark>(parse_xt_match_args("mark", "--mark 010")).mark == 8);  // strtoul base 0: octal

    CHECK(other("mark", "--mark 0x100000000"));
    CHECK(other("mark", "--mark 99999999999999999999"));
    CHECK(other("mark", "--mark -1"));
    CHECK(other("mark", "--mark 0x"));
    CHECK(other("mark", "--mark 1/"));
    CHECK(other("mark", "--mark 08"));
    CHECK(other("mark", "--mark"));
    CHECK(other("mark", "--mark 1 --mark 2"));
    CHECK(other("connmark", "--set-mark 1"));
}

TEST_CASE("limit: avg is seconds per packet x 10000, burst, defaults 3/hour and 5") {
    auto l = as<XtLimit>(parse_xt_match_args("limit", "--limit 10/min"));
    CHECK(l.avg == 60000);
    CHECK(l.burst == 5);
    l = as<XtLimit>(parse_xt_match_args("limit", "--limit 3/sec --limit-burst 20"));
    CHECK(l.avg == 3333);
    CHECK(l.burst == 20);
    l = as<XtLimit>(parse_xt_match_args("limit", ""));
    CHECK(l.avg == 12000000);  // 3/hour
    CHECK(l.burst == 5);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 1/day")).avg == 864000000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 2/h")).avg == 18000000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 5/second")).avg == 2000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 5/s")).avg == 2000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 1/m")).avg == 600000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 1/minute")).avg == 600000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 4/d")).avg == 216000000);
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit 100")).avg == 100);  // no unit: per second
    CHECK(as<XtLimit>(parse_xt_match_args("limit", "--limit-burst 7")).burst == 7);

    CHECK(other("limit", "--limit 0/sec"));
    CHECK(other("limit", "--limit 20000/sec"));  // iptables: rate too fast
    CHECK(other("limit", "--limit 10/fortnight"));
    CHECK(other("limit", "--limit 10/"));
    CHECK(other("limit", "--limit /min"));
    CHECK(other("limit", "! --limit 10/min"));
    CHECK(other("limit", "--limit-burst 10001"));
    CHECK(other("limit", "--limit 4294967296/day"));
}

TEST_CASE("pkttype: names to PACKET_*, !") {
    auto p = as<XtPkttype>(parse_xt_match_args("pkttype", "--pkt-type multicast"));
    CHECK(p.type == 2);
    CHECK_FALSE(p.invert);
    p = as<XtPkttype>(parse_xt_match_args("pkttype", "! --pkt-type broadcast"));
    CHECK(p.type == 1);
    CHECK(p.invert);
    CHECK(as<XtPkttype>(parse_xt_match_args("pkttype", "--pkt-type unicast")).type == 0);
    CHECK(as<XtPkttype>(parse_xt_match_args("pkttype", "--pkt-type host")).type == 0);
    CHECK(as<XtPkttype>(parse_xt_match_args("pkttype", "--pkt-type otherhost")).type == 3);
    CHECK(other("pkttype", "--pkt-type anycast"));
    CHECK(other("pkttype", "--pkt-type"));
}

TEST_CASE("iprange: --src-range / --dst-range, !, both families") {
    auto r = as<XtIprange>(parse_xt_match_args(
        "iprange", "--src-range 192.0.2.10-192.0.2.20 ! --dst-range 198.51.100.1-198.51.100.9"));
    CHECK(r.src_from == "192.0.2.10");
    CHECK(r.src_to == "192.0.2.20");
    CHECK_FALSE(r.invert_src);
    CHECK(r.dst_from == "198.51.100.1");
    CHECK(r.dst_to == "198.51.100.9");
    CHECK(r.invert_dst);

    r = as<XtIprange>(parse_xt_match_args("iprange", "! --src-range 2001:db8::1-2001:db8::9"));
    CHECK(r.src_from == "2001:db8::1");
    CHECK(r.src_to == "2001:db8::9");
    CHECK(r.invert_src);
    CHECK(r.dst_from.empty());

    r = as<XtIprange>(parse_xt_match_args("iprange", "--dst-range 192.0.2.5"));
    CHECK(r.dst_from == "192.0.2.5");
    CHECK(r.dst_to == "192.0.2.5");

    CHECK(other("iprange", "--src-range 192.0.2.1-2001:db8::1"));
    CHECK(other("iprange", "--src-range 192.0.2.1-"));
    CHECK(other("iprange", "--src-range host.example-192.0.2.1"));
    CHECK(other("iprange", ""));
}

TEST_CASE("unknown extensions keep their arguments") {
    const auto m = as<XtOther>(parse_xt_match_args("recent", " --rcheck --seconds 60 --name peers "));
    CHECK(m.name == "recent");
    CHECK(m.args == "--rcheck --seconds 60 --name peers");
    CHECK(other("set", "--match-set peers src"));
    CHECK(other("unknown option -f", ""));
}

TEST_CASE("targets: effect, arguments, notrack") {
    auto t = parse_xt_target_args("REJECT", "--reject-with tcp-reset");
    CHECK(t.effect == XtTarget::Effect::drop);
    CHECK(t.name == "REJECT");
    CHECK(t.args == "--reject-with tcp-reset");
    CHECK_FALSE(t.notrack);

    for (const char* name : {"LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CT", "TCPMSS", "CLASSIFY", "DSCP", "TOS",
                             "CHECKSUM", "TTL", "HL", "SET", "AUDIT", "TRACE", "NOTRACK"})
        CHECK_MESSAGE(parse_xt_target_args(name, "").effect == XtTarget::Effect::proceed, name);
    for (const char* name : {"DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP"})
        CHECK_MESSAGE(parse_xt_target_args(name, "").effect == XtTarget::Effect::accept, name);
    CHECK(parse_xt_target_args("NFQUEUE", "--queue-num 1").effect == XtTarget::Effect::unknown);
    CHECK(parse_xt_target_args("SOMETHING", "").effect == XtTarget::Effect::unknown);

    t = parse_xt_target_args("LOG", R"(--log-prefix "dropped: ")");
    CHECK(t.args == R"(--log-prefix "dropped: ")");
    CHECK(parse_xt_target_args("NOTRACK", "").notrack);
    CHECK(parse_xt_target_args("CT", "--notrack").notrack);
    CHECK_FALSE(parse_xt_target_args("CT", "--zone 1").notrack);
    CHECK_FALSE(parse_xt_target_args("CT", R"(--helper "--notrack")").notrack);
    CHECK(parse_xt_target_args("DNAT", "--to-destination 10.0.0.1:80").args == "--to-destination 10.0.0.1:80");
}

TEST_CASE("the parsers never throw and never read out of range, whatever the arguments") {
    const char* names[] = {"conntrack", "state", "comment", "multiport", "addrtype", "mark", "connmark",
                           "limit",     "pkttype", "iprange", "recent", ""};
    const std::string alphabet = "-!\"\\/,.:x0 123456789abcdefABCDEF\t'\n";
    std::mt19937 random(12345);
    for (int i = 0; i < 20000; ++i) {
        std::string args;
        const int len = static_cast<int>(random() % 40);
        for (int j = 0; j < len; ++j) args += alphabet[random() % alphabet.size()];
        if (random() % 2) args = (random() % 2 ? "--mark " : random() % 2 ? "--limit " : "--ctstate ") + args;
        const char* name = names[random() % std::size(names)];
        CHECK_NOTHROW((void)parse_xt_match_args(name, args));
        CHECK_NOTHROW((void)parse_xt_target_args(name, args));
        CHECK_NOTHROW((void)xt_match_text(parse_xt_match_args(name, args)));
    }
}
