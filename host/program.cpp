#include "host/program.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace haprep::host {

ProgramResult run_program(const std::vector<std::string>& argv) {
    ProgramResult result;
    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        result.spawn_error = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    char* envp[] = {nullptr};
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, argv.at(0).c_str(), &actions, nullptr, args.data(), envp);
    posix_spawn_file_actions_destroy(&actions);
    ::close(err_pipe[1]);
    char chunk[4096];
    for (ssize_t n; spawned == 0 && (n = ::read(err_pipe[0], chunk, sizeof chunk)) > 0;)
        result.messages.append(chunk, static_cast<size_t>(n));
    ::close(err_pipe[0]);
    if (spawned != 0) {
        result.spawn_error = "cannot run " + argv[0] + ": " + std::strerror(spawned);
        return result;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exited = WIFEXITED(status);
    result.exit_code = result.exited ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ProgramResult run_on_temporary_file(const std::string& path_prefix, const std::string& content,
                                    const std::function<std::vector<std::string>(const std::string&)>& argv) {
    std::string tmp = path_prefix + "XXXXXX";
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) return {"cannot create " + tmp + ": " + std::strerror(errno), false, -1, {}};
    const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        return {"cannot write " + tmp, false, -1, {}};
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
