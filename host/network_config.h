#pragma once
// Who configures the interfaces at boot: systemd-networkd's .network files and
// ifupdown's /etc/network/interfaces (with the files it sources). A runtime link
// change is made to last by writing to whichever of them manages the interface.

#include "host/root.h"
#include "model/fact.h"
#include "model/facts.h"

namespace haprep::host {

/// Highest precedence first, as systemd-networkd reads them.
inline const std::vector<std::string> kNetworkdDirectories = {
    "/etc/systemd/network", "/run/systemd/network", "/usr/local/lib/systemd/network",
    "/usr/lib/systemd/network", "/lib/systemd/network"};
inline constexpr const char* kIfupdownInterfaces = "/etc/network/interfaces";

/// Reads both under `root`. Absent files are simply not listed; an unreadable one
/// makes the whole fact unreadable (a planner must not guess who manages a link).
model::Fact<model::NetworkConfig> read_network_config(const Root& root);

}  // namespace haprep::host
