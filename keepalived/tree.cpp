#include "keepalived/tree.h"

namespace haprep::keepalived {

std::string Node::text() const {
    std::string out = keyword;
    for (const auto& a : args) out += " " + a;
    return out;
}

Tree build_tree(const std::vector<Line>& lines, bool truncated) {
    Tree tree;
    Node root;
    // The open blocks, innermost last. A child is only added to the innermost block,
    // so the pointers to the enclosing ones stay valid.
    std::vector<Node*> open = {&root};
    // A block too deep: its owner, and how many braces deep its contents are so far
    // (0: not skipping).
    Node* skipped = nullptr;
    size_t skip_depth = 0;
    for (const auto& line : lines) {
        const auto& words = line.words;
        Node* current = nullptr;  // the statement being collected on this line
        size_t statements = 0;
        for (size_t i = 0; i < words.size(); ++i) {
            const auto& w = words[i];
            if (skip_depth > 0) {
                if (w == "{") {
                    ++skip_depth;
                } else if (w == "}" && --skip_depth == 0) {
                    skipped->close = line.at;
                    skipped->close_alone = words.size() == 1;
                    skipped->same_reading = skipped->reading == line.reading;
                    skipped = nullptr;
                }
                continue;
            }
            if (w == "{") {
                Node* block = open.back();
                if (block->children.empty() || block->children.back().has_block) {
                    add_message(tree.errors, "'{' without a keyword before it", line.at.location());
                    // Still opened, so that its '}' does not close the enclosing block.
                    block->children.push_back({});
                    block->children.back().at = line.at;
                    block->children.back().reading = line.reading;
                }
                Node* owner = &block->children.back();
                owner->has_block = true;
                if (owner->at == line.at)
                    owner->keyword_line_alone = statements == 1 && i + 1 == words.size();
                else  // "{" on the next line: that line must hold nothing else either
                    owner->keyword_line_alone = owner->keyword_line_alone && words.size() == 1;
                owner->whole_line = false;
                current = nullptr;
                if (open.size() > static_cast<size_t>(limits::kMaxBlockDepth)) {
                    add_message(tree.too_deep,
                                "'" + owner->keyword + "' block nested deeper than " +
                                    std::to_string(limits::kMaxBlockDepth) +
                                    " levels (kMaxBlockDepth): what it holds is not read",
                                owner->at.location());
                    skipped = owner;
                    skip_depth = 1;
                    continue;
                }
                open.push_back(owner);
            } else if (w == "}") {
                if (open.size() == 1) {
                    add_message(tree.errors, "'}' without a block to close", line.at.location());
                } else {
                    open.back()->close = line.at;
                    open.back()->close_alone = words.size() == 1;
                    open.back()->same_reading = open.back()->reading == line.reading;
                    open.pop_back();
                }
                current = nullptr;
            } else if (current) {
                current->args.push_back(w);
            } else {
                ++statements;
                Node node;
                node.keyword = w;
                node.at = line.at;
                node.indent = line.indent;
                node.reading = line.reading;
                open.back()->children.push_back(std::move(node));
                current = &open.back()->children.back();
            }
        }
        // Only now is it known whether the statements shared the line with others.
        if (statements == 1 && words.front() != "{" && words.front() != "}") {
            bool braces = false;
            for (const auto& w : words) braces = braces || w == "{" || w == "}";
            Node* block = open.back();
            if (!braces && !block->children.empty() && block->children.back().at == line.at) {
                block->children.back().whole_line = true;
                block->children.back().keyword_line_alone = true;
            }
        }
    }
    for (size_t i = open.size(); i-- > 1 && !truncated;)
        add_message(tree.errors, "'" + open[i]->keyword + "' block is never closed (missing '}')", open[i]->at.location());
    tree.top = std::move(root.children);
    return tree;
}

}  // namespace haprep::keepalived
