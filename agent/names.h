#pragma once
// Names that come from outside (--interface, keepalived.conf, a snapshot) and end up
// in sysctl keys, netlink requests and the text report. A name that is not an
// interface name is refused before anything judges or plans for it, and no text
// with control characters reaches a terminal unescaped.

#include <cstdio>
#include <string>
#include <string_view>

namespace haprep::agent {

/// Why `name` cannot be a Linux interface name, or "" when it can be: empty, `.`,
/// `..`, `all` and `default` (the sysctl keys of every interface and of new ones:
/// `net.ipv4.conf.all.rp_filter` is not an interface's), longer than 15 bytes
/// (IFNAMSIZ - 1), or containing `/`, whitespace or a control character (the kernel's
/// dev_valid_name refuses them).
inline std::string interface_name_problem(std::string_view name);

/// `text` with every control character (and DEL) written as \n, \r, \t or \xNN, so that it is one line and cannot drive a terminal.
inline std::string escape_control(std::string_view text);

/// As escape_control, but keeps newlines and tabs: for multi-line text (diffs, file
/// content) whose lines are structure, not data.
inline std::string escape_control_keep_lines(std::string_view text);

// Definitions (header-only: the agent, the fixes and the tests share them).


namespace detail {

inline bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

inline std::string escape(std::string_view text, bool keep_lines) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (keep_lines && (c == '\n' || c == '\t')) {
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (is_control(c)) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace detail

inline std::string interface_name_problem(std::string_view name) {
    // The kernel's limit: IFNAMSIZ (16) bytes with the terminating NUL.
    constexpr std::size_t kMaxLength = 15;
    if (name.empty()) return "an empty interface name";
    if (name == "." || name == "..") return "'" + std::string(name) + "' is not an interface name";
    if (name == "all" || name == "default")
        return "'" + std::string(name) + "' is not an interface: net.ipv4.conf." + std::string(name) +
               " holds the setting for " + (name == "all" ? "every interface" : "interfaces created later");
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (detail::is_control(c)) return "an interface name cannot contain a control character";
        if (c == ' ') return "an interface name cannot contain a space";
        if (c == '/') return "an interface name cannot contain '/'";
    }
    if (name.size() > kMaxLength)
        return "an interface name has at most 15 bytes, this one has " + std::to_string(name.size());
    return "";
}

inline std::string escape_control(std::string_view text) { return detail::escape(text, false); }

inline std::string escape_control_keep_lines(std::string_view text) { return detail::escape(text, true); }

}  // namespace haprep::agent
