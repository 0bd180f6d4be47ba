#pragma once
// A `haprep snapshot` file read back into Facts (--facts, --peer-facts). Its own file
// so that the pipeline and the peer reading (agent/keepalived_conf) both use it
// without including each other.

#include <string>

#include "model/facts.h"

namespace haprep::agent {

/// Reads a `haprep snapshot` file; throws UsageError naming the file and the problem.
/// `option` names where the path came from in the message ("--facts", "--peer-facts").
model::Facts load_facts(const std::string& path, const std::string& option = "--facts");

}  // namespace haprep::agent
