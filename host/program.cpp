#include "host/program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace haprep::host {

namespace {

// stderr is for the error message: more than this is read and dropped.
constexpr std::size_t kMaxMessages = 1024 * 1024;

/// "30 s", "1.5 s", "0.25 s": how a timeout reads in a message.
std::string seconds_text(std::chrono::milliseconds timeout) {
    const long long ms = timeout.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    char text[48];
    std::snprintf(text, sizeof text, "%.3g s", static_cast<double>(ms) / 1000.0);
    return text;
}

struct Pipe {
    int fd[2] = {-1, -1};
    bool open() { return ::pipe2(fd, O_CLOEXEC) == 0; }
    void close_read() {
        if (fd[0] >= 0) ::close(fd[0]);
        fd[0] = -1;
    }
    void close_write() {
        if (fd[1] >= 0) ::close(fd[1]);
        fd[1] = -1;
    }
    ~Pipe() {
        close_read();
        close_write();
    }
};

/// Starts argv[0] with stdin from /dev/null, stderr into `err`, stdout into `out`
/// (or /dev/null), an empty environment. Returns posix_spawn's error number.
int spawn(const std::vector<std::string>& argv, Pipe& err, Pipe* out, pid_t& pid) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err.fd[1], STDERR_FILENO);
    if (out)
        posix_spawn_file_actions_adddup2(&actions, out->fd[1], STDOUT_FILENO);
    else
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    char* envp[] = {nullptr};
    const int spawned = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp);
    posix_spawn_file_actions_destroy(&actions);
    return spawned;
}

/// Reads both pipes until they close (the program exited, or closed them), the
/// deadline passes (timed_out), or stdout overflows (returns true).
bool read_output(Pipe& err, Pipe& out, std::chrono::steady_clock::time_point deadline, std::size_t max_stdout,
                 ProgramResult& result) {
    bool overflow = false;
    char chunk[65536];
    while ((err.fd[0] >= 0 || out.fd[0] >= 0) && !overflow) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd fds[2] = {{err.fd[0], POLLIN, 0}, {out.fd[0], POLLIN, 0}};  // fd -1: ignored by poll
        const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count() + 1, 60'000)));
        if (ready < 0) {
            if (errno == EINTR) continue;
            result.spawn_error = std::string("poll: ") + std::strerror(errno);
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) continue;
            const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            Pipe& p = i == 0 ? err : out;
            if (n <= 0) {
                p.close_read();
                continue;
            }
            const auto size = static_cast<std::size_t>(n);
            if (i == 0) {
                if (result.messages.size() < kMaxMessages)
                    result.messages.append(chunk, std::min(size, kMaxMessages - result.messages.size()));
            } else if (result.output.size() + size > max_stdout) {
                overflow = true;
            } else {
                result.output.append(chunk, size);
            }
        }
    }
    return overflow;
}

/// Waits for the child (already killed when `stop`), killing it when the deadline
/// passes: both pipes closed does not mean it exited (it may have closed them). False
/// when it cannot be waited for (spawn_error set).
bool reap(pid_t pid, bool stop, std::chrono::steady_clock::time_point deadline, const std::string& name,
          int& status, ProgramResult& result) {
    for (;;) {
        const pid_t waited = ::waitpid(pid, &status, stop ? 0 : WNOHANG);
        if (waited == pid) return true;
        if (waited < 0 && errno == EINTR) continue;
        if (waited < 0) {  // ECHILD: reaped elsewhere (SIGCHLD ignored): its status is lost
            if (result.spawn_error.empty()) result.spawn_error = "cannot wait for " + name + ": " + std::strerror(errno);
            return false;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            stop = true;
            continue;
        }
        ::usleep(2000);
    }
}

}  // namespace

ProgramResult run_program(const std::vector<std::string>& argv, const ProgramOptions& options) {
    ProgramResult result;
    if (argv.empty() || argv[0].empty()) {
        result.spawn_error = "cannot run a program without a name";
        return result;
    }
    Pipe err, out;
    if (!err.open() || (options.capture_stdout && !out.open())) {
        result.spawn_error = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    pid_t pid = 0;
    const int spawned = spawn(argv, err, options.capture_stdout ? &out : nullptr, pid);
    err.close_write();
    out.close_write();
    if (spawned != 0) {
        result.spawn_error = "cannot run " + argv[0] + ": " + std::strerror(spawned);
        return result;
    }
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    const bool overflow = read_output(err, out, deadline, options.max_stdout, result);
    const bool stop = result.timed_out || overflow || !result.spawn_error.empty();
    // The child is ours and not yet waited for, so `pid` cannot name another process.
    if (stop) ::kill(pid, SIGKILL);
    err.close_read();
    out.close_read();
    int status = 0;
    if (!reap(pid, stop, deadline, argv[0], status, result)) return result;
    result.exited = WIFEXITED(status);
    result.exit_code = result.exited ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (result.timed_out) {
        result.exited = false;
        result.spawn_error = argv[0] + " timed out after " + seconds_text(options.timeout) + " (killed)";
    } else if (overflow) {
        result.exited = false;
        result.output.clear();
        result.spawn_error = argv[0] + " wrote more than " + std::to_string(options.max_stdout) +
                             " bytes to standard output (killed)";
    }
    return result;
}

ProgramResult run_on_temporary_file(const std::string& path_prefix, const std::string& content,
                                    const std::function<std::vector<std::string>(const std::string&)>& argv) {
    ProgramResult failed;
    std::string tmp = path_prefix + "XXXXXX";
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        failed.spawn_error = "cannot create " + tmp + ": " + std::strerror(errno);
        return failed;
    }
    const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        failed.spawn_error = "cannot write " + tmp;
        return failed;
    }
    auto result = run_program(argv(tmp));
    ::unlink(tmp.c_str());
    return result;
}

std::string find_program(const std::vector<std::string>& candidates) {
    for (const auto& c : candidates)
        if (::access(c.c_str(), X_OK) == 0) return c;
    return {};
}

}  // namespace haprep::host
