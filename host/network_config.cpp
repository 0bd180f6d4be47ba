#include "host/network_config.h"

#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include "host/files.h"

namespace haprep::host {

namespace fs = std::filesystem;

namespace {

// ifupdown's `source` may nest; a loop of includes must not hang the probe.
constexpr int kMaxSourceDepth = 8;

/// Host paths matching `pattern` (a glob on the host) under `root`, sorted, directories
/// too (a `source` may name one), each normalised ("/etc/network/./x" is "/etc/network/x").
std::vector<std::string> sourced_paths(const Root& root, const std::string& pattern) {
    auto paths = glob_under_root(root, pattern, GlobDirectories::keep);
    for (auto& path : paths) path = fs::path(path).lexically_normal().string();
    return paths;
}

/// interfaces(5): source-directory reads only names of letters, digits, '_' and '-'.
bool sourced_by_directory(const std::string& name) {
    if (name.empty()) return false;
    for (const char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    return true;
}

std::string read_or_throw(const Root& root, const std::string& path) {
    auto content = read_file(root, path);
    if (!content.ok()) throw std::runtime_error(content.error);
    return std::move(*content.value);
}

void read_ifupdown(const Root& root, const std::string& path, int depth,
                   std::set<std::string>& seen, std::vector<model::ConfigFile>& out) {
    if (depth > kMaxSourceDepth || !seen.insert(path).second || !file_exists(root, path)) return;
    // ifupdown reads a sourced directory as an empty file (fopen succeeds, the first
    // read ends it); anything else that is not a regular file is refused by read_file.
    std::error_code ec;
    if (path != kIfupdownInterfaces && fs::is_directory(root(resolve_under_root(root, path)), ec)) return;
    const std::string content = read_or_throw(root, path);
    out.push_back({path, content});
    std::istringstream in(content);
    std::string line, keyword, argument;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        if (!(words >> keyword >> argument)) continue;
        // Relative paths in `source` are relative to /etc/network (interfaces(5)).
        if (argument[0] != '/') argument = "/etc/network/" + argument;
        if (keyword == "source") {
            for (const auto& match : sourced_paths(root, argument))
                read_ifupdown(root, match, depth + 1, seen, out);
        } else if (keyword == "source-directory") {
            for (const auto& match : sourced_paths(root, argument + "/*"))
                if (sourced_by_directory(fs::path(match).filename().string()))
                    read_ifupdown(root, match, depth + 1, seen, out);
        }
    }
}

}  // namespace

model::Fact<model::NetworkConfig> read_network_config(const Root& root) {
    using Result = model::Fact<model::NetworkConfig>;
    model::NetworkConfig config;
    try {
        auto files = list_config_directories(root, kNetworkdDirectories, ".network");
        if (!files.ok()) return Result::unreadable(files.error);
        for (const auto& path : *files.value) {
            config.networkd.push_back({path, read_or_throw(root, path)});
            // Drop-ins for this file: only /etc is where haprep writes and where an
            // administrator's override lives.
            const std::string name = fs::path(path).filename().string();
            auto drop_ins = list_config_directories(root, {"/etc/systemd/network/" + name + ".d"}, ".conf");
            if (!drop_ins.ok()) return Result::unreadable(drop_ins.error);
            for (const auto& drop_in : *drop_ins.value)
                config.networkd.push_back({drop_in, read_or_throw(root, drop_in)});
        }
        std::set<std::string> seen;
        read_ifupdown(root, kIfupdownInterfaces, 0, seen, config.ifupdown);
    } catch (const std::runtime_error& e) {
        return Result::unreadable(e.what());
    }
    return Result::known(std::move(config));
}

}  // namespace haprep::host
