# Every test, registered with ctest. Integration tests are shell scripts that run
# the real binary in network namespaces they create; they skip (exit 77) loudly when
# not root.

set(HAPREP_VARIANTS plain)
if(HAPREP_SANITIZERS)
  list(APPEND HAPREP_VARIANTS asan)
endif()

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

foreach(variant IN LISTS HAPREP_VARIANTS)
  # Target and test names: haprep / haprep_asan, unit / unit_asan, ...
  if(variant STREQUAL "plain")
    set(suffix "")
  else()
    set(suffix "_${variant}")
  endif()
  add_test(NAME unit${suffix} COMMAND unit_tests${suffix})
  set_tests_properties(unit${suffix} PROPERTIES
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
  foreach(name IN LISTS HAPREP_INTEGRATION_TESTS)
    add_test(NAME integration.${name}${suffix}
      COMMAND bash ${CMAKE_SOURCE_DIR}/tests/integration/${name}.sh $<TARGET_FILE:haprep${suffix}>)
    set_tests_properties(integration.${name}${suffix} PROPERTIES
      SKIP_RETURN_CODE 77
      ENVIRONMENT "HAPREP_BUILD_DIR=${CMAKE_BINARY_DIR};ASAN_OPTIONS=detect_leaks=1")
  endforeach()
endforeach()

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
