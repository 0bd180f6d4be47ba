#pragma once
// Where keepalived.conf comes from: this host's (default path or --keepalived-conf,
// under --root) and the peers' (--peer-conf, --peer-facts). The language itself is
// keepalived/'s; this only wires it to the filesystem.

#include <vector>

#include "agent/options.h"
#include "model/facts.h"

namespace haprep::agent {

inline constexpr const char* kKeepalivedConf = model::kDefaultKeepalivedConf;

/// This host's configuration; absent when there is no file.
model::Fact<model::KeepalivedConf> read_keepalived(const GlobalOptions& options, const std::string& hostname);

/// The peers named by --peer-conf and --peer-facts; throws UsageError for a file that
/// cannot be read or is not a snapshot.
std::vector<model::PeerNode> read_peers(const GlobalOptions& options);

/// keepalived's default config id: the host name up to its first dot.
std::string default_config_id(const std::string& hostname);

}  // namespace haprep::agent
