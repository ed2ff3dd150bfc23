# tern_add_proto_library(TARGET PROTO IMPORT_ROOT)
# Compiles PROTO (a path under IMPORT_ROOT) to C++ in the build tree, at the
# same relative path, so that sources include it as "dir/name.pb.h"; makes a
# static library TARGET of it and a target TARGETGen that generates the header.
function(tern_add_proto_library target proto import_root)
  file(RELATIVE_PATH relative "${import_root}" "${proto}")
  string(REGEX REPLACE "\\.proto$" "" stem "${PROJECT_BINARY_DIR}/${relative}")
  get_filename_component(out_dir "${stem}" DIRECTORY)
  add_custom_command(
    OUTPUT "${stem}.pb.cc" "${stem}.pb.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
    COMMAND protobuf::protoc --cpp_out=${PROJECT_BINARY_DIR} -I${import_root} ${proto}
    DEPENDS "${proto}" protobuf::protoc
    COMMENT "Generating C++ for ${relative}")
  add_custom_target(${target}Gen DEPENDS "${stem}.pb.h")
  add_library(${target} STATIC "${stem}.pb.cc")
  add_dependencies(${target} ${target}Gen)
  # Protobuf's generated code wants RTTI; it does not derive from LLVM classes.
  target_compile_options(${target} PRIVATE -frtti -Wno-extra -Wno-all)
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
