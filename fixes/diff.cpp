#include "fixes/diff.h"
#include "model/text.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace haprep::fixes {

namespace {

using model::split_lines;

enum class Op { keep, remove, add };
struct Edit {
    Op op;
    size_t old_line, new_line;  // 0-based index into the side(s) it belongs to
};

// Longest common subsequence table: configuration files are small, O(n*m) is fine.
std::vector<Edit> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::vector<Edit> edits;
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            edits.push_back({Op::keep, i++, j++});
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            edits.push_back({Op::remove, i++, j});  // removals first, as diff -u prints
        } else {
            edits.push_back({Op::add, i, j++});
        }
    }
    return edits;
}

std::string range(size_t start, size_t count) {
    // Unified diff numbers lines from 1; an empty range names the line before it.
    std::string text = std::to_string(count == 0 ? start : start + 1);
    if (count != 1) text += "," + std::to_string(count);
    return text;
}

}  // namespace

std::string unified_diff(const std::string& path, const std::string& before,
                         const std::string& after, bool existed) {
    if (before == after && existed) return {};
    const auto a = split_lines(before), b = split_lines(after);
    const auto edits = edit_script(a, b);
    constexpr size_t kContext = 3;

    std::ostringstream out;
    out << "--- " << (existed ? "a" + path : std::string("/dev/null")) << "\n";
    out << "+++ b" << path << "\n";
    size_t k = 0;
    while (k < edits.size()) {
        while (k < edits.size() && edits[k].op == Op::keep) ++k;
        if (k == edits.size()) break;
        // A hunk: from kContext lines before the change to kContext after the last
        // change that is no more than 2*kContext lines from the previous one.
        size_t begin = k >= kContext ? k - kContext : 0;
        size_t end = k;
        while (end < edits.size()) {
            size_t next = end;
            while (next < edits.size() && edits[next].op != Op::keep) ++next;
            size_t keep = next;
            while (keep < edits.size() && edits[keep].op == Op::keep) ++keep;
            end = next;
            if (keep == edits.size() || keep - next > 2 * kContext) {
                end = std::min(next + kContext, edits.size());
                break;
            }
            end = keep;
        }
        size_t old_count = 0, new_count = 0;
        for (size_t e = begin; e < end; ++e) {
            if (edits[e].op != Op::add) ++old_count;
            if (edits[e].op != Op::remove) ++new_count;
        }
        out << "@@ -" << range(edits[begin].old_line, old_count) << " +"
            << range(edits[begin].new_line, new_count) << " @@\n";
        for (size_t e = begin; e < end; ++e) {
            switch (edits[e].op) {
                case Op::keep: out << " " << a[edits[e].old_line] << "\n"; break;
                case Op::remove: out << "-" << a[edits[e].old_line] << "\n"; break;
                case Op::add: out << "+" << b[edits[e].new_line] << "\n"; break;
            }
        }
        k = end;
    }
    return out.str();
}

std::string value_diff(const std::string& key, const std::string& before, const std::string& after) {
    return "- " + key + " = " + before + "\n+ " + key + " = " + after + "\n";
}

model::Change file_edit_change(const std::vector<model::Subject>& subjects, const std::string& path,
                               const std::string* before, const std::string& after,
                               const model::FileValidation& validation) {
    const bool existed = before != nullptr;
    model::Change c;
    c.subjects = subjects;
    c.effect = model::FileWrite{.path = path,
                                .old_content = existed ? *before : "",
                                .existed = existed,
                                .new_content = after,
                                .validation = validation};
    c.target = path;
    c.action = existed ? "modify" : "create";
    c.diff = unified_diff(path, existed ? *before : "", after, existed);
    return c;
}

model::Change file_edit_change(const std::vector<model::Subject>& subjects, const model::ConfigFile& file,
                               const std::string& after, const model::FileValidation& validation) {
    return file_edit_change(subjects, file.path, &file.content, after, validation);
}

}  // namespace haprep::fixes
