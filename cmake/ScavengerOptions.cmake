# Per-target warnings, sanitizers and architecture flags, applied with scavenger_configure_target().

if(SCAVENGER_SANITIZE STREQUAL "address")
  set(SCAVENGER_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
elseif(SCAVENGER_SANITIZE STREQUAL "thread")
  # -Wno-tsan: GCC warns that TSan does not model atomic_thread_fence, which Boost uses.
  set(SCAVENGER_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
elseif(NOT SCAVENGER_SANITIZE STREQUAL "")
  message(FATAL_ERROR "SCAVENGER_SANITIZE must be '', 'address' or 'thread', not '${SCAVENGER_SANITIZE}'")
endif()

function(scavenger_configure_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
    # GCC 12 reports Asio's coroutine frame allocator as mismatched new/delete (a false positive).
    -Wno-mismatched-new-delete
    # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s string code (GCC bug 105329).
    -Wno-restrict)
  if(SCAVENGER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(SCAVENGER_MARCH)
    target_compile_options(${target} PRIVATE -march=${SCAVENGER_MARCH})
  endif()
  if(SCAVENGER_SANITIZER_FLAGS)
    # The sanitizers' instrumentation misleads GCC 12's flow analysis into false
    # maybe-uninitialized reports inside Boost.Variant2 (boost::system::result).
    target_compile_options(${target} PRIVATE ${SCAVENGER_SANITIZER_FLAGS} -Wno-maybe-uninitialized)
    target_link_options(${target} PRIVATE ${SCAVENGER_SANITIZER_FLAGS})
  endif()
endfunction()

# Global so every translation unit sees the same Asio configuration (no ODR surprises).
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED)
