#include "host/keepalived_check.h"

#include <fmt/format.h>
#include <ranges>
#include <set>

#include "host/program.h"
#include "model/text.h"

namespace haprep::host {

namespace {

/// Debian 12's keepalived 2.2.7 kills its own config test with SIGTERM when scripts
/// are configured (fixed in 2.2.8): the exit says nothing about the file.
constexpr int kExitTerminated = 143;

struct Run {
    std::string error;  ///< could not run it at all
    int exit_code = 0;
    std::string messages;
};

Run run_config_test(const Root& root, const std::string& main_host_path, const std::string& content,
                    const std::string& keepalived, const std::string& config_id) {
    const std::string dir = main_host_path.substr(0, main_host_path.rfind('/') + 1);
    const auto result = run_on_temporary_file(root(dir).string() + "/.keepalived.conf.haprep-check-", content,
                                              [&](const std::string& tmp) {
                                                  std::vector<std::string> argv = {keepalived, "-t", "-f", tmp};
                                                  if (!config_id.empty()) argv.insert(argv.end(), {"-i", config_id});
                                                  return argv;
                                              });
    if (!result.spawn_error.empty()) return {result.spawn_error, 0, {}};
    return {{}, result.exit_code, result.messages};
}

/// keepalived's messages without the "(FILE: Line N) " prefix: the line numbers
/// move with the edit, the messages do not.
std::set<std::string> message_set(const std::string& messages) {
    std::set<std::string> out;
    for (std::string line : model::split_lines(messages)) {
        if (line.rfind('(', 0) == 0 && line.find(": Line ") != std::string::npos) {
            const auto close = line.find(") ");
            if (close != std::string::npos) line.erase(0, close + 2);
        }
        if (!line.empty()) out.insert(line);
    }
    return out;
}

}  // namespace

KeepalivedCheck check_keepalived_edit(const Root& root, const std::string& main_host_path, const std::string& edited,
                                      const std::string& baseline, const std::string& config_id) {
    const std::string keepalived = find_program({"/usr/sbin/keepalived", "/sbin/keepalived", "/usr/local/sbin/keepalived"});
    if (keepalived.empty()) return {KeepalivedVerdict::not_installed, "keepalived is not installed: keepalived -t not run"};
    const auto after = run_config_test(root, main_host_path, edited, keepalived, config_id);
    if (!after.error.empty()) return {KeepalivedVerdict::rejected, after.error};
    if (after.exit_code == 0) return {KeepalivedVerdict::accepted, "keepalived -t accepts it"};
    if (after.exit_code == kExitTerminated)
        return {KeepalivedVerdict::inconclusive, "keepalived -t exited 143 (Debian 2.2.7 with scripts): not checked"};
    const auto before = run_config_test(root, main_host_path, baseline, keepalived, config_id);
    if (before.error.empty() && before.exit_code == after.exit_code) {
        const auto old_messages = message_set(before.messages),
                   new_messages = message_set(after.messages);
        auto added = new_messages | std::views::filter([&](const std::string& m) {
                         return !old_messages.count(m);
                     });
        if (added.empty())
            return {KeepalivedVerdict::inconclusive,
                    "keepalived -t rejects the configuration before the edit too (exit " +
                        std::to_string(before.exit_code) + "), the edit adds no message"};
        return {KeepalivedVerdict::rejected,
                fmt::format("keepalived -t: {}", fmt::join(added, "; "))};
    }
    return {KeepalivedVerdict::rejected,
            "keepalived -t exits " + std::to_string(after.exit_code) + ": " + after.messages};
}

}  // namespace haprep::host
