#include "host/interfaces.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace haprep::host {

model::Fact<std::vector<model::Interface>> list_interfaces() {
    using Result = model::Fact<std::vector<model::Interface>>;
    struct if_nameindex* names = ::if_nameindex();
    if (names == nullptr) return Result::unreadable(std::string("if_nameindex: ") + std::strerror(errno));
    const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        ::if_freenameindex(names);
        return Result::unreadable(std::string("socket: ") + std::strerror(errno));
    }
    std::vector<model::Interface> interfaces;
    for (auto* entry = names; entry->if_index != 0 && entry->if_name != nullptr; ++entry) {
        model::Interface iface;
        iface.name = entry->if_name;
        iface.index = static_cast<int>(entry->if_index);
        struct ifreq request {};
        std::strncpy(request.ifr_name, entry->if_name, IFNAMSIZ - 1);
        // An interface that vanishes between the two calls is simply not listed.
        if (::ioctl(sock, SIOCGIFFLAGS, &request) != 0) continue;
        const auto flags = request.ifr_flags;
        iface.up = (flags & IFF_UP) != 0;
        iface.loopback = (flags & IFF_LOOPBACK) != 0;
        iface.multicast = (flags & IFF_MULTICAST) != 0;
        interfaces.push_back(std::move(iface));
    }
    ::close(sock);
    ::if_freenameindex(names);
    return Result::known(std::move(interfaces));
}

}  // namespace haprep::host
