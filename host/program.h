#pragma once
// Running an external program the safe way: posix_spawn (execve) with a fixed
// argument vector and an empty environment, never a shell; stdin is /dev/null,
// stdout is discarded unless captured, stderr is collected for the error message.
// Every run is bounded in time: a program still running at the timeout (default
// 30 s) is killed with SIGKILL and the run is a failure.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace haprep::host {

struct ProgramResult {
    /// Non-empty when the run failed before an exit status could mean anything: the
    /// program could not be started ("cannot run /usr/sbin/nft: No such file or
    /// directory"), did not finish in time ("... timed out after 30 s"), or wrote
    /// more standard output than ProgramOptions::max_stdout. A ready-made message.
    std::string spawn_error;
    bool exited = false;      ///< false when killed by a signal (also by the timeout)
    int exit_code = -1;       ///< the exit status, or 128 + the signal number
    std::string messages;     ///< what it wrote to stderr (at most 1 MiB is kept)
    std::string output;       ///< what it wrote to stdout, when captured
    bool timed_out = false;   ///< killed at ProgramOptions::timeout
};

struct ProgramOptions {
    /// The default bound on a run: long enough for any program haprep runs on a
    /// loaded host (nft -c on a large ruleset, iptables-legacy-save), short enough
    /// that a hung program does not hang haprep.
    static constexpr std::chrono::milliseconds kDefaultTimeout{30'000};
    /// Captured stdout larger than this fails the run (and kills the program).
    static constexpr std::size_t kDefaultMaxStdout = 16 * 1024 * 1024;

    bool capture_stdout = false;  ///< keep stdout in ProgramResult::output, else /dev/null
    std::chrono::milliseconds timeout = kDefaultTimeout;
    std::size_t max_stdout = kDefaultMaxStdout;
};

/// Runs argv[0] (an absolute path: no PATH search) with arguments argv[1..] and waits
/// for it, at most `options.timeout`. argv must not be empty.
ProgramResult run_program(const std::vector<std::string>& argv, const ProgramOptions& options = {});

/// Writes `content` to a new file named `path_prefix` + a random suffix (beside the
/// file it stands for, so relative paths in it resolve alike), runs the program whose
/// argument vector `argv(temporary path)` returns, and removes the file. A file that
/// cannot be written is reported as `spawn_error`.
ProgramResult run_on_temporary_file(const std::string& path_prefix, const std::string& content,
                                    const std::function<std::vector<std::string>(const std::string&)>& argv);

/// The first of `candidates` that is an executable file, or "".
std::string find_program(const std::vector<std::string>& candidates);

}  // namespace haprep::host
