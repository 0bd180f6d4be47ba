#include "checks/keepalived.h"

#include <algorithm>

namespace haprep::checks {

using model::Family;
using model::Status;

std::optional<model::Finding> without_keepalived_conf(const model::Facts& facts) {
    if (!facts.keepalived.ok())
        return not_known(model::host_subject(), facts.keepalived, {.unreadable = "cannot read the keepalived configuration: "});
    return std::nullopt;
}

model::Finding nothing_to_judge(std::string why) {
    return finding(model::host_subject(), Status::skip, std::move(why));
}

std::string where(const model::SourceLocation& at) { return at.file + ":" + std::to_string(at.line); }

model::SourceLocation keyword_at(const model::KeepalivedInstance& in, const std::string& keyword) {
    if (auto it = in.keywords.find(keyword); it != in.keywords.end()) return it->second;
    return in.block.at;
}

bool same_address(const std::string& a, const std::string& b) {
    const auto x = model::IpAddress::parse(a);
    return x ? x == model::IpAddress::parse(b) : a == b;
}

int effective_priority(const model::KeepalivedInstance& in) {
    if (in.priority.empty()) return in.state == "MASTER" ? 255 : 100;
    const auto p = parse_integer(in.priority);
    return p && *p >= 1 && *p <= 255 ? static_cast<int>(*p) : 100;
}

bool uses_auth(const model::KeepalivedInstance& in) {
    return in.keywords.count("authentication") || !in.auth_type.empty() || !in.auth_pass.empty();
}

std::string peer_name(const model::PeerNode& peer) {
    return peer.host.empty() ? peer.origin : peer.origin + " (" + peer.host + ")";
}

PeerInstances::PeerInstances(const model::Facts& facts) : facts_(facts) {
    for (const auto& peer : facts.peers) {
        auto& index = by_vrid_.emplace_back();
        for (const auto& theirs : peer.conf.instances)
            if (const auto vrid = parse_integer(theirs.virtual_router_id))
                index[{*vrid, instance_family(theirs)}].push_back(&theirs);
    }
}

const model::KeepalivedInstance* PeerInstances::match(const model::KeepalivedInstance& in, size_t peer) const {
    const auto vrid = parse_integer(in.virtual_router_id);
    if (!vrid) return nullptr;
    const auto it = by_vrid_.at(peer).find({*vrid, instance_family(in)});
    if (it == by_vrid_[peer].end()) return nullptr;
    for (const auto* theirs : it->second)
        if (theirs->interface == in.interface) return theirs;
    return it->second.size() == 1 ? it->second.front() : nullptr;
}

void raise(model::Finding& f, Status status, const std::string& message, const model::SourceLocation& at) {
    if (badness(status) > badness(f.status) || f.status == Status::skip) {
        f.status = status;
        f.message = message;
    } else if (status == f.status) {
        f.message += "; " + message;
    }
    if (!f.source) f.source = at;
}

}  // namespace haprep::checks
