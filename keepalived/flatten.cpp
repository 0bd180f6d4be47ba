#include "keepalived/flatten.h"

#include <algorithm>
#include <map>
#include <utility>

#include "keepalived/lexer.h"

namespace haprep::keepalived {

namespace {

constexpr size_t kMaxDepth = 32;  // as the reader: deeper includes were not read either

using IncludeMap = std::map<std::pair<std::string, int>, const model::KeepalivedInclude*>;

const model::ConfigFile* find(const std::vector<model::ConfigFile>& files, const std::string& path) {
    for (const auto& f : files)
        if (f.path == path) return &f;
    return nullptr;
}

void append(const std::vector<model::ConfigFile>& files, const IncludeMap& includes, const model::ConfigFile& file,
            std::vector<std::string>& stack, std::string& out) {
    stack.push_back(file.path);
    size_t pos = 0;
    for (int number = 1; pos < file.content.size(); ++number) {
        const size_t nl = file.content.find('\n', pos);
        const size_t end = nl == std::string::npos ? file.content.size() : nl;
        const std::string_view line(file.content.data() + pos, end - pos);
        pos = end + 1;
        const auto it = includes.find({file.path, number});
        if (it == includes.end()) {
            out.append(line) += '\n';
            continue;
        }
        // The whole logical line: physical lines joined by a trailing backslash, as the
        // reader joined them.
        for (std::string_view physical = line;;) {
            out.append("# ").append(physical) += '\n';
            std::string error;
            const std::string stripped = strip_comment(physical, error);
            if (stripped.empty() || stripped.back() != '\\' || pos >= file.content.size()) break;
            const size_t next_nl = file.content.find('\n', pos);
            const size_t next_end = next_nl == std::string::npos ? file.content.size() : next_nl;
            physical = std::string_view(file.content.data() + pos, next_end - pos);
            pos = next_end + 1;
            ++number;
        }
        for (const auto& path : it->second->files) {
            const auto* included = find(files, path);
            if (included && stack.size() < kMaxDepth && std::find(stack.begin(), stack.end(), path) == stack.end())
                append(files, includes, *included, stack, out);
        }
    }
    stack.pop_back();
}

}  // namespace

std::string flatten(const std::string& main_path, const std::vector<model::ConfigFile>& files,
                    const std::vector<model::KeepalivedInclude>& includes) {
    IncludeMap by_line;
    for (const auto& inc : includes) by_line[{inc.at.file, inc.at.line}] = &inc;
    std::string out;
    std::vector<std::string> stack;
    if (const auto* main = find(files, main_path)) append(files, by_line, *main, stack, out);
    return out;
}

}  // namespace haprep::keepalived
