# Every test, registered with ctest. Integration tests are shell scripts that run
# the real binary in network namespaces they create; they skip (exit 77) loudly when
# not root.

set(HAPREP_UNIT_TEST_SOURCES
  tests/unit/main.cpp
  tests/unit/sysctl_d_test.cpp
  tests/unit/files_test.cpp
  tests/unit/rp_filter_check_test.cpp
  tests/unit/rp_filter_fix_test.cpp
  tests/unit/diff_test.cpp
  tests/unit/names_test.cpp
  tests/unit/json_test.cpp
  tests/unit/snapshot_range_test.cpp
  tests/unit/render_test.cpp
  tests/unit/applier_test.cpp
  tests/unit/registry_test.cpp
  tests/unit/netlink_parse_test.cpp
  tests/unit/link_addr_check_test.cpp
  tests/unit/link_multicast_fix_test.cpp
  tests/unit/nft_eval_test.cpp
  tests/unit/xt_test.cpp
  tests/unit/firewalld_test.cpp
  tests/unit/keepalived_parser_test.cpp
  tests/unit/keepalived_checks_test.cpp
  tests/unit/keepalived_fix_test.cpp
  tests/unit/legacy_iptables_test.cpp
  tests/unit/iptables_persist_test.cpp
  tests/unit/xt_args_test.cpp
  tests/unit/nft_conntrack_test.cpp
  tests/unit/ip_test.cpp
  tests/unit/host_writer_test.cpp
  tests/unit/fact_test.cpp
  tests/unit/subject_test.cpp)

add_executable(unit_tests ${HAPREP_UNIT_TEST_SOURCES})
# Tests may include any folder: they see the source root, not a layer directory.
target_include_directories(unit_tests PRIVATE ${CMAKE_SOURCE_DIR})
target_compile_options(unit_tests PRIVATE ${HAPREP_WARNINGS})
target_link_libraries(unit_tests PRIVATE haprep_agent doctest::doctest)
target_compile_definitions(unit_tests PRIVATE HAPREP_TEST_DATA="${CMAKE_SOURCE_DIR}/tests/data")

# Captures netlink replies for the parser tests' data (tests/data/netlink/).
add_executable(nl_capture tests/tools/nl_capture.cpp)
target_include_directories(nl_capture PRIVATE ${CMAKE_BINARY_DIR}/layers/host)
target_link_libraries(nl_capture PRIVATE haprep_host)

set(HAPREP_INTEGRATION_TESTS
  rp_filter_fix
  boot_drift
  unprivileged
  bad_input
  snapshot_roundtrip
  apply_lock
  man_page
  link_multicast_fix
  link_addr_checks
  rp_filter_routes
  keepalived_multicast
  keepalived_rp_filter
  nft_vrrp
  nft_conntrack
  keepalived_nft
  nft_persist
  iptables_persist
  firewalld_vrrp
  firewalld_peers
  firewalld_failures
  keepalived_firewalld
  keepalived_fix
  keepalived_discovery
  keepalived_peer_mismatch
  keepalived_unicast_peers
  link_multicast_restart
  keepalived_corpus
  legacy_iptables
  iptables_nft
  ipv6_dad_vip
  hostile_files
  facts_options
  nft_vrrp_out)

# The sanitizer tree's tests carry a suffix (unit_asan, integration.X_asan), so one
# ctest run over both trees (scripts/test.sh) names every test once.
set(suffix "")
if(HAPREP_SANITIZE)
  set(suffix "_asan")
endif()
add_test(NAME unit${suffix} COMMAND unit_tests)
set_tests_properties(unit${suffix} PROPERTIES
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
foreach(name IN LISTS HAPREP_INTEGRATION_TESTS)
  add_test(NAME integration.${name}${suffix}
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/integration/${name}.sh $<TARGET_FILE:haprep>)
  set_tests_properties(integration.${name}${suffix} PROPERTIES
    SKIP_RETURN_CODE 77
    ENVIRONMENT "HAPREP_BUILD_DIR=${CMAKE_BINARY_DIR};ASAN_OPTIONS=detect_leaks=1")
endforeach()

# The include lines of every folder against the layer table, headers included (the
# layer directories catch an upward include in what a folder compiles; this also
# catches one in a header no file of its own folder includes, such as policy/).
if(NOT HAPREP_SANITIZE)
  add_test(NAME layers
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} "-DLAYERS=${HAPREP_LAYERS}"
            -P ${CMAKE_SOURCE_DIR}/tests/layers.cmake)
endif()

# The keepalived.conf parser under libFuzzer for a bounded time (scripts/fuzz.sh,
# HAPREP_FUZZ_SECONDS, default 60). It needs clang with libFuzzer, which the main
# build does not, so it is opt-in; scripts/test.sh turns it on.
option(HAPREP_FUZZ "Register the fuzz.* tests (need clang and libFuzzer)" OFF)
if(HAPREP_FUZZ)
  foreach(target IN ITEMS keepalived_parser firewall_rules)
    add_test(NAME fuzz.${target}
      COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/fuzz.sh ${CMAKE_BINARY_DIR}/build-fuzz ${target})
    # Started first (highest COST): each builds with clang and fuzzes for a minute, time
    # the other tests use in parallel instead of waiting for it at the end.
    set_tests_properties(fuzz.${target} PROPERTIES TIMEOUT 900 COST 1000)
  endforeach()
endif()
