#pragma once
// Running an external program the safe way: posix_spawn (execve) with a fixed
// argument vector and an empty environment, never a shell; stdout discarded, stderr
// collected for the error message.

#include <functional>
#include <string>
#include <vector>

namespace haprep::host {

struct ProgramResult {
    std::string spawn_error;  ///< non-empty when it could not be started
    bool exited = false;      ///< false when killed by a signal
    int exit_code = -1;
    std::string messages;  ///< what it wrote to stderr
};

ProgramResult run_program(const std::vector<std::string>& argv);

/// Writes `content` to a new file named `path_prefix` + a random suffix (beside the
/// file it stands for, so relative paths in it resolve alike), runs the program whose
/// argument vector `argv(temporary path)` returns, and removes the file. A file that
/// cannot be written is reported as `spawn_error`.
ProgramResult run_on_temporary_file(const std::string& path_prefix, const std::string& content,
                                    const std::function<std::vector<std::string>(const std::string&)>& argv);

/// The first of `candidates` that is an executable file, or "".
std::string find_program(const std::vector<std::string>& candidates);

}  // namespace haprep::host
