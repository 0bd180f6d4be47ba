#include "host/netlink.h"

#include <libmnl/libmnl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include "host/rtnl_parse.h"

namespace haprep::host {

namespace {

// Large enough for the biggest message the kernel puts in one dump datagram (one
// message of a large nf_tables ruleset exceeds libmnl's 8 KiB default).
constexpr std::size_t kReceiveBuffer = 64 * 1024;

NetlinkAnswer failed(NetlinkAnswer::Failure failure, int error = 0) {
    NetlinkAnswer answer;
    answer.failure = failure;
    answer.error = error;
    return answer;
}

}  // namespace

std::string netlink_error_text(const std::string& what, int error, const NetlinkHints& hints) {
    std::string text = what + ": " + std::strerror(error);
    if ((error == EPERM || error == EACCES) && !hints.permission.empty()) text += " (" + hints.permission + ")";
    if ((error == EPROTONOSUPPORT || error == ENOENT) && !hints.unsupported.empty())
        text += " (" + hints.unsupported + ")";
    return text;
}

void NetlinkSocket::Closer::operator()(mnl_socket* socket) const { mnl_socket_close(socket); }

NetlinkSocket::NetlinkSocket(int protocol, const NetlinkHints& hints)
    : socket_(mnl_socket_open2(protocol, SOCK_CLOEXEC)),
      // Distinct from the last run's numbers, as the kernel's own tools do.
      sequence_(static_cast<std::uint32_t>(std::time(nullptr))) {
    if (!socket_) {
        open_errno_ = errno;
        open_error_ = netlink_error_text("netlink socket", errno, hints);
        return;
    }
    if (mnl_socket_bind(socket_.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
        open_errno_ = errno;
        open_error_ = netlink_error_text("netlink bind", errno, hints);
        socket_.reset();
        return;
    }
    const timeval timeout{kReceiveTimeoutSeconds, 0};
    ::setsockopt(mnl_socket_get_fd(socket_.get()), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

NetlinkSocket::~NetlinkSocket() = default;
NetlinkSocket::NetlinkSocket(NetlinkSocket&&) noexcept = default;
NetlinkSocket& NetlinkSocket::operator=(NetlinkSocket&&) noexcept = default;

int NetlinkSocket::send(std::span<const std::byte> bytes) {
    if (mnl_socket_sendto(socket_.get(), bytes.data(), bytes.size()) < 0) return errno;
    return 0;
}

int NetlinkSocket::receive(std::span<std::byte> buffer, std::size_t& received) {
    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(socket_.get(), buffer.data(), buffer.size());
        if (n >= 0) {
            received = static_cast<std::size_t>(n);
            return 0;
        }
        if (errno != EINTR) return errno;
    }
}

NetlinkAnswer NetlinkSocket::request(nlmsghdr* request, const std::function<void(const nlmsghdr&)>& on_message) {
    using Failure = NetlinkAnswer::Failure;
    NetlinkAnswer answer;
    if (!socket_) return failed(Failure::socket);
    const std::uint32_t seq = next_sequence();
    request->nlmsg_seq = seq;
    if (const int error = send({reinterpret_cast<const std::byte*>(request), request->nlmsg_len}); error != 0)
        return failed(Failure::send, error);
    std::vector<std::byte> buffer(kReceiveBuffer);
    for (;;) {
        std::size_t n = 0;
        if (const int error = receive(buffer, n); error != 0)
            return failed(error == EAGAIN || error == EWOULDBLOCK ? Failure::timeout : Failure::receive, error);
        const auto outcome = rtnl::walk_messages(std::span<const std::byte>(buffer.data(), n), seq, on_message);
        answer.interrupted = answer.interrupted || outcome.interrupted;
        if (!outcome.malformed.empty()) {
            answer.failure = Failure::malformed;
            answer.malformed = outcome.malformed;
            return answer;
        }
        if (outcome.done) {
            answer.kernel_error = outcome.error;
            return answer;
        }
    }
}

}  // namespace haprep::host
