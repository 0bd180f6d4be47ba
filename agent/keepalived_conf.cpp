#include "agent/keepalived_conf.h"

#include <filesystem>
#include <memory>

#include "agent/facts_file.h"
#include "host/files.h"
#include "keepalived/config.h"

namespace haprep::agent {

namespace {

/// Files under `root` for the keepalived reader. The main file has been read already
/// (its failure is the caller's to report): the reader gets that content, not a second
/// read. The reader names the file ("include PATH: ..."), so errors are bare reasons.
keepalived::Loader root_loader(const host::Root& root, const std::string& main_path, std::string main_content) {
    auto main = std::make_shared<const std::string>(std::move(main_content));
    return {[root, main_path, main](const std::string& path) {
                if (path == main_path) return model::Fact<std::string>::known(*main);
                return host::read_file(root, path, std::string());
            },
            [root](const std::string& pattern) {
                return host::glob_under_root(root, pattern, host::GlobDirectories::skip);
            }};
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
    const std::string origin = named ? "--keepalived-conf" : model::kDefaultKeepalivedOrigin;
    // A file named on the command line must be there; the default path may well not
    // be (a host that is not a keepalived node yet): its checks skip.
    if (named && !host::file_exists(root, path))
        throw UsageError("--keepalived-conf " + options.keepalived_conf + ": no such file" +
                         (root.is_host_root() ? "" : " under --root " + options.root));
    if (!host::file_exists(root, path))
        return model::Fact<model::KeepalivedConf>::absent(path + ": no such file (" + origin + ")");
    // The main file itself unreadable (permissions, a directory, a FIFO, too large): a
    // file named on the command line is bad usage; the default one is a fact the checks
    // cannot judge (unknown), with the reason.
    auto content = named ? host::read_file(root, path, "--keepalived-conf " + options.keepalived_conf)
                         : host::read_file(root, path);
    if (!content.ok()) {
        if (named) throw UsageError(content.error);
        return model::Fact<model::KeepalivedConf>::unreadable(content.error);
    }
    const std::string id = options.config_id.empty() ? default_config_id(hostname) : options.config_id;
    auto parsed = keepalived::parse_config(path, root_loader(root, path, std::move(*content.value)), id);
    if (parsed.files.empty() && !parsed.errors.empty())
        return model::Fact<model::KeepalivedConf>::unreadable(parsed.errors.front().message);
    parsed.origin = origin;
    return model::Fact<model::KeepalivedConf>::known(std::move(parsed));
}

std::vector<model::PeerNode> read_peers(const GlobalOptions& options) {
    std::vector<model::PeerNode> peers;
    const host::Root literal("/");  // a peer's files are where the user put them, not under --root
    for (const auto& file : options.peer_confs) {
        const std::string path = absolute(file);
        if (!host::file_exists(literal, path)) throw UsageError("--peer-conf " + file + ": no such file");
        auto content = host::read_file(literal, path, "--peer-conf " + file);
        if (!content.ok()) throw UsageError(content.error);
        model::PeerNode peer;
        peer.origin = "--peer-conf " + file;
        peer.conf = keepalived::parse_config(path, root_loader(literal, path, std::move(*content.value)),
                                             options.config_id);
        peer.conf.origin = "--peer-conf";
        if (peer.conf.files.empty())
            throw UsageError("--peer-conf " + file + ": " + peer.conf.errors.front().message);
        peers.push_back(std::move(peer));
    }
    for (const auto& file : options.peer_facts) {
        const auto facts = load_facts(file, "--peer-facts");
        if (!facts.keepalived.ok())
            throw UsageError("--peer-facts " + file + ": the snapshot holds no keepalived configuration (" +
                             facts.keepalived.why() + ")");
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
