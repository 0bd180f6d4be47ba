#include "keepalived/flatten.h"

#include <fnmatch.h>

#include <algorithm>

#include "keepalived/lexer.h"

namespace haprep::keepalived {

namespace {

constexpr int kMaxDepth = 32;  // as the reader: deeper includes were not read either

const model::ConfigFile* find(const std::vector<model::ConfigFile>& files, const std::string& path) {
    for (const auto& f : files)
        if (f.path == path) return &f;
    return nullptr;
}

/// The include pattern of a line, or "" when it is not an include line (for this
/// config id: `@ID include ...` counts only where the reader takes the line).
std::string include_pattern(const std::string& line, const std::string& config_id) {
    std::string error;
    std::string text = strip_comment(line, error);
    if (!text.empty() && text[0] == '@') {
        const bool reverse = text.size() > 1 && text[1] == '^';
        const size_t id_begin = reverse ? 2 : 1;
        const size_t id_end = text.find_first_of(" \t", id_begin);
        if (id_end == std::string::npos) return {};
        const bool match = !config_id.empty() && text.compare(id_begin, id_end - id_begin, config_id) == 0 &&
                           id_end - id_begin == config_id.size();
        if (match == reverse) return {};
        text.erase(0, text.find_first_not_of(" \t", id_end));
    }
    if (text.rfind("include", 0) != 0 || text.size() < 9) return {};
    size_t start = 7;
    if (text[start] != ' ' && text[start] != '\t') {
        if (std::string("rmbwa").find(text[start]) == std::string::npos) return {};
        ++start;
        if (text[start] != ' ' && text[start] != '\t') return {};
    }
    std::string pattern = text.substr(text.find_first_not_of(" \t", start));
    if (pattern.size() >= 2 && pattern.front() == '"' && pattern.back() == '"') pattern = pattern.substr(1, pattern.size() - 2);
    return pattern;
}

void append(const std::vector<model::ConfigFile>& files, const model::ConfigFile& file, const std::string& config_id,
            std::vector<std::string>& stack, std::string& out) {
    stack.push_back(file.path);
    const std::string dir = file.path.substr(0, file.path.rfind('/'));
    size_t pos = 0;
    while (pos < file.content.size()) {
        const size_t nl = file.content.find('\n', pos);
        const size_t end = nl == std::string::npos ? file.content.size() : nl;
        const std::string line = file.content.substr(pos, end - pos);
        pos = end + 1;
        std::string pattern = include_pattern(line, config_id);
        if (pattern.empty()) {
            out += line + "\n";
            continue;
        }
        if (pattern[0] != '/') pattern = (dir.empty() ? "" : dir) + "/" + pattern;
        std::vector<std::string> matches;
        for (const auto& f : files)
            if (::fnmatch(pattern.c_str(), f.path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) matches.push_back(f.path);
        std::sort(matches.begin(), matches.end());
        out += "# " + line + "\n";  // keeps the line count readable in keepalived's messages
        for (const auto& path : matches)
            if (std::find(stack.begin(), stack.end(), path) == stack.end() && stack.size() < kMaxDepth)
                append(files, *find(files, path), config_id, stack, out);
    }
    stack.pop_back();
}

}  // namespace

std::string flatten(const std::string& main_path, const std::vector<model::ConfigFile>& files,
                    const std::string& config_id) {
    std::string out;
    std::vector<std::string> stack;
    if (const auto* main = find(files, main_path)) append(files, *main, config_id, stack, out);
    return out;
}

}  // namespace haprep::keepalived
