#pragma once
// model::Facts: one snapshot of everything the probes read from the host. Plain
// data, serialisable to JSON (`haprep snapshot`), so checks and planners run on a
// saved snapshot exactly as on the live host.

#include <map>
#include <string>
#include <vector>

#include "model/fact.h"

namespace haprep::model {

/// A network interface as seen by the probe (more attributes arrive with rtnetlink).
struct Interface {
    std::string name;
    int index = 0;
    bool up = false;
    bool loopback = false;
    bool multicast = false;
    bool operator==(const Interface&) const = default;
};

/// One `key = value` line of a sysctl.d file or /etc/sysctl.conf that applies to a key
/// haprep cares about. Paths are as on the host (without the --root prefix).
struct SysctlAssignment {
    std::string key;      ///< the key it sets, dotted form (net.ipv4.conf.eth0.rp_filter)
    std::string pattern;  ///< the key as written when it was a glob, else empty
    std::string value;
    std::string file;       ///< the file that was read (/etc/sysctl.d/99-sysctl.conf)
    std::string real_file;  ///< where that file really is (/etc/sysctl.conf for Debian's link)
    int line = 0;
    bool operator==(const SysctlAssignment&) const = default;
};

/// What the boot configuration does to one key: every assignment in the order it is
/// applied, and the one that wins (explicit keys beat globs, as systemd-sysctl does).
struct BootKey {
    std::vector<SysctlAssignment> assignments;
    std::optional<SysctlAssignment> winner;
    bool operator==(const BootKey&) const = default;
};

/// The sysctl.d drop-ins and /etc/sysctl.conf as they would be applied at boot.
struct BootSysctl {
    std::vector<std::string> files;      ///< files read, in the order they are applied
    std::map<std::string, BootKey> keys;  ///< for every key in Facts::sysctl
    /// Content of the files a fix may edit (/etc/sysctl.conf, haprep's own drop-ins),
    /// by host path, so planners stay pure.
    std::map<std::string, std::string> contents;
    bool operator==(const BootSysctl&) const = default;
};

/// Which interfaces VRRP runs on, and who said so.
struct VrrpInterfaces {
    std::vector<std::string> names;
    std::string source;  ///< "--interface" or "every non-loopback interface that is UP"
    bool operator==(const VrrpInterfaces&) const = default;
};

struct Facts {
    std::string host;
    Fact<std::vector<Interface>> interfaces;
    VrrpInterfaces vrrp;
    /// Runtime sysctl values (dotted keys) for all, default and every VRRP interface.
    std::map<std::string, Fact<int>> sysctl;
    Fact<BootSysctl> boot_sysctl;
    bool operator==(const Facts&) const = default;
};

/// The dotted sysctl key of an IPv4 per-interface setting. A dot inside an interface
/// name (VLAN eth0.100) is written as '/', as sysctl(8) prints it.
std::string ipv4_conf_key(const std::string& interface, const std::string& setting);

}  // namespace haprep::model
