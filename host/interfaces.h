#pragma once
// The network interfaces of the current network namespace and their flags. A small
// stand-in until the rtnetlink probe arrives: if_nameindex(3) + SIOCGIFFLAGS work in
// any namespace without privileges and without a mounted /sys.

#include <vector>

#include "model/fact.h"
#include "model/facts.h"

namespace haprep::host {

model::Fact<std::vector<model::Interface>> list_interfaces();

}  // namespace haprep::host
