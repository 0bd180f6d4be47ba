#include "host/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <glob.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>

namespace haprep::host {

namespace fs = std::filesystem;

namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

enum class Missing { create, stop };

/// Makes sure none of the directories between the root and `dir` is a symlink, so a
/// writer running as root cannot be sent elsewhere (`verb`: "write", "remove").
/// A missing one is created for a write; a removal stops there (nothing to remove).
std::string check_directories(const Root& root, const fs::path& host_dir, const char* verb,
                              Missing missing) {
    fs::path current = root.prefix();
    for (const auto& part : host_dir.relative_path()) {
        current /= part;
        struct stat st {};
        if (::lstat(current.c_str(), &st) == 0) {
            if (S_ISLNK(st.st_mode))
                return current.string() + ": is a symlink; refusing to " + verb + " through it";
            if (!S_ISDIR(st.st_mode)) return current.string() + ": not a directory";
            continue;
        }
        if (errno != ENOENT) return errno_text(current.string());
        if (missing == Missing::stop) return {};
        if (::mkdir(current.c_str(), 0755) != 0 && errno != EEXIST)
            return errno_text("mkdir " + current.string());
    }
    return {};
}

std::string random_suffix() {
    std::random_device device;
    std::ostringstream out;
    out << std::hex << device() << device();
    return out.str();
}

}  // namespace

std::string resolve_under_root(const Root& root, const std::string& host_path) {
    fs::path current = host_path;
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        const fs::path on_disk = root(current.string());
        if (!fs::is_symlink(fs::symlink_status(on_disk, ec))) break;
        fs::path target = fs::read_symlink(on_disk, ec);
        if (ec) break;
        current = target.is_absolute() ? target : current.parent_path() / target;
        current = current.lexically_normal();
    }
    return current.string();
}

namespace {

/// What a file that is not regular is, for the refusal.
std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symlink";
    return "not a regular file";
}

std::string size_text(std::size_t bytes) {
    if (bytes % (std::size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

model::Fact<std::string> read_regular_file(const std::string& path_on_disk, const std::string& shown_as,
                                           bool follow_symlink, std::size_t max_bytes) {
    using Result = model::Fact<std::string>;
    // "SHOWN is a FIFO, ..." / "SHOWN: cannot open: ..."; the bare reason without a name.
    auto clause = [&](const std::string& text) {
        return Result::unreadable(shown_as.empty() ? text : shown_as + " " + text);
    };
    auto failed = [&](const std::string& what, int error) {
        const std::string text = what + ": " + std::strerror(error);
        return Result::unreadable(shown_as.empty() ? text : shown_as + ": " + text);
    };
    auto refuse_type = [&](mode_t mode) {
        const std::string kind = kind_of(mode);
        return clause(kind == "not a regular file" ? "is not a regular file" : "is " + kind + ", not a regular file");
    };
    auto too_large = [&] { return clause("is larger than " + size_text(max_bytes) + ": not read"); };

    // Look before opening: opening a device can have effects of its own (a watchdog
    // arms, a tape rewinds), and a socket cannot be opened at all.
    struct stat st {};
    if ((follow_symlink ? ::stat(path_on_disk.c_str(), &st) : ::lstat(path_on_disk.c_str(), &st)) != 0)
        return failed("cannot open", errno);
    if (!S_ISREG(st.st_mode)) return refuse_type(st.st_mode);
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) return too_large();

    // O_NONBLOCK: should a FIFO replace the file between the stat and the open, the
    // open returns at once and the fstat below refuses it.
    const int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_symlink ? 0 : O_NOFOLLOW);
    int fd = -1;
    do fd = ::open(path_on_disk.c_str(), flags);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return failed("cannot open", errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (::fstat(fd, &st) != 0) return failed("cannot read", errno);
    if (!S_ISREG(st.st_mode)) return refuse_type(st.st_mode);
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) return too_large();

    // The size is a hint (the file may grow while it is read, /proc files say 0):
    // read to the end, but never past the budget.
    std::string content;
    content.reserve(static_cast<std::size_t>(st.st_size));
    char chunk[65536];
    for (;;) {
        const std::size_t room = max_bytes + 1 - content.size();  // one more byte shows it is too large
        const ssize_t n = ::read(fd, chunk, std::min(sizeof chunk, room));
        if (n < 0) {
            if (errno == EINTR) continue;
            return failed("cannot read", errno);
        }
        if (n == 0) break;
        content.append(chunk, static_cast<std::size_t>(n));
        if (content.size() > max_bytes) return too_large();
    }
    return Result::known(std::move(content));
}

model::Fact<std::string> read_file(const Root& root, const std::string& host_path,
                                   const std::optional<std::string>& shown_as) {
    const std::string real = resolve_under_root(root, host_path);
    std::string shown = host_path;
    if (shown_as) shown = *shown_as;
    else if (real != host_path) shown += " (a symlink to " + real + ")";
    // resolve_under_root has followed the symlinks it keeps inside the root; one still
    // there (a loop, a link to itself: ROOT/dev/zero -> /dev/zero) would be followed by
    // the kernel out of the root: refused instead (O_NOFOLLOW).
    struct stat st {};
    if (::lstat(root(real).c_str(), &st) == 0 && S_ISLNK(st.st_mode))
        return model::Fact<std::string>::unreadable(
            (shown.empty() ? "" : shown + " ") +
            "is a symlink that does not resolve to a file (a loop, or out of --root): not followed");
    return read_regular_file(root(real), shown, /*follow_symlink=*/false);
}

model::Fact<std::vector<std::string>> list_config_directories(
    const Root& root, const std::vector<std::string>& directories, const std::string& suffix) {
    using Result = model::Fact<std::vector<std::string>>;
    std::map<std::string, std::string> by_name;  // name -> host path of the first provider
    for (const auto& dir : directories) {
        std::error_code ec;
        const fs::path on_disk = root(dir);
        if (!fs::exists(on_disk, ec)) continue;
        fs::directory_iterator it(on_disk, ec);
        if (ec) return Result::unreadable(dir + ": " + ec.message());
        for (const auto& entry : it) {
            // systemd's conf_files_list passes over directories (a symlink it follows);
            // anything else that is not a regular file is listed, and refused when read.
            std::error_code type_ec;
            if (!entry.is_symlink(type_ec) && entry.is_directory(type_ec)) continue;
            const std::string name = entry.path().filename().string();
            if (name.size() <= suffix.size() ||
                name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
                continue;
            by_name.emplace(name, dir + "/" + name);
        }
    }
    std::vector<std::string> ordered;
    for (const auto& [name, path] : by_name) ordered.push_back(path);
    return Result::known(std::move(ordered));
}

std::vector<std::string> glob_under_root(const Root& root, const std::string& host_pattern,
                                         GlobDirectories directories) {
    const bool skip_directories = directories == GlobDirectories::skip;
    const std::string prefix = root.is_host_root() ? "" : root.prefix().string();
    glob_t matches{};
    std::vector<std::string> paths;
    if (::glob(root(host_pattern).c_str(), skip_directories ? GLOB_MARK : 0, nullptr, &matches) ==
        0) {
        for (size_t i = 0; i < matches.gl_pathc; ++i) {
            std::string path = matches.gl_pathv[i];
            if (skip_directories && (path.empty() || path.back() == '/')) continue;  // GLOB_MARK
            // Back to a host path: the prefix off, one leading '/' (--root may end in '/').
            if (!prefix.empty() && path.rfind(prefix, 0) == 0) path.erase(0, prefix.size());
            if (path.empty() || path[0] != '/') path.insert(0, "/");
            paths.push_back(std::move(path));
        }
    }
    ::globfree(&matches);
    std::sort(paths.begin(), paths.end());
    return paths;
}

bool file_exists(const Root& root, const std::string& host_path) {
    std::error_code ec;
    return fs::exists(root(resolve_under_root(root, host_path)), ec);
}

std::string write_file_atomic(const Root& root, const std::string& host_path,
                              const std::string& content, unsigned mode_if_new) {
    const fs::path host = host_path;
    if (auto err = check_directories(root, host.parent_path(), "write", Missing::create);
        !err.empty())
        return err;

    const fs::path dir_on_disk = root(host.parent_path().string());
    const int dir_fd = ::open(dir_on_disk.c_str(), O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir_fd < 0) return errno_text(dir_on_disk.string());

    const std::string name = host.filename().string();
    mode_t mode = mode_if_new;
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode)) {
            ::close(dir_fd);
            return host_path + ": is a symlink; refusing to replace it";
        }
        mode = st.st_mode & 07777;
    }

    const std::string temp = "." + name + ".haprep-" + random_suffix();
    const int fd = ::openat(dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                            mode);
    if (fd < 0) {
        auto err = errno_text("create " + temp);
        ::close(dir_fd);
        return err;
    }
    auto fail = [&](const std::string& what) {
        auto err = errno_text(what);
        ::close(fd);
        ::unlinkat(dir_fd, temp.c_str(), 0);
        ::close(dir_fd);
        return err;
    };
    size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("write " + temp);
        }
        written += static_cast<size_t>(n);
    }
    // umask may have narrowed the mode given to openat.
    if (::fchmod(fd, mode) != 0) return fail("chmod " + temp);
    if (::fsync(fd) != 0) return fail("fsync " + temp);
    if (::renameat(dir_fd, temp.c_str(), dir_fd, name.c_str()) != 0) return fail("rename " + temp);
    ::close(fd);
    // The rename is only durable once the directory entry is on disk too.
    ::fsync(dir_fd);
    ::close(dir_fd);
    return {};
}

std::string remove_file(const Root& root, const std::string& host_path) {
    const auto parent = fs::path(host_path).parent_path();
    if (auto err = check_directories(root, parent, "remove", Missing::stop); !err.empty())
        return err;
    const fs::path on_disk = root(host_path);
    struct stat st {};
    if (::lstat(on_disk.c_str(), &st) != 0) return errno == ENOENT ? "" : errno_text(host_path);
    if (S_ISLNK(st.st_mode)) return host_path + ": is a symlink; refusing to remove it";
    if (::unlink(on_disk.c_str()) != 0) return errno_text("remove " + host_path);
    return {};
}

}  // namespace haprep::host
