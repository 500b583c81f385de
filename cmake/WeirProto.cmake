# weir_add_proto_library(<target> <folder> <file.proto>...)
#
# Compiles the .proto files into a static library whose headers are included
# as "weir/<folder>/proto/<name>.pb.h". Generated code is not ours: it is
# built without weir's warning flags (-w), but with the rest of
# weir_target_options (the sanitizers).
function(weir_add_proto_library target folder)
  set(root ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(out ${root}/weir/${folder}/proto)
  file(MAKE_DIRECTORY ${out})
  add_library(${target} STATIC ${ARGN})
  protobuf_generate(TARGET ${target} LANGUAGE cpp APPEND_PATH PROTOC_OUT_DIR ${out})
  target_include_directories(${target} SYSTEM PUBLIC ${root})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf)
  weir_target_options(${target})
  target_compile_options(${target} PRIVATE -w)
endfunction()
