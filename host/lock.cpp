#include "host/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace haprep::host {

ExclusiveLock::~ExclusiveLock() {
    if (fd_ >= 0) ::close(fd_);
}

std::string ExclusiveLock::acquire(const Root& root, const std::string& host_path) {
    const auto path = root(host_path);
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) return path.string() + ": " + std::strerror(errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int saved = errno;
        ::close(fd_);
        fd_ = -1;
        if (saved == EWOULDBLOCK) return "another `haprep fix --apply` holds " + path.string();
        return path.string() + ": " + std::strerror(saved);
    }
    return {};
}

}  // namespace haprep::host
