#pragma once
// Does firewalld let one VRRP advert in? Pure: it reads model::Firewalld and follows
// firewalld's own order (1.x): the zone is picked by source binding, then interface
// binding, then the default zone's catch-all; inside the zone, rich rules with a
// negative priority, then deny rich rules (reject/drop), then what the zone allows
// (protocols, services' protocols, accept rich rules), then rich rules with a
// positive priority, then the zone's target.

#include <optional>
#include <string>
#include <vector>

#include "firewall/vrrp_packet.h"
#include "model/firewalld.h"

namespace haprep::firewall {

/// A rich rule, as far as it matters to a VRRP advert.
struct RichRule {
    std::string text;
    std::string family;  ///< "ipv4", "ipv6", or "" (both)
    int priority = 0;
    std::string source, destination;  ///< address or network, "" = any
    bool source_inverted = false, destination_inverted = false;
    bool source_unknowable = false;  ///< ipset or mac source: not judged offline
    enum class Element { none, protocol, service, other } element = Element::none;
    std::string element_value;  ///< protocol value or service name
    enum class Action { none, accept, reject, drop, other } action = Action::none;
    bool limited = false;  ///< a `limit` on the action: some adverts may miss it
};

/// Parses firewalld's normalised rich-rule text; nullopt when it cannot.
std::optional<RichRule> parse_rich_rule(const std::string& text);

struct FirewalldVerdict {
    bool accepts = false;
    std::string zone;        ///< the zone that takes the advert
    std::string how;         ///< how the advert got into that zone
    std::string decided_by;  ///< "protocol vrrp", "rich rule: ...", "target default (reject)"
    std::vector<std::string> notes;
    bool zone_unknown = false;  ///< the zone's settings are not in this layer
    /// The peer is not known and a rich rule with a source would decide otherwise for
    /// some sources (its text); empty when the verdict holds for every source.
    std::string source_dependent;
};

/// The zone that takes `packet` (runtime bindings, as a reload keeps them) and how.
std::pair<std::string, std::string> zone_for(const model::Firewalld& firewalld, const VrrpPacket& packet);

FirewalldVerdict evaluate_firewalld(const model::Firewalld& firewalld, const model::FirewalldLayer& layer,
                                    const VrrpPacket& packet);

/// "vrrp" or "112" (firewalld accepts both names for the protocol).
bool is_vrrp_protocol(const std::string& name);

/// Does `address` lie in `network` ("10.0.0.0/8", "fe80::1", ...)? Same family only.
bool address_in(const std::string& address, const std::string& network);

}  // namespace haprep::firewall
