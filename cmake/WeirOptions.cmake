# Compile options shared by every weir target: warnings on and clean, and the
# optional sanitizer build. Each target calls weir_target_options(<target>).

add_library(weir_options INTERFACE)
target_compile_options(weir_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

if(WEIR_SANITIZE)
  # WEIR_ASAN makes the fiber code annotate its stack switches for ASan.
  target_compile_options(weir_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_definitions(weir_options INTERFACE WEIR_ASAN=1)
  target_link_options(weir_options INTERFACE -fsanitize=address,undefined)
endif()

function(weir_target_options target)
  target_link_libraries(${target} PRIVATE weir_options)
endfunction()
