#pragma once
// One `fix --apply` at a time: an exclusive flock on /run/haprep.lock (under --root),
// released when the process exits, even when it crashes.

#include <string>

#include "host/root.h"

namespace haprep::host {

class ExclusiveLock {
public:
    ExclusiveLock() = default;
    ExclusiveLock(const ExclusiveLock&) = delete;
    ExclusiveLock& operator=(const ExclusiveLock&) = delete;
    ExclusiveLock(ExclusiveLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    ~ExclusiveLock();

    /// Takes the lock without waiting; returns the error text, empty on success.
    std::string acquire(const Root& root, const std::string& host_path);

private:
    int fd_ = -1;
};

}  // namespace haprep::host
