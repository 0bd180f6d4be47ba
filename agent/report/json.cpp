// The "haprep/1" JSON report (docs/ARCHITECTURE.md), written straight into one string.
// A report of a host with thousands of interfaces has tens of thousands of
// findings; building a DOM first cost three quarters of `haprep check`'s time.
// Keys keep the order the schema lists them in. Bytes that are not valid UTF-8
// (a diff of a file in Latin-1) become U+FFFD, so the output is always valid JSON.

#include <string_view>
#include <vector>

#include "agent/report/render.h"
#include "model/facts.h"
#include "model/report.h"

namespace haprep::agent::report {

namespace {

/// Pretty-printed JSON (two-space indent) without a DOM.
class JsonWriter {
public:
    std::string out;

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    void key(std::string_view name) {
        next_item();
        string(name);
        out += ": ";
        after_key_ = true;
    }
    void value(std::string_view text) {
        next_item();
        string(text);
    }
    void value(const char* text) { value(std::string_view(text)); }
    void value(const std::string& text) { value(std::string_view(text)); }
    void value(bool flag) {
        next_item();
        out += flag ? "true" : "false";
    }
    void value(long long number) {
        next_item();
        out += std::to_string(number);
    }
    template <class T>
    void field(std::string_view name, const T& v) {
        key(name);
        value(v);
    }

private:
    std::vector<bool> first_;  // per open container: no item written yet
    bool after_key_ = false;

    void open(char bracket) {
        next_item();
        out += bracket;
        first_.push_back(true);
    }
    void close(char bracket) {
        const bool empty = first_.back();
        first_.pop_back();
        if (!empty) newline();
        out += bracket;
    }
    void next_item() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (first_.empty()) return;
        if (!first_.back()) out += ',';
        first_.back() = false;
        newline();
    }
    void newline() {
        out += '\n';
        out.append(2 * first_.size(), ' ');
    }
    void string(std::string_view text) {
        out += '"';
        for (size_t i = 0; i < text.size();) {
            // Most text needs no escaping: copy such runs whole.
            size_t run = i;
            while (run < text.size() && is_plain(static_cast<unsigned char>(text[run]))) ++run;
            out.append(text.data() + i, run - i);
            if (run == text.size()) break;
            i = run;
            const auto c = static_cast<unsigned char>(text[i]);
            if (c >= 0x80) {
                const size_t n = utf8_length(text, i);
                if (n == 0) {
                    out += "\\ufffd";
                    ++i;
                } else {
                    out.append(text.substr(i, n));
                    i += n;
                }
                continue;
            }
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\t': out += "\\t"; break;
                case '\r': out += "\\r"; break;
                default: {
                    static const char* hex = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                }
            }
            ++i;
        }
        out += '"';
    }
    static bool is_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }
    /// Length of the well-formed UTF-8 sequence at `i`, or 0 when it is not one.
    static size_t utf8_length(std::string_view text, size_t i) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const size_t n = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 0;
        if (n == 0 || i + n > text.size()) return 0;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
        return n;
    }
};

/// The subject's fields that are set: with the check, a key no other finding of the
/// report has (two instances on one interface and family differ by "instance").
void write_subject_fields(JsonWriter& w, const model::Subject& s) {
    w.begin_object();
    auto text = [&](std::string_view name, const std::string& value) {
        if (!value.empty()) w.field(name, value);
    };
    text("interface", s.interface);
    if (s.family) w.field("family", model::to_string(*s.family));
    if (s.outbound) w.field("direction", "out");
    text("instance", s.instance);
    if (s.mode) w.field("mode", model::to_string(*s.mode));
    text("sync_group", s.sync_group);
    text("script", s.script);
    text("file", s.file);
    w.end_object();
}

void write_finding(JsonWriter& w, const model::Finding& f) {
    w.begin_object();
    w.field("check", f.check);
    w.field("subject", f.subject.text());
    w.key("subject_fields");
    write_subject_fields(w, f.subject);
    w.field("status", model::to_string(f.status));
    w.field("severity", model::to_string(f.severity));
    w.field("message", f.message);
    w.field("expected", f.expected);
    w.field("observed", f.observed);
    w.key("evidence");
    w.begin_object();
    // Evidence is an object: a name given twice keeps its first value.
    for (size_t i = 0; i < f.evidence.size(); ++i) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; ++k) seen = f.evidence[k].first == f.evidence[i].first;
        if (!seen) w.field(f.evidence[i].first, f.evidence[i].second);
    }
    w.end_object();
    w.field("fix", f.fix);
    if (f.source) {
        w.key("source");
        w.begin_object();
        w.field("file", f.source->file);
        w.field("line", static_cast<long long>(f.source->line));
        w.end_object();
    }
    w.end_object();
}

void write_change(JsonWriter& w, const model::Change& c) {
    w.begin_object();
    w.field("fix", c.fix);
    w.field("subject", model::subjects_text(c.subjects));
    w.key("subjects");
    w.begin_array();
    for (const auto& s : c.subjects) write_subject_fields(w, s);
    w.end_array();
    w.field("target", c.target);
    w.field("action", c.action);
    w.field("diff", c.diff);
    w.field("applied", c.applied);
    w.field("result", c.result);
    if (!c.note.empty()) w.field("note", c.note);
    // Like note, only when there is one: what must be restarted for the change to work.
    if (!c.restart.empty()) w.field("restart", c.restart);
    w.end_object();
}

}  // namespace

std::string render_json(const model::Report& report) {
    JsonWriter w;
    // About 530 bytes a finding are written (subject_fields included): reserving a
    // little more spares a reallocation that would copy megabytes and double the peak.
    w.out.reserve(640 * (report.findings.size() + report.changes.size() + 1));
    const auto s = report.summary();
    w.begin_object();
    w.field("schema", model::kReportSchema);
    w.key("tool");
    w.begin_object();
    w.field("name", "haprep");
    w.field("version", report.tool_version);
    w.end_object();
    w.field("host", report.host);
    w.field("time", report.time);
    w.field("command", report.command);
    w.field("status", model::to_string(report.status()));
    w.field("changed", report.changed());
    w.key("summary");
    w.begin_object();
    for (const auto& [name, count] : {std::pair{"pass", s.pass}, {"warn", s.warn}, {"fail", s.fail},
                                      {"unknown", s.unknown}, {"skip", s.skip}, {"waived", s.waived}})
        w.field(name, static_cast<long long>(count));
    w.end_object();
    w.key("findings");
    w.begin_array();
    for (const auto& f : report.findings) write_finding(w, f);
    w.end_array();
    w.key("changes");
    w.begin_array();
    for (const auto& c : report.changes) write_change(w, c);
    w.end_array();
    // Always there (empty when none), deduplicated: what to restart for the changes made
    // (or planned) to take effect, e.g. for an Ansible handler's notify.
    w.key("restart");
    w.begin_array();
    for (const auto& name : model::restarts_needed(report.changes)) w.value(name);
    w.end_array();
    w.end_object();
    w.out += '\n';
    return std::move(w.out);
}

}  // namespace haprep::agent::report
