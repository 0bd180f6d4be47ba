#include <doctest/doctest.h>

#include "agent/names.h"

using haprep::agent::escape_control;
using haprep::agent::escape_control_keep_lines;
using haprep::agent::interface_name_problem;

TEST_CASE("interface names the kernel accepts are valid") {
    for (const char* name : {"eth0", "lo", "eth0.100", "br-lan", "veth_1@x", "enp0s31f6", "a", "123456789012345",
                             "vrrp.51", "all0", "defaults"})
        CHECK_MESSAGE(interface_name_problem(name).empty(), name);
}

TEST_CASE("names that are not interfaces are refused, each with its reason") {
    CHECK(interface_name_problem("all").find("net.ipv4.conf.all") != std::string::npos);
    CHECK(interface_name_problem("default").find("net.ipv4.conf.default") != std::string::npos);
    CHECK(interface_name_problem("").find("empty") != std::string::npos);
    CHECK(!interface_name_problem(".").empty());
    CHECK(!interface_name_problem("..").empty());
    CHECK(interface_name_problem("a/b").find("'/'") != std::string::npos);
    CHECK(interface_name_problem("1234567890123456").find("15 bytes") != std::string::npos);
    CHECK(interface_name_problem("eth0\nPASS").find("control") != std::string::npos);
    CHECK(interface_name_problem("eth\x1b[2J").find("control") != std::string::npos);
    CHECK(interface_name_problem(std::string("eth\0", 4)).find("control") != std::string::npos);
    CHECK(interface_name_problem("eth\x7f").find("control") != std::string::npos);
    CHECK(!interface_name_problem("eth 0").empty());
    CHECK(interface_name_problem("ALL").empty());  // only the exact sysctl names are reserved
}

TEST_CASE("control characters never reach the report raw") {
    CHECK(escape_control("eth0\n[PASS] forged") == "eth0\\n[PASS] forged");
    CHECK(escape_control("a\rb\tc\x1b[31m") == "a\\rb\\tc\\x1b[31m");
    CHECK(escape_control("plain text, 192.0.2.1/24") == "plain text, 192.0.2.1/24");
    CHECK(escape_control("\x7f") == "\\x7f");
    CHECK(escape_control_keep_lines("-a\n+b\x1b[2J\n\tc\r\n") == "-a\n+b\\x1b[2J\n\tc\\r\n");
}
