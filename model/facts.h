#pragma once
// model::Facts: one snapshot of everything the probes read from the host. Plain
// data, serialisable to JSON (`haprep snapshot`), so checks and planners run on a
// saved snapshot exactly as on the live host.

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/config_file.h"
#include "model/fact.h"
#include "model/family.h"
#include "model/firewalld.h"
#include "model/keepalived.h"
#include "model/nft.h"
#include "model/platform.h"

namespace haprep::model {

/// A network interface as RTM_GETLINK reports it.
struct Interface {
    std::string name;
    int index = 0;
    bool up = false;        ///< IFF_UP: administratively up
    bool loopback = false;  ///< IFF_LOOPBACK
    bool multicast = false;  ///< IFF_MULTICAST: keepalived refuses multicast mode without it
    bool running = false;   ///< IFF_RUNNING
    bool lower_up = false;  ///< IFF_LOWER_UP: carrier
    std::string operstate;  ///< RFC 2863 name: "up", "down", "lowerlayerdown", "unknown", ...
    int mtu = 0;
    std::string kind;  ///< IFLA_INFO_KIND ("veth", "vlan", "bond"), empty for physical NICs
    bool operator==(const Interface&) const = default;
};

/// One address of an interface, as RTM_GETADDR reports it.
struct Address {
    int index = 0;  ///< interface index
    std::string interface;
    Family family = Family::ipv4;
    std::string address;  ///< text form (inet_ntop)
    int prefix = 0;
    int scope = 0;  ///< RT_SCOPE_*: 0 universe, 253 link, 254 host
    bool tentative = false;  ///< IPv6 duplicate address detection still running
    bool dadfailed = false;  ///< another node on the link answered for this address
    bool deprecated = false;
    bool optimistic = false;
    bool permanent = false;
    bool operator==(const Address&) const = default;
};

/// The kernel's answer to "which way back to this peer?" (RTM_GETROUTE for the peer),
/// the lookup strict rp_filter makes for every packet from it.
struct Route {
    bool reachable = false;
    std::string interface;  ///< the device the route back leaves through
    std::string gateway;    ///< empty for a directly connected peer
    std::string text;       ///< as `ip route get` would show it, for evidence
    bool operator==(const Route&) const = default;
};

/// The reverse path from one VRRP interface to one IPv4 peer.
struct ReversePath {
    std::string interface;
    std::string peer;
    Fact<Route> route;
    bool operator==(const ReversePath&) const = default;
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

enum class VrrpMode { multicast, unicast };

/// One way VRRP runs on one interface: a keepalived vrrp_instance, or what --family,
/// --mode and --peer say until the configuration is parsed.
struct VrrpInstance {
    std::string name;  ///< the vrrp_instance name, empty when it comes from options
    std::string interface;
    Family family = Family::ipv4;
    VrrpMode mode = VrrpMode::multicast;
    std::vector<std::string> peers;  ///< unicast peers, or --peer in multicast mode
    std::string source;              ///< who said so ("--family both", "keepalived.conf:12")
    bool operator==(const VrrpInstance&) const = default;
};

/// Which interfaces VRRP runs on, how, and who said so.
struct VrrpInterfaces {
    std::vector<std::string> names;
    std::string source;  ///< "--interface" or "every non-loopback interface that is UP"
    std::vector<VrrpInstance> instances;
    bool operator==(const VrrpInterfaces&) const = default;
};

/// Who brings the interfaces up at boot: where a runtime link change is made to last.
struct NetworkConfig {
    /// systemd-networkd .network files in the order networkd reads them, and the
    /// drop-ins haprep wrote (path ends in .conf).
    std::vector<ConfigFile> networkd;
    /// /etc/network/interfaces and the files it sources (ifupdown).
    std::vector<ConfigFile> ifupdown;
    bool operator==(const NetworkConfig&) const = default;
};

/// A peer node's keepalived configuration, from its keepalived.conf (--peer-conf) or
/// its snapshot (--peer-facts, which also tells its addresses). A peer always has
/// one: without it the option is refused (agent/keepalived_conf.cpp), so `conf` is a
/// plain value, not a Fact.
struct PeerNode {
    std::string origin;  ///< "--peer-conf FILE" / "--peer-facts FILE"
    std::string host;    ///< the snapshot's host name, empty for --peer-conf
    KeepalivedConf conf;
    std::vector<Address> addresses;  ///< from --peer-facts; empty for --peer-conf
    bool operator==(const PeerNode&) const = default;
};

struct Facts {
    std::string host;
    Fact<std::vector<Interface>> interfaces;
    Fact<std::vector<Address>> addresses;
    VrrpInterfaces vrrp;
    std::vector<ReversePath> reverse_paths;
    Fact<NetworkConfig> network_config;
    Fact<NftRuleset> nft;
    /// The nftables configuration loaded at boot (/etc/nftables.conf on Debian,
    /// /etc/sysconfig/nftables.conf on RHEL) and the files it includes.
    Fact<std::vector<ConfigFile>> nft_config;
    /// iptables-persistent's boot rules (/etc/iptables/rules.v4, rules.v6), which
    /// iptables-restore loads at boot; only the files that exist (none: known, empty).
    Fact<std::vector<ConfigFile>> iptables_persistent;
    Fact<LegacyTables> legacy_iptables;
    /// firewalld over D-Bus; absent when it is not on the system bus, unreadable when
    /// the bus or firewalld failed mid-probe.
    Fact<Firewalld> firewalld;
    /// Runtime sysctl values (dotted keys) for all, default and every VRRP interface.
    std::map<std::string, Fact<int>> sysctl;
    Fact<BootSysctl> boot_sysctl;
    /// keepalived.conf (and its includes), parsed. Absent when there is none;
    /// unreadable when it exists but cannot be read.
    Fact<KeepalivedConf> keepalived;
    /// The peers' configurations (--peer-conf, --peer-facts), for cross-node checks.
    std::vector<PeerNode> peers;
    /// DMI strings naming the platform (cloud detection for env.multicast).
    Fact<Platform> platform;
    bool operator==(const Facts&) const = default;
};

/// The dotted sysctl key of an IPv4 per-interface setting. A dot inside an interface
/// name (VLAN eth0.100) is written as '/', as sysctl(8) prints it.
std::string ipv4_conf_key(const std::string& interface, const std::string& setting);

const char* to_string(Family family);
const char* to_string(VrrpMode mode);

/// Lookups by interface name over one Facts, built once in O(links + addresses +
/// instances) so that checks stay linear on hosts with thousands of interfaces.
/// It refers to the Facts it was built from, which must outlive it.
class FactsView {
public:
    explicit FactsView(const Facts& facts);
    const Facts& facts() const { return facts_; }
    /// The interface called `name`, or nullptr (also when the list is unreadable).
    const Interface* interface(const std::string& name) const;
    /// The addresses of `name` of one family (none when unreadable).
    const std::vector<const Address*>& addresses(const std::string& name, Family family) const;
    /// The instances that run on `name`. A snapshot from before instances were
    /// recorded has none: each interface is judged as one IPv4 multicast instance.
    const std::vector<VrrpInstance>& instances(const std::string& name) const;
    bool runs_family(const std::string& name, Family family) const;

private:
    const Facts& facts_;
    std::unordered_map<std::string, const Interface*> interfaces_;
    std::unordered_map<std::string, std::vector<const Address*>> addresses_[2];  // by Family
    std::unordered_map<std::string, std::vector<VrrpInstance>> instances_;
};

}  // namespace haprep::model
