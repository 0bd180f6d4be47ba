#include "host/nft.h"

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <functional>
#include <memory>
#include <stdexcept>

#include "host/files.h"
#include "host/netlink.h"
#include "host/program.h"
#include "model/nft_text.h"
#include "model/text.h"

namespace haprep::host {

namespace {

const NetlinkHints kNftHints{"reading the ruleset needs CAP_NET_ADMIN", "is nf_tables available?"};

// A ruleset rewritten while it is read is read again this often.
constexpr int kReadAttempts = 5;

/// `no_nf_tables`: the kernel has no nf_tables (the fact is absent, not unreadable).
struct ProbeError : std::runtime_error {
    explicit ProbeError(const std::string& text, bool kernel_lacks_nf_tables = false)
        : std::runtime_error(text), no_nf_tables(kernel_lacks_nf_tables) {}
    bool no_nf_tables;
};

/// EPROTONOSUPPORT or ENOENT: the kernel has no nf_tables.
bool lacks_nf_tables(int error) { return error == EPROTONOSUPPORT || error == ENOENT; }

/// The ProbeError for a failed call.
ProbeError errno_error(const std::string& what, int error) {
    return ProbeError(netlink_error_text(what, error, kNftHints), lacks_nf_tables(error));
}

std::string family_name(int family) {
    switch (family) {
        case NFPROTO_INET: return "inet";
        case NFPROTO_IPV4: return "ip";
        case NFPROTO_IPV6: return "ip6";
        case NFPROTO_ARP: return "arp";
        case NFPROTO_NETDEV: return "netdev";
        case NFPROTO_BRIDGE: return "bridge";
    }
    return "family " + std::to_string(family);
}

std::string hex(const void* data, uint32_t len) { return model::nft::to_hex(data, len); }

/// Sends the request `build(buffer)` builds on `sock` (which numbers it) and feeds
/// each reply message to `on_message`. Returns false when the kernel interrupted the
/// dump (retry); throws ProbeError naming `what` when the request fails.
bool request(NetlinkSocket& sock, const std::function<nlmsghdr*(char*)>& build,
             const std::function<void(const nlmsghdr*)>& on_message, const char* what) {
    using Failure = NetlinkAnswer::Failure;
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    const auto answer = sock.request(build(buffer.data()), [&](const nlmsghdr& m) { on_message(&m); });
    switch (answer.failure) {
        case Failure::socket:
            throw ProbeError(sock.open_error(), lacks_nf_tables(sock.open_errno()));
        case Failure::send: throw errno_error(std::string(what) + ": send", answer.error);
        case Failure::timeout:
            throw ProbeError(std::string(what) + ": no answer from the kernel within " +
                             std::to_string(NetlinkSocket::kReceiveTimeoutSeconds) + " s");
        case Failure::receive: throw errno_error(std::string(what) + ": receive", answer.error);
        case Failure::malformed: throw ProbeError(std::string(what) + ": " + answer.malformed);
        case Failure::none: break;
    }
    if (answer.kernel_error == EINTR || answer.interrupted) return false;  // NLM_F_DUMP_INTR
    if (answer.kernel_error != 0) throw errno_error(what, answer.kernel_error);
    return true;
}

template <class T, void (*Free)(const T*)>
using Owned = std::unique_ptr<T, decltype([](T* p) { Free(p); })>;

uint32_t read_generation(NetlinkSocket& sock) {
    uint32_t generation = 0;
    request(
        sock,
        [](char* buf) {
            return nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, NFPROTO_UNSPEC, NLM_F_REQUEST | NLM_F_ACK, 0);
        },
        [&](const nlmsghdr* nlh) {
            Owned<nftnl_gen, nftnl_gen_free> gen(nftnl_gen_alloc());
            if (nftnl_gen_nlmsg_parse(nlh, gen.get()) == 0) generation = nftnl_gen_get_u32(gen.get(), NFTNL_GEN_ID);
        },
        "NFT_MSG_GETGEN");
    return generation;
}

nlmsghdr* dump_header(char* buf, uint16_t type) {
    return nftnl_nlmsg_build_hdr(buf, type, NFPROTO_UNSPEC, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 0);
}

std::string attr_string(const nftnl_expr* e, uint16_t type) {
    return nftnl_expr_is_set(e, type) ? std::string(nftnl_expr_get_str(e, type)) : std::string();
}
uint32_t attr_u32(const nftnl_expr* e, uint16_t type) {
    return nftnl_expr_is_set(e, type) ? nftnl_expr_get_u32(e, type) : 0;
}
std::string attr_u64_text(const nftnl_expr* e, uint16_t type) {
    return nftnl_expr_is_set(e, type) ? std::to_string(nftnl_expr_get_u64(e, type)) : std::string();
}
std::string attr_data(const nftnl_expr* e, uint16_t type) {
    if (!nftnl_expr_is_set(e, type)) return {};
    uint32_t len = 0;
    const void* data = nftnl_expr_get(e, type, &len);
    return hex(data, len);
}

// A flat dispatch, one branch per expression kind reading that kind's attributes: it
// runs for every expression of the ruleset, and a table read by one loop measured
// ~40% slower here (callgrind, nft_bench's ruleset), so it stays one long function.
model::NftExpr decode_expr(nftnl_expr* e) {
    model::NftExpr x;
    x.name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
    if (x.name == "payload") {
        x.dreg = attr_u32(e, NFTNL_EXPR_PAYLOAD_DREG);
        x.sreg = attr_u32(e, NFTNL_EXPR_PAYLOAD_SREG);
        x.base = attr_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
        x.offset = attr_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
        x.len = attr_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
    } else if (x.name == "meta") {
        x.key = attr_u32(e, NFTNL_EXPR_META_KEY);
        x.dreg = attr_u32(e, NFTNL_EXPR_META_DREG);
        x.sreg = attr_u32(e, NFTNL_EXPR_META_SREG);
    } else if (x.name == "cmp") {
        x.sreg = attr_u32(e, NFTNL_EXPR_CMP_SREG);
        x.op = attr_u32(e, NFTNL_EXPR_CMP_OP);
        x.data = attr_data(e, NFTNL_EXPR_CMP_DATA);
    } else if (x.name == "bitwise") {
        x.sreg = attr_u32(e, NFTNL_EXPR_BITWISE_SREG);
        x.dreg = attr_u32(e, NFTNL_EXPR_BITWISE_DREG);
        x.len = attr_u32(e, NFTNL_EXPR_BITWISE_LEN);
        x.op = attr_u32(e, NFTNL_EXPR_BITWISE_OP);  // 0: mask and xor; shifts otherwise
        x.data = attr_data(e, NFTNL_EXPR_BITWISE_MASK);
        x.data2 = attr_data(e, NFTNL_EXPR_BITWISE_XOR);
    } else if (x.name == "range") {
        x.sreg = attr_u32(e, NFTNL_EXPR_RANGE_SREG);
        x.op = attr_u32(e, NFTNL_EXPR_RANGE_OP);
        x.data = attr_data(e, NFTNL_EXPR_RANGE_FROM_DATA);
        x.data2 = attr_data(e, NFTNL_EXPR_RANGE_TO_DATA);
    } else if (x.name == "lookup") {
        x.sreg = attr_u32(e, NFTNL_EXPR_LOOKUP_SREG);
        x.dreg = attr_u32(e, NFTNL_EXPR_LOOKUP_DREG);
        x.set = attr_string(e, NFTNL_EXPR_LOOKUP_SET);
        x.flags = attr_u32(e, NFTNL_EXPR_LOOKUP_FLAGS);
    } else if (x.name == "immediate") {
        x.dreg = attr_u32(e, NFTNL_EXPR_IMM_DREG);
        if (nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT))
            x.verdict = static_cast<int32_t>(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT));
        x.chain = attr_string(e, NFTNL_EXPR_IMM_CHAIN);
        x.data = attr_data(e, NFTNL_EXPR_IMM_DATA);
    } else if (x.name == "ct") {
        x.key = attr_u32(e, NFTNL_EXPR_CT_KEY);
        x.dreg = attr_u32(e, NFTNL_EXPR_CT_DREG);
        x.sreg = attr_u32(e, NFTNL_EXPR_CT_SREG);
    } else if (x.name == "match") {
        x.xt_name = attr_string(e, NFTNL_EXPR_MT_NAME);
        x.xt_rev = attr_u32(e, NFTNL_EXPR_MT_REV);
        x.data = attr_data(e, NFTNL_EXPR_MT_INFO);
    } else if (x.name == "target") {
        x.xt_name = attr_string(e, NFTNL_EXPR_TG_NAME);
        x.xt_rev = attr_u32(e, NFTNL_EXPR_TG_REV);
        x.data = attr_data(e, NFTNL_EXPR_TG_INFO);
    } else if (x.name == "limit") {
        x.data = attr_u64_text(e, NFTNL_EXPR_LIMIT_RATE);
        x.data2 = attr_u64_text(e, NFTNL_EXPR_LIMIT_UNIT);
        x.len = attr_u32(e, NFTNL_EXPR_LIMIT_BURST);
        x.key = attr_u32(e, NFTNL_EXPR_LIMIT_TYPE);
        x.flags = attr_u32(e, NFTNL_EXPR_LIMIT_FLAGS);
    } else if (x.name == "fib") {
        x.key = attr_u32(e, NFTNL_EXPR_FIB_RESULT);
        x.flags = attr_u32(e, NFTNL_EXPR_FIB_FLAGS);
        x.dreg = attr_u32(e, NFTNL_EXPR_FIB_DREG);
    }
    return x;
}

model::NftChain decode_chain(nftnl_chain* c) {
    model::NftChain chain;
    chain.family = family_name(static_cast<int>(nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY)));
    chain.table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
    chain.name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
    if (nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM)) {
        chain.hook = static_cast<int>(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM));
        chain.priority = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
        chain.policy = nftnl_chain_is_set(c, NFTNL_CHAIN_POLICY) &&
                               nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) == NF_DROP
                           ? "drop"
                           : "accept";
        if (nftnl_chain_is_set(c, NFTNL_CHAIN_TYPE)) chain.type = nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE);
        if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEV)) chain.devices.emplace_back(nftnl_chain_get_str(c, NFTNL_CHAIN_DEV));
        if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEVICES)) {
            const auto* const* devices =
                static_cast<const char* const*>(nftnl_chain_get(c, NFTNL_CHAIN_DEVICES));
            for (size_t i = 0; devices && devices[i]; ++i) chain.devices.emplace_back(devices[i]);
        }
    }
    return chain;
}

/// The comment nft stores in a rule's user data (type 0, NFTNL_UDATA_RULE_COMMENT).
std::string rule_comment(nftnl_rule* r) {
    if (!nftnl_rule_is_set(r, NFTNL_RULE_USERDATA)) return {};
    uint32_t len = 0;
    const auto* data = static_cast<const unsigned char*>(nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len));
    // TLVs: type (1 byte), length (1 byte), value.
    for (uint32_t i = 0; i + 2 <= len;) {
        const uint8_t type = data[i], size = data[i + 1];
        if (i + 2 + size > len) break;
        if (type == 0 && size > 0) return std::string(reinterpret_cast<const char*>(data + i + 2), strnlen(reinterpret_cast<const char*>(data + i + 2), size));
        i += 2 + size;
    }
    return {};
}

model::NftRule decode_rule(nftnl_rule* r) {
    model::NftRule rule;
    rule.family = family_name(static_cast<int>(nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY)));
    rule.table = nftnl_rule_get_str(r, NFTNL_RULE_TABLE);
    rule.chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
    rule.handle = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
    rule.comment = rule_comment(r);
    nftnl_expr_foreach(
        r,
        [](nftnl_expr* e, void* data) {
            static_cast<model::NftRule*>(data)->exprs.push_back(decode_expr(e));
            return 0;
        },
        &rule);
    return rule;
}

model::NftSet decode_set(nftnl_set* s) {
    model::NftSet set;
    set.family = family_name(static_cast<int>(nftnl_set_get_u32(s, NFTNL_SET_FAMILY)));
    set.table = nftnl_set_get_str(s, NFTNL_SET_TABLE);
    set.name = nftnl_set_get_str(s, NFTNL_SET_NAME);
    set.flags = nftnl_set_is_set(s, NFTNL_SET_FLAGS) ? nftnl_set_get_u32(s, NFTNL_SET_FLAGS) : 0;
    set.key_len = nftnl_set_is_set(s, NFTNL_SET_KEY_LEN) ? nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN) : 0;
    return set;
}

bool read_elements(NetlinkSocket& sock, model::NftSet& set) {
    Owned<nftnl_set, nftnl_set_free> query(nftnl_set_alloc());
    nftnl_set_set_str(query.get(), NFTNL_SET_TABLE, set.table.c_str());
    nftnl_set_set_str(query.get(), NFTNL_SET_NAME, set.name.c_str());
    const int family = nft_family_number(set.family);
    const bool complete = request(
        sock,
        [&](char* buf) {
            auto* nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, static_cast<uint16_t>(family),
                                              NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 0);
            nftnl_set_elems_nlmsg_build_payload(nlh, query.get());
            return nlh;
        },
        [&](const nlmsghdr* nlh) {
            Owned<nftnl_set, nftnl_set_free> parsed(nftnl_set_alloc());
            if (nftnl_set_elems_nlmsg_parse(nlh, parsed.get()) < 0) return;
            nftnl_set_elem_foreach(
                parsed.get(),
                [](nftnl_set_elem* e, void* data) {
                    model::NftElement element;
                    // The length is known only after the call: read it first.
                    auto bytes_of = [e](uint16_t attr) {
                        uint32_t len = 0;
                        const void* value = nftnl_set_elem_get(e, attr, &len);
                        return hex(value, len);
                    };
                    if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_KEY)) element.key = bytes_of(NFTNL_SET_ELEM_KEY);
                    if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_KEY_END)) element.key_end = bytes_of(NFTNL_SET_ELEM_KEY_END);
                    if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS))
                        element.interval_end = (nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) & NFT_SET_ELEM_INTERVAL_END) != 0;
                    if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_VERDICT)) {
                        element.has_verdict = true;
                        element.verdict = static_cast<int32_t>(nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_VERDICT));
                    }
                    if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_CHAIN))
                        element.chain = nftnl_set_elem_get_str(e, NFTNL_SET_ELEM_CHAIN);
                    static_cast<model::NftSet*>(data)->elements.push_back(std::move(element));
                    return 0;
                },
                &set);
        },
        "NFT_MSG_GETSETELEM");
    return complete;
}

/// A dump of one object kind: each reply message parsed into a libnftnl object that
/// `decode` turns into model data. False when the kernel interrupted the dump.
template <class T, T* (*Alloc)(), void (*Free)(const T*), int (*Parse)(const nlmsghdr*, T*), class Decode>
bool dump_all(NetlinkSocket& sock, uint16_t type, const char* what, Decode&& decode) {
    return request(sock, [type](char* buf) { return dump_header(buf, type); },
                        [&](const nlmsghdr* nlh) {
                            std::unique_ptr<T, void (*)(const T*)> object(Alloc(), Free);
                            if (Parse(nlh, object.get()) == 0) decode(object.get());
                        },
                        what);
}

/// One read of the whole ruleset; false when a dump was interrupted.
bool read_once(NetlinkSocket& sock, model::NftRuleset& ruleset) {
    ruleset = {};
    ruleset.generation = read_generation(sock);
    const bool complete =
        dump_all<nftnl_chain, nftnl_chain_alloc, nftnl_chain_free, nftnl_chain_nlmsg_parse>(
            sock, NFT_MSG_GETCHAIN, "NFT_MSG_GETCHAIN", [&](nftnl_chain* c) { ruleset.chains.push_back(decode_chain(c)); }) &&
        dump_all<nftnl_rule, nftnl_rule_alloc, nftnl_rule_free, nftnl_rule_nlmsg_parse>(
            sock, NFT_MSG_GETRULE, "NFT_MSG_GETRULE", [&](nftnl_rule* r) { ruleset.rules.push_back(decode_rule(r)); }) &&
        dump_all<nftnl_set, nftnl_set_alloc, nftnl_set_free, nftnl_set_nlmsg_parse>(
            sock, NFT_MSG_GETSET, "NFT_MSG_GETSET", [&](nftnl_set* st) { ruleset.sets.push_back(decode_set(st)); });
    if (!complete) return false;
    for (auto& set : ruleset.sets)
        if (!read_elements(sock, set)) return false;
    for (auto& rule : ruleset.rules) rule.text = model::nft_rule_text(rule, ruleset);
    return read_generation(sock) == ruleset.generation;
}

}  // namespace

int nft_family_number(const std::string& name) {
    if (name == "inet") return NFPROTO_INET;
    if (name == "ip") return NFPROTO_IPV4;
    if (name == "ip6") return NFPROTO_IPV6;
    if (name == "arp") return NFPROTO_ARP;
    if (name == "netdev") return NFPROTO_NETDEV;
    if (name == "bridge") return NFPROTO_BRIDGE;
    return NFPROTO_UNSPEC;
}

NetlinkSocket netfilter_socket() { return NetlinkSocket(NETLINK_NETFILTER, kNftHints); }

model::Fact<model::NftRuleset> read_nft_ruleset(NetlinkSocket& sock) {
    using Result = model::Fact<model::NftRuleset>;
    try {
        model::NftRuleset ruleset;
        for (int attempt = 0; attempt < kReadAttempts; ++attempt)
            if (read_once(sock, ruleset)) return Result::known(std::move(ruleset));
        return Result::unreadable("the ruleset kept changing while it was read (" +
                                  std::to_string(kReadAttempts) + " attempts)");
    } catch (const ProbeError& e) {
        return e.no_nf_tables ? Result::absent(e.what()) : Result::unreadable(e.what());
    }
}

model::Fact<std::vector<model::ConfigFile>> read_nft_config(const Root& root) {
    using Result = model::Fact<std::vector<model::ConfigFile>>;
    std::vector<model::ConfigFile> files;
    std::vector<std::string> pending;
    for (const char* main : {"/etc/nftables.conf", "/etc/sysconfig/nftables.conf"})
        if (file_exists(root, main)) pending.emplace_back(main);
    // Includes: `include "path-or-glob"`, relative ones against the including file.
    while (!pending.empty() && files.size() < 64) {
        const std::string path = pending.front();
        pending.erase(pending.begin());
        bool seen = false;
        for (const auto& f : files) seen = seen || f.path == path;
        if (seen) continue;
        auto content = read_file(root, path);
        if (!content.ok()) return Result::unreadable(content.error);
        std::istringstream in(*content.value);
        for (std::string line; std::getline(in, line);) {
            const auto start = line.find_first_not_of(" \t");
            if (start == std::string::npos || line.compare(start, 8, "include ") != 0) continue;
            const auto open = line.find('"', start), close = line.rfind('"');
            if (open == std::string::npos || close <= open) continue;
            std::string pattern = line.substr(open + 1, close - open - 1);
            if (pattern.empty()) continue;
            if (pattern[0] != '/') pattern = path.substr(0, path.rfind('/') + 1) + pattern;
            // nft's include_glob passes over the directories a wildcard matches (GLOB_MARK);
            // a plain path is read whatever it is, and refused when it is not a file.
            const bool wildcard = pattern.find_first_of("*?[") != std::string::npos;
            for (auto& match : glob_under_root(
                     root, pattern, wildcard ? GlobDirectories::skip : GlobDirectories::keep))
                pending.push_back(std::move(match));
        }
        files.push_back({path, std::move(*content.value)});
    }
    return Result::known(std::move(files));
}

namespace {

/// One family of legacy tables: the table names in `names_path` (absent: the
/// x_tables module is not loaded, so none), and when there are any, the rules as
/// `save` (iptables-legacy-save / ip6tables-legacy-save) prints them. Returns the
/// reason they cannot be read, empty on success.
std::string read_legacy_family(const char* names_path, const char* save, std::vector<std::string>& names,
                               std::string& rules) {
    const int fd = ::open(names_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return {};
        std::string why = std::string("cannot read ") + names_path + ": " + std::strerror(errno);
        if (errno == EACCES || errno == EPERM) why += " (reading the legacy iptables tables needs root)";
        return why;
    }
    std::string text;
    char chunk[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, chunk, sizeof chunk)) > 0 && text.size() < 65536) text.append(chunk, static_cast<size_t>(n));
    const int read_errno = errno;
    ::close(fd);
    if (n < 0) return std::string("cannot read ") + names_path + ": " + std::strerror(read_errno);
    for (auto& line : model::split_lines(text))
        if (!line.empty()) names.push_back(std::move(line));
    if (names.empty()) return {};
    const std::string program = find_program({std::string("/usr/sbin/") + save, std::string("/sbin/") + save});
    if (program.empty())
        return std::string(save) + " is not installed: cannot read the legacy rules (apt install iptables)";
    ProgramOptions options;
    options.capture_stdout = true;
    auto run = run_program({program}, options);
    if (!run.spawn_error.empty()) return run.spawn_error;
    if (!run.exited || run.exit_code != 0) {
        while (!run.messages.empty() && (run.messages.back() == '\n' || run.messages.back() == ' '))
            run.messages.pop_back();
        return program + (run.exited ? " exits " : " was killed: status ") + std::to_string(run.exit_code) +
               (run.messages.empty() ? "" : ": " + run.messages);
    }
    rules = std::move(run.output);
    return {};
}

}  // namespace

model::Fact<model::LegacyTables> read_legacy_iptables() {
    // /proc/net/ip{,6}_tables_names exist only while the x_tables modules are loaded
    // (absent: none); they are mode 0440, so an unprivileged run cannot tell.
    model::LegacyTables legacy;
    for (auto error : {read_legacy_family("/proc/net/ip_tables_names", "iptables-legacy-save", legacy.ipv4, legacy.save_ipv4),
                       read_legacy_family("/proc/net/ip6_tables_names", "ip6tables-legacy-save", legacy.ipv6,
                                          legacy.save_ipv6)})
        if (!error.empty()) return model::Fact<model::LegacyTables>::unreadable(std::move(error));
    return model::Fact<model::LegacyTables>::known(std::move(legacy));
}

}  // namespace haprep::host
