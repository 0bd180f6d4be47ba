#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "checks/check.h"
#include "facts_fixture.h"
#include "fixes/fix.h"

using namespace haprep;

TEST_CASE("check ids are unique, lowercase and dotted; every fix id has a planner") {
    auto well_formed = [](std::string_view id) {
        const auto dot = id.find('.');
        if (dot == 0 || dot == std::string_view::npos || dot + 1 == id.size()) return false;
        return std::all_of(id.begin(), id.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        });
    };
    std::set<std::string_view> seen, planners;
    for (const auto& fix : fixes::all_fixes()) planners.insert(fix.id);
    for (const auto& spec : checks::all_checks()) {
        CAPTURE(spec.id);
        CHECK(well_formed(spec.id));
        CHECK(seen.insert(spec.id).second);
        CHECK_FALSE(spec.title.empty());
        if (!spec.fix.empty()) CHECK(planners.count(spec.fix) == 1);
    }
}

TEST_CASE("did you mean: the closest registered id") {
    CHECK(checks::closest_check_id("sysctl.rpfilter") == "sysctl.rp_filter");
    CHECK(checks::closest_check_id("rp_filter_boot") == "sysctl.rp_filter_boot");
    CHECK(checks::find_check("sysctl.rp_filter") != nullptr);
    CHECK(checks::find_check("nope") == nullptr);
}

TEST_CASE("--only and --skip select checks") {
    auto facts = testing::rp_filter_facts(1, 1);
    // One finding per check for the one VRRP interface.
    CHECK(checks::evaluate_checks(facts, {}, {}).size() == checks::all_checks().size());
    auto only = checks::evaluate_checks(facts, {"sysctl.rp_filter_boot"}, {});
    REQUIRE(only.size() == 1);
    CHECK(only[0].check == "sysctl.rp_filter_boot");
    auto skipped = checks::evaluate_checks(facts, {"sysctl.rp_filter", "sysctl.rp_filter_boot"},
                                           {"sysctl.rp_filter_boot"});
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0].check == "sysctl.rp_filter");
}
