// Legacy iptables rules read from iptables-legacy-save output (firewall/legacy_iptables):
// the outputs under tests/data/legacy/ were captured in a network namespace with
// iptables-legacy v1.8.9 (`ip netns exec NS iptables-legacy -A ...; iptables-legacy-save`,
// the Generated/Completed comment lines left out). The chains get x_tables' hooks and
// priorities, each rule the native expressions iptables-nft would build, and the
// evaluator runs them. Also host::run_program's timeout and captured output, which
// reading those outputs relies on.

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <variant>

#include "firewall/legacy_iptables.h"
#include "firewall/nft_eval.h"
#include "firewall/xt.h"
#include "fixtures.h"
#include "host/program.h"

using namespace haprep;
using firewall::legacy_ruleset;
using model::NftExpr;

namespace {

std::string load(const std::string& name) {
    return testing::test_data("legacy/" + name);
}

const model::NftChain& chain(const model::NftRuleset& r, const std::string& table, const std::string& name) {
    for (const auto& c : r.chains)
        if (c.table == table && c.name == name) return c;
    FAIL("no chain " << table << " " << name);
    throw;
}

const model::NftRule& rule(const model::NftRuleset& r, const std::string& text) {
    for (const auto& x : r.rules)
        if (x.text == text) return x;
    FAIL("no rule " << text);
    throw;
}

NftExpr meta(std::uint32_t key) {
    NftExpr e;
    e.name = "meta";
    e.key = key;
    e.dreg = 1;
    return e;
}
NftExpr cmp(std::uint32_t op, const std::string& hex) {
    NftExpr e;
    e.name = "cmp";
    e.sreg = 1;
    e.op = op;
    e.data = hex;
    return e;
}
NftExpr payload(std::uint32_t offset, std::uint32_t len) {
    NftExpr e;
    e.name = "payload";
    e.dreg = 1;
    e.base = 1;
    e.offset = offset;
    e.len = len;
    return e;
}
NftExpr bitwise(std::uint32_t len, const std::string& mask) {
    NftExpr e;
    e.name = "bitwise";
    e.sreg = e.dreg = 1;
    e.len = len;
    e.data = mask;
    e.data2 = std::string(len * 2, '0');
    return e;
}
NftExpr verdict(std::int32_t v, const std::string& chain_name = {}) {
    NftExpr e;
    e.name = "immediate";
    e.verdict = v;
    e.chain = chain_name;
    return e;
}
NftExpr compat(const std::string& kind, const std::string& name, const std::string& args) {
    NftExpr e;
    e.name = kind;
    e.xt_name = name;
    e.args = args;
    return e;
}

constexpr std::uint32_t kL4proto = model::nft::kMetaL4proto, kIifname = model::nft::kMetaIifname;

firewall::VrrpPacket multicast_advert(const std::string& from) {
    firewall::VrrpPacket p;
    p.iifname = "eth0";
    p.iif = 2;
    p.saddr = from;
    p.daddr = "224.0.0.18";
    return p;
}

}  // namespace

TEST_CASE("iptables-save words: blanks, quotes, escapes, positions") {
    const std::string line = R"(-A INPUT -m comment --comment "keepalived: \"VRRP\" peers" -j ACCEPT)";
    const auto words = firewall::split_save_line(line);
    REQUIRE(words.size() == 8);
    CHECK(words[5].text == R"(keepalived: "VRRP" peers)");
    CHECK(words[5].quoted);
    CHECK(line.substr(words[5].begin, words[5].end - words[5].begin) == R"("keepalived: \"VRRP\" peers")");
    CHECK(words[6].text == "-j");
    CHECK_FALSE(words[6].quoted);
    CHECK(line.substr(words[7].begin, words[7].end - words[7].begin) == "ACCEPT");

    auto w = firewall::split_save_line(R"(  a  ""  "it\'s a \\ test"	b)");
    REQUIRE(w.size() == 4);
    CHECK(w[0].text == "a");
    CHECK(w[1].text.empty());
    CHECK(w[1].quoted);
    CHECK(w[2].text == R"(it's a \ test)");
    CHECK(w[3].text == "b");
    w = firewall::split_save_line(R"(ab"c d"e "unterminated)");
    REQUIRE(w.size() == 3);
    CHECK(w[0].text == "abc d");  // a quote inside a word continues it and ends it
    CHECK(w[1].text == "e");
    CHECK(w[2].text == "unterminated");
    CHECK(firewall::split_save_line("").empty());
    CHECK(firewall::split_save_line("\"\\").size() == 1);
}

TEST_CASE("-A INPUT -p vrrp -j DROP: a base chain of ip filter and iptables-nft's expressions") {
    const auto r = legacy_ruleset(load("vrrp_drop.v4"), model::Family::ipv4);
    REQUIRE(r.chains.size() == 3);
    const auto& input = chain(r, "filter", "INPUT");
    CHECK(input.family == "ip");
    CHECK(input.legacy);
    CHECK(input.hook == 1);
    CHECK(input.priority == 0);
    CHECK(input.policy == "accept");
    CHECK(input.type == "filter");
    CHECK(chain(r, "filter", "FORWARD").hook == 2);
    CHECK(chain(r, "filter", "OUTPUT").hook == 3);
    REQUIRE(r.rules.size() == 1);
    const auto& drop = r.rules[0];
    CHECK(drop.family == "ip");
    CHECK(drop.table == "filter");
    CHECK(drop.chain == "INPUT");
    CHECK(drop.legacy);
    CHECK(drop.handle == 1);
    CHECK(drop.text == "-A INPUT -p vrrp -j DROP");
    CHECK(drop.exprs == std::vector<NftExpr>{meta(kL4proto), cmp(0, "70"), verdict(model::nft::kDrop)});

    // -p 112 (no /etc/protocols) is the same rule.
    const auto numeric = legacy_ruleset("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p 112 -j DROP\nCOMMIT\n", model::Family::ipv4);
    REQUIRE(numeric.rules.size() == 1);
    CHECK(numeric.rules[0].exprs == drop.exprs);
}

TEST_CASE("the evaluator runs legacy rules: -p vrrp -j DROP drops, -p tcp -j DROP lets it in") {
    const auto drop = firewall::evaluate_packet(legacy_ruleset(load("vrrp_drop.v4"), model::Family::ipv4),
                                              multicast_advert("192.0.2.2"));
    CHECK(drop.outcome == firewall::NftVerdict::Outcome::drop);
    CHECK(drop.decided_by.find("-A INPUT -p vrrp -j DROP") != std::string::npos);

    const auto tcp = legacy_ruleset("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\nCOMMIT\n", model::Family::ipv4);
    CHECK(firewall::evaluate_packet(tcp, multicast_advert("192.0.2.2")).outcome == firewall::NftVerdict::Outcome::accept);

    const auto policy = legacy_ruleset("*filter\n:INPUT DROP [0:0]\n-A INPUT -s 192.0.2.0/24 -p vrrp -j ACCEPT\nCOMMIT\n",
                                       model::Family::ipv4);
    CHECK(firewall::evaluate_packet(policy, multicast_advert("192.0.2.2")).outcome == firewall::NftVerdict::Outcome::accept);
    const auto outside = firewall::evaluate_packet(policy, multicast_advert("198.51.100.2"));
    CHECK(outside.outcome == firewall::NftVerdict::Outcome::drop);
    CHECK(outside.decided_by.find("policy drop") != std::string::npos);
}

TEST_CASE("a server's ruleset: user chains, addresses, interface prefixes, comments") {
    const auto r = legacy_ruleset(load("server_policy_drop.v4"), model::Family::ipv4);
    CHECK(chain(r, "filter", "INPUT").policy == "drop");
    const auto& logdrop = chain(r, "filter", "LOGDROP");
    CHECK(logdrop.hook == -1);
    CHECK(logdrop.policy.empty());
    CHECK(logdrop.legacy);

    const auto& vrrp =
        rule(r, R"(-A INPUT -s 192.0.2.0/24 -i eth+ -p vrrp -m comment --comment "keepalived: \"VRRP\" peers" -j ACCEPT)");
    CHECK(vrrp.handle == 5);
    CHECK(vrrp.comment == R"(keepalived: "VRRP" peers)");
    CHECK(vrrp.exprs == std::vector<NftExpr>{payload(12, 4), bitwise(4, "ffffff00"), cmp(0, "c0000200"), meta(kIifname),
                                             cmp(0, "657468"), meta(kL4proto), cmp(0, "70"),
                                             compat("match", "comment", R"(--comment "keepalived: \"VRRP\" peers")"),
                                             verdict(model::nft::kAccept)});
    CHECK(rule(r, "-A INPUT -d 224.0.0.18/32 -p vrrp -j ACCEPT").exprs ==
          std::vector<NftExpr>{payload(16, 4), cmp(0, "e0000012"), meta(kL4proto), cmp(0, "70"), verdict(1)});
    CHECK(rule(r, "-A INPUT -i lo -j ACCEPT").exprs == std::vector<NftExpr>{meta(kIifname), cmp(0, "6c6f00"), verdict(1)});
    CHECK(rule(r, "-A INPUT -j LOGDROP").exprs == std::vector<NftExpr>{verdict(model::nft::kJump, "LOGDROP")});
    CHECK(rule(r, "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT").exprs ==
          std::vector<NftExpr>{compat("match", "conntrack", "--ctstate RELATED,ESTABLISHED"), verdict(1)});
    CHECK(rule(r, R"(-A LOGDROP -m limit --limit 10/min -j LOG --log-prefix "dropped: ")").exprs ==
          std::vector<NftExpr>{compat("match", "limit", "--limit 10/min"),
                               compat("target", "LOG", R"(--log-prefix "dropped: ")")});
    CHECK(rule(r, "-A LOGDROP -j DROP").handle == 2);
    CHECK(rule(r, "-A INPUT -p tcp -m multiport --dports 22,443 -j ACCEPT").exprs ==
          std::vector<NftExpr>{meta(kL4proto), cmp(0, "06"), compat("match", "multiport", "--dports 22,443"), verdict(1)});
    // Rules come per chain, in order.
    std::vector<std::string> order;
    for (const auto& x : r.rules) order.push_back(x.chain + " " + std::to_string(x.handle));
    CHECK(order == std::vector<std::string>{"INPUT 1", "INPUT 2", "INPUT 3", "INPUT 4", "INPUT 5", "INPUT 6", "INPUT 7",
                                            "INPUT 8", "LOGDROP 1", "LOGDROP 2"});
}

TEST_CASE("every table: x_tables' hooks, priorities and nft's chain types") {
    const auto r = legacy_ruleset(load("all_extensions.v4"), model::Family::ipv4);
    struct Expected {
        const char *table, *chain;
        int hook, priority;
        const char* type;
    };
    const Expected expected[] = {
        {"raw", "PREROUTING", 0, -300, "filter"},    {"raw", "OUTPUT", 3, -300, "filter"},
        {"mangle", "PREROUTING", 0, -150, "filter"}, {"mangle", "INPUT", 1, -150, "filter"},
        {"mangle", "FORWARD", 2, -150, "filter"},    {"mangle", "OUTPUT", 3, -150, "route"},
        {"mangle", "POSTROUTING", 4, -150, "filter"}, {"nat", "PREROUTING", 0, -100, "nat"},
        {"nat", "INPUT", 1, 100, "nat"},             {"nat", "OUTPUT", 3, -100, "nat"},
        {"nat", "POSTROUTING", 4, 100, "nat"},       {"filter", "INPUT", 1, 0, "filter"},
        {"security", "INPUT", 1, 50, "filter"},      {"security", "OUTPUT", 3, 50, "filter"},
    };
    for (const auto& e : expected) {
        const auto& c = chain(r, e.table, e.chain);
        CHECK_MESSAGE(c.hook == e.hook, e.table << " " << e.chain);
        CHECK_MESSAGE(c.priority == e.priority, e.table << " " << e.chain);
        CHECK_MESSAGE(c.type == e.type, e.table << " " << e.chain);
        CHECK(c.policy == "accept");
        CHECK(c.family == "ip");
    }
    CHECK(chain(r, "filter", "GOTO_ME").hook == -1);
    CHECK(r.chains.size() == 18);
    CHECK(r.rules.size() == 24);
}

TEST_CASE("every option of the captured rules becomes the expected expression") {
    const auto r = legacy_ruleset(load("all_extensions.v4"), model::Family::ipv4);
    CHECK(rule(r, "-A INPUT ! -s 10.0.0.0/255.0.255.0 ! -i eth0 ! -p tcp -j ACCEPT").exprs ==
          std::vector<NftExpr>{payload(12, 4), bitwise(4, "ff00ff00"), cmp(1, "0a000000"), meta(kIifname),
                               cmp(1, "6574683000"), meta(kL4proto), cmp(1, "06"), verdict(1)});
    CHECK(rule(r, "-A INPUT -f -j DROP").exprs == std::vector<NftExpr>{compat("match", "unknown option -f", ""), verdict(0)});
    CHECK(rule(r, "-A INPUT -m recent --rcheck --seconds 60 --name peers --mask 255.255.255.255 --rsource -j DROP").exprs ==
          std::vector<NftExpr>{compat("match", "recent", "--rcheck --seconds 60 --name peers --mask 255.255.255.255 --rsource"),
                               verdict(0)});
    CHECK(rule(r, "-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset").exprs ==
          std::vector<NftExpr>{meta(kL4proto), cmp(0, "06"), compat("match", "tcp", "--dport 22"),
                               compat("target", "REJECT", "--reject-with tcp-reset")});
    const auto& commented = rule(r, R"(-A INPUT -m comment --comment "it\'s a \\ test" -j MARK --set-xmark 0x1/0xffffffff)");
    CHECK(commented.comment == R"(it's a \ test)");
    CHECK(commented.exprs == std::vector<NftExpr>{compat("match", "comment", R"(--comment "it\'s a \\ test")"),
                                                  compat("target", "MARK", "--set-xmark 0x1/0xffffffff")});
    CHECK(rule(r, "-A INPUT -g GOTO_ME").exprs == std::vector<NftExpr>{verdict(model::nft::kGoto, "GOTO_ME")});
    CHECK(rule(r, "-A INPUT -p vrrp").exprs == std::vector<NftExpr>{meta(kL4proto), cmp(0, "70")});
    CHECK(rule(r, "-A GOTO_ME -j RETURN").exprs == std::vector<NftExpr>{verdict(model::nft::kReturn)});
    CHECK(rule(r, "-A PREROUTING -p vrrp -j CT --notrack").exprs ==
          std::vector<NftExpr>{meta(kL4proto), cmp(0, "70"), compat("target", "CT", "--notrack")});
    CHECK(rule(r, "-A POSTROUTING -o eth1 -j MASQUERADE").exprs ==
          std::vector<NftExpr>{meta(7), cmp(0, "6574683100"), compat("target", "MASQUERADE", "")});
    CHECK(rule(r, "-A INPUT -m conntrack ! --ctstate NEW,SNAT,DNAT --ctproto 17 -j ACCEPT").exprs ==
          std::vector<NftExpr>{compat("match", "conntrack", "! --ctstate NEW,SNAT,DNAT --ctproto 17"), verdict(1)});
    CHECK(rule(r, "-A INPUT -m iprange --src-range 192.0.2.10-192.0.2.20 ! --dst-range 198.51.100.1-198.51.100.9 -j ACCEPT")
              .exprs == std::vector<NftExpr>{compat("match", "iprange",
                                                    "--src-range 192.0.2.10-192.0.2.20 ! --dst-range 198.51.100.1-198.51.100.9"),
                                             verdict(1)});
    // Each match's arguments parse to its typed value (firewall/xt_args.cpp).
    for (const auto& x : r.rules)
        for (const auto& e : x.exprs)
            if (e.name == "match" && e.xt_name.find(' ') == std::string::npos && e.xt_name != "recent")
                CHECK_MESSAGE(!std::holds_alternative<firewall::XtOther>(firewall::parse_xt_match_args(e.xt_name, e.args)),
                              x.text);
}

TEST_CASE("ip6tables: ip6 family, 16-byte addresses, prefix and address masks") {
    const auto r = legacy_ruleset(load("server_policy_drop.v6"), model::Family::ipv6);
    const auto& input = chain(r, "filter", "INPUT");
    CHECK(input.family == "ip6");
    CHECK(input.policy == "drop");
    CHECK(input.hook == 1);
    const auto& vrrp = rule(r, "-A INPUT -s fe80::/10 -d ff02::12/128 -p vrrp -j ACCEPT");
    CHECK(vrrp.family == "ip6");
    CHECK(vrrp.exprs == std::vector<NftExpr>{payload(8, 16), bitwise(16, "ffc00000000000000000000000000000"),
                                             cmp(0, "fe800000000000000000000000000000"), payload(24, 16),
                                             cmp(0, "ff020000000000000000000000000012"), meta(kL4proto), cmp(0, "70"),
                                             verdict(1)});
    CHECK(rule(r, "-A INPUT -s 2001:db8::/ffff:ffff:0:ffff:: -j DROP").exprs ==
          std::vector<NftExpr>{payload(8, 16), bitwise(16, "ffffffff0000ffff0000000000000000"),
                               cmp(0, "20010db8000000000000000000000000"), verdict(0)});
    CHECK(rule(r, "-A INPUT -p ipv6-icmp -j ACCEPT").exprs == std::vector<NftExpr>{meta(kL4proto), cmp(0, "3a"), verdict(1)});

    firewall::VrrpPacket p;
    p.family = model::Family::ipv6;
    p.iifname = "eth0";
    p.iif = 2;
    p.saddr = "fe80::2";
    p.daddr = "ff02::12";
    const auto rules_only = legacy_ruleset(
        "*filter\n:INPUT DROP [0:0]\n-A INPUT -s fe80::/10 -d ff02::12/128 -p vrrp -j ACCEPT\nCOMMIT\n", model::Family::ipv6);
    CHECK(firewall::evaluate_packet(rules_only, p).outcome == firewall::NftVerdict::Outcome::accept);
}

TEST_CASE("interfaces as iptables-nft compares them") {
    auto exprs = [](const std::string& options) {
        const auto r = legacy_ruleset("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT " + options + "\nCOMMIT\n", model::Family::ipv4);
        REQUIRE(r.rules.size() == 1);
        return r.rules[0].exprs;
    };
    CHECK(exprs("-i eth0") == std::vector<NftExpr>{meta(kIifname), cmp(0, "6574683000")});
    CHECK(exprs("-i eth+") == std::vector<NftExpr>{meta(kIifname), cmp(0, "657468")});
    CHECK(exprs("! -i eth+") == std::vector<NftExpr>{meta(kIifname), cmp(1, "657468")});
    CHECK(exprs("-i +").empty());
    CHECK(exprs("! -i +") == std::vector<NftExpr>{meta(kIifname), cmp(0, "494e56414c2f4400")});
    CHECK(exprs("-i 0123456789abcde") == std::vector<NftExpr>{meta(kIifname), cmp(0, "30313233343536373839616263646500")});
    CHECK(exprs("-i 0123456789abcdef").at(0).xt_name == "unreadable interface -i 0123456789abcdef");
    CHECK(exprs("--in-interface lo") == std::vector<NftExpr>{meta(kIifname), cmp(0, "6c6f00")});
}

TEST_CASE("what haprep cannot read becomes a match it cannot decide") {
    auto exprs = [](const std::string& options, model::Family family = model::Family::ipv4) {
        const auto r = legacy_ruleset("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT " + options + "\nCOMMIT\n", family);
        REQUIRE(r.rules.size() == 1);
        return r.rules[0].exprs;
    };
    CHECK(exprs("-p frobnicate -j DROP") ==
          std::vector<NftExpr>{compat("match", "unknown protocol frobnicate", ""), verdict(0)});
    CHECK(exprs("-p 256 -j DROP").at(0).xt_name == "unknown protocol 256");
    CHECK(exprs("-p -j DROP").at(0).xt_name == "unknown protocol (none)");
    CHECK(exprs("-s 2001:db8::1 -j DROP").at(0).xt_name == "unreadable address -s 2001:db8::1");
    CHECK(exprs("-d 192.0.2.1 -j DROP", model::Family::ipv6).at(0).xt_name == "unreadable address -d 192.0.2.1");
    CHECK(exprs("-s 192.0.2.0/33 -j DROP").at(0).xt_name == "unreadable address -s 192.0.2.0/33");
    CHECK(exprs("--dport 22 -j DROP") == std::vector<NftExpr>{compat("match", "unknown option --dport", "22"), verdict(0)});
    CHECK(exprs("-x -j DROP").at(0).xt_name == "unknown option -x");
    CHECK(exprs("! -m comment --comment x").at(0).xt_name == "unknown option ! -m comment");
    CHECK(exprs("-p all -j DROP") == std::vector<NftExpr>{verdict(0)});
    CHECK(exprs("-p ALL -j DROP") == std::vector<NftExpr>{verdict(0)});
    CHECK(exprs("-p VRRP -j DROP") == std::vector<NftExpr>{meta(kL4proto), cmp(0, "70"), verdict(0)});
    CHECK(exprs("-s 0.0.0.0/0 -j DROP") ==
          std::vector<NftExpr>{payload(12, 4), bitwise(4, "00000000"), cmp(0, "00000000"), verdict(0)});
    CHECK(exprs("-j NOSUCHCHAIN") == std::vector<NftExpr>{compat("target", "NOSUCHCHAIN", "")});
    CHECK(exprs("-g NOSUCHCHAIN").at(0).xt_name == "unknown option -g NOSUCHCHAIN");
    CHECK(exprs("-j ACCEPT --bogus") == std::vector<NftExpr>{compat("target", "ACCEPT", "--bogus")});
    CHECK(exprs("-c 10 20 -p vrrp -j DROP") == std::vector<NftExpr>{meta(kL4proto), cmp(0, "70"), verdict(0)});
    CHECK(exprs("!").at(0).xt_name == "unknown option !");

    // A policy the kernel does not have: a last rule that cannot be decided.
    const auto queue = legacy_ruleset("*filter\n:INPUT QUEUE [0:0]\nCOMMIT\n", model::Family::ipv4);
    REQUIRE(queue.rules.size() == 1);
    CHECK(queue.rules[0].text == ":INPUT QUEUE");
    CHECK(queue.rules[0].exprs == std::vector<NftExpr>{compat("match", "unknown policy QUEUE", ""), verdict(0)});
    CHECK(firewall::evaluate_packet(queue, multicast_advert("192.0.2.2")).outcome != firewall::NftVerdict::Outcome::accept);
}

TEST_CASE("save text that iptables-save would not print is still read safely") {
    // No *table (iptables' default, filter), no policy line, counters, CRLF, repeated table.
    const auto r = legacy_ruleset("# comment\r\n[3:180] -A INPUT -p vrrp -j DROP\r\n*filter\n-A MINE -j ACCEPT\n"
                                  "COMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -j MINE\nCOMMIT\nnonsense\n-A\n",
                                  model::Family::ipv4);
    CHECK(chain(r, "filter", "INPUT").policy == "drop");
    CHECK(chain(r, "filter", "INPUT").hook == 1);
    CHECK(chain(r, "filter", "MINE").hook == -1);
    CHECK(rule(r, "-A INPUT -p vrrp -j DROP").handle == 1);
    // MINE was not declared when `-j MINE` was read... but it is a chain of the table by then.
    CHECK(rule(r, "-A INPUT -j MINE").exprs == std::vector<NftExpr>{verdict(model::nft::kJump, "MINE")});
    CHECK(rule(r, "-A INPUT -j MINE").handle == 2);
    CHECK(legacy_ruleset("", model::Family::ipv4).chains.empty());
    // A built-in chain with rules but no policy line still runs them.
    const auto bare = legacy_ruleset("*filter\n-A INPUT -p vrrp -j DROP\nCOMMIT\n", model::Family::ipv4);
    CHECK(chain(bare, "filter", "INPUT").hook == 1);
    CHECK(firewall::evaluate_packet(bare, multicast_advert("192.0.2.2")).outcome == firewall::NftVerdict::Outcome::drop);
}

TEST_CASE("legacy_ruleset never throws, whatever the text") {
    std::vector<std::string> seeds = {load("vrrp_drop.v4"), load("server_policy_drop.v4"), load("all_extensions.v4"),
                                      load("server_policy_drop.v6")};
    const std::string alphabet = "-!\"\\/:*[]# \n\tAjmpsdigc0123456789.abcfx+";
    std::mt19937 random(4242);
    for (int i = 0; i < 3000; ++i) {
        std::string text = seeds[random() % seeds.size()];
        const int edits = 1 + static_cast<int>(random() % 8);
        for (int j = 0; j < edits && !text.empty(); ++j) {
            const std::size_t at = random() % text.size();
            switch (random() % 3) {
                case 0: text[at] = alphabet[random() % alphabet.size()]; break;
                case 1: text.erase(at, random() % 8); break;
                default: text.insert(at, 1, alphabet[random() % alphabet.size()]);
            }
        }
        const auto family = random() % 2 ? model::Family::ipv4 : model::Family::ipv6;
        model::NftRuleset r;
        CHECK_NOTHROW(r = legacy_ruleset(text, family));
        for (const auto& x : r.rules)
            for (const auto& e : x.exprs)
                if (e.name == "match") CHECK_NOTHROW((void)firewall::parse_xt_match_args(e.xt_name, e.args));
        CHECK_NOTHROW((void)firewall::evaluate_packet(r, multicast_advert("192.0.2.2")));
    }
}

TEST_CASE("run_program: captured stdout, exit status, stderr") {
    host::ProgramOptions capture;
    capture.capture_stdout = true;
    auto r = host::run_program({"/bin/echo", "-n", "hello world"}, capture);
    CHECK(r.spawn_error.empty());
    CHECK(r.exited);
    CHECK(r.exit_code == 0);
    CHECK(r.output == "hello world");
    CHECK_FALSE(r.timed_out);

    r = host::run_program({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, capture);
    CHECK(r.exited);
    CHECK(r.exit_code == 3);
    CHECK(r.output == "out\n");
    CHECK(r.messages == "err\n");

    r = host::run_program({"/bin/sh", "-c", "echo out; env"});  // not captured; no environment
    CHECK(r.exit_code == 0);
    CHECK(r.output.empty());
    r = host::run_program({"/bin/sh", "-c", "echo \"[$HOME$USER$LANG]\""}, capture);
    CHECK(r.output == "[]\n");  // an empty environment

    r = host::run_program({"/nonexistent/program"});
    CHECK(r.spawn_error.find("cannot run /nonexistent/program") == 0);
    CHECK(host::run_program({}).spawn_error.size() > 0);
}

TEST_CASE("run_program: a program still running at the timeout is killed and the run fails") {
    using namespace std::chrono;
    host::ProgramOptions quick;
    quick.timeout = milliseconds(300);
    auto start = steady_clock::now();
    auto r = host::run_program({"/bin/sleep", "30"}, quick);
    CHECK(steady_clock::now() - start < seconds(10));
    CHECK(r.timed_out);
    CHECK_FALSE(r.exited);
    CHECK(r.exit_code == 128 + 9);
    CHECK(r.spawn_error == "/bin/sleep timed out after 0.3 s (killed)");

    // Closing its output does not end the wait: the process is still bounded.
    start = steady_clock::now();
    r = host::run_program({"/bin/sh", "-c", "exec >&- 2>&-; exec /bin/sleep 30"}, quick);
    CHECK(steady_clock::now() - start < seconds(10));
    CHECK(r.timed_out);

    host::ProgramOptions second;
    second.timeout = seconds(1);
    CHECK(host::run_program({"/bin/sleep", "30"}, second).spawn_error == "/bin/sleep timed out after 1 s (killed)");
    CHECK(host::ProgramOptions{}.timeout == seconds(30));
}

TEST_CASE("run_program: captured stdout beyond the bound fails the run") {
    host::ProgramOptions small;
    small.capture_stdout = true;
    small.max_stdout = 1000;
    auto r = host::run_program({"/usr/bin/yes"}, small);
    CHECK_FALSE(r.exited);
    CHECK(r.output.empty());
    CHECK(r.spawn_error == "/usr/bin/yes wrote more than 1000 bytes to standard output (killed)");
    r = host::run_program({"/usr/bin/head", "-c", "1000", "/dev/zero"}, small);
    CHECK(r.spawn_error.empty());
    CHECK(r.output.size() == 1000);
}
