#include "host/nft_write.h"

#include "host/nft.h"
#include "host/netlink.h"
#include "host/program.h"

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

namespace haprep::host {

namespace {

/// The libnftnl expression for one of haprep's own; nullptr for a kind it never writes.
nftnl_expr* encode(const model::NftExpr& e) {
    nftnl_expr* x = nftnl_expr_alloc(e.name.c_str());
    if (!x) return nullptr;
    if (e.name == "meta") {
        nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, e.key);
        nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, e.dreg);
    } else if (e.name == "payload") {
        nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, e.base);
        nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, e.offset);
        nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, e.len);
        nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, e.dreg);
    } else if (e.name == "cmp") {
        const auto data = model::nft::from_hex(e.data);
        nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, e.sreg);
        nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, e.op);
        nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, data.data(), static_cast<uint32_t>(data.size()));
    } else if (e.name == "immediate") {
        nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
        nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_VERDICT, static_cast<uint32_t>(e.verdict));
    } else if (e.name != "counter") {
        nftnl_expr_free(x);
        return nullptr;
    }
    return x;
}

struct Batch {
    std::vector<char> buffer = std::vector<char>(1 << 20);
    mnl_nlmsg_batch* batch = nullptr;
    uint32_t seq = static_cast<uint32_t>(std::time(nullptr));
    uint32_t first_seq = 0, count = 0;
    Batch() {
        batch = mnl_nlmsg_batch_start(buffer.data(), buffer.size());
        nftnl_batch_begin(static_cast<char*>(mnl_nlmsg_batch_current(batch)), seq++);
        mnl_nlmsg_batch_next(batch);
        first_seq = seq;
    }
    ~Batch() { mnl_nlmsg_batch_stop(batch); }
    char* next() { return static_cast<char*>(mnl_nlmsg_batch_current(batch)); }
    void done_message() {
        mnl_nlmsg_batch_next(batch);
        ++count;
    }
    void end() {
        nftnl_batch_end(next(), seq + count);
        mnl_nlmsg_batch_next(batch);
    }
};

/// Sends the batch and collects the echoed rules' handles (NLM_F_ECHO) in order.
std::string send(Batch& b, std::vector<uint64_t>* handles) {
    // Its own socket: a write is one batch, apart from any probe run.
    NetlinkSocket sock(NETLINK_NETFILTER, {});
    if (!sock.open_error().empty()) return sock.open_error();
    const auto* head = static_cast<const std::byte*>(mnl_nlmsg_batch_head(b.batch));
    if (const int error = sock.send({head, mnl_nlmsg_batch_size(b.batch)}); error != 0)
        return netlink_error_text("netlink send", error);
    std::vector<std::byte> reply(64 * 1024);
    uint32_t acks = 0;
    // Acks come as the batch is processed, the echoed rules after the commit.
    while (acks < b.count || (handles && handles->size() < b.count)) {
        std::size_t n = 0;
        if (const int error = sock.receive(reply, n); error != 0) return netlink_error_text("netlink receive", error);
        int left = static_cast<int>(n);
        for (auto* nlh = reinterpret_cast<nlmsghdr*>(reply.data()); mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
            if (nlh->nlmsg_type == NLMSG_ERROR) {
                const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
                if (err->error != 0)
                    return netlink_error_text("the kernel refused the batch", -err->error, {"needs CAP_NET_ADMIN", ""});
                ++acks;
            } else if (handles && (nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE) {
                std::unique_ptr<nftnl_rule, decltype(&nftnl_rule_free)> r(nftnl_rule_alloc(), &nftnl_rule_free);
                if (nftnl_rule_nlmsg_parse(nlh, r.get()) == 0) handles->push_back(nftnl_rule_get_u64(r.get(), NFTNL_RULE_HANDLE));
            }
        }
    }
    return {};
}

}  // namespace

std::string insert_nft_rules(const std::vector<NftInsert>& inserts, std::vector<uint64_t>& handles) {
    handles.clear();
    Batch b;
    for (const auto& insert : inserts) {
        const auto& rule = insert.rule;
        std::unique_ptr<nftnl_rule, decltype(&nftnl_rule_free)> r(nftnl_rule_alloc(), &nftnl_rule_free);
        const int family = nft_family_number(rule.family);
        nftnl_rule_set_u32(r.get(), NFTNL_RULE_FAMILY, static_cast<uint32_t>(family));
        nftnl_rule_set_str(r.get(), NFTNL_RULE_TABLE, rule.table.c_str());
        nftnl_rule_set_str(r.get(), NFTNL_RULE_CHAIN, rule.chain.c_str());
        // Without NLM_F_APPEND a rule goes before POSITION, or at the head without one.
        if (insert.before != 0) nftnl_rule_set_u64(r.get(), NFTNL_RULE_POSITION, insert.before);
        for (const auto& e : rule.exprs) {
            nftnl_expr* x = encode(e);
            if (!x) return "cannot encode expression " + e.name;
            nftnl_rule_add_expr(r.get(), x);
        }
        std::unique_ptr<nftnl_udata_buf, decltype(&nftnl_udata_buf_free)> udata(nftnl_udata_buf_alloc(256),
                                                                                 &nftnl_udata_buf_free);
        nftnl_udata_put_strz(udata.get(), 0 /* NFTNL_UDATA_RULE_COMMENT */, rule.comment.c_str());
        nftnl_rule_set_data(r.get(), NFTNL_RULE_USERDATA, nftnl_udata_buf_data(udata.get()), nftnl_udata_buf_len(udata.get()));
        auto* nlh = nftnl_nlmsg_build_hdr(b.next(), NFT_MSG_NEWRULE, static_cast<uint16_t>(family),
                                          NLM_F_CREATE | NLM_F_ECHO | NLM_F_ACK, b.first_seq + b.count);
        nftnl_rule_nlmsg_build_payload(nlh, r.get());
        b.done_message();
    }
    b.end();
    auto error = send(b, &handles);
    if (error.empty() && handles.size() != inserts.size())
        error = "the kernel echoed " + std::to_string(handles.size()) + " of " + std::to_string(inserts.size()) + " rules";
    return error;
}

std::string check_nft_file(const Root& root, const std::string& host_path, const std::string& content) {
    const std::string nft = find_program({"/usr/sbin/nft", "/sbin/nft"});
    if (nft.empty()) return "nft is not installed: cannot check the edited file, so it is not written";
    const auto run = run_on_temporary_file(root(host_path).string() + ".haprep-check-", content,
                                           [&](const std::string& tmp) { return std::vector<std::string>{nft, "-c", "-f", tmp}; });
    if (!run.spawn_error.empty()) return run.spawn_error;
    if (run.exited && run.exit_code == 0) return {};
    return "nft -c -f rejects the edited " + host_path + ": " + run.messages;
}

std::string delete_nft_rules(const std::vector<model::NftRule>& rules) {
    Batch b;
    for (const auto& rule : rules) {
        std::unique_ptr<nftnl_rule, decltype(&nftnl_rule_free)> r(nftnl_rule_alloc(), &nftnl_rule_free);
        const int family = nft_family_number(rule.family);
        nftnl_rule_set_u32(r.get(), NFTNL_RULE_FAMILY, static_cast<uint32_t>(family));
        nftnl_rule_set_str(r.get(), NFTNL_RULE_TABLE, rule.table.c_str());
        nftnl_rule_set_str(r.get(), NFTNL_RULE_CHAIN, rule.chain.c_str());
        nftnl_rule_set_u64(r.get(), NFTNL_RULE_HANDLE, rule.handle);
        auto* nlh = nftnl_nlmsg_build_hdr(b.next(), NFT_MSG_DELRULE, static_cast<uint16_t>(family), NLM_F_ACK,
                                          b.first_seq + b.count);
        nftnl_rule_nlmsg_build_payload(nlh, r.get());
        b.done_message();
    }
    b.end();
    return send(b, nullptr);
}

}  // namespace haprep::host
