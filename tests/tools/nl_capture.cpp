// Captures rtnetlink dump replies as hex, one receive buffer per line, for the parser
// unit tests (tests/data/netlink/). Run it inside the namespace to capture:
//   ip netns exec NS nl_capture link > tests/data/netlink/link_dump.hex
#include <linux/rtnetlink.h>

#include <cstdio>
#include <cstring>

#include "host/rtnl.h"

int main(int argc, char** argv) {
    if (argc != 2 || (std::strcmp(argv[1], "link") != 0 && std::strcmp(argv[1], "addr") != 0)) {
        std::fprintf(stderr, "usage: nl_capture link|addr\n");
        return 2;
    }
    const int type = std::strcmp(argv[1], "link") == 0 ? RTM_GETLINK : RTM_GETADDR;
    const auto replies = haprep::host::dump_raw(type);
    if (!replies.ok()) {
        std::fprintf(stderr, "nl_capture: %s\n", replies.error.c_str());
        return 1;
    }
    for (const auto& buffer : *replies.value) {
        for (const auto byte : buffer) std::printf("%02x", static_cast<unsigned>(byte));
        std::printf("\n");
    }
    return 0;
}
