#pragma once
// Reads keepalived.conf and what it includes into one stream of logical lines, the
// way keepalived's read_line does: `include PATTERN` (glob(3), relative to the
// including file's directory), `@ID` / `@^ID` conditional lines, `$NAME=value`
// definitions with `$NAME` / `${NAME}` substitution, and `\` continuation lines.
//
// A multiline definition (value ending in `\`) reads as one line: the parser works
// on words and braces, not lines, so blocks it holds still parse.
// Not modelled, reported in `unsupported` (the line is kept as written):
// parameterised definitions, `$_PWD`, `$_INSTANCE`, `$_RANDOM`, `$_ENV`, `~SEQ`
// sequences, and the includer/includem/... variants (read as plain include).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/fact.h"
#include "model/keepalived.h"

namespace haprep::keepalived {

/// How the reader reaches files, so the parser is testable on strings and fuzzable.
struct Loader {
    /// The content of a host path (the caller applies --root).
    std::function<model::Fact<std::string>(const std::string& path)> read;
    /// The host paths matching a glob pattern, sorted; none when nothing matches.
    std::function<std::vector<std::string>(const std::string& pattern)> glob;
};

/// Where a line is, cheaply: the file's path is stored once per ReadResult (`file`
/// points into ReadResult::paths), not copied into each of tens of thousands of lines
/// (a third of the parse time on a 28,000-line configuration).
struct Pos {
    const std::string* file = nullptr;
    int line = 0;
    bool operator==(const Pos&) const = default;
    model::SourceLocation location() const { return {file ? *file : std::string(), line}; }
};

/// One logical line after comments, conditionals and definitions.
struct Line {
    std::vector<std::string> words;
    Pos at;
    std::string indent;  ///< the blanks the physical line starts with
    /// Which reading of a file the line comes from, counting from 0 in the order read:
    /// a file included twice is read twice, and its lines are not one run of lines.
    int reading = 0;
};

struct ReadResult {
    std::vector<Line> lines;  ///< they point into `paths`: keep the ReadResult while they are used
    std::vector<std::unique_ptr<const std::string>> paths;  ///< every path read, once
    std::vector<model::ConfigFile> files;  ///< every file read, in the order first read
    std::vector<model::KeepalivedMessage> errors;
    std::vector<model::KeepalivedMessage> unsupported;
    std::vector<model::KeepalivedInclude> includes;  ///< every include line and what it read
};

/// `config_id` is what `@ID` lines are matched against (keepalived's -i; by default
/// the host name up to its first dot).
ReadResult read_config(const std::string& main_path, const Loader& loader, const std::string& config_id);

}  // namespace haprep::keepalived
