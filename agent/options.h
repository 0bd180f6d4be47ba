#pragma once
// Options every subcommand understands. They may stand before or after the
// subcommand name (CLI11 fallthrough).

#include <stdexcept>
#include <string>
#include <vector>

namespace haprep::agent {

enum class Format { text, json };

struct GlobalOptions {
    Format format = Format::text;
    std::string root = "/";
    std::vector<std::string> interfaces;
    /// VRRP families: "auto" means each vrrp_instance's own (its first VIP), or without
    /// a configuration the families each interface has addresses of.
    std::string family = "auto";
    /// "" = from keepalived.conf (unicast when an instance has unicast_peer), else multicast.
    std::string mode;
    std::vector<std::string> peers;
    std::string keepalived_conf;  ///< --keepalived-conf (a host path, under --root)
    std::string config_id;        ///< --config-id: what `@ID` lines match (keepalived -i)
    std::vector<std::string> peer_confs;  ///< --peer-conf: a peer's keepalived.conf
    std::vector<std::string> peer_facts;  ///< --peer-facts: a peer's `haprep snapshot`
    std::vector<std::string> only;
    std::vector<std::string> skip;
    std::string facts_file;
    bool no_color = false;
    bool verbose = false;
};

/// Bad input from the user: one line on stderr, exit 3, nothing changed.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr int kExitUnknown = 3;
/// project(VERSION) in CMakeLists.txt, passed in as HAPREP_VERSION.
inline constexpr const char* kVersion = HAPREP_VERSION;

}  // namespace haprep::agent
