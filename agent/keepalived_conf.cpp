#include "agent/keepalived_conf.h"

#include <filesystem>

#include "agent/pipeline.h"
#include "host/files.h"
#include "keepalived/config.h"

namespace haprep::agent {

namespace {

keepalived::Loader root_loader(const host::Root& root) {
    return {[root](const std::string& path) { return host::read_file(root, path); },
            [root](const std::string& pattern) { return host::glob_files(root, pattern); }};
}

std::string absolute(const std::string& path) {
    return std::filesystem::absolute(path).lexically_normal().string();
}

}  // namespace

std::string default_config_id(const std::string& hostname) { return hostname.substr(0, hostname.find('.')); }

model::Fact<model::KeepalivedConf> read_keepalived(const GlobalOptions& options, const std::string& hostname) {
    const host::Root root(options.root);
    const bool named = !options.keepalived_conf.empty();
    const std::string path = named ? absolute(options.keepalived_conf) : kKeepalivedConf;
    model::KeepalivedConf conf;
    conf.path = path;
    conf.origin = named ? "--keepalived-conf" : "default path";
    // A file named on the command line must be there; the default path may well not
    // be (a host that is not a keepalived node yet): its checks skip.
    if (named && !host::file_exists(root, path))
        throw UsageError("--keepalived-conf " + options.keepalived_conf + ": no such file" +
                         (root.is_host_root() ? "" : " under --root " + options.root));
    if (!host::file_exists(root, path)) {
        conf.absent_reason = path + ": no such file (" + conf.origin + ")";
        return model::Fact<model::KeepalivedConf>::known(std::move(conf));
    }
    const std::string id = options.config_id.empty() ? default_config_id(hostname) : options.config_id;
    auto parsed = keepalived::parse_config(path, root_loader(root), id);
    // The main file itself unreadable (permissions): the checks cannot judge it.
    if (parsed.files.empty() && !parsed.errors.empty())
        return model::Fact<model::KeepalivedConf>::unreadable(parsed.errors.front().message);
    parsed.origin = conf.origin;
    return model::Fact<model::KeepalivedConf>::known(std::move(parsed));
}

std::vector<model::PeerNode> read_peers(const GlobalOptions& options) {
    std::vector<model::PeerNode> peers;
    const host::Root literal("/");  // a peer's files are where the user put them, not under --root
    for (const auto& file : options.peer_confs) {
        const std::string path = absolute(file);
        if (!host::file_exists(literal, path)) throw UsageError("--peer-conf " + file + ": no such file");
        model::PeerNode peer;
        peer.origin = "--peer-conf " + file;
        peer.conf = keepalived::parse_config(path, root_loader(literal), options.config_id);
        peer.conf.origin = "--peer-conf";
        if (peer.conf.files.empty())
            throw UsageError("--peer-conf " + file + ": " + peer.conf.errors.front().message);
        peers.push_back(std::move(peer));
    }
    for (const auto& file : options.peer_facts) {
        const auto facts = load_facts(file, "--peer-facts");
        if (!facts.keepalived.ok() || !facts.keepalived.value->present)
            throw UsageError("--peer-facts " + file + ": the snapshot holds no keepalived configuration (" +
                             (facts.keepalived.ok() ? facts.keepalived.value->absent_reason : facts.keepalived.error) +
                             ")");
        model::PeerNode peer;
        peer.origin = "--peer-facts " + file;
        peer.host = facts.host;
        peer.conf = *facts.keepalived.value;
        if (facts.addresses.ok()) peer.addresses = *facts.addresses.value;
        peers.push_back(std::move(peer));
    }
    return peers;
}

}  // namespace haprep::agent
