#include "host/sysctl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace haprep::host {

std::string sysctl_key_to_path(const std::string& key) {
    std::string path = key;
    while (!path.empty() && (path.front() == '/' || path.front() == '.')) path.erase(0, 1);
    const auto first = path.find_first_of("./");
    if (first != std::string::npos && path[first] == '.') {
        for (auto& c : path) {
            if (c == '.')
                c = '/';
            else if (c == '/')
                c = '.';
        }
    }
    return path;
}

std::string sysctl_path_to_key(const std::string& path) {
    std::string key = path;
    for (auto& c : key) {
        if (c == '.')
            c = '/';
        else if (c == '/')
            c = '.';
    }
    return key;
}

namespace {
std::string proc_path(const std::string& key) { return "/proc/sys/" + sysctl_key_to_path(key); }
}  // namespace

model::Fact<int> read_sysctl_int(const std::string& key) {
    const std::string path = proc_path(key);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return model::Fact<int>::absent(path + kNoSuchKey);
        return model::Fact<int>::unreadable(path + ": " + std::strerror(errno));
    }
    char buffer[64];
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    const int saved = errno;
    ::close(fd);
    if (n < 0) return model::Fact<int>::unreadable(path + ": " + std::strerror(saved));
    int value = 0;
    const char* end = buffer + n;
    const char* begin = buffer;
    while (begin < end && (*begin == ' ' || *begin == '\t')) ++begin;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc{} || ptr == begin)
        return model::Fact<int>::unreadable(path + ": not an integer");
    return model::Fact<int>::known(value);
}

std::string write_sysctl(const std::string& key, const std::string& value) {
    const std::string path = proc_path(key);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return path + ": " + std::strerror(errno);
    const std::string line = value + "\n";
    const ssize_t n = ::write(fd, line.data(), line.size());
    const int saved = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(line.size()))
        return path + ": " + (n < 0 ? std::strerror(saved) : "short write");
    return {};
}

}  // namespace haprep::host
