# -Wall -Wextra -Werror on project code; generated code (ANTLR, flatc) is compiled without them.
function(flux_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()

# Boost 1.81 + GCC 12 in C++20: <utility> must precede Asio's awaitable.hpp (toolchain.md §3).
# Asio keeps 2 freed coroutine frames / handlers per thread by default; a proxied or PHP request
# nests more awaitables than that, so every further frame went to malloc. The cache size changes
# the layout of Asio's per-thread state: every target that includes Asio must come through here.
function(flux_uses_asio target)
  target_compile_definitions(${target} PRIVATE BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_DISABLE_BOOST_ARRAY
                                               BOOST_BEAST_USE_STD_STRING_VIEW
                                               BOOST_ASIO_RECYCLING_ALLOCATOR_CACHE_SIZE=8)
  target_link_libraries(${target} PRIVATE Boost::headers Threads::Threads)
endfunction()
