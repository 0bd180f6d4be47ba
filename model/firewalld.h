#pragma once
// What firewalld says over D-Bus about the zones VRRP traffic meets: plain data for
// Facts, so the firewalld checks and the planner run on a snapshot as on the host.

#include <map>
#include <string>
#include <vector>

namespace haprep::model {

/// One zone's settings as getZoneSettings2 (runtime) or config.zone getSettings2
/// (permanent) return them; keys firewalld leaves out read as empty.
struct FirewalldZone {
    std::string name;
    std::string target;  ///< "default", "ACCEPT", "DROP", "%%REJECT%%"
    std::vector<std::string> protocols;   ///< "vrrp", "112", ...
    std::vector<std::string> rich_rules;  ///< rules_str, as firewalld normalises them
    std::vector<std::string> services;
    std::vector<std::string> sources;     ///< addresses/networks bound to the zone
    std::vector<std::string> interfaces;  ///< interfaces bound to the zone
    bool operator==(const FirewalldZone&) const = default;
};

/// The protocols of one service: a custom service may carry protocol vrrp.
struct FirewalldService {
    std::string name;
    std::vector<std::string> protocols;
    bool operator==(const FirewalldService&) const = default;
};

/// One layer of firewalld's configuration: runtime (what filters now) or permanent
/// (what a reload or reboot brings back).
struct FirewalldLayer {
    std::map<std::string, FirewalldZone> zones;  ///< the zones VRRP traffic may meet
    std::map<std::string, FirewalldService> services;  ///< the services those zones use
    bool operator==(const FirewalldLayer&) const = default;
};

/// firewalld as it answers on the system bus. When it is not on the bus (not
/// installed, not started, no bus) Facts::firewalld is absent instead.
struct Firewalld {
    std::string state;  ///< "RUNNING", "INIT", "FAILED"
    std::string default_zone;
    /// getZoneOfInterface for every VRRP interface: "" = not bound, the default
    /// zone's catch-all takes its traffic.
    std::map<std::string, std::string> interface_zones;
    /// Sources bound at runtime (getActiveZones): a packet from such a source goes
    /// to that zone whatever interface it arrives on.
    std::map<std::string, std::string> source_zones;  ///< source -> zone
    FirewalldLayer runtime;
    FirewalldLayer permanent;
    bool operator==(const Firewalld&) const = default;
};

}  // namespace haprep::model
