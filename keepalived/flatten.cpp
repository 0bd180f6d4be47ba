#include "keepalived/flatten.h"

#include <algorithm>
#include <map>
#include <utility>

#include "keepalived/lexer.h"
#include "keepalived/reader.h"

namespace haprep::keepalived {

namespace {

// As the reader's budgets: what it did not read is not inlined either. The include
// records name files per include line, not per reading, so without them a file that
// includes another twice would be inlined 2^depth times here, however little the
// reader read. The text: twice the reader's budget, room for the edits of a fix and
// the "# " of each include line; a configuration the reader read within its budgets
// stays within them.
constexpr size_t kMaxDepth = limits::kMaxIncludeDepth;

struct Budget {
    int readings = 0;
    size_t text = 0;
    bool fits(const model::ConfigFile& file) const {
        return readings < limits::kMaxFileReads && file.content.size() <= 2 * limits::kMaxTextRead - text;
    }
    void spend(const model::ConfigFile& file) {
        ++readings;
        text += file.content.size();
    }
};

using IncludeMap = std::map<std::pair<std::string, int>, const model::KeepalivedInclude*>;

using FileMap = std::map<std::string_view, const model::ConfigFile*>;

const model::ConfigFile* find(const FileMap& files, const std::string& path) {
    const auto it = files.find(path);
    return it == files.end() ? nullptr : it->second;
}

void append(const FileMap& files, const IncludeMap& includes, const model::ConfigFile& file,
            std::vector<std::string>& stack, Budget& budget, std::string& out) {
    budget.spend(file);
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
            if (included && stack.size() < kMaxDepth && std::find(stack.begin(), stack.end(), path) == stack.end() &&
                budget.fits(*included))
                append(files, includes, *included, stack, budget, out);
        }
    }
    stack.pop_back();
}

}  // namespace

std::string flatten(const std::string& main_path, const std::vector<model::ConfigFile>& files,
                    const std::vector<model::KeepalivedInclude>& includes) {
    FileMap by_path;
    for (const auto& f : files) by_path.emplace(f.path, &f);  // the first of a path, as before
    IncludeMap by_line;
    for (const auto& inc : includes) by_line[{inc.at.file, inc.at.line}] = &inc;
    std::string out;
    std::vector<std::string> stack;
    Budget budget;
    if (const auto* main = find(by_path, main_path)) append(by_path, by_line, *main, stack, budget, out);
    return out;
}

}  // namespace haprep::keepalived
