#pragma once
// Which interfaces VRRP runs on, with which families, in which mode and with which
// peers. Until keepalived.conf is parsed this comes from --interface, --family,
// --mode and --peer, and from the addresses the interfaces have.

#include "agent/options.h"
#include "model/facts.h"

namespace haprep::agent {

model::VrrpInterfaces discover_vrrp(const GlobalOptions& options, const model::Facts& probed);

}  // namespace haprep::agent
