#include "host/sysctl_d.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "host/files.h"
#include "host/sysctl.h"
#include "model/text.h"

namespace haprep::host {

namespace fs = std::filesystem;

namespace {

using model::trim;

bool is_glob(const std::string& key) { return key.find_first_of("*?[") != std::string::npos; }

bool key_matches(const SysctlLine& line, const std::string& key_path) {
    if (!line.is_glob) return line.key_path == key_path;
    // systemd expands globs against /proc/sys paths, so '*' never crosses a '/'.
    return ::fnmatch(line.key_path.c_str(), key_path.c_str(), FNM_PATHNAME) == 0;
}

model::SysctlAssignment make_assignment(const SysctlFile& file, const SysctlLine& line,
                                        const std::string& key) {
    model::SysctlAssignment a;
    a.key = key;
    if (line.is_glob) a.pattern = sysctl_path_to_key(line.key_path);
    a.value = line.value;
    a.file = file.path;
    a.real_file = file.real_path;
    a.line = line.line;
    return a;
}

}  // namespace

std::vector<SysctlLine> parse_sysctl_file(const std::string& content) {
    std::vector<SysctlLine> lines;
    int number = 0;
    for (const auto& raw : model::split_lines(content)) {
        ++number;
        std::string text = trim(raw);
        if (text.empty() || text[0] == '#' || text[0] == ';') continue;
        SysctlLine line;
        line.line = number;
        const auto equals = text.find('=');
        std::string key;
        if (equals != std::string::npos) {
            key = trim(text.substr(0, equals));
            // "-key = value": the write may fail without failing the boot; same value.
            if (!key.empty() && key[0] == '-') key = trim(key.substr(1));
            line.value = trim(text.substr(equals + 1));
            line.has_value = true;
        } else if (text[0] == '-') {
            key = trim(text.substr(1));  // "-key": exclude the key from globs
        } else {
            continue;  // not an assignment; systemd-sysctl ignores it too
        }
        if (key.empty()) continue;
        line.key_path = sysctl_key_to_path(key);
        line.is_glob = is_glob(line.key_path);
        lines.push_back(std::move(line));
    }
    return lines;
}

model::Fact<std::vector<SysctlFile>> list_boot_files(const Root& root) {
    using Result = model::Fact<std::vector<SysctlFile>>;
    auto listed = list_config_directories(root, kSysctlDirectories, ".conf");
    if (!listed.ok()) return Result::unreadable(listed.error);
    std::vector<std::string> ordered = std::move(*listed.value);
    if (file_exists(root, kSysctlConf)) ordered.push_back(kSysctlConf);

    std::vector<SysctlFile> files;
    for (const auto& path : ordered) {
        auto content = read_file(root, path);
        if (!content.ok()) return Result::unreadable(content.error);
        files.push_back({path, resolve_under_root(root, path), std::move(*content.value)});
    }
    return Result::known(std::move(files));
}

model::BootSysctl resolve_boot(const std::vector<SysctlFile>& files,
                               const std::vector<std::string>& keys) {
    model::BootSysctl boot;
    std::vector<std::pair<const SysctlFile*, std::vector<SysctlLine>>> parsed;
    for (const auto& file : files) {
        boot.files.push_back(file.path);
        parsed.emplace_back(&file, parse_sysctl_file(file.content));
    }

    for (const auto& key : keys) {
        const std::string key_path = sysctl_key_to_path(key);
        model::BootKey result;
        // systemd-sysctl phase: the last explicit line for the key decides; globs only
        // apply when no explicit line (or "-key" exclusion) names the key.
        std::optional<model::SysctlAssignment> explicit_winner, glob_winner;
        bool explicitly_named = false;
        for (const auto& [file, lines] : parsed) {
            const bool procps_phase = file->path == kSysctlConf;
            for (const auto& line : lines) {
                if (!key_matches(line, key_path)) continue;
                if (!line.has_value) {
                    // "-key" names the key explicitly (globs skip it) without a value.
                    if (!procps_phase) {
                        explicitly_named = true;
                        explicit_winner.reset();
                    }
                    continue;
                }
                auto assignment = make_assignment(*file, line, key);
                result.assignments.push_back(assignment);
                if (procps_phase) {
                    // procps runs after systemd-sysctl: whatever it writes last stays.
                    explicit_winner = assignment;
                    explicitly_named = true;
                } else if (line.is_glob) {
                    glob_winner = assignment;
                } else {
                    explicit_winner = assignment;
                    explicitly_named = true;
                }
            }
        }
        result.winner = explicitly_named ? explicit_winner : glob_winner;
        boot.keys.emplace(key, std::move(result));
    }
    return boot;
}

}  // namespace haprep::host
