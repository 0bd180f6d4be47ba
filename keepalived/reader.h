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
//
// Budgets: whatever the files say, reading them ends, in bounded time and memory.
// Each limit is far above what a real configuration needs (the 28,000-line, 2,000-
// instance benchmark configuration is 1 MiB, 70,000 words, one file; real ones nest
// blocks 3-4 deep and include a few dozen files). Going over a budget is a syntax
// error of keepalived.parse (listed first, so it is the finding's message) with the
// file:line where it happened; reading stops there (the block limit only skips the
// block), so a configuration haprep did not read completely never passes.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/fact.h"
#include "model/keepalived.h"

namespace haprep::keepalived {

namespace limits {
/// Blocks inside blocks. keepalived's own parser recurses per block; real
/// configurations nest 3-4 deep (vrrp_instance { authentication { } }), so 64 leaves
/// 16x room while no recursion over the tree goes deeper. A deeper block is reported
/// at its keyword and its contents skipped (braces still counted).
constexpr int kMaxBlockDepth = 64;
/// Includes inside includes (a chain a.conf -> b.conf -> ...).
constexpr int kMaxIncludeDepth = 32;
/// Files read in total, a file read again counting again: a conf.d of a few hundred
/// files, or a snippet included into each of 2,000 instances, stays well inside; an
/// include bomb (files each including the next twice: 2^20 reads) stops here. No
/// separate limit per distinct file: a shared snippet is legitimately read once per
/// instance, and this total already bounds the repeats.
constexpr int kMaxFileReads = 10'000;
/// `include` lines evaluated in total: each is a glob(3), a directory scan on the host.
constexpr int kMaxIncludeLines = 10'000;
/// Bytes of file content read in total, repeats included: 64x the benchmark configuration.
constexpr size_t kMaxTextRead = size_t{64} << 20;
/// Bytes that `$NAME` substitution adds in total (a 100 KB definition used 256 times on
/// each of 40 lines would add 1 GB).
constexpr size_t kMaxExpandedText = size_t{64} << 20;
/// Words in total (after substitution): what the lines and the block tree cost in memory
/// (~0.3 KiB a word at worst) is bounded by it, where bytes of text alone would not bound
/// it (a one-letter word per line). 14x the benchmark configuration.
constexpr size_t kMaxWords = 1'000'000;
/// `$NAME` substitutions on one line: a definition that expands to itself stops here.
constexpr int kMaxSubstitutions = 256;
/// Messages kept in one list (errors, unknown keywords, unsupported constructs); the
/// last one kept says that more were not listed.
constexpr size_t kMaxMessages = 1'000;
}  // namespace limits

/// Appends a message unless `list` is full (limits::kMaxMessages): the message that
/// fills it says that further ones are not listed, and those are dropped.
void add_message(std::vector<model::KeepalivedMessage>& list, std::string message, model::SourceLocation at);

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
    /// Budgets exceeded (limits::...): reading stopped at the first; at most one.
    std::vector<model::KeepalivedMessage> exceeded;
    std::vector<model::KeepalivedMessage> unsupported;
    std::vector<model::KeepalivedInclude> includes;  ///< every include line and what it read
};

/// `config_id` is what `@ID` lines are matched against (keepalived's -i; by default
/// the host name up to its first dot).
ReadResult read_config(const std::string& main_path, const Loader& loader, const std::string& config_id);

}  // namespace haprep::keepalived
