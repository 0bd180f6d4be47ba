#pragma once
// One netlink socket, owned by the caller: opened once per protocol (rtnetlink,
// nf_tables) and used for every request of a probe run or a write, instead of a
// socket per request. It sends a request and walks the answer to its end (NLMSG_DONE
// of a dump, the kernel's ACK otherwise), handing each data message to the caller,
// who decodes it (host/rtnl_parse.h, libnftnl). libmnl stays inside host/netlink.cpp.
// Errors come back as data; each caller words them (netlink_error_text).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

struct mnl_socket;
struct nlmsghdr;

namespace haprep::host {

/// Why the usual errno values happen, in parentheses after the errno text.
struct NetlinkHints {
    std::string permission;   ///< after EPERM/EACCES: "needs CAP_NET_ADMIN"
    std::string unsupported;  ///< after EPROTONOSUPPORT/ENOENT: "is nf_tables available?"
};

/// "what: strerror(error)", plus the hint that explains `error`: the one way netlink
/// errors are worded.
std::string netlink_error_text(const std::string& what, int error, const NetlinkHints& hints = {});

/// How one request ended.
struct NetlinkAnswer {
    enum class Failure {
        none,       ///< the kernel answered to the end; see kernel_error
        socket,     ///< the socket could not be opened (NetlinkSocket::open_error)
        send,       ///< sending failed: `error` is errno
        receive,    ///< receiving failed: `error` is errno (ENOBUFS: the socket overran)
        timeout,    ///< no answer within the receive timeout
        malformed,  ///< the answer does not parse: `malformed` says how
    } failure = Failure::none;
    int error = 0;
    std::string malformed;
    int kernel_error = 0;      ///< errno in the kernel's NLMSG_ERROR or NLMSG_DONE
    bool interrupted = false;  ///< NLM_F_DUMP_INTR: the tables changed during the dump
};

class NetlinkSocket {
public:
    static constexpr int kReceiveTimeoutSeconds = 10;

    /// Opens and binds a socket of `protocol` (NETLINK_ROUTE, NETLINK_NETFILTER) with
    /// a receive timeout: the kernel answers at once, and a missing answer must not
    /// hang a cron job. `hints` word open_error().
    NetlinkSocket(int protocol, const NetlinkHints& hints);
    ~NetlinkSocket();
    NetlinkSocket(NetlinkSocket&&) noexcept;
    NetlinkSocket& operator=(NetlinkSocket&&) noexcept;

    /// "netlink socket: ..." or "netlink bind: ...", empty when the socket is open.
    const std::string& open_error() const { return open_error_; }
    /// The errno behind open_error(), 0 when the socket is open.
    int open_errno() const { return open_errno_; }

    /// Sends `request` with the next sequence number (written into it) and hands every
    /// data message of the answer to `on_message` until the kernel says done:
    /// NLMSG_DONE for a dump, the ACK for anything else (so every request that is not
    /// a dump must carry NLM_F_ACK). Messages of earlier requests are skipped.
    NetlinkAnswer request(nlmsghdr* request, const std::function<void(const nlmsghdr&)>& on_message);

    /// For what request() does not walk (an nf_tables batch: one ACK per message):
    /// sends `bytes` as they are, and receives one datagram into `buffer`. Both return
    /// 0 or errno; receive sets `received` to the datagram's length.
    int send(std::span<const std::byte> bytes);
    int receive(std::span<std::byte> buffer, std::size_t& received);

    std::uint32_t next_sequence() { return ++sequence_; }

private:
    struct Closer {
        void operator()(mnl_socket* socket) const;
    };
    std::unique_ptr<mnl_socket, Closer> socket_;
    std::string open_error_;
    int open_errno_ = 0;
    std::uint32_t sequence_ = 0;
};

}  // namespace haprep::host
