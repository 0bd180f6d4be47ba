#pragma once
// Options every subcommand understands. They may stand before or after the
// subcommand name (CLI11 fallthrough).

#include <stdexcept>
#include <string>
#include <vector>

namespace haprep::agent {

enum class Format { text, json };

struct GlobalOptions {
    Format format = Format::text;
    std::string root = "/";
    std::vector<std::string> interfaces;
    /// VRRP families and mode until keepalived.conf is parsed: "auto" means the
    /// families each interface has addresses of.
    std::string family = "auto";
    std::string mode = "multicast";
    std::vector<std::string> peers;
    std::vector<std::string> only;
    std::vector<std::string> skip;
    std::string facts_file;
    bool no_color = false;
    bool verbose = false;
};

/// Bad input from the user: one line on stderr, exit 3, nothing changed.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr int kExitUnknown = 3;
inline constexpr const char* kVersion = "0.1.0";

}  // namespace haprep::agent
