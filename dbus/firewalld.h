#pragma once
// firewalld over the system bus, as firewall-cmd talks to it but from one process
// and one connection. Only this file's .cpp sees sdbus-c++; callers get model types
// and error text ("org.fedoraproject.FirewallD1.Exception: INVALID_ZONE: foo").

#include <chrono>
#include <string>
#include <vector>

#include "model/fact.h"
#include "model/firewalld.h"

namespace haprep::dbus {

/// Every call has this timeout: a firewalld that hangs makes the facts unreadable,
/// it never hangs haprep.
inline constexpr std::chrono::seconds kCallTimeout{10};

/// firewalld's state, the zones of `interfaces`, the source-bound zones, and the
/// runtime and permanent settings of those zones and of the services they use.
/// Not on the bus → absent, with the reason; a call that fails or
/// times out on the way → unreadable, naming the call and the D-Bus error.
model::Fact<model::Firewalld> read_firewalld(const std::vector<std::string>& interfaces);

/// Adds `protocol` to `zone` at runtime (no timeout) or in the permanent
/// configuration. `added` is false when firewalld already had it (ALREADY_ENABLED).
/// Returns the error text, "" on success.
std::string add_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol,
                                   bool& added);
/// The undo of add_firewalld_protocol; NOT_ENABLED counts as done.
std::string remove_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol);

/// Adds the rich rule `rule` (firewalld's syntax) to `zone`, at runtime (addRichRule
/// without a timeout) or in the permanent configuration. `added` is false when
/// firewalld already had it (ALREADY_ENABLED). Returns the error text, "" on success.
std::string add_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule, bool& added);
/// The undo of add_firewalld_rich_rule; NOT_ENABLED counts as done.
std::string remove_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule);

}  // namespace haprep::dbus
