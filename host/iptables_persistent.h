#pragma once
// iptables-persistent's boot files: /etc/iptables/rules.v4 and rules.v6, which
// netfilter-persistent loads with iptables-restore / ip6tables-restore at boot (Debian
// hosts that run iptables, usually iptables-nft). Read under --root so the nft.vrrp fix
// can add its rule there too.

#include <vector>

#include "host/root.h"
#include "model/config_file.h"
#include "model/fact.h"

namespace haprep::host {

/// The files iptables-persistent restores at boot, in this order: rules.v4, rules.v6.
/// A file that does not exist is left out (none: known, empty); one that exists but
/// cannot be read makes the fact unreadable.
model::Fact<std::vector<model::ConfigFile>> read_iptables_persistent(const Root& root);

}  // namespace haprep::host
