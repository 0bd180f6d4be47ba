// The keepalived.conf parser on in-memory files: the lexer (comments, quotes,
// braces), the reader (includes, @ID lines, $NAME definitions, continuations), the
// block tree, every error with its file:line, and the model the checks read.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "keepalived/config.h"
#include "keepalived/lexer.h"
#include "keepalived/tree.h"

using namespace haprep;
using keepalived::memory_loader;
using keepalived::parse_config;

namespace {

const std::string kMain = "/etc/keepalived/keepalived.conf";

/// Parses `files` (the first is the main file) as host "node1".
model::KeepalivedConf parse_files(const std::vector<model::ConfigFile>& files, const std::string& id = "node1") {
    return parse_config(files.front().path, memory_loader(files), id);
}

model::KeepalivedConf parse(const std::string& main, const std::string& id = "node1") {
    return parse_files({{kMain, main}}, id);
}

std::string strip(const std::string& line) {
    std::string error;
    auto out = keepalived::strip_comment(line, error);
    REQUIRE(error.empty());
    return out;
}

using Words = std::vector<std::string>;

/// "file:line message" of each message, to compare a whole list at once.
std::vector<std::string> where(const std::vector<model::KeepalivedMessage>& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages) out.push_back(m.at.file + ":" + std::to_string(m.at.line) + " " + m.message);
    return out;
}

model::SourceLocation at(int line, const std::string& file = kMain) { return {file, line}; }

}  // namespace

TEST_CASE("comments: # and ! outside quotes, kept inside quotes, \\# and \\! escape them") {
    CHECK(strip("state MASTER # the master") == "state MASTER");
    CHECK(strip("state MASTER ! the master") == "state MASTER");
    CHECK(strip("# only a comment") == "");
    CHECK(strip("   ! only a comment") == "");
    CHECK(strip("script \"/bin/echo # not ! a comment\" # but this is") == "script \"/bin/echo # not ! a comment\"");
    CHECK(strip("auth_pass ab\\#cd\\!ef") == "auth_pass ab#cd!ef");
    CHECK(strip("\t  priority 100 \t") == "priority 100");
    // An escaped quote does not end the quoted string (keepalived skips "\x" pairs).
    CHECK(strip("script \"a \\\" # b\" # c") == "script \"a \\\" # b\"");

    std::string error;
    CHECK(keepalived::strip_comment("script \"/bin/true # x", error) == "script \"/bin/true # x");
    CHECK(error == "unterminated quote");
}

TEST_CASE("words: quoted strings are one word, braces are words of their own") {
    CHECK(keepalived::split_words("script \"/usr/bin/killall -0 haproxy\"") ==
          Words{"script", "/usr/bin/killall -0 haproxy"});
    CHECK(keepalived::split_words("vrrp_instance VI_1{") == Words{"vrrp_instance", "VI_1", "{"});
    CHECK(keepalived::split_words("{ 10.0.0.1 10.0.0.2 }") == Words{"{", "10.0.0.1", "10.0.0.2", "}"});
    CHECK(keepalived::split_words("a\t b") == Words{"a", "b"});
    CHECK(keepalived::split_words("x \"a { b }\"") == Words{"x", "a { b }"});
    CHECK(keepalived::split_words("x \"unterminated") == Words{"x", "unterminated"});
    CHECK(keepalived::split_words("").empty());
}

TEST_CASE("braces: same line, next line, one-line block, VI_1{, nested") {
    const auto conf = parse(
        "vrrp_instance VI_1 {\n"          // 1
        "    state MASTER\n"              // 2
        "}\n"                             // 3
        "vrrp_instance VI_2\n"            // 4
        "{\n"                             // 5
        "    virtual_ipaddress { 10.0.0.1/32 dev eth0 }\n"  // 6: one entry per line
        "}\n"                             // 7
        "vrrp_instance VI_3{\n"           // 8
        "    authentication {\n"          // 9
        "        auth_type PASS\n"        // 10
        "        auth_pass x\n"           // 11
        "    }\n"                         // 12
        "}\n"                             // 13
        "vrrp_instance VI_4 { state BACKUP }\n");  // 14
    CHECK(conf.errors.empty());
    REQUIRE(conf.instances.size() == 4);
    CHECK(conf.instances[0].name == "VI_1");
    CHECK(conf.instances[0].state == "MASTER");
    CHECK(conf.instances[0].block.at == at(1));
    CHECK(conf.instances[0].block.close == at(3));
    CHECK(conf.instances[0].block.own_lines);
    CHECK(conf.instances[1].name == "VI_2");
    CHECK(conf.instances[1].block.at == at(4));
    CHECK(conf.instances[1].block.close == at(7));
    CHECK(conf.instances[1].block.own_lines);
    REQUIRE(conf.instances[1].vips.size() == 1);
    CHECK(conf.instances[1].vips[0].dev == "eth0");
    CHECK_FALSE(conf.instances[1].vips[0].item.whole_line);
    CHECK(conf.instances[1].vip_block.at == at(6));
    CHECK(conf.instances[1].vip_block.close == at(6));
    CHECK_FALSE(conf.instances[1].vip_block.own_lines);
    CHECK(conf.instances[2].name == "VI_3");
    CHECK(conf.instances[2].auth_type == "PASS");
    CHECK(conf.instances[2].auth_pass == "x");
    CHECK(conf.instances[2].keywords.at("auth_pass") == at(11));
    CHECK(conf.instances[3].state == "BACKUP");
    CHECK(conf.instances[3].block.close == at(14));
    CHECK_FALSE(conf.instances[3].block.own_lines);
}

TEST_CASE("tree: whole_line, keyword_line_alone and close_alone") {
    const std::string main = kMain;
    auto pos = [&](int line) { return keepalived::Pos{&main, line}; };
    std::vector<keepalived::Line> lines = {
        {{"a", "{"}, pos(1), ""},
        {{"b", "1"}, pos(2), "  "},
        {{"c", "d", "{", "e", "}"}, pos(3), "  "},
        {{"}"}, pos(4), ""},
        {{"f"}, pos(5), ""},
        {{"{"}, pos(6), ""},
        {{"}", "g"}, pos(7), ""},
    };
    const auto tree = keepalived::build_tree(lines);
    CHECK(tree.errors.empty());
    REQUIRE(tree.top.size() == 3);
    const auto& a = tree.top[0];
    CHECK(a.keyword_line_alone);
    CHECK(a.close_alone);
    CHECK(a.close.location() == at(4));
    REQUIRE(a.children.size() == 2);
    CHECK(a.children[0].whole_line);
    CHECK(a.children[0].indent == "  ");
    CHECK(a.children[0].text() == "b 1");
    CHECK_FALSE(a.children[1].whole_line);
    CHECK(a.children[1].has_block);
    CHECK(a.children[1].close.location() == at(3));
    CHECK_FALSE(a.children[1].close_alone);
    CHECK(a.children[1].children.size() == 1);
    const auto& f = tree.top[1];
    CHECK(f.has_block);
    CHECK(f.keyword_line_alone);  // "{" alone on the next line
    CHECK_FALSE(f.whole_line);
    CHECK_FALSE(f.close_alone);   // "} g"
    CHECK(tree.top[2].keyword == "g");
    CHECK(tree.top[2].whole_line == false);  // shares its line with the "}"
}

TEST_CASE("include: globs relative to the including file, absolute paths, nested") {
    const auto conf = parse_files({
        {kMain, "include conf.d/*.conf\ninclude /srv/extra.conf\n"},
        {"/etc/keepalived/conf.d/b.conf", "vrrp_instance B {\n}\n"},
        {"/etc/keepalived/conf.d/a.conf", "vrrp_instance A {\n}\ninclude sub/*.inc\n"},
        {"/etc/keepalived/conf.d/sub/x.inc", "vrrp_instance X {\n}\n"},
        {"/etc/keepalived/sub/y.inc", "vrrp_instance Y {\n}\n"},  // not relative to the main file
        {"/srv/extra.conf", "\n\nvrrp_instance E {\n}\n"},
    });
    CHECK(where(conf.errors).empty());
    REQUIRE(conf.instances.size() == 4);
    CHECK(conf.instances[0].name == "A");
    CHECK(conf.instances[1].name == "X");
    CHECK(conf.instances[1].block.at == at(1, "/etc/keepalived/conf.d/sub/x.inc"));
    CHECK(conf.instances[2].name == "B");
    CHECK(conf.instances[3].name == "E");
    CHECK(conf.instances[3].block.at == at(3, "/srv/extra.conf"));
    std::vector<std::string> read;
    for (const auto& f : conf.files) read.push_back(f.path);
    CHECK(read == Words{kMain, "/etc/keepalived/conf.d/a.conf", "/etc/keepalived/conf.d/sub/x.inc",
                        "/etc/keepalived/conf.d/b.conf", "/srv/extra.conf"});
}

TEST_CASE("include: '..' in a pattern resolves lexically, quoted names, the variants") {
    const auto conf = parse_files({
        {kMain, "include conf.d/a.conf\n"},
        {"/etc/keepalived/conf.d/a.conf", "include ../other/*.conf\ninclude \"../b c.conf\"\nincluder ../r.conf\n"},
        {"/etc/keepalived/other/o.conf", "vrrp_instance O {\n}\n"},
        {"/etc/keepalived/b c.conf", "vrrp_instance BC {\n}\n"},
        {"/etc/keepalived/r.conf", "vrrp_instance R {\n}\n"},
    });
    CHECK(where(conf.errors).empty());
    REQUIRE(conf.instances.size() == 3);
    CHECK(conf.instances[0].block.at.file == "/etc/keepalived/other/o.conf");
    CHECK(conf.instances[1].name == "BC");
    CHECK(conf.instances[2].name == "R");
    CHECK(where(conf.unsupported) ==
          Words{"/etc/keepalived/conf.d/a.conf:3 includer is read as a plain include"});
}

TEST_CASE("include: a missing file is an error at the include line; a glob matching nothing is not") {
    const auto conf = parse_files({
        {kMain, "vrrp_instance A {\n}\ninclude conf.d/*.conf\ninclude missing.conf\n"},
    });
    CHECK(where(conf.errors) == Words{kMain + ":4 include /etc/keepalived/missing.conf: no such file"});
    CHECK(conf.instances.size() == 1);

    const auto nested = parse_files({
        {kMain, "include a.conf\n"},
        {"/etc/keepalived/a.conf", "\ninclude /nope.conf\n"},
    });
    CHECK(where(nested.errors) == Words{"/etc/keepalived/a.conf:2 include /nope.conf: no such file"});
    CHECK(where(parse("include\n").errors).empty());  // "include" alone is an unknown keyword
    CHECK(where(parse("include \"\"\n").errors) == Words{kMain + ":1 include without a file name"});
}

TEST_CASE("include: a cycle is reported once and ends") {
    const auto conf = parse_files({
        {kMain, "include a.conf\nvrrp_instance M {\n}\n"},
        {"/etc/keepalived/a.conf", "vrrp_instance A {\n}\ninclude keepalived.conf\ninclude ./a.conf\n"},
    });
    CHECK(where(conf.errors) ==
          Words{"/etc/keepalived/a.conf:3 include /etc/keepalived/keepalived.conf: the file includes itself (ignored)",
                "/etc/keepalived/a.conf:4 include /etc/keepalived/a.conf: the file includes itself (ignored)"});
    REQUIRE(conf.instances.size() == 2);
    CHECK(conf.instances[0].name == "A");
    CHECK(conf.instances[1].name == "M");

    // Through a glob that matches the including file.
    const auto glob = parse_files({
        {kMain, "include conf.d/*.conf\n"},
        {"/etc/keepalived/conf.d/a.conf", "include *.conf\nvrrp_instance A {\n}\n"},
    });
    CHECK(glob.errors.size() == 1);
    CHECK(glob.instances.size() == 1);
}

TEST_CASE("the main file unreadable is an error naming it") {
    const auto conf = parse_config(kMain, memory_loader({}), "node1");
    CHECK(where(conf.errors) == Words{kMain + ":0 " + kMain + ": no such file"});
    CHECK(conf.files.empty());
}

TEST_CASE("memory_loader keeps its own copy of the files") {
    // A temporary vector: the loader must not refer to it after this statement.
    const auto loader = memory_loader({{kMain, "vrrp_instance A {\n}\n"}});
    const auto conf = parse_config(kMain, loader, "");
    REQUIRE(conf.instances.size() == 1);
    CHECK(conf.instances[0].name == "A");
    CHECK(loader.glob("/etc/keepalived/*.conf") == Words{kMain});
}

TEST_CASE("@ID and @^ID lines are matched against the config id") {
    const std::string text =
        "@node1 vrrp_instance ONE {\n"
        "@^node1 vrrp_instance OTHER {\n"
        "    @node1 priority 200\n"
        "    @^node1   priority 100\n"
        "    @node12 state MASTER\n"
        "    @node1\n"
        "}\n";
    const auto one = parse(text, "node1");
    CHECK(one.errors.empty());
    REQUIRE(one.instances.size() == 1);
    CHECK(one.instances[0].name == "ONE");
    CHECK(one.instances[0].priority == "200");
    CHECK(one.instances[0].state == "");
    CHECK(one.config_id == "node1");

    const auto two = parse(text, "node2");
    REQUIRE(two.instances.size() == 1);
    CHECK(two.instances[0].name == "OTHER");
    CHECK(two.instances[0].priority == "100");
    CHECK(two.instances[0].keywords.at("priority") == at(4));

    const auto none = parse(text, "");  // no id: every @ID line is dropped, every @^ID line kept
    REQUIRE(none.instances.size() == 1);
    CHECK(none.instances[0].name == "OTHER");
}

TEST_CASE("$NAME=value definitions and $NAME / ${NAME} substitution") {
    const auto conf = parse(
        "$IF=eth1\n"
        "$BASE=5\n"
        "$VRID=${BASE}1\n"             // uses another definition, expanded when used
        "$BASE=6\n"
        "$VIP=10.0.0.9\n"
        "vrrp_instance VI_$BASE {\n"   // not a name character after: substituted
        "    interface $IF\n"
        "    virtual_router_id $VRID\n"
        "    virtual_ipaddress {\n"
        "        ${VIP}/24 dev ${IF}\n"
        "        $VIP/25\n"             // keepalived substitutes $NAME only before a blank, ',' or ')'
        "        $UNDEFINED\n"
        "    }\n"
        "}\n");
    CHECK(where(conf.errors).empty());
    REQUIRE(conf.instances.size() == 1);
    const auto& in = conf.instances[0];
    CHECK(in.name == "VI_6");
    CHECK(in.interface == "eth1");
    CHECK(in.virtual_router_id == "61");
    REQUIRE(in.vips.size() == 3);
    CHECK(in.vips[0].item.text == "10.0.0.9/24 dev eth1");
    CHECK(in.vips[0].prefix == 24);
    CHECK(in.vips[0].dev == "eth1");
    CHECK(in.vips[1].item.text == "$VIP/25");
    CHECK_FALSE(in.vips[1].valid);
    CHECK(in.vips[2].item.text == "$UNDEFINED");
    CHECK(in.vips[0].item.at == at(10));
}

TEST_CASE("definitions: a blank before '=' is no definition; $_HASH and $_BANG; unsupported forms") {
    const auto conf = parse(
        "$X =1\n"                 // 1: an ordinary line in keepalived
        "$H=a${_HASH}b\n"          // 2
        "global_defs {\n"          // 3
        "    router_id $H\n"       // 4
        "}\n"                      // 5
        "$F(a)=x\n"                // 6
        "vrrp_instance $_INSTANCE {\n"  // 7
        "}\n");
    CHECK(conf.global.router_id == "a#b");
    CHECK(where(conf.unknown).front() == kMain + ":1 unknown keyword '$X' (keepalived ignores it)");
    CHECK(where(conf.unsupported) == Words{kMain + ":6 parameterised definition $F(...) is not modelled",
                                           kMain + ":7 $_INSTANCE is not expanded"});
}

TEST_CASE("a self-referencing definition is an error, not a hang") {
    const auto conf = parse(
        "$A=x $A\n"
        "$B=$C\n"
        "$C=$B\n"
        "vrrp_instance V {\n"
        "    priority $A\n"
        "    state $B\n"
        "}\n");
    CHECK(where(conf.errors) == Words{kMain + ":5 definition $A expands without end",
                                      kMain + ":6 definition $B expands without end"});
    REQUIRE(conf.instances.size() == 1);

    // One that doubles on every expansion stays bounded too.
    const auto doubling = parse("$D=$D$D ${D}\nx $D\n");
    CHECK(doubling.errors.size() == 1);
}

TEST_CASE("line continuation joins lines; the item is at its first line") {
    const auto conf = parse(
        "vrrp_instance V {\n"      // 1
        "    virtual_ipaddress {\n"  // 2
        "        10.0.0.1/24 \\\n"   // 3
        "            dev eth0 \\\n"  // 4
        "            label eth0:1\n"  // 5
        "    }\n"                    // 6
        "    state \\\n"             // 7
        "      BACKUP # a comment on a continued line\n"  // 8
        "}\n");                      // 9
    CHECK(conf.errors.empty());
    REQUIRE(conf.instances.size() == 1);
    const auto& in = conf.instances[0];
    REQUIRE(in.vips.size() == 1);
    CHECK(in.vips[0].dev == "eth0");
    CHECK(in.vips[0].label == "eth0:1");
    CHECK(in.vips[0].item.at == at(3));
    CHECK(in.vip_block.close == at(6));
    CHECK(in.state == "BACKUP");
    CHECK(in.keywords.at("state") == at(7));
    CHECK(in.block.close == at(9));
}

TEST_CASE("errors: each with the exact file:line") {
    SUBCASE("unterminated quote") {
        const auto conf = parse("vrrp_script s {\n    script \"/bin/true\n}\n");
        CHECK(where(conf.errors) == Words{kMain + ":2 unterminated quote"});
    }
    SUBCASE("'}' without a block") {
        const auto conf = parse("vrrp_instance V {\n}\n}\n");
        CHECK(where(conf.errors) == Words{kMain + ":3 '}' without a block to close"});
        REQUIRE(conf.instances.size() == 1);
    }
    SUBCASE("a block never closed, reported at its keyword, in an included file") {
        const auto conf = parse_files({
            {kMain, "include a.conf\n"},
            {"/etc/keepalived/a.conf", "\nvrrp_instance V {\n    authentication {\n    }\n"},
        });
        CHECK(where(conf.errors) ==
              Words{"/etc/keepalived/a.conf:2 'vrrp_instance' block is never closed (missing '}')"});
        REQUIRE(conf.instances.size() == 1);
        CHECK(conf.instances[0].block.close.line == 0);
        CHECK_FALSE(conf.instances[0].block.own_lines);
    }
    SUBCASE("'{' without a keyword") {
        const auto conf = parse("vrrp_instance V {\n}\n{\n    state MASTER\n}\nvrrp_instance W {\n}\n");
        CHECK(where(conf.errors) == Words{kMain + ":3 '{' without a keyword before it"});
        REQUIRE(conf.instances.size() == 2);  // its '}' did not close anything else
        CHECK(conf.instances[1].name == "W");
    }
    SUBCASE("'{' first in the file") {
        const auto conf = parse("{ }\n");
        CHECK(where(conf.errors) == Words{kMain + ":1 '{' without a keyword before it"});
    }
    SUBCASE("vrrp_instance, vrrp_script and vrrp_sync_group without a name") {
        const auto conf = parse("\nvrrp_instance {\n}\nvrrp_script {\n}\nvrrp_sync_group {\n}\n");
        CHECK(where(conf.errors) == Words{kMain + ":2 vrrp_instance without a name",
                                          kMain + ":4 vrrp_script without a name",
                                          kMain + ":6 vrrp_sync_group without a name"});
    }
}

TEST_CASE("unknown keywords are reported with file:line and are not fatal") {
    const auto conf = parse(
        "vrrp_instnace V {\n"        // 1
        "}\n"                        // 2
        "vrrp_instance V {\n"        // 3
        "    priorty 100\n"          // 4
        "    priority\n"             // 5
        "    notify_master /bin/x\n"  // 6: known, not judged
        "    authentication {\n"     // 7
        "        auth_tpye PASS\n"   // 8
        "    }\n"
        "    track_script {\n"       // 10
        "        chk { x }\n"        // 11
        "    }\n"
        "}\n"
        "virtual_server 10.0.0.1 80 {\n"  // 14: not modelled, nothing inside reported
        "    whatever 1\n"
        "}\n"
        "global_defs {\n"
        "    not_a_global_keyword\n"
        "}\n");
    CHECK(conf.errors.empty());
    CHECK(where(conf.unknown) ==
          Words{kMain + ":1 unknown keyword 'vrrp_instnace' (keepalived ignores it)",
                kMain + ":4 unknown keyword 'priorty' in vrrp_instance V (keepalived ignores it)",
                kMain + ":5 'priority' without a value (keepalived ignores it)",
                kMain + ":8 unknown keyword 'auth_tpye' in authentication (keepalived ignores it)",
                kMain + ":11 unexpected block in 'track_script' (keepalived ignores it)"});
    REQUIRE(conf.instances.size() == 1);
    CHECK(conf.instances[0].priority == "");
}

TEST_CASE("unsupported constructs are reported") {
    const auto conf = parse(
        "~SEQ(i,1,3) vrrp_instance V$i {\n"
        "}\n"
        "vrrp_script s {\n"
        "    script \"${_PWD}/check.sh $_PWD/not-expanded-by-keepalived\"\n"
        "}\n");
    CHECK(where(conf.unsupported) == Words{kMain + ":1 ~SEQ sequences are not expanded",
                                           kMain + ":4 $_PWD is not expanded"});
}

TEST_CASE("the model: global_defs, vrrp_script, vrrp_instance, vrrp_sync_group") {
    const auto conf = parse(
        "global_defs {\n"                          // 1
        "    router_id LVS_1\n"
        "    vrrp_version 3\n"
        "    vrrp_strict\n"
        "    enable_dbus\n"
        "    vrrp_mcast_group4 224.0.0.19\n"
        "    vrrp_mcast_group6 ff02::13\n"          // 7
        "}\n"
        "vrrp_script chk_haproxy {\n"              // 9
        "    script \"/usr/bin/killall -0 haproxy\"\n"
        "    interval 2\n"
        "    weight -20\n"
        "}\n"                                      // 13
        "vrrp_instance VI_1 {\n"                   // 14
        "    state MASTER\n"
        "    interface eth0\n"
        "    virtual_router_id 51\n"
        "    priority 150\n"
        "    advert_int 1.5\n"
        "    version 2\n"
        "    nopreempt\n"
        "    preempt_delay 30\n"
        "    use_vmac vrrp.51\n"
        "    authentication {\n"                    // 24
        "        auth_type AH\n"
        "        auth_pass secret\n"
        "    }\n"
        "    unicast_src_ip 10.0.0.1\n"             // 28
        "    unicast_peer {\n"                      // 29
        "        10.0.0.2\n"
        "        10.0.0.3 min_ttl 250\n"
        "    }\n"                                   // 32
        "    virtual_ipaddress {\n"                 // 33
        "        10.0.0.100/24 dev eth0 label eth0:vip\n"
        "        fe80::1/64 dev eth0\n"
        "        2001:db8::1\n"
        "        not-an-address/xx\n"
        "    }\n"                                   // 38
        "    virtual_ipaddress_excluded {\n"
        "        10.0.1.1/32\n"
        "    }\n"
        "    track_script {\n"
        "        chk_haproxy weight 10\n"           // 43
        "    }\n"
        "    track_interface {\n"
        "        eth1\n"                            // 46
        "        eth2 weight -5\n"
        "    }\n"
        "}\n"                                      // 49
        "vrrp_sync_group G1 {\n"                   // 50
        "    group {\n"
        "        VI_1\n"                            // 52
        "        VI_2 VI_3\n"                       // 53
        "    }\n"
        "    notify_master /bin/true\n"
        "}\n");
    CHECK(where(conf.errors).empty());
    CHECK(where(conf.unknown).empty());
    const auto& g = conf.global;
    CHECK(g.router_id == "LVS_1");
    CHECK(g.vrrp_version == "3");
    CHECK(g.vrrp_strict);
    CHECK(g.enable_dbus);
    CHECK(g.vrrp_mcast_group4 == "224.0.0.19");
    CHECK(g.vrrp_mcast_group6 == "ff02::13");
    CHECK(g.keywords.at("vrrp_mcast_group6") == at(7));

    REQUIRE(conf.scripts.size() == 1);
    CHECK(conf.scripts[0].name == "chk_haproxy");
    CHECK(conf.scripts[0].script == "/usr/bin/killall -0 haproxy");
    CHECK(conf.scripts[0].block.at == at(9));
    CHECK(conf.scripts[0].block.close == at(13));
    CHECK(conf.scripts[0].block.indent == "    ");

    REQUIRE(conf.instances.size() == 1);
    const auto& in = conf.instances[0];
    CHECK(in.name == "VI_1");
    CHECK(in.state == "MASTER");
    CHECK(in.interface == "eth0");
    CHECK(in.virtual_router_id == "51");
    CHECK(in.priority == "150");
    CHECK(in.advert_int == "1.5");
    CHECK(in.version == "2");
    CHECK(in.nopreempt);
    CHECK(in.preempt_delay == "30");
    CHECK(in.use_vmac);
    CHECK(in.auth_type == "AH");
    CHECK(in.auth_pass == "secret");
    CHECK(in.unicast_src_ip == "10.0.0.1");
    CHECK(in.keywords.at("unicast_src_ip") == at(28));
    REQUIRE(in.unicast_peers.size() == 2);
    CHECK(in.unicast_peers[0] == model::KeepalivedItem{"10.0.0.2", at(30), true});
    CHECK(in.unicast_peers[1] == model::KeepalivedItem{"10.0.0.3 min_ttl 250", at(31), true});
    CHECK(in.unicast_peer_block.at == at(29));
    CHECK(in.unicast_peer_block.close == at(32));
    CHECK(in.unicast_peer_block.own_lines);
    CHECK(in.unicast_peer_block.indent == "        ");

    REQUIRE(in.vips.size() == 4);
    CHECK(in.vips[0].address == "10.0.0.100");
    CHECK(in.vips[0].prefix == 24);
    CHECK(in.vips[0].dev == "eth0");
    CHECK(in.vips[0].label == "eth0:vip");
    CHECK(in.vips[0].valid);
    CHECK(in.vips[0].family == model::Family::ipv4);
    CHECK(in.vips[0].item.whole_line);
    CHECK(in.vips[1].family == model::Family::ipv6);
    CHECK(in.vips[1].prefix == 64);
    CHECK(in.vips[2].prefix == -1);
    CHECK(in.vips[2].valid);
    CHECK_FALSE(in.vips[3].valid);
    CHECK(in.vips[3].prefix == -2);
    CHECK(in.vip_block.at == at(33));
    CHECK(in.vip_block.close == at(38));
    REQUIRE(in.excluded_vips.size() == 1);
    CHECK(in.excluded_vips[0].prefix == 32);
    REQUIRE(in.track_scripts.size() == 1);
    CHECK(in.track_scripts[0] == model::KeepalivedItem{"chk_haproxy weight 10", at(43), true});
    REQUIRE(in.track_interfaces.size() == 2);
    CHECK(in.track_interfaces[0].text == "eth1");
    CHECK(in.track_interfaces[0].at == at(46));
    CHECK(in.block.own_lines);
    CHECK(in.block.close == at(49));

    REQUIRE(conf.sync_groups.size() == 1);
    const auto& sg = conf.sync_groups[0];
    CHECK(sg.name == "G1");
    REQUIRE(sg.members.size() == 3);
    CHECK(sg.members[0] == model::KeepalivedItem{"VI_1", at(52), true});
    CHECK(sg.members[1] == model::KeepalivedItem{"VI_2", at(53), false});
    CHECK(sg.members[2] == model::KeepalivedItem{"VI_3", at(53), false});
}

TEST_CASE("own_lines: what a fix may take for the block's own lines") {
    const auto conf = parse(
        "vrrp_instance A { state MASTER\n"  // 1: the keyword line holds a statement too
        "}\n"
        "vrrp_instance B {\n"               // 3
        "} # closed\n"                      // 4: a comment does not count
        "vrrp_instance C {\n"               // 5
        "    state BACKUP }\n"              // 6: the brace shares its line
        "vrrp_instance D\n"                 // 7
        "  { state BACKUP\n"                // 8: "{" on the next line with a statement
        "}\n"
        "vrrp_instance E {\n"               // 10
        "}\n"
        "}\n");                             // 12: an extra brace
    REQUIRE(conf.instances.size() == 5);
    CHECK_FALSE(conf.instances[0].block.own_lines);
    CHECK(conf.instances[1].block.own_lines);
    CHECK_FALSE(conf.instances[2].block.own_lines);
    CHECK_FALSE(conf.instances[3].block.own_lines);
    CHECK(conf.instances[4].block.own_lines);
    CHECK(conf.instances[4].block.close == at(11));
    CHECK(where(conf.errors) == Words{kMain + ":12 '}' without a block to close"});

    // Opened in one file, closed in another: not own lines.
    const auto split = parse_files({
        {kMain, "vrrp_instance V {\ninclude close.conf\n"},
        {"/etc/keepalived/close.conf", "}\n"},
    });
    REQUIRE(split.instances.size() == 1);
    CHECK(split.instances[0].block.close == at(1, "/etc/keepalived/close.conf"));
    CHECK_FALSE(split.instances[0].block.own_lines);

    // A file included twice: the block opened by its first reading and closed by the
    // second is not lines 3..1 of that file (found by the fuzzer).
    const auto twice = parse_files({
        {kMain, "include a.conf\ninclude a.conf\n"},
        {"/etc/keepalived/a.conf", "}\n\nvrrp_instance V {\n"},
    });
    REQUIRE(twice.instances.size() == 2);
    CHECK(twice.instances[0].block.at == at(3, "/etc/keepalived/a.conf"));
    CHECK(twice.instances[0].block.close == at(1, "/etc/keepalived/a.conf"));
    CHECK_FALSE(twice.instances[0].block.own_lines);
    CHECK(where(twice.errors) ==
          Words{"/etc/keepalived/a.conf:1 '}' without a block to close",
                "/etc/keepalived/a.conf:3 'vrrp_instance' block is never closed (missing '}')"});
}

TEST_CASE("CRLF line ends and odd bytes parse") {
    const auto conf = parse("vrrp_instance V {\r\n\tstate MASTER\r\n}\r\n");
    CHECK(conf.errors.empty());
    REQUIRE(conf.instances.size() == 1);
    CHECK(conf.instances[0].state == "MASTER");
    CHECK(conf.instances[0].block.own_lines);
    CHECK(parse(std::string("a\0b {\n}\n", 8)).errors.empty());
}

// Budgets (keepalived/reader.h, limits::): whatever the files say, the parser returns
// soon, in bounded memory, with a keepalived.parse error naming the budget, the limit
// and where it ran out; the configuration is then not read completely, so it fails.

TEST_CASE("budgets: blocks nested deeper than kMaxBlockDepth are skipped, reported at the block") {
    // 500,000 levels used to overflow the stack (the tree's destructor recursed per level).
    std::string deep = "vrrp_instance V {\n";  // line 1
    for (int i = 0; i < 500'000; ++i) deep += "a {\n";  // lines 2..500,001
    for (int i = 0; i < 500'001; ++i) deep += "}\n";
    const auto conf = parse(deep);
    REQUIRE(conf.errors.size() == 2);
    // Level 65 is the 64th "a", line 65.
    CHECK(where(conf.errors)[0] ==
          kMain + ":65 'a' block nested deeper than 64 levels (kMaxBlockDepth): what it holds is not read");
    // So many braces are over the word budget too: reading stops there.
    CHECK(where(conf.errors)[1] ==
          kMain + ":500000 over the budget of 1000000 words in total (kMaxWords): "
                  "haprep stopped reading the configuration here");
    REQUIRE(conf.instances.size() == 1);

    // Within the word budget: the block is skipped up to its own '}', the rest is read.
    std::string text = "vrrp_instance V {\n";
    for (int i = 0; i < 100; ++i) text += "a {\n";
    for (int i = 0; i < 100; ++i) text += "}\n";
    text += "    state BACKUP\n}\nvrrp_instance W {\n}\n";
    const auto skipped = parse(text);
    CHECK(where(skipped.errors) ==
          Words{kMain + ":65 'a' block nested deeper than 64 levels (kMaxBlockDepth): what it holds is not read"});
    REQUIRE(skipped.instances.size() == 2);
    CHECK(skipped.instances[0].state == "BACKUP");
    CHECK(skipped.instances[0].block.close == at(203));

    // 64 levels are read.
    std::string ok = "vrrp_instance V {\n";
    for (int i = 0; i < 63; ++i) ok += "a {\n";
    for (int i = 0; i < 64; ++i) ok += "}\n";
    CHECK(where(parse(ok).errors).empty());
}

TEST_CASE("budgets: an include bomb stops at kMaxFileReads") {
    // f0 includes f1 twice, f1 includes f2 twice, ... f20: 2^20 readings (35 s, 434 MB).
    std::vector<model::ConfigFile> files;
    files.push_back({kMain, "include f1.conf\ninclude f1.conf\n"});
    for (int i = 1; i <= 20; ++i) {
        const std::string next = "f" + std::to_string(i + 1) + ".conf";
        files.push_back({"/etc/keepalived/f" + std::to_string(i) + ".conf",
                         i < 20 ? "include " + next + "\ninclude " + next + "\n" : "vrrp_instance V {\n}\n"});
    }
    const auto conf = parse_files(files);
    REQUIRE_FALSE(conf.errors.empty());
    // The 10,001st reading: f20 from the first include line of a reading of f19.
    CHECK(where(conf.errors).front() ==
          "/etc/keepalived/f19.conf:1 include /etc/keepalived/f20.conf: over the budget of 10000 file reads in "
          "total, repeats included (kMaxFileReads): haprep stopped reading the configuration here");
    CHECK(conf.errors.size() == 1);
    CHECK(conf.files.size() == 21);
    CHECK(conf.instances.size() < 10'000);
}

TEST_CASE("budgets: files including their own glob stop at kMaxFileReads") {
    // 300 files, each `include *.conf`: every chain up to 32 deep, never finishing.
    std::vector<model::ConfigFile> files = {{kMain, "include conf.d/*.conf\n"}};
    for (int i = 0; i < 300; ++i)
        files.push_back({"/etc/keepalived/conf.d/" + std::to_string(1000 + i) + ".conf", "include *.conf\n"});
    const auto conf = parse_files(files);
    REQUIRE_FALSE(conf.errors.empty());
    CHECK(conf.errors.front().at.file.rfind("/etc/keepalived/conf.d/", 0) == 0);
    CHECK(conf.errors.front().at.line == 1);
    CHECK(conf.errors.front().message.find(": over the budget of 10000 file reads in total, repeats included "
                                           "(kMaxFileReads): haprep stopped reading the configuration here") !=
          std::string::npos);
    // The cycle messages (a file in its own chain) are capped too.
    CHECK(conf.errors.size() <= 1 + keepalived::limits::kMaxMessages);
    CHECK(conf.includes.size() <= static_cast<size_t>(keepalived::limits::kMaxIncludeLines));
}

TEST_CASE("budgets: a $NAME expansion bomb stops at kMaxExpandedText") {
    // A 100 KB definition used 256 times on each of 40 lines: 1 GB of text.
    std::string text = "$BIG=" + std::string(100'000, 'x') + "\n";  // line 1
    std::string uses;
    for (int i = 0; i < 256; ++i) uses += " $BIG";
    for (int i = 0; i < 40; ++i) text += "a" + uses + "\n";  // lines 2..41
    const auto conf = parse(text);
    // 25.6 MB a line: the third use line (line 4) goes over 64 MiB.
    CHECK(where(conf.errors) ==
          Words{kMain + ":4 $BIG: over the budget of 64 MiB added by $NAME substitution in total "
                        "(kMaxExpandedText): haprep stopped reading the configuration here"});
    CHECK(where(conf.unknown).size() == 2);
}

TEST_CASE("budgets: include lines, text read, messages") {
    SUBCASE("kMaxIncludeLines: include lines that match nothing are globs all the same") {
        std::string text;
        for (int i = 0; i < 10'001; ++i) text += "include none/*.conf\n";
        CHECK(where(parse(text).errors) ==
              Words{kMain + ":10001 include: over the budget of 10000 include lines in total (kMaxIncludeLines): "
                            "haprep stopped reading the configuration here"});
    }
    SUBCASE("kMaxTextRead: a file read again counts again") {
        std::string big;  // 5 MiB of comments
        while (big.size() < (5 << 20)) big += "# " + std::string(1022, 'x') + "\n";
        const auto conf = parse_files({{kMain, "include a.conf\n" + std::string(20, '\n') + "vrrp_instance V {\n}\n"},
                                       {"/etc/keepalived/a.conf", "include b.conf\ninclude b.conf\ninclude b.conf\n"
                                                                  "include b.conf\ninclude b.conf\ninclude b.conf\n"
                                                                  "include b.conf\ninclude b.conf\ninclude b.conf\n"
                                                                  "include b.conf\ninclude b.conf\ninclude b.conf\n"
                                                                  "include b.conf\ninclude b.conf\n"},
                                       {"/etc/keepalived/b.conf", big}});
        CHECK(where(conf.errors) ==
              Words{"/etc/keepalived/a.conf:13 include /etc/keepalived/b.conf: over the budget of 64 MiB of text read "
                    "in total, repeats included (kMaxTextRead): haprep stopped reading the configuration here"});
        CHECK(conf.instances.empty());  // not read: reading stopped before it
    }
    SUBCASE("kMaxMessages: one list holds at most 1,000 messages, the last says so") {
        std::string text;
        for (int i = 0; i < 5'000; ++i) text += "}\n";
        const auto conf = parse(text);
        REQUIRE(conf.errors.size() == keepalived::limits::kMaxMessages);
        CHECK(where(conf.errors).back() ==
              kMain + ":1000 '}' without a block to close (further messages of this kind are not listed: "
                      "more than 1000, kMaxMessages)");
    }
}
