// libFuzzer target for what haprep reads of a firewall: iptables-save text (legacy
// rules, firewall/legacy_iptables), the compat match/target arguments and info blobs
// in it (firewall/xt), and the evaluator that runs VRRP adverts through the result
// (firewall/nft_eval), inbound and outbound, from a known and an unknown peer.
//
// Input: the first byte picks the family (even: IPv4, odd: IPv6); the rest is the
// save text. Every compat expression of the parsed rules is also fed to the blob
// decoder with the raw input bytes as its info struct, so short, long and garbage
// structs of every extension are decoded too.
//
// No crash, no hang, no undefined behaviour (ASan + UBSan); the verdict of a rule set
// must not depend on the order the evaluator explores it in (it is evaluated twice).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "firewall/legacy_iptables.h"
#include "firewall/nft_eval.h"
#include "firewall/xt.h"
#include "model/nft_text.h"

using namespace haprep;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto family = (data[0] & 1) ? model::Family::ipv6 : model::Family::ipv4;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    model::NftRuleset ruleset = firewall::legacy_ruleset(text, family);

    const std::string blob = model::nft::to_hex(data, size);
    for (const auto& rule : ruleset.rules) {
        (void)firewall::iptables_rule_text(rule);
        for (auto e : rule.exprs) {
            if (e.name != "match" && e.name != "target") continue;
            e.args.clear();
            e.data = blob;
            e.xt_rev = data[0] % 4;
            if (e.name == "match") (void)firewall::xt_match_text(firewall::read_xt_match(e, family));
            else (void)firewall::xt_target_text(firewall::read_xt_target(e));
        }
    }

    const bool v4 = family == model::Family::ipv4;
    for (int variant = 0; variant < 4; ++variant) {
        firewall::VrrpPacket p;
        p.family = family;
        p.iifname = "eth0";
        p.iif = 2;
        p.outbound = variant == 3;
        p.multicast = variant != 2;
        p.saddr = variant == 1 ? "" : (v4 ? "192.0.2.2" : "fe80::2");
        p.daddr = p.multicast ? (v4 ? "224.0.0.18" : "ff02::12") : (v4 ? "192.0.2.1" : "fe80::1");
        p.own_addresses = {v4 ? "192.0.2.1" : "fe80::1"};
        const auto first = firewall::evaluate_packet(ruleset, p);
        const auto second = firewall::evaluate_packet(ruleset, p);
        if (first.outcome != second.outcome) std::abort();
    }
    return 0;
}
