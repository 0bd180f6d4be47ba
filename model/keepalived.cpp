#include "model/keepalived.h"

#include "model/ip.h"
#include "model/text.h"

namespace haprep::model {

std::optional<Family> vip_family(const KeepalivedInstance& in) {
    for (const auto& vip : in.vips)
        if (vip.valid) return vip.family;
    return std::nullopt;
}

Family instance_family(const KeepalivedInstance& in) {
    if (auto family = vip_family(in)) return *family;
    if (auto family = address_family(in.unicast_src_ip)) return *family;
    for (const auto& peer : in.unicast_peers) {
        const std::string address = first_word(peer.text);
        if (auto family = address_family(address)) return *family;
    }
    return Family::ipv4;
}

}  // namespace haprep::model
