#include "model/ip.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace haprep::model {

namespace {

constexpr unsigned bit_count(Family family) {
    return family == Family::ipv4 ? 32 : 128;
}

/// inet_pton wants a NUL-terminated string; the longest address it takes
/// ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255") has 45 characters, so a
/// longer text is refused without copying it anywhere.
bool parse_into(std::string_view text, Family family, unsigned char* out) {
    char buffer[INET6_ADDRSTRLEN + 1];
    if (text.size() >= sizeof buffer || text.find('\0') != std::string_view::npos) return false;
    std::copy(text.begin(), text.end(), buffer);
    buffer[text.size()] = '\0';
    return ::inet_pton(family == Family::ipv4 ? AF_INET : AF_INET6, buffer, out) == 1;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text, Family family) {
    IpAddress address;
    address.family_ = family;
    if (!parse_into(text, family, address.bytes_.data())) return std::nullopt;
    return address;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (auto v4 = parse(text, Family::ipv4)) return v4;
    return parse(text, Family::ipv6);
}

std::optional<IpAddress> IpAddress::from_bytes(std::span<const unsigned char> bytes) {
    if (bytes.size() != 4 && bytes.size() != 16) return std::nullopt;
    IpAddress address;
    address.family_ = bytes.size() == 4 ? Family::ipv4 : Family::ipv6;
    std::copy(bytes.begin(), bytes.end(), address.bytes_.begin());
    return address;
}

IpAddress IpAddress::unspecified(Family family) {
    IpAddress address;
    address.family_ = family;
    return address;
}

std::string IpAddress::text() const {
    char text[INET6_ADDRSTRLEN];
    ::inet_ntop(family_ == Family::ipv4 ? AF_INET : AF_INET6, bytes_.data(), text, sizeof text);
    return text;
}

bool IpAddress::is_link_local() const {
    if (family_ == Family::ipv4) return bytes_[0] == 169 && bytes_[1] == 254;
    return bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto address = IpAddress::parse(text.substr(0, slash));
    if (!address) return std::nullopt;
    IpPrefix prefix{*address, bit_count(address->family())};
    if (slash == std::string_view::npos) return prefix;
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), prefix.length, 10);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    if (prefix.length > bit_count(address->family())) return std::nullopt;
    return prefix;
}

bool IpPrefix::contains(const IpAddress& other) const {
    if (other.family() != address.family()) return false;
    const auto mine = address.bytes(), theirs = other.bytes();
    const unsigned whole = length / 8, rest = length % 8;
    if (!std::equal(mine.begin(), mine.begin() + whole, theirs.begin())) return false;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (mine[whole] & mask) == (theirs[whole] & mask);
}

std::string IpPrefix::text() const {
    return address.text() + "/" + std::to_string(length);
}

std::optional<Family> address_family(std::string_view text) {
    if (const auto address = IpAddress::parse(text)) return address->family();
    return std::nullopt;
}

bool is_link_local(std::string_view text, Family family) {
    const auto address = IpAddress::parse(text, family);
    return address && address->is_link_local();
}

}  // namespace haprep::model
