#include "keepalived/tree.h"

namespace haprep::keepalived {

std::string Node::text() const {
    std::string out = keyword;
    for (const auto& a : args) out += " " + a;
    return out;
}

namespace {

/// Builds the tree one word at a time. A child is only ever added to the innermost
/// open block, so the pointers to the enclosing ones in `open_` stay valid.
class TreeBuilder {
public:
    explicit TreeBuilder(Tree& tree) : tree_(tree) {}

    void add_line(const Line& line) {
        const auto& words = line.words;
        current_ = nullptr;
        statements_ = 0;
        for (size_t i = 0; i < words.size(); ++i) {
            const auto& w = words[i];
            if (skip_depth_ > 0)
                skip(w, line);
            else if (w == "{")
                open_block(line, i);
            else if (w == "}")
                close_block(line);
            else if (current_)
                current_->args.push_back(w);
            else
                add_statement(w, line);
        }
        mark_whole_line(line);
    }

    void finish(bool truncated) {
        for (size_t i = open_.size(); i-- > 1 && !truncated;)
            add_message(tree_.errors, "'" + open_[i]->keyword + "' block is never closed (missing '}')",
                        open_[i]->at.location());
        tree_.top = std::move(root_.children);
    }

private:
    static void close(Node& block, const Line& line) {
        block.close = line.at;
        block.close_alone = line.words.size() == 1;
        block.same_reading = block.reading == line.reading;
    }

    /// Inside a block too deep to read: only count braces to find its end.
    void skip(const std::string& w, const Line& line) {
        if (w == "{") {
            ++skip_depth_;
        } else if (w == "}" && --skip_depth_ == 0) {
            close(*skipped_, line);
            skipped_ = nullptr;
        }
    }

    void open_block(const Line& line, size_t i) {
        Node* block = open_.back();
        if (block->children.empty() || block->children.back().has_block) {
            add_message(tree_.errors, "'{' without a keyword before it", line.at.location());
            // Still opened, so that its '}' does not close the enclosing block.
            block->children.push_back({});
            block->children.back().at = line.at;
            block->children.back().reading = line.reading;
        }
        Node* owner = &block->children.back();
        owner->has_block = true;
        if (owner->at == line.at)
            owner->keyword_line_alone = statements_ == 1 && i + 1 == line.words.size();
        else  // "{" on the next line: that line must hold nothing else either
            owner->keyword_line_alone = owner->keyword_line_alone && line.words.size() == 1;
        owner->whole_line = false;
        current_ = nullptr;
        if (open_.size() > static_cast<size_t>(limits::kMaxBlockDepth)) {
            add_message(tree_.too_deep,
                        "'" + owner->keyword + "' block nested deeper than " + std::to_string(limits::kMaxBlockDepth) +
                            " levels (kMaxBlockDepth): what it holds is not read",
                        owner->at.location());
            skipped_ = owner;
            skip_depth_ = 1;
            return;
        }
        open_.push_back(owner);
    }

    void close_block(const Line& line) {
        if (open_.size() == 1) {
            add_message(tree_.errors, "'}' without a block to close", line.at.location());
        } else {
            close(*open_.back(), line);
            open_.pop_back();
        }
        current_ = nullptr;
    }

    void add_statement(const std::string& keyword, const Line& line) {
        ++statements_;
        Node node;
        node.keyword = keyword;
        node.at = line.at;
        node.indent = line.indent;
        node.reading = line.reading;
        open_.back()->children.push_back(std::move(node));
        current_ = &open_.back()->children.back();
    }

    /// Only at the end of a line is it known whether its statement shared it.
    void mark_whole_line(const Line& line) {
        const auto& words = line.words;
        if (statements_ != 1 || words.front() == "{" || words.front() == "}") return;
        bool braces = false;
        for (const auto& w : words) braces = braces || w == "{" || w == "}";
        Node* block = open_.back();
        if (!braces && !block->children.empty() && block->children.back().at == line.at) {
            block->children.back().whole_line = true;
            block->children.back().keyword_line_alone = true;
        }
    }

    Tree& tree_;
    Node root_;
    std::vector<Node*> open_ = {&root_};  ///< the open blocks, innermost last
    Node* skipped_ = nullptr;  ///< the block too deep whose contents are being skipped
    size_t skip_depth_ = 0;    ///< braces deep into it (0: not skipping)
    Node* current_ = nullptr;  ///< the statement being collected on this line
    size_t statements_ = 0;    ///< statements begun on this line
};

}  // namespace

Tree build_tree(const std::vector<Line>& lines, bool truncated) {
    Tree tree;
    TreeBuilder builder(tree);
    for (const auto& line : lines) builder.add_line(line);
    builder.finish(truncated);
    return tree;
}

}  // namespace haprep::keepalived
