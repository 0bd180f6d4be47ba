#include <doctest/doctest.h>

#include "fixes/diff.h"

using haprep::fixes::unified_diff;

TEST_CASE("equal content: no diff") { CHECK(unified_diff("/etc/x", "a\n", "a\n").empty()); }

TEST_CASE("a new file diffs from /dev/null") {
    CHECK(unified_diff("/etc/x", "", "a\nb\n", false) ==
          "--- /dev/null\n+++ b/etc/x\n@@ -0,0 +1,2 @@\n+a\n+b\n");
}

TEST_CASE("a changed line with three lines of context, as diff -u prints it") {
    const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    CHECK(unified_diff("/etc/x", before, after) ==
          "--- a/etc/x\n+++ b/etc/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("distant changes make separate hunks; close ones merge") {
    std::string before, after;
    for (int i = 1; i <= 20; ++i) {
        before += std::to_string(i) + "\n";
        after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
    }
    const auto diff = unified_diff("/f", before, after);
    CHECK(diff.find("@@ -1,5 +1,5 @@") != std::string::npos);
    CHECK(diff.find("@@ -15,6 +15,6 @@") != std::string::npos);

    // Changes at lines 1 and 5 are closer than twice the context: one hunk.
    std::string near;
    for (int i = 1; i <= 20; ++i) near += (i == 1 || i == 5 ? "y" : std::to_string(i)) + "\n";
    const auto merged = unified_diff("/f", before, near);
    CHECK(merged.find("@@ -1,8 +1,8 @@") != std::string::npos);
    CHECK(merged.find("@@ -", merged.find("@@ -1,8") + 1) == std::string::npos);
}

TEST_CASE("appending at the end") {
    CHECK(unified_diff("/f", "a\n", "a\nb\n") == "--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+b\n");
}
