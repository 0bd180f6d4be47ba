#include "model/keepalived.h"

#include "model/ip.h"
#include "model/text.h"

#include <algorithm>

namespace haprep::model {

std::optional<Family> vip_family(const KeepalivedInstance& in) {
    for (const auto& vip : in.vips)
        if (vip.valid) return vip.family;
    return std::nullopt;
}

Family instance_family(const KeepalivedInstance& in) {
    if (auto family = vip_family(in)) return *family;
    if (auto family = address_family(in.unicast_src_ip)) return *family;
    for (const auto& peer : in.unicast_peers) {
        const std::string address = first_word(peer.text);
        if (auto family = address_family(address)) return *family;
    }
    return Family::ipv4;
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

int vrrp_version(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in) {
    if (instance_family(in) == Family::ipv6) return 3;
    // keepalived rejects any other value and keeps what it had.
    for (const auto* text : {&in.version, &conf.global.vrrp_version})
        if (auto v = parse_integer(*text); v && (*v == 2 || *v == 3)) return static_cast<int>(*v);
    return 2;
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

}  // namespace haprep::model
