#pragma once
// IP addresses and prefixes as values: every place that reads an address from text
// (keepalived.conf, --peer, iptables-save, firewalld, snapshots) or writes one into
// a rule parses it here, so "what is an address" and "what is link-local" have one
// answer each.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/family.h"

namespace haprep::model {

/// One IPv4 or IPv6 address (no zone: "fe80::1%eth0" is not one).
class IpAddress {
public:
    /// The address `text` writes (inet_pton's syntax), in either family; nullopt
    /// for anything else (empty, spaces, a prefix, a zone, an embedded NUL).
    static std::optional<IpAddress> parse(std::string_view text);
    /// The same, only in `family`.
    static std::optional<IpAddress> parse(std::string_view text, Family family);
    /// 4 bytes make an IPv4 address, 16 an IPv6 one (network order); else nullopt.
    static std::optional<IpAddress> from_bytes(std::span<const unsigned char> bytes);
    /// 0.0.0.0 or ::, what a rule holds where its address could not be read.
    static IpAddress unspecified(Family family);

    Family family() const { return family_; }
    /// Network order: 4 bytes for IPv4, 16 for IPv6.
    std::span<const unsigned char> bytes() const {
        return {bytes_.data(), family_ == Family::ipv4 ? 4u : 16u};
    }
    /// inet_ntop's canonical form: "FE80::0100" reads back as "fe80::100".
    std::string text() const;
    /// fe80::/10 for IPv6, 169.254.0.0/16 for IPv4 (RFC 4291 2.5.6, RFC 3927).
    bool is_link_local() const;

    /// IPv4 before IPv6, then by the bytes (numeric order).
    auto operator<=>(const IpAddress&) const = default;

private:
    Family family_ = Family::ipv4;
    std::array<unsigned char, 16> bytes_{};  ///< IPv4 uses the first 4, the rest stay 0
};

/// A network: an address and how many leading bits of it count ("10.0.0.0/8").
struct IpPrefix {
    IpAddress address;
    unsigned length = 0;

    /// "ADDRESS/LENGTH" (LENGTH in decimal, at most 32 or 128) or a bare address,
    /// which is the host prefix; nullopt for anything else.
    static std::optional<IpPrefix> parse(std::string_view text);
    /// Same family, and the first `length` bits agree.
    bool contains(const IpAddress& other) const;
    /// "ADDRESS/LENGTH" with the address canonical.
    std::string text() const;

    auto operator<=>(const IpPrefix&) const = default;
};

/// The family of `text` as an address; nullopt when it is none.
std::optional<Family> address_family(std::string_view text);

/// `text` is a link-local address (IpAddress::is_link_local) of `family`.
bool is_link_local(std::string_view text, Family family);

}  // namespace haprep::model
