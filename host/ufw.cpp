#include "host/ufw.h"

#include "host/program.h"

namespace haprep::host {

std::string run_ufw(const std::vector<std::string>& args) {
    const std::string ufw = find_program({"/usr/sbin/ufw", "/sbin/ufw"});
    if (ufw.empty()) return "ufw is not installed";
    std::vector<std::string> argv{ufw};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = run_program(argv);
    if (!result.spawn_error.empty()) return result.spawn_error;
    if (!result.exited || result.exit_code != 0) {
        std::string message = result.messages;
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        return "ufw exited with " + std::to_string(result.exit_code) + (message.empty() ? "" : ": " + message);
    }
    return {};
}

}  // namespace haprep::host
