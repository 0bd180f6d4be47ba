#include "checks/keepalived.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace haprep::checks {

using model::Family;
using model::Status;

std::optional<model::Finding> without_keepalived_conf(const model::Facts& facts) {
    if (!facts.keepalived.ok())
        return finding(model::host_subject(), Status::unknown,
                       "cannot read the keepalived configuration: " + facts.keepalived.error);
    if (!facts.keepalived.value->present)
        return finding(model::host_subject(), Status::skip, facts.keepalived.value->absent_reason);
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

std::optional<long> parse_integer(const std::string& text) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    long value = 0;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        if (value > 1'000'000'000L) return std::nullopt;  // far outside every range judged here
        value = value * 10 + (text[i] - '0');
    }
    return negative ? -value : value;
}

std::optional<Interval> parse_interval(const std::string& text) {
    Interval result;
    long long seconds = 0, fraction = 0;
    int decimals = 0, digits = 0;
    bool dot = false;
    for (char ch : text) {
        if (ch == '.' && !dot) {
            dot = true;
        } else if (ch >= '0' && ch <= '9') {
            ++digits;
            if (!dot) {
                if (seconds > 1'000'000) return std::nullopt;
                seconds = seconds * 10 + (ch - '0');
            } else if (decimals < 6) {
                fraction = fraction * 10 + (ch - '0'), ++decimals;
            } else if (ch != '0') {
                result.exact = false;
            }
        } else {
            return std::nullopt;
        }
    }
    if (digits == 0) return std::nullopt;
    for (; decimals < 6; ++decimals) fraction *= 10;
    result.us = seconds * 1'000'000 + fraction;
    return result;
}

bool same_address(const std::string& a, const std::string& b) {
    unsigned char x[16] = {}, y[16] = {};
    for (int af : {AF_INET, AF_INET6})
        if (::inet_pton(af, a.c_str(), x) == 1) return ::inet_pton(af, b.c_str(), y) == 1 && std::memcmp(x, y, 16) == 0;
    return a == b;
}

int vrrp_version(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
    if (instance_family(in) == Family::ipv6) return 3;
    // keepalived rejects any other value and keeps what it had.
    for (const auto* text : {&in.version, &conf.global.vrrp_version})
        if (auto v = parse_integer(*text); v && (*v == 2 || *v == 3)) return static_cast<int>(*v);
    return 2;
}

int effective_priority(const model::KeepalivedInstance& in) {
    if (in.priority.empty()) return in.state == "MASTER" ? 255 : 100;
    const auto p = parse_integer(in.priority);
    return p && *p >= 1 && *p <= 255 ? static_cast<int>(*p) : 100;
}

std::optional<long> effective_advert_cs(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
    if (in.advert_int.empty()) return 100;
    const auto interval = parse_interval(in.advert_int);
    if (!interval) return std::nullopt;
    if (vrrp_version(conf, in) == 2) {
        const long long seconds = (interval->us + 500'000) / 1'000'000;
        return static_cast<long>(std::clamp(seconds, 1LL, 255LL) * 100);
    }
    const long long cs = (interval->us + 5'000) / 10'000;
    return static_cast<long>(std::clamp(cs, 1LL, 4095LL));
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
        if (!peer.conf.present) continue;
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
