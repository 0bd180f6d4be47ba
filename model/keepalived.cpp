#include "model/keepalived.h"

#include <arpa/inet.h>

namespace haprep::model {

std::optional<Family> address_family(const std::string& address) {
    unsigned char buffer[16];
    if (::inet_pton(AF_INET, address.c_str(), buffer) == 1) return Family::ipv4;
    if (::inet_pton(AF_INET6, address.c_str(), buffer) == 1) return Family::ipv6;
    return std::nullopt;
}

bool is_link_local(const std::string& address) {
    unsigned char b[16];
    return ::inet_pton(AF_INET6, address.c_str(), b) == 1 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

std::optional<Family> vip_family(const KeepalivedInstance& in) {
    for (const auto& vip : in.vips)
        if (vip.valid) return vip.family;
    return std::nullopt;
}

Family instance_family(const KeepalivedInstance& in) {
    if (auto family = vip_family(in)) return *family;
    if (auto family = address_family(in.unicast_src_ip)) return *family;
    for (const auto& peer : in.unicast_peers) {
        const std::string address = peer.text.substr(0, peer.text.find(' '));
        if (auto family = address_family(address)) return *family;
    }
    return Family::ipv4;
}

}  // namespace haprep::model
