#pragma once
// ufw, the firewall manager of Debian and Ubuntu hosts, changed the way an admin
// would: by running `ufw ...` (execve, fixed argv, empty environment, the default
// timeout). ufw keeps its rules in /etc/ufw and applies them itself, so a rule it adds
// survives a reload and a reboot and shows in `ufw status`.

#include <string>
#include <vector>

namespace haprep::host {

/// Runs `ufw ARGS...`; the error text (ufw's own message), empty on success.
std::string run_ufw(const std::vector<std::string>& args);

}  // namespace haprep::host
