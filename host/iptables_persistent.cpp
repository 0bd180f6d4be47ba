#include "host/iptables_persistent.h"

#include "host/files.h"

namespace haprep::host {

model::Fact<std::vector<model::ConfigFile>> read_iptables_persistent(const Root& root) {
    using Result = model::Fact<std::vector<model::ConfigFile>>;
    std::vector<model::ConfigFile> files;
    for (const char* path : {"/etc/iptables/rules.v4", "/etc/iptables/rules.v6"}) {
        if (!file_exists(root, path)) continue;
        auto content = read_file(root, path);
        if (!content.ok()) return Result::unreadable(content.error);
        files.push_back({path, std::move(*content.value)});
    }
    return Result::known(std::move(files));
}

}  // namespace haprep::host
