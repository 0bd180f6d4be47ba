# cmake -DSOURCE_DIR=... -DLAYERS="folder:a,b;..." -P tests/layers.cmake
cmake_minimum_required(VERSION 3.25)
#
# Fails when a file includes a folder its own folder may not include (the table is
# HAPREP_LAYERS in CMakeLists.txt, passed in as LAYERS). Only `#include "dir/..."`
# lines naming one of the table's folders are judged; system and library headers
# are not ours to order.
set(folders "")
foreach(row IN LISTS LAYERS)
  string(REGEX MATCH "^([a-z_]+):(.*)$" _ "${row}")
  list(APPEND folders ${CMAKE_MATCH_1})
  string(REPLACE "," ";" allowed_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
endforeach()

set(violations "")
foreach(folder IN LISTS folders)
  file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${folder}/*.h ${SOURCE_DIR}/${folder}/*.cpp)
  foreach(file IN LISTS files)
    file(STRINGS ${SOURCE_DIR}/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[a-z_]+/")
    foreach(line IN LISTS includes)
      string(REGEX MATCH "\"([a-z_]+)/" _ "${line}")
      set(target ${CMAKE_MATCH_1})
      if(target STREQUAL folder OR NOT target IN_LIST folders OR target IN_LIST allowed_${folder})
        continue()
      endif()
      list(APPEND violations "${file}: ${line} (${folder}/ may include: ${allowed_${folder}})")
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "includes outside the layer table:\n  ${text}")
endif()
message(STATUS "every include follows the layer table")
